"""Exports: the .ics parses back to the same slots; CSV and JSON round-trip; reproducible."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from printkit.errors import UsageError
from printkit.model import Schedule, Slot, Text
from printkit.schedule import (
    activity_links,
    activity_text,
    schedule_from_csv,
    schedule_from_json,
    to_csv,
    to_ics,
    to_json,
)

from .tables import linked

PLAN = Schedule(
    (
        Slot(
            600, 605, (Text("Start with "), linked("a film", "https://example.org/film"), Text("."))
        ),
        Slot(605, 630, (Text('Code, together; "pairs"'),)),
        Slot(630, 1450, (Text("Late party"),)),  # ends after midnight
    )
)


def test_ics_parses_back_to_the_same_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = to_ics(PLAN, date=dt.date(2026, 12, 7), tz="Europe/Paris", title="Hour", place="Hall")
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    paris = ZoneInfo("Europe/Paris")
    got = []
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.utcoffset() == dt.timedelta(hours=1)
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
        assert event.decoded("dtstamp") == dt.datetime.fromtimestamp(1700000000, dt.UTC)
        assert str(event["location"]) == "Hall"
        got.append((start, end, str(event["summary"])))
    day = dt.datetime(2026, 12, 7, tzinfo=paris)
    assert got == [
        (day + dt.timedelta(minutes=s.start), day + dt.timedelta(minutes=s.end), activity_text(s))
        for s in PLAN.slots
    ]
    assert "https://example.org/film" in str(events[0]["description"])
    assert len({str(e["uid"]) for e in events}) == 3
    assert [c.name for c in calendar.subcomponents].count("VTIMEZONE") == 1


def test_ics_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = to_ics(PLAN, date=dt.date(2026, 12, 7), tz="America/New_York", title="x")
    second = to_ics(PLAN, date=dt.date(2026, 12, 7), tz="America/New_York", title="x")
    assert first == second
    assert b"TZID=America/New_York" in first


def test_ics_unknown_zone() -> None:
    with pytest.raises(UsageError):
        to_ics(PLAN, date=dt.date(2026, 12, 7), tz="Mars/Olympus")


def test_json_round_trip() -> None:
    text = to_json(PLAN, title="Hour", date=dt.date(2026, 12, 7))
    data = json.loads(text)
    assert data["slots"][0] == {
        "row": 1,
        "start": "10:00",
        "end": "10:05",
        "duration": 5,
        "activity": "Start with a film.",
        "links": [{"url": "https://example.org/film", "text": "a film"}],
    }
    assert data["slots"][2]["end"] == "24:10"
    back = schedule_from_json(text)
    assert [(s.start, s.end) for s in back.slots] == [(s.start, s.end) for s in PLAN.slots]
    assert [activity_text(s) for s in back.slots] == [activity_text(s) for s in PLAN.slots]
    assert activity_links(back.slots[0]) == activity_links(PLAN.slots[0])
    assert to_json(back, title="Hour", date=dt.date(2026, 12, 7)) == text


def test_csv_round_trip() -> None:
    text = to_csv(PLAN)
    assert text.splitlines()[0] == "row,start,end,duration,activity,links"
    assert text.splitlines()[1] == "1,10:00,10:05,5,Start with a film.,https://example.org/film"
    back = schedule_from_csv(text)
    assert [(s.start, s.end) for s in back.slots] == [(s.start, s.end) for s in PLAN.slots]
    assert [activity_text(s) for s in back.slots] == [activity_text(s) for s in PLAN.slots]
    assert [link.url for link in activity_links(back.slots[0])] == ["https://example.org/film"]
    assert to_csv(back) == text


_words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).map(lambda s: " ".join(s.split()))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1400), st.integers(0, 300), _words),
        min_size=1,
        max_size=8,
    )
)
def test_csv_and_json_round_trip_any_plan(raw: list[tuple[int, int, str]]) -> None:
    plan = Schedule(tuple(Slot(a, a + n, (Text(words),) if words else ()) for a, n, words in raw))
    for back in (schedule_from_json(to_json(plan)), schedule_from_csv(to_csv(plan))):
        assert [(s.start, s.end) for s in back.slots] == [(s.start, s.end) for s in plan.slots]
        assert [activity_text(s) for s in back.slots] == [activity_text(s) for s in plan.slots]
