"""``fn`` over a stream of items in forked worker processes, results in order.

What :class:`multiprocessing.pool.Pool` did for printkit, without the three
threads a pool runs in the calling process. Here the caller's own thread sends
each item down a worker's pipe and reads the results back, so no thread of
this process competes with it for the GIL: in a 100k-certificate run on 2
cores, the pool's task and result threads cost 0.25 s of CPU, and the caller
waited for them to get the GIL.

Workers are forked: ``fn`` and everything it uses are inherited, and only
items and results are pickled. Each item goes to the worker holding the
fewest, and a worker holds up to ``ahead``: one finished early does not wait
for an earlier item of another. At most ``(ahead + 2) × jobs`` results wait to
be yielded, so a stream of millions costs the memory of a few.

An exception raised by ``fn`` comes back and is raised in the caller, in the
order of the stream; a worker that dies (killed, out of memory) is a
:class:`~printkit.errors.RenderError` with its exit code. Workers ignore
Ctrl-C, which the caller gets; they are stopped when the map ends, however it
ends (finished, failed, interrupted, or abandoned).
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from ..errors import RenderError

T = TypeVar("T")
R = TypeVar("R")


def forked_map(
    fn: Callable[[T], R], items: Iterable[T], jobs: int, *, ahead: int = 2
) -> Iterator[R]:
    """``fn(item)`` for each of ``items`` in ``jobs`` forked processes, in order, lazily."""
    workers = _Workers(fn, max(1, jobs))
    finished = False
    try:
        ahead = max(1, ahead)
        limit = (ahead + 2) * len(workers.all)  # sent and not yet yielded, at most
        for item in items:
            workers.collect(block=False)
            while not workers.can_send(ahead, limit):
                if workers.first_ready():
                    yield workers.pop_first()
                else:
                    workers.collect(block=True)
            workers.send(item)
            while workers.first_ready():
                yield workers.pop_first()
        while workers.order:
            while not workers.first_ready():
                workers.collect(block=True)
            yield workers.pop_first()
        finished = True
    finally:
        workers.stop(gracefully=finished)


class _Worker:
    """One forked process and the caller's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.sent: deque[int] = deque()  # sequence numbers of the items it holds


class _Workers(Generic[T, R]):
    def __init__(self, fn: Callable[[T], R], jobs: int) -> None:
        ctx = multiprocessing.get_context("fork")
        self.all: list[_Worker] = []
        self.results: dict[int, tuple[bool, Any]] = {}
        self.order: deque[int] = deque()  # sequence numbers in flight, in stream order
        self.count = 0
        gc.freeze()  # what the workers inherit: never traversed by their collector (nor copied)
        try:
            for _ in range(jobs):
                mine, theirs = ctx.Pipe()
                # The child closes the caller's ends it inherits (its own and the other
                # workers'): when the caller goes, every worker reads the end of its pipe.
                inherited = [mine, *(w.conn for w in self.all)]
                process = ctx.Process(
                    target=_serve, args=(theirs, fn, inherited), daemon=True,
                    name="printkit-worker",
                )
                process.start()
                theirs.close()
                self.all.append(_Worker(process, mine))
        except BaseException:
            self.stop(gracefully=False)
            raise
        finally:
            gc.unfreeze()

    def can_send(self, ahead: int, limit: int) -> bool:
        """Whether a worker holds fewer than ``ahead`` items, and fewer than ``limit``
        results are still to be yielded. A worker is never left idle only because an
        earlier item, on another worker, is not finished yet."""
        return len(self.order) < limit and min(len(w.sent) for w in self.all) < ahead

    def send(self, item: T) -> None:
        worker = min(self.all, key=lambda w: len(w.sent))
        try:
            worker.conn.send((item,))
        except OSError:  # it died between two items
            worker.process.join(5)
            raise RenderError(
                f"a worker process ended (exit code {worker.process.exitcode}) between items",
                hint=_HINT,
            ) from None
        worker.sent.append(self.count)
        self.order.append(self.count)
        self.count += 1

    def first_ready(self) -> bool:
        return bool(self.order) and self.order[0] in self.results

    def pop_first(self) -> R:
        ok, value = self.results.pop(self.order.popleft())
        if not ok:
            raise value
        result: R = value
        return result

    def collect(self, *, block: bool) -> None:
        """Read the answers that are there (``block``: wait for one at least)."""
        busy = [w for w in self.all if w.sent]
        if not busy:
            return
        ready = wait([w.conn for w in busy], timeout=None if block else 0)
        for worker in busy:
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(5)
                    raise RenderError(
                        f"a worker process ended (exit code {worker.process.exitcode}) "
                        f"while it held item {worker.sent[0] + 1} of the stream",
                        hint=_HINT,
                    ) from None
                self.results[worker.sent.popleft()] = message

    def stop(self, *, gracefully: bool) -> None:
        for worker in self.all:
            if gracefully:
                try:
                    worker.conn.send(None)
                except OSError:
                    worker.process.terminate()
            else:
                worker.process.terminate()
        for worker in self.all:
            worker.process.join(10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


_HINT = "it may have run out of memory: run again (finished work is kept) with fewer --jobs"


def _serve(conn: Connection, fn: Callable[[Any], Any], inherited: list[Connection]) -> None:
    """A worker: answer each ``(item,)`` with ``(True, fn(item))`` or ``(False, exception)``,
    until ``None`` or the end of the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    for other in inherited:
        other.close()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the caller is gone
            return
        if message is None:
            return
        try:
            answer: tuple[bool, Any] = (True, fn(message[0]))
        except Exception as exc:  # sent back, raised in the caller
            exc.add_note("in a printkit worker process:\n" + traceback.format_exc().rstrip())
            answer = (False, exc)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an answer that cannot be pickled
            conn.send((False, RenderError(f"a worker's answer could not be sent back: {exc}")))
