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
        if slot.end == slot.start:
            warn("schedule-empty-slot", f"{name} ({_span(slot)}) has no length", slot)
        elif slot.end < slot.start:
            warn(
                "schedule-negative-slot",
                f"{name} ({_span(slot)}) ends {slot.start - slot.end} min before it starts",
                slot,
            )
        if index == 0:
            continue
        before = slots[index - 1]
        before_name = row_name(before, index - 1)
        before_end = max(before.start, before.end)
        if slot.start < before.start:
            warn(
                "schedule-out-of-order",
                f"{name} ({_span(slot)}) starts before {before_name} ({_span(before)})",
                slot,
            )
        elif slot.start < before_end:
            warn(
                "schedule-overlap",
                f"{name} ({_span(slot)}) overlaps {before_name} ({_span(before)}) "
                f"by {before_end - slot.start} min",
                slot,
            )
        elif slot.start > before_end:
            warn(
                "schedule-gap",
                f"{slot.start - before_end} min gap between {before_name} ({_span(before)}) "
                f"and {name} ({_span(slot)})",
                slot,
            )
    start, end = schedule.start, schedule.end
    total = max(0, end - start) if start is not None and end is not None else 0
    if expected is not None and slots and total != expected:
        warn(
            "schedule-total-mismatch",
            f"the schedule lasts {total} min ({_span(slots[0])}…), not the {expected} min expected",
            slots[0],
        )
    return ScheduleReport(total, _busy(schedule), tuple(issues))
