"""What printkit asks of an executor: map one function over keyed items, results in order.

An executor runs ``fn(shared, item)`` for every ``(key, item)`` of a stream and
yields the results in the order of the stream, whatever order they finished
in. ``shared`` is the same for every item (the certificate design, a kit):
an executor sends it to its workers once. ``key`` names the item by its
content (a chunk's rows, a kit job's input hash): a distributed executor uses
it as the task's key, so a resubmitted or retried item is never made twice.
Only a bounded number of items is in flight, so a stream of millions costs
the client the memory of a few results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Protocol, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

#: ``fn(shared, item)``: a module-level function (workers import it by name).
TaskFn = Callable[[S, T], R]


class Executor(Protocol):
    """Runs keyed items through one function, in parallel, results in order."""

    #: How it is shown in messages: ``"1 process"``, ``"dask tcp://host:8786"``.
    name: str

    @property
    def workers(self) -> int:
        """How many items it can work on at once."""

    def map(
        self, fn: Callable[[S, T], R], shared: S, items: Iterable[tuple[str, T]]
    ) -> Iterator[R]:
        """``fn(shared, item)`` for each ``(key, item)`` of ``items``, in order (lazily)."""

    def close(self) -> None:
        """Let go of the workers (or the connection)."""

    def __enter__(self) -> Executor: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class Closing:
    """``with executor:`` closes it (a mixin for the executors of this package)."""

    def close(self) -> None:
        """Nothing to let go of."""

    def __enter__(self: S) -> S:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
