"""Schedules out of printkit: iCalendar (one event per slot), CSV and JSON.

Outputs are reproducible: UIDs are derived from the content, DTSTAMP is
:func:`printkit.output.build_time` (``SOURCE_DATE_EPOCH``). CSV and JSON hold
the activity as plain text plus its links, and read back with
:func:`schedule_from_csv` / :func:`schedule_from_json`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError, UsageError
from ..model import Inline, Inlines, Link, LinkSpan, Schedule, Slot, Text, iter_inlines, plain_text
from ..output import build_time, csv_text, spreadsheet_value
from .format import clock

CSV_COLUMNS = ("row", "start", "end", "duration", "activity", "links")


def activity_text(slot: Slot) -> str:
    """The activity of a slot as one line of plain text."""
    return " ".join(plain_text(slot.activity).split())


def activity_links(slot: Slot) -> list[Link]:
    """The links in a slot's activity, in order."""
    return [i.link for i in iter_inlines(slot.activity) if isinstance(i, LinkSpan)]


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        hint = "use an IANA name such as Europe/Paris"
        raise UsageError(f"unknown time zone {tz!r}", hint=hint) from exc


def _at(date: dt.date, minutes: int, zone: ZoneInfo) -> dt.datetime:
    midnight = dt.datetime(date.year, date.month, date.day, tzinfo=zone)
    return midnight + dt.timedelta(minutes=minutes)


def _uid(title: str, date: dt.date, index: int, slot: Slot) -> str:
    fields = (title, date.isoformat(), index, slot.start, slot.end, activity_text(slot))
    seed = "\x1f".join(str(f) for f in fields)
    return hashlib.sha256(seed.encode()).hexdigest()[:32] + "@printkit"


def to_ics(
    schedule: Schedule, *, date: dt.date, tz: str, title: str = "", place: str = ""
) -> bytes:
    """An iCalendar file with one VEVENT per slot, in time zone ``tz`` on ``date``."""
    from icalendar import Calendar, Event  # noqa: PLC0415 - only for .ics exports (start-up)

    zone = _zone(tz)
    calendar = Calendar()
    calendar.add("prodid", "-//printkit//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if title:
        calendar.add("x-wr-calname", title)
    stamp = build_time()
    for index, slot in enumerate(schedule.slots):
        event = Event()
        event.add("uid", _uid(title, date, index, slot))
        event.add("dtstamp", stamp)
        event.add("dtstart", _at(date, slot.start, zone))
        event.add("dtend", _at(date, max(slot.end, slot.start), zone))
        text = activity_text(slot)
        event.add("summary", text or title or f"{clock(slot.start)}-{clock(slot.end)}")
        links = activity_links(slot)
        if links:
            event.add("description", "\n".join([text, *(link.url for link in links)]))
        if place:
            event.add("location", place)
        calendar.add_component(event)
    # a VTIMEZONE covering the event day only, so the file stays small
    day = dt.timedelta(days=1)
    calendar.add_missing_timezones(first_date=date - day, last_date=date + 2 * day)
    return bytes(calendar.to_ical())


def _records(schedule: Schedule) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, slot in enumerate(schedule.slots):
        row = slot.location.row if slot.location is not None and slot.location.row else index + 1
        out.append(
            {
                "row": row,
                "start": clock(slot.start),
                "end": clock(slot.end),
                "duration": slot.duration,
                "activity": activity_text(slot),
                "links": [{"url": k.url, "text": k.text} for k in activity_links(slot)],
            }
        )
    return out


def to_json(schedule: Schedule, *, title: str = "", date: dt.date | None = None) -> str:
    """The schedule as JSON: ``{"title", "date", "slots": [{"start": "10:00", …}]}``."""
    data: dict[str, Any] = {
        "title": title,
        "date": date.isoformat() if date else None,
        "slots": _records(schedule),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(schedule: Schedule) -> str:
    """The schedule as CSV (``row,start,end,duration,activity,links``; links space-separated).

    Cells are spreadsheet-safe (:func:`printkit.output.spreadsheet_safe`);
    :func:`schedule_from_csv` reads them back.
    """
    rows = []
    for record in _records(schedule):
        links = " ".join(link["url"] for link in record["links"])
        rows.append([record[c] for c in CSV_COLUMNS[:-1]] + [links])
    return csv_text(CSV_COLUMNS, rows)


_CLOCK = re.compile(r"^(-?)(\d{1,3}):([0-5]\d)$")


def _minutes(value: object, what: str) -> int:
    match = _CLOCK.match(str(value))
    if match is None:
        raise InputError(f"{what}: {value!r} is not a HH:MM time")
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    return -minutes if match.group(1) else minutes


def _activity(text: str, links: Sequence[Link]) -> Inlines:
    """Plain text with each link's text turned back into a link (or appended)."""
    out: list[Inline] = []
    rest = text
    for link in links:
        at = rest.find(link.text) if link.text else -1
        if at < 0:
            continue
        if at:
            out.append(Text(rest[:at]))
        out.append(LinkSpan(link, (Text(link.text),)))
        rest = rest[at + len(link.text) :]
    if rest:
        out.append(Text(rest))
    return tuple(out)


def _slot(record: Mapping[str, Any], links: Sequence[Link], what: str) -> Slot:
    start, end = _minutes(record.get("start"), what), _minutes(record.get("end"), what)
    return Slot(start, end, _activity(str(record.get("activity", "")), links))


def schedule_from_json(text: str) -> Schedule:
    """Read back what :func:`to_json` wrote."""
    try:
        data = json.loads(text)
        records = data["slots"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("not a printkit schedule JSON", hint="expected a 'slots' list") from exc
    slots = []
    for n, record in enumerate(records, 1):
        links = [Link(str(k["url"]), str(k.get("text", ""))) for k in record.get("links", [])]
        slots.append(_slot(record, links, f"slot {n}"))
    return Schedule(tuple(slots))


def schedule_from_csv(text: str) -> Schedule:
    """Read back what :func:`to_csv` wrote.

    CSV keeps only the URLs of links, so they come back as links without text
    after the activity.
    """
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"start", "end"} <= set(reader.fieldnames):
        raise InputError("not a printkit schedule CSV", hint="expected start and end columns")
    slots = []
    for n, raw in enumerate(reader, 2):
        record = {k: spreadsheet_value(v or "") for k, v in raw.items()}
        slot = _slot(record, [], f"CSV row {n}")
        urls = (record.get("links") or "").split()
        extra = tuple(LinkSpan(Link(url), ()) for url in urls)
        slots.append(Slot(slot.start, slot.end, slot.activity + extra))
    return Schedule(tuple(slots))
