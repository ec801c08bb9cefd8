"""Schedule checks: each problem once, naming its rows; a sound plan gives nothing."""

from __future__ import annotations

from printkit.diagnostics import Diagnostics
from printkit.errors import Location
from printkit.model import Schedule, Slot
from printkit.schedule import check_schedule


def plan(*spans: tuple[int, int]) -> Schedule:
    return Schedule(
        tuple(Slot(a, b, (), Location("p.md", 20 + i, row=i + 1)) for i, (a, b) in enumerate(spans))
    )


def test_sound_plan() -> None:
    diagnostics = Diagnostics()
    report = check_schedule(plan((600, 605), (605, 630)), diagnostics)
    assert report.ok and (report.total, report.busy) == (30, 30)
    assert len(diagnostics) == 0


def test_overlap_names_both_rows() -> None:
    diagnostics = Diagnostics()
    report = check_schedule(plan((600, 615), (610, 630)), diagnostics)
    assert [d.code for d in report.issues] == ["schedule-overlap"]
    assert report.issues[0].message == "row 2 (10:10-10:30) overlaps row 1 (10:00-10:15) by 5 min"
    assert report.issues[0].location == Location("p.md", 21, row=2)
    assert diagnostics.codes() == ["schedule-overlap"]
    assert (report.total, report.busy) == (30, 30)


def test_out_of_order_is_one_warning() -> None:
    report = check_schedule(plan((600, 605), (615, 630), (605, 615)), Diagnostics())
    assert [d.code for d in report.issues] == ["schedule-out-of-order"]
    assert "row 3 (10:05-10:15) starts before row 2 (10:15-10:30)" in report.issues[0].message


def test_gap() -> None:
    report = check_schedule(plan((600, 605), (610, 630)), Diagnostics())
    assert [d.code for d in report.issues] == ["schedule-gap"]
    assert report.issues[0].message.startswith("5 min gap between row 1")
    assert (report.total, report.busy) == (30, 25)


def test_empty_and_negative_slots() -> None:
    report = check_schedule(plan((600, 600), (600, 630), (630, 620)), Diagnostics())
    assert [d.code for d in report.issues] == ["schedule-empty-slot", "schedule-negative-slot"]
    assert "row 1" in report.issues[0].message
    assert "row 3 (10:30-10:20) ends 10 min before it starts" in report.issues[1].message


def test_total_against_expected() -> None:
    report = check_schedule(plan((600, 630), (630, 660)), Diagnostics(), expected=45)
    assert [d.code for d in report.issues] == ["schedule-total-mismatch"]
    assert "60 min" in report.issues[0].message and "45 min" in report.issues[0].message
    assert check_schedule(plan((600, 630), (630, 645)), Diagnostics(), expected=45).ok


def test_strict_diagnostics_fail_at_the_end() -> None:
    diagnostics = Diagnostics(strict=True)
    check_schedule(plan((600, 615), (610, 630)), diagnostics)
    try:
        diagnostics.raise_if_strict()
    except Exception as exc:  # StrictModeError
        assert "1 warning" in str(exc)
    else:
        raise AssertionError("strict mode did not fail")


def test_translated_table_with_two_faults() -> None:
    # a row copied with the wrong start, and two rows swapped
    report = check_schedule(
        plan((600, 605), (605, 615), (610, 630), (640, 660), (630, 640)), Diagnostics()
    )
    assert [(d.code, d.location.row if d.location else None) for d in report.issues] == [
        ("schedule-out-of-order", 5),
        ("schedule-overlap", 3),
    ]
    assert report.issues[1].message == "row 3 (10:10-10:30) overlaps row 2 (10:05-10:15) by 5 min"
    assert (report.total, report.busy) == (60, 60)
