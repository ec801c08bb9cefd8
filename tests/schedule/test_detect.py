"""Finding schedule tables and reading their rows, with every unreadable row reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.errors import ScheduleError
from printkit.model import Guide, Heading, Paragraph, Table, Text, plain_text
from printkit.schedule import check_schedule, extract_schedule, find_schedules, is_schedule

from .tables import cell, linked, table


def times(schedule: object) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in schedule.slots]  # type: ignore[attr-defined]


def test_rows_become_slots_with_rich_activity() -> None:
    plan = Table(
        (cell("Heure"), cell("Programme")),
        (
            (cell("9h00 – 9h10"), (Text("Watch "), linked("the film", "https://example.org/f"))),
            (cell("9h10 – 9h40"), cell("Build a game")),
        ),
    )
    diagnostics = Diagnostics()
    schedule = extract_schedule(plan, source=Path("g.md"), locale="fr", diagnostics=diagnostics)
    assert schedule is not None
    assert times(schedule) == [(540, 550), (550, 580)]
    assert plain_text(schedule.slots[0].activity) == "Watch the film"
    assert schedule.slots[0].activity[1] == linked("the film", "https://example.org/f")
    assert schedule.slots[0].source_text == "9h00 – 9h10"
    assert schedule.slots[1].location is not None
    assert schedule.slots[1].location.file == "g.md"
    assert schedule.slots[1].location.row == 2
    assert schedule.header == plan.header
    assert len(diagnostics) == 0


def test_extra_columns_join_the_activity() -> None:
    plan = table(("14:00 - 14:20", "Robots", "Hall B"), header=("When", "What", "Where"))
    schedule = extract_schedule(plan, locale="en", diagnostics=Diagnostics())
    assert schedule is not None
    assert plain_text(schedule.slots[0].activity) == "Robots · Hall B"


def test_unreadable_row_is_reported_not_dropped() -> None:
    plan = table(
        ("10:00 - 10:20", "Welcome"),
        ("after the break", "Games"),
        ("10:40 - 11:00", "Goodbye"),
    )
    diagnostics = Diagnostics()
    schedule = extract_schedule(plan, source=Path("plan.md"), locale="en", diagnostics=diagnostics)
    assert schedule is not None
    # never dropped: its time is inferred from the rows around it
    assert times(schedule) == [(600, 620), (620, 640), (640, 660)]
    assert [s.inferred for s in schedule.slots] == [False, True, False]
    [warning] = list(diagnostics)
    assert warning.code == "schedule-row-unreadable"
    assert "after the break" in warning.message
    assert warning.location is not None
    where = warning.location
    assert (where.file, where.line, where.row) == ("plan.md", 11, 2)


def test_unreadable_row_is_an_error_in_strict_mode() -> None:
    plan = table(("10:00 - 10:20", "Welcome"), ("ten past", "Games"), ("10:40 - 11:00", "Bye"))
    with pytest.raises(ScheduleError) as caught:
        extract_schedule(plan, locale="en", diagnostics=Diagnostics(strict=True))
    assert caught.value.location is not None
    assert caught.value.location.row == 2
    assert "ten past" in caught.value.describe()


def test_missing_end_comes_from_the_next_start() -> None:
    plan = table(("9:00", "Doors open"), ("9:15", "Talk"), ("9:45 - 10:00", "Questions"))
    diagnostics = Diagnostics()
    schedule = extract_schedule(plan, locale="en", diagnostics=diagnostics)
    assert schedule is not None
    assert times(schedule) == [(540, 555), (555, 585), (585, 600)]
    assert len(diagnostics) == 0


def test_last_row_without_end_is_warned() -> None:
    plan = table(("9:00 - 9:30", "Talk"), ("9:30", "Lunch"))
    diagnostics = Diagnostics()
    schedule = extract_schedule(plan, locale="en", diagnostics=diagnostics)
    assert schedule is not None
    assert times(schedule) == [(540, 570), (570, 570)]
    assert diagnostics.codes() == ["schedule-end-missing"]
    assert diagnostics.items[0].location is not None
    assert diagnostics.items[0].location.row == 2
    # reported once: the check does not call it an empty slot as well
    assert check_schedule(schedule, diagnostics).issues == ()


def test_tables_that_are_not_schedules() -> None:
    prices = table(("10", "Ticket"), ("25", "Lunch"), header=("Price", "Item"))
    words = table(("Python", "Easy"), ("Scratch", "Easier"), header=("Language", "Level"))
    mostly_text = table(("10:00 - 10:05", "x"), ("a", "b"), ("c", "d"))
    for candidate in (prices, words, mostly_text):
        assert not is_schedule(candidate, "en")
        assert extract_schedule(candidate, locale="en", diagnostics=Diagnostics()) is None


def test_blank_rows_are_not_slots() -> None:
    plan = table(("10:00 - 10:05", "A"), ("", ""), ("10:05 - 10:15", "B"))
    diagnostics = Diagnostics()
    schedule = extract_schedule(plan, locale="en", diagnostics=diagnostics)
    assert schedule is not None and times(schedule) == [(600, 605), (605, 615)]
    assert len(diagnostics) == 0


def test_find_schedules_in_a_guide_whatever_the_header() -> None:
    other = table(("Scratch", "Blocks"), header=("Tool", "Kind"))
    plan = table(("오전 9:00 - 9:30", "A"), ("오전 9:30 - 10:00", "B"), header=("", ""))
    guide = Guide(
        "Guide",
        (Heading(2, cell("Plan")), Paragraph(cell("text")), other, plan),
        source=Path("ko.md"),
        locale="ko-KR",
    )
    diagnostics = Diagnostics()
    [schedule] = find_schedules(guide, diagnostics)
    assert times(schedule) == [(540, 570), (570, 600)]
    assert schedule.slots[0].location is not None
    assert schedule.slots[0].location.file == "plan.md"  # the row's own location wins
