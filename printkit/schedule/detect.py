"""Finding run-of-show tables in a guide and reading their rows into slots.

A table is a schedule when most of its body rows hold a time or time range in
the first column, whatever the header says or the language. Each row becomes a
:class:`~printkit.model.Slot`; a row that cannot be read is reported with the
guide file, table row, line and cell text (an error in strict mode), never
silently dropped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import Diagnostics
from ..errors import Location, ScheduleError
from ..model import Guide, Inlines, Schedule, Slot, Table, Text, plain_text
from .salvage import BARE, STRICT, WORDS, read_cell, read_cell_tier
from .timeparse import ParsedRange, parse_time_range

#: Between the cells of an activity spread over several columns.
_COLUMN_JOIN = Text(" · ")


def _cell_text(cell: Inlines) -> str:
    return " ".join(plain_text(cell).split())


def _row_location(table: Table, index: int, source: Path | None) -> Location:
    base = table.row_locations[index] if index < len(table.row_locations) else None
    base = base or table.location or Location()
    file = str(source) if source is not None and base.file is None else base.file
    return dataclasses.replace(base, file=file, row=base.row if base.row is not None else index + 1)


def _activity(row: tuple[Inlines, ...]) -> Inlines:
    out: list[object] = []
    for cell in row[1:]:
        if not cell:
            continue
        if out:
            out.append(_COLUMN_JOIN)
        out.extend(cell)
    return tuple(out)  # type: ignore[arg-type]


def _split(row: tuple[Inlines, ...], locale: str | None) -> tuple[str, Inlines]:
    """The time text and the activity of a row.

    A row whose pipe between the time and the activity was lost holds both in its
    first cell (``10:00 - 10:05 Open with a film``): the longest leading run of
    words that reads as a time is the time, the rest the activity.
    """
    if not row:
        return "", ()
    activity = _activity(row)
    first = row[0]
    if activity or not first or not isinstance(first[0], Text):
        return _cell_text(first), activity
    words = first[0].text.split()
    for cut in range(min(len(words) - 1, 8), 0, -1):
        head = " ".join(words[:cut])
        if parse_time_range(head, locale) is not None:
            rest = " ".join(words[cut:])
            return head, (Text(rest), *first[1:])
    return _cell_text(first), activity


def _parsed_rows(table: Table, locale: str | None) -> list[ParsedRange | None]:
    return [parse_time_range(_split(row, locale)[0], locale) if row else None
            for row in table.rows]


def _is_blank(row: tuple[Inlines, ...]) -> bool:
    return not any(_cell_text(cell) for cell in row)


def is_schedule(table: Table, locale: str | None = None) -> bool:
    """Whether most non-blank rows of ``table`` start with a time (range).

    Rows read as written, or with a misspelt day period repaired, must be at least
    one; with the bare hours (``10 - 11``) they must be half the rows or more
    (:func:`~.salvage.read_cell_tier`). Times picked out of other text never count.
    """
    strict = _parsed_rows(table, locale)
    rows = [(row, parsed) for row, parsed in zip(table.rows, strict, strict=True)
            if not _is_blank(row)]
    readable = sum(parsed is not None for _, parsed in rows)
    if readable and 2 * readable >= len(rows):
        return True
    tiers = [STRICT if parsed is not None else
             read_cell_tier(_split(row, locale)[0], locale)[2] if row else None
             for row, parsed in rows]
    sure = sum(t is not None and t <= WORDS for t in tiers)
    likely = sum(t is not None and t <= BARE for t in tiers)
    return sure >= 1 and 2 * likely >= len(rows)


#: Minutes a repaired time may stand from the previous row before half a day is tried.
_FAR = 6 * 60


def _near(parsed: ParsedRange, previous_end: int | None) -> ParsedRange:
    """A repaired time moved by twelve hours when that puts it next to the previous row."""
    if previous_end is None or abs(parsed.start - previous_end) <= _FAR:
        return parsed
    for shift in (-720, 720):
        if 0 <= parsed.start + shift < 24 * 60 and abs(parsed.start + shift - previous_end) <= _FAR:
            end = parsed.end + shift if parsed.end is not None else None
            return ParsedRange(parsed.start + shift, end)
    return parsed


def _duration(text: str) -> int | None:
    match = _DURATION.search(text)
    return int(match.group(1)) if match else None


_DURATION = re.compile(r"(\d{1,3})\s*(?:min|mn|minutes?|minutos?|minuten|минут|分|분|'|′)",
                       re.IGNORECASE)


def extract_schedule(
    table: Table,
    *,
    source: Path | None = None,
    locale: str | None = None,
    diagnostics: Diagnostics,
    source_times: Sequence[tuple[ParsedRange, str] | None] = (),
) -> Schedule | None:
    """The schedule written in ``table``, or ``None`` when it is not a schedule.

    A row is never dropped. A time cell the strict grammar refuses is read by
    :func:`~.salvage.read_cell` (``schedule-time-repaired``), else taken from
    ``source_times[row]`` (the source guide's time for that row, with where it
    was written: ``schedule-time-restored``), else inferred from the previous
    row's end, the next row's start and any duration written in the cell
    (``schedule-row-unreadable``, and the slot is marked ``inferred``). A missing
    end is taken from the next row's start; the last row without an end gets a
    zero length and a ``schedule-end-missing`` warning.

    :raises ScheduleError: in strict mode, for a row whose time had to be inferred.
    """
    if not is_schedule(table, locale):
        return None
    kept = [index for index, row in enumerate(table.rows) if not _is_blank(row)]
    readings: list[ParsedRange | None] = []
    previous_end: int | None = None
    for index in kept:
        text = _split(table.rows[index], locale)[0]
        parsed, how = read_cell(text, locale)
        where = _row_location(table, index, source)
        restored = source_times[index] if index < len(source_times) else None
        if how is not None and parsed is not None:
            parsed = _near(parsed, previous_end)
            if restored is not None and (parsed.start, parsed.end) != (
                    restored[0].start, restored[0].end):
                parsed, how = None, None  # the source guide knows better than a guess
            else:
                diagnostics.warn("schedule-time-repaired",
                                 f"schedule row {index + 1}: {how}", where)
        if parsed is None and restored is not None:
            parsed = restored[0]
            diagnostics.warn(
                "schedule-time-restored",
                f"schedule row {index + 1}: time {text!r} unreadable; the source guide's "
                f"{restored[0].start // 60}:{restored[0].start % 60:02d} ({restored[1]}) is used",
                where,
            )
        readings.append(parsed)
        if parsed is not None:
            previous_end = parsed.end if parsed.end is not None else parsed.start
    slots: list[Slot] = []
    for position, index in enumerate(kept):
        where = _row_location(table, index, source)
        text, activity = _split(table.rows[index], locale)
        parsed = readings[position]
        following = next((r for r in readings[position + 1:] if r is not None), None)
        inferred = parsed is None
        if parsed is None:
            parsed = _infer(slots, following, readings[position + 1] if position + 1 < len(
                readings) else None, _duration(text))
            message = (f"cannot read the time of schedule row {index + 1}: {text!r}; "
                       f"inferred {_clock(parsed.start)}-{_clock(parsed.end or parsed.start)} "
                       "from the rows around it")
            if diagnostics.strict:
                raise ScheduleError(
                    message, where, "write it as a time range such as 10:00 - 10:05"
                )
            diagnostics.warn("schedule-row-unreadable", message, where)
        end = parsed.end
        if end is None:
            if following is not None and following.start >= parsed.start:
                end = following.start
            else:
                end = parsed.start
                diagnostics.warn(
                    "schedule-end-missing",
                    f"the last schedule row ({index + 1}) has no end time; it is given no length",
                    where,
                )
        slots.append(Slot(parsed.start, end, activity, where, text, inferred))
    location = table.location
    if location is not None and location.file is None and source is not None:
        location = dataclasses.replace(location, file=str(source))
    elif location is None and source is not None:
        location = Location.of(source)
    return Schedule(tuple(slots), table.header, location)


def _infer(done: list[Slot], following: ParsedRange | None, next_row: ParsedRange | None,
           duration: int | None) -> ParsedRange:
    """Times for an unreadable row: after the previous slot, up to the next one."""
    start = done[-1].end if done else None
    end = next_row.start if next_row is not None else None
    if start is None:
        nxt = following.start if following is not None else 0
        start = max(0, nxt - (duration or 0))
        return ParsedRange(start, end if end is not None else nxt)
    if end is None or end < start:
        end = start + duration if duration is not None else None
    return ParsedRange(start, end)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def find_schedules(guide: Guide, diagnostics: Diagnostics) -> list[Schedule]:
    """Every schedule table of a guide, in reading order."""
    out: list[Schedule] = []
    for table in guide.tables:
        schedule = extract_schedule(
            table, source=guide.source, locale=guide.locale, diagnostics=diagnostics
        )
        if schedule is not None:
            out.append(schedule)
    return out
