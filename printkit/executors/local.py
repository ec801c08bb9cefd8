"""Executors on this machine: in this process, or a pool of forked processes.

These are the reference the cluster executor is tested against (same items,
same results, same order) and what :func:`printkit.executors.executor_for`
gives when no scheduler is named.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TypeVar

from .base import Closing
from .forked import forked_map

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def usable_cores(limit: int = 8) -> int:
    """The cores this process may run on (its CPU affinity), at most ``limit``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, limit))


class InProcess(Closing):
    """Every item in this process, one after the other."""

    name = "1 process"

    @property
    def workers(self) -> int:
        return 1

    def map(
        self, fn: Callable[[S, T], R], shared: S, items: Iterable[tuple[str, T]]
    ) -> Iterator[R]:
        for _key, item in items:
            yield fn(shared, item)


class Processes(Closing):
    """``jobs`` forked processes (they inherit ``shared``: nothing is pickled but items
    and results); each holds at most 2 items (:func:`.forked.forked_map`)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.name = f"{self.jobs} processes"

    @property
    def workers(self) -> int:
        return self.jobs

    def map(
        self, fn: Callable[[S, T], R], shared: S, items: Iterable[tuple[str, T]]
    ) -> Iterator[R]:
        return forked_map(partial(fn, shared), (item for _key, item in items), self.jobs)
