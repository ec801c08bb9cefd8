"""Executors on this machine: in this process, or a pool of forked processes.

These are the reference the cluster executor is tested against (same items,
same results, same order) and what :func:`printkit.executors.executor_for`
gives when no scheduler is named.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from .base import Closing

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


#: ``(fn, shared)`` of the running map, inherited by forked workers.
_SHARED: tuple[Callable[[Any, Any], Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _SHARED is not None
    fn, shared = _SHARED
    return fn(shared, item)


class Processes(Closing):
    """``jobs`` forked processes (they inherit ``shared``: nothing is pickled but items
    and results); at most ``2 × jobs`` items in flight."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.name = f"{self.jobs} processes"

    @property
    def workers(self) -> int:
        return self.jobs

    def map(
        self, fn: Callable[[S, T], R], shared: S, items: Iterable[tuple[str, T]]
    ) -> Iterator[R]:
        global _SHARED  # noqa: PLW0603 - what forked workers inherit
        _SHARED = (fn, shared)
        try:
            with multiprocessing.get_context("fork").Pool(self.jobs) as pool:
                pending: deque[AsyncResult[R]] = deque()
                for _key, item in items:
                    pending.append(pool.apply_async(_call, (item,)))
                    while len(pending) > 2 * self.jobs:
                        yield pending.popleft().get()
                while pending:
                    yield pending.popleft().get()
        finally:
            _SHARED = None
