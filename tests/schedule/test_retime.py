"""Re-timing: shifting keeps durations, scaling keeps proportions, order and non-empty slots."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from printkit.errors import UsageError
from printkit.model import Schedule, Slot
from printkit.schedule import retime

CORPUS_PLAN = [(600, 605), (605, 615), (615, 630), (630, 640), (640, 660), (660, 665)]


def plan(spans: list[tuple[int, int]]) -> Schedule:
    return Schedule(tuple(Slot(a, b, ()) for a, b in spans))


def spans(schedule: Schedule) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in schedule.slots]


def test_shift() -> None:
    moved = retime(plan(CORPUS_PLAN), start=14 * 60 + 30)
    assert spans(moved)[0] == (870, 875) and spans(moved)[-1] == (930, 935)
    assert [s.duration for s in moved.slots] == [5, 10, 15, 10, 20, 5]


def test_scale_to_45_minutes() -> None:
    scaled = retime(plan(CORPUS_PLAN), duration=45)
    # quotas 3.46, 6.92, 10.38, 6.92, 13.85, 3.46: floors 3,6,10,6,13,3 = 41, +1 to the
    # four largest remainders (6.92, 6.92, 13.85, 3.46 first of the ties)
    assert [s.duration for s in scaled.slots] == [4, 7, 10, 7, 14, 3]
    assert spans(scaled)[0][0] == 600 and spans(scaled)[-1][1] == 645


def test_scale_and_shift() -> None:
    both = retime(plan(CORPUS_PLAN), start=9 * 60, duration=130)
    assert [s.duration for s in both.slots] == [10, 20, 30, 20, 40, 10]
    assert spans(both)[0][0] == 540 and spans(both)[-1][1] == 670


def test_no_zero_length_slot() -> None:
    scaled = retime(plan([(600, 601), (601, 700)]), duration=10)
    assert [s.duration for s in scaled.slots] == [1, 9]


def test_too_short() -> None:
    with pytest.raises(UsageError):
        retime(plan(CORPUS_PLAN), duration=5)
    with pytest.raises(UsageError):
        retime(plan(CORPUS_PLAN), duration=0)


def test_nothing_to_do() -> None:
    original = plan(CORPUS_PLAN)
    assert retime(original) is original


contiguous = st.lists(st.integers(1, 120), min_size=1, max_size=12).map(
    lambda lengths: [
        (600 + sum(lengths[:i]), 600 + sum(lengths[: i + 1])) for i in range(len(lengths))
    ]
)


@settings(max_examples=200, deadline=None)
@given(contiguous, st.integers(0, 20 * 60))
def test_shift_keeps_durations(spans_: list[tuple[int, int]], start: int) -> None:
    moved = retime(plan(spans_), start=start)
    assert [s.duration for s in moved.slots] == [b - a for a, b in spans_]
    assert moved.start == start


@settings(max_examples=300, deadline=None)
@given(contiguous, st.integers(1, 600), st.none() | st.integers(0, 20 * 60))
def test_scale_keeps_order_and_proportions(
    spans_: list[tuple[int, int]], duration: int, start: int | None
) -> None:
    assume(duration >= len(spans_))
    original = plan(spans_)
    scaled = retime(original, start=start, duration=duration)
    durations = [s.duration for s in scaled.slots]
    assert sum(durations) == duration  # contiguous: the span is the sum
    assert scaled.end is not None and scaled.start is not None
    assert scaled.end - scaled.start == duration
    assert scaled.start == (start if start is not None else original.start)
    assert all(d >= 1 for d in durations)
    starts = [s.start for s in scaled.slots]
    assert starts == sorted(starts)
    # each share is within one minute of its exact proportion, unless lifted to one minute
    total = sum(b - a for a, b in spans_)
    for (a, b), share in zip(spans_, durations, strict=True):
        quota = (b - a) * duration / total
        assert abs(share - quota) < 1 or (share == 1 and quota < 1) or share < quota


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 60)), min_size=1, max_size=8),
    st.integers(1, 400),
)
def test_scale_any_plan_keeps_start_order(raw: list[tuple[int, int]], duration: int) -> None:
    """Overlapping and out-of-order plans too: the order of starts never changes."""
    spans_ = [(600 + a, 600 + a + n) for a, n in raw]
    original = plan(spans_)
    try:
        scaled = retime(original, duration=duration)
    except UsageError:
        return
    before = [s.start for s in original.slots]
    after = [s.start for s in scaled.slots]
    for i in range(len(before)):
        for j in range(len(before)):
            if before[i] < before[j]:
                assert after[i] < after[j]
            if before[i] == before[j]:
                assert after[i] == after[j]
    assert all(s.duration >= 1 for s in scaled.slots)
    assert scaled.end is not None and scaled.start is not None
    assert scaled.end - scaled.start == duration
