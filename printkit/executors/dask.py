"""The cluster executor: items as tasks on a Dask ``distributed`` scheduler.

* Connecting has a time-out: an address that does not answer is a
  :class:`~printkit.errors.ClusterError` naming it, never a hang.
* ``shared`` is scattered once to every worker (``broadcast=True``); each task
  gets a reference to it.
* Each item is a task whose key is derived from the item's content: the
  scheduler never holds two tasks for one item, and a task whose worker died
  is re-run elsewhere (the scheduler's own bookkeeping, plus ``retries`` for
  tasks that raised).
* Results are collected with ``as_completed`` as they finish, released on the
  cluster at once, and yielded in order; at most ``window`` tasks are in flight,
  so the client holds a few results whatever the number of items.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import ClusterError
from .base import Closing
from .checks import FontNeed, refusals, refuse, worker_report

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for the scheduler (and for a first worker) before giving up
#: (``$PRINTKIT_SCHEDULER_TIMEOUT`` overrides it).
CONNECT_TIMEOUT = 10.0


def connect_timeout() -> float:
    """``$PRINTKIT_SCHEDULER_TIMEOUT`` seconds, else :data:`CONNECT_TIMEOUT`."""
    try:
        return float(os.environ.get("PRINTKIT_SCHEDULER_TIMEOUT", CONNECT_TIMEOUT))
    except ValueError:
        return CONNECT_TIMEOUT


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 - optional: only with --scheduler
    except ImportError as exc:
        raise ClusterError(
            "--scheduler needs Dask's distributed package",
            hint="pip install 'printkit[cluster]'",
        ) from exc
    return distributed


def _client(distributed: Any, address: str, timeout: float, hint: str) -> Any:
    """A client of ``address``, or a :class:`ClusterError` within ``timeout`` (plus a
    little): the connection is made in a thread of its own, because a server that
    accepts the connection but never answers Dask's handshake would block it for ever."""
    made: dict[str, Any] = {}

    def connect() -> None:
        try:
            made["client"] = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:
            made["error"] = exc

    thread = threading.Thread(target=connect, name="printkit-connect", daemon=True)
    thread.start()
    thread.join(timeout + min(timeout, 2.0))
    if thread.is_alive():
        raise ClusterError(
            f"the Dask scheduler at {address} did not answer within {timeout:g} s "
            "(something listens there, but not a Dask scheduler?)",
            hint=hint,
        )
    error = made.get("error")
    if error is not None:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}", hint=hint
                           ) from error
    return made["client"]


class DaskExecutor(Closing):
    """Items as tasks of the Dask scheduler at ``address`` (``tcp://host:8786``)."""

    def __init__(
        self,
        address: str,
        *,
        timeout: float | None = None,
        retries: int = 3,
        window: int | None = None,
    ) -> None:
        distributed = _distributed()
        import dask  # noqa: PLC0415 - comes with distributed

        self.address = address
        self.timeout: float = timeout or connect_timeout()
        timeout = self.timeout
        self.name = f"dask {address}"
        self.retries = retries
        hint = (
            f"start one with 'dask scheduler' and workers with 'dask worker {address}', "
            "or check the address (--scheduler / DASK_SCHEDULER_ADDRESS)"
        )
        config = {
            "distributed.comm.timeouts.connect": f"{timeout}s",
            "distributed.comm.retry.count": 0,
        }
        with dask.config.set(config):
            self.client = _client(distributed, address, timeout, hint)
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, distributed.TimeoutError) as exc:
            self.client.close()
            raise ClusterError(
                f"the Dask scheduler at {address} has no worker after {timeout:g} s",
                hint=f"start workers with 'dask worker {address}'",
            ) from exc
        #: Tasks in flight at most (None: twice the workers' threads, plus two; workers
        #: that join during a run widen it).
        self.window = window

    @property
    def workers(self) -> int:
        threads: dict[str, int] = self.client.nthreads()
        return max(1, sum(threads.values()))

    def check(self, needs: tuple[FontNeed, ...]) -> None:
        """Refuse the run when a worker has another printkit or lacks a needed font."""
        try:
            reports = self.client.run(worker_report, needs)
        except Exception as exc:  # a worker that cannot even import printkit
            what = f"a worker of {self.address} cannot run printkit's check: {exc}"
            raise refuse([what]) from exc
        problems = refusals(reports)
        if problems:
            raise refuse(problems)

    def map(
        self, fn: Callable[[S, T], R], shared: S, items: Iterable[tuple[str, T]]
    ) -> Iterator[R]:
        distributed = _distributed()
        client = self.client
        handle = client.scatter(shared, broadcast=True, hash=False)
        finished = distributed.as_completed(loop=client.loop)
        position: dict[str, int] = {}  # task key -> place in the stream
        ready: dict[int, R] = {}
        stream = iter(items)
        submitted = taken = 0
        pending: list[Any] = []
        try:
            while True:
                limit = self.window or 2 * self.workers + 2
                while submitted - taken < limit:
                    item = next(stream, None)
                    if item is None:
                        break
                    key, value = item
                    future = client.submit(
                        fn, handle, value, key=f"printkit-{key}", retries=self.retries, pure=False
                    )
                    position[future.key] = submitted
                    pending.append(future)
                    finished.add(future)
                    submitted += 1
                if taken == submitted:
                    return
                while taken not in ready:
                    self._wait_for_progress(finished, pending)
                    future = next(finished)
                    ready[position.pop(future.key)] = self._result(future)
                    pending.remove(future)
                    future.release()
                yield ready.pop(taken)
                taken += 1
        finally:
            if pending:
                client.cancel(pending)
            handle.release()

    def _wait_for_progress(self, finished: Any, pending: list[Any]) -> None:
        """Return once a task is finished; a cluster left without any worker for the
        connection time-out is a :class:`ClusterError` (its tasks would wait for ever)."""
        alone_since: float | None = None
        checked = time.monotonic()
        while not finished.has_ready():
            time.sleep(0.02)
            now = time.monotonic()
            if now - checked < 1.0:
                continue
            checked = now
            if self.client.status not in ("running", "connecting"):
                return  # the futures are cancelled: _result says so
            if self.client.nthreads():
                alone_since = None
                continue
            alone_since = alone_since or now
            if now - alone_since > self.timeout:
                raise ClusterError(
                    f"the Dask scheduler at {self.address} has had no worker for "
                    f"{self.timeout:g} s, with {len(pending)} task(s) waiting",
                    hint=f"start workers with 'dask worker {self.address}'; the run resumes "
                    "from the chunks it has when run again",
                )

    def _result(self, future: Any) -> Any:
        distributed = _distributed()
        try:
            return future.result()
        except distributed.client.FutureCancelledError as exc:
            why = " ".join(str(exc).split())
            raise ClusterError(
                f"the Dask scheduler at {self.address} gave up task {future.key}: {why}",
                hint="the scheduler stopped, or every worker holding the design was lost; "
                "run the command again: it resumes from the chunks it has",
            ) from exc
        except distributed.scheduler.KilledWorker as exc:
            raise ClusterError(
                f"task {future.key} killed every worker it ran on ({exc})",
                hint="look at the workers' logs (memory limit?); the run resumes when re-run",
            ) from exc

    def close(self) -> None:
        self.client.close()
