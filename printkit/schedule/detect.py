"""Finding run-of-show tables in a guide and reading their rows into slots.

A table is a schedule when most of its body rows hold a time or time range in
the first column, whatever the header says or the language. Each row becomes a
:class:`~printkit.model.Slot`; a row that cannot be read is reported with the
guide file, table row, line and cell text (an error in strict mode), never
silently dropped.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..diagnostics import Diagnostics
from ..errors import Location, ScheduleError
from ..model import Guide, Inlines, Schedule, Slot, Table, Text, plain_text
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


def _parsed_rows(table: Table, locale: str | None) -> list[ParsedRange | None]:
    return [parse_time_range(_cell_text(row[0]), locale) if row else None for row in table.rows]


def _is_blank(row: tuple[Inlines, ...]) -> bool:
    return not any(_cell_text(cell) for cell in row)


def is_schedule(table: Table, locale: str | None = None) -> bool:
    """Whether most non-blank rows of ``table`` start with a time (range)."""
    parsed_rows = zip(table.rows, _parsed_rows(table, locale), strict=True)
    rows = [(row, parsed) for row, parsed in parsed_rows if not _is_blank(row)]
    readable = sum(parsed is not None for _, parsed in rows)
    return readable > 0 and 2 * readable >= len(rows)


def extract_schedule(
    table: Table,
    *,
    source: Path | None = None,
    locale: str | None = None,
    diagnostics: Diagnostics,
) -> Schedule | None:
    """The schedule written in ``table``, or ``None`` when it is not a schedule.

    A missing end is taken from the next row's start; the last row without an
    end gets a zero length and a ``schedule-end-missing`` warning.

    :raises ScheduleError: in strict mode, for a row that cannot be read.
    """
    parsed_rows = _parsed_rows(table, locale)
    kept = [
        (index, parsed)
        for index, (row, parsed) in enumerate(zip(table.rows, parsed_rows, strict=True))
        if not _is_blank(row)
    ]
    readable = [(index, parsed) for index, parsed in kept if parsed is not None]
    if not readable or 2 * len(readable) < len(kept):
        return None
    for index, parsed in kept:
        if parsed is None:
            where = _row_location(table, index, source)
            text = _cell_text(table.rows[index][0]) if table.rows[index] else ""
            message = f"cannot read the time of schedule row {index + 1}: {text!r}"
            if diagnostics.strict:
                raise ScheduleError(
                    message, where, "write it as a time range such as 10:00 - 10:05"
                )
            diagnostics.warn("schedule-row-unreadable", message, where)
    slots: list[Slot] = []
    for position, (index, parsed) in enumerate(readable):
        assert parsed is not None
        where = _row_location(table, index, source)
        end = parsed.end
        if end is None:
            if position + 1 < len(readable):
                following = readable[position + 1][1]
                assert following is not None
                end = following.start
            else:
                end = parsed.start
                diagnostics.warn(
                    "schedule-end-missing",
                    f"the last schedule row ({index + 1}) has no end time; it is given no length",
                    where,
                )
        row = table.rows[index]
        slots.append(Slot(parsed.start, end, _activity(row), where, _cell_text(row[0])))
    location = table.location
    if location is not None and location.file is None and source is not None:
        location = dataclasses.replace(location, file=str(source))
    elif location is None and source is not None:
        location = Location.of(source)
    return Schedule(tuple(slots), table.header, location)


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
