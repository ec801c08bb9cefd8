"""Checking a run-of-show: order, overlaps, gaps, empty slots, total length.

Each problem is a warning naming the rows (``diagnostics.warn``); with
``--strict`` the build then fails at the end. Pairs are compared in the order
written, so one misplaced row gives one warning rather than a cascade.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Schedule, Slot
from .format import clock
from .timeparse import parse_time_range


@dataclass(frozen=True, slots=True)
class ScheduleReport:
    """What :func:`check_schedule` found: the span, busy minutes and the problems."""

    total: int  # minutes from the first start to the last end
    busy: int  # minutes covered by at least one slot
    issues: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.issues


def row_name(slot: Slot, index: int) -> str:
    """``row 3`` (the table row, else the position in the schedule)."""
    row = slot.location.row if slot.location is not None and slot.location.row else index + 1
    return f"row {row}"


def _span(slot: Slot) -> str:
    return f"{clock(slot.start)}-{clock(slot.end)}"


def _single_time(slot: Slot) -> bool:
    """A last row written as one time: extraction already warned (``schedule-end-missing``)."""
    parsed = parse_time_range(slot.source_text) if slot.source_text else None
    return parsed is not None and parsed.end is None


def _busy(schedule: Schedule) -> int:
    spans = sorted((s.start, s.end) for s in schedule.slots if s.end > s.start)
    total, reach = 0, None
    for start, end in spans:
        if reach is None or start >= reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def check_schedule(
    schedule: Schedule, diagnostics: Diagnostics, *, expected: int | None = None
) -> ScheduleReport:
    """Report what is wrong with ``schedule``; ``expected`` is the wanted total in minutes."""
    issues: list[Diagnostic] = []

    def warn(code: str, message: str, slot: Slot) -> None:
        issues.append(Diagnostic(code, message, slot.location))
        diagnostics.warn(code, message, slot.location)

    slots = schedule.slots
    for index, slot in enumerate(slots):
        name = row_name(slot, index)
        if slot.end == slot.start and not _single_time(slot):
            warn("schedule-empty-slot", f"{name} ({_span(slot)}) has no length", slot)
        elif slot.end < slot.start:
            late = slot.start - slot.end
            warn(
                "schedule-negative-slot",
                f"{name} ({_span(slot)}) ends {late} min before it starts",
                slot,
            )
        if index and slot.start < slots[index - 1].start:
            before = slots[index - 1]
            warn(
                "schedule-out-of-order",
                f"{name} ({_span(slot)}) starts before "
                f"{row_name(before, index - 1)} ({_span(before)})",
                slot,
            )
    # gaps and overlaps on the plan as it will happen (sorted by start), so that
    # a misplaced row is reported once, as out of order
    timeline = sorted(range(len(slots)), key=lambda i: (slots[i].start, i))
    reach: int | None = None  # the slot reaching furthest so far
    for index in timeline:
        slot = slots[index]
        name = row_name(slot, index)
        if reach is not None:
            before = slots[reach]
            before_end = max(before.start, before.end)
            other = f"{row_name(before, reach)} ({_span(before)})"
            if slot.start < before_end:
                shared = min(before_end, max(slot.start, slot.end)) - slot.start
                warn(
                    "schedule-overlap",
                    f"{name} ({_span(slot)}) overlaps {other} by {shared} min",
                    slot,
                )
            elif slot.start > before_end:
                gap = slot.start - before_end
                warn(
                    "schedule-gap",
                    f"{gap} min gap between {other} and {name} ({_span(slot)})",
                    slot,
                )
        if reach is None or max(slot.start, slot.end) > max(slots[reach].start, slots[reach].end):
            reach = index
    start, end = schedule.start, schedule.end
    total = max(0, end - start) if start is not None and end is not None else 0
    if expected is not None and slots and total != expected:
        warn(
            "schedule-total-mismatch",
            f"the schedule lasts {total} min ({_span(slots[0])}…), not the {expected} min expected",
            slots[0],
        )
    return ScheduleReport(total, _busy(schedule), tuple(issues))
