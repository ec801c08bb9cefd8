"""Re-timing a run-of-show: a new start, a new total length, or both.

The schedule is cut at every start and end written (its *boundaries*); each
piece between two boundaries is scaled, in whole minutes, with
largest-remainder rounding so that the total is exactly the one asked for. A
piece inside some slot keeps at least one minute, so no slot becomes empty;
the mapping is monotonic, so the order of starts is kept, and overlaps and
gaps keep their proportions.

>>> from printkit.model import Schedule, Slot
>>> plan = Schedule((Slot(600, 605, ()), Slot(605, 615, ()), Slot(615, 630, ())))
>>> [(s.start, s.end) for s in retime(plan, start=870).slots]
[(870, 875), (875, 885), (885, 900)]
>>> [(s.start, s.end) for s in retime(plan, duration=45).slots]
[(600, 608), (608, 623), (623, 645)]
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction

from ..errors import UsageError
from ..model import Schedule


def _allot(lengths: list[int], minimums: list[int], total: int) -> list[int]:
    """Scale ``lengths`` to whole numbers summing to ``total``, each at least its minimum.

    >>> _allot([5, 10, 15], [1, 1, 1], 45)
    [8, 15, 22]
    >>> _allot([1, 100], [1, 1], 10)
    [1, 9]
    """
    whole = sum(lengths)
    quotas = [Fraction(length * total, whole) for length in lengths]
    shares = [int(q) for q in quotas]  # floor: quotas are not negative
    # largest remainders first; ties go to the earlier piece
    order = sorted(range(len(lengths)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    # lift pieces below their minimum, taking from those furthest above their quota
    for i, minimum in enumerate(minimums):
        while shares[i] < minimum:
            donors = [j for j in range(len(shares)) if shares[j] > minimums[j]]
            donor = max(donors, key=lambda j: (shares[j] - quotas[j], shares[j], -j))
            shares[donor] -= 1
            shares[i] += 1
    return shares


def retime(
    schedule: Schedule, *, start: int | None = None, duration: int | None = None
) -> Schedule:
    """A copy of ``schedule`` starting at ``start`` and/or lasting ``duration`` minutes.

    :raises UsageError: when ``duration`` is too short to give every slot a minute,
        or the schedule has no length to scale.
    """
    slots = schedule.slots
    if not slots or (start is None and duration is None):
        return schedule
    if duration is not None and duration <= 0:
        hint = "e.g. --duration 45m"
        raise UsageError(f"duration must be positive, not {duration} min", hint=hint)
    origin = min(min(s.start, s.end) for s in slots)
    points = sorted({s.start for s in slots} | {s.end for s in slots})
    mapping = {p: p for p in points}
    if duration is not None:
        lengths = [b - a for a, b in itertools.pairwise(points)]
        if not lengths:
            raise UsageError("the schedule has no length to scale", hint="use --start alone")
        covered = [
            int(any(min(s.start, s.end) <= a and b <= max(s.start, s.end) for s in slots))
            for a, b in itertools.pairwise(points)
        ]
        if sum(covered) > duration:
            raise UsageError(
                f"{duration} min is too short for {len(slots)} slots",
                hint=f"give at least {sum(covered)} min",
            )
        shares = _allot(lengths, covered, duration)
        position = points[0]
        for point, share in zip(points[1:], shares, strict=True):
            position += share
            mapping[point] = position
    shift = (start if start is not None else origin) - origin
    return dataclasses.replace(
        schedule,
        slots=tuple(
            dataclasses.replace(s, start=mapping[s.start] + shift, end=mapping[s.end] + shift)
            for s in slots
        ),
    )
