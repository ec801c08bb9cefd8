"""Running jobs off the request path: a small executor interface and the dispatcher.

The dispatcher (a thread of the server process) claims queued jobs from the
database, as many as the executor has free slots, and hands each to the
executor as ``run_job(database, data_dir, public_url, job_id, cluster)``: plain strings,
so any executor can ship them (a process pool by default; threads for tests
and tiny machines; a cluster scheduler later, through :class:`JobExecutor`).
It also resumes jobs whose worker died (their lease ran out).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from ..errors import UsageError
from .models import utcnow
from .store import Store
from .worker import LEASE_SECONDS, job_folder, run_job

log = logging.getLogger(__name__)

#: Seconds between two looks at the queue when nobody wakes the dispatcher.
POLL_SECONDS = 0.5
#: Seconds between two looks for interrupted jobs.
RECOVER_SECONDS = 2.0


class JobExecutor(Protocol):
    """Where jobs run. ``submit`` returns a future (``add_done_callback`` is all that is used)."""

    #: How many jobs may run at once.
    slots: int

    def submit(self, fn: Callable[..., str], /, *args: str) -> Future[str]:
        """Run ``fn(*args)`` somewhere."""

    def shutdown(self) -> None:
        """Stop, abandoning running work (the dispatcher puts those jobs back in the queue)."""


def _follow_parent(parent: int) -> None:
    """In a worker process: exit when the server that started it is gone (killed hard), so
    that no orphan keeps working on a job that another instance resumes. A job's warnings
    are recorded with it: the worker does not print them too."""
    logging.getLogger("printkit").setLevel(logging.ERROR)
    logging.getLogger("printkit.web").setLevel(logging.WARNING)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="printkit-parent-watch", daemon=True).start()


def _warm() -> str:
    """Run first in each worker process: the imports a job needs, before any job waits."""
    from ..documents import certificates, handout, poster  # noqa: F401, PLC0415

    return "warm"


class PoolExecutor:
    """A :mod:`concurrent.futures` pool: worker processes (spawned) or threads."""

    def __init__(self, kind: str, workers: int) -> None:
        self.kind = kind
        self.slots = workers
        self._pool = self._make()
        self._pending: set[Future[str]] = set()
        self._warm()

    def _warm(self) -> None:
        if self.kind == "processes":  # start the workers now, not on the first job
            for _ in range(self.slots):
                self._pool.submit(_warm)

    def _make(self) -> Executor:
        if self.kind == "threads":
            return ThreadPoolExecutor(self.slots, thread_name_prefix="printkit-job")
        # spawn: a fresh interpreter, not a fork of a server with threads and sockets
        return ProcessPoolExecutor(
            self.slots, mp_context=multiprocessing.get_context("spawn"),
            initializer=_follow_parent, initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., str], /, *args: str) -> Future[str]:
        try:
            future = self._pool.submit(fn, *args)
        except BrokenProcessPool:  # a worker died hard (killed, out of memory): start afresh
            log.warning("the worker pool broke; starting a new one")
            self._pool = self._make()
            self._warm()
            future = self._pool.submit(fn, *args)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    def shutdown(self) -> None:
        if not self._pending:  # idle: a clean stop
            self._pool.shutdown(wait=True)
            return
        processes: dict[Any, Any] = getattr(self._pool, "_processes", None) or {}
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in list(processes.values()):
            process.terminate()  # outputs are written atomically: nothing is left half-made
        for process in list(processes.values()):
            process.join(5)


def make_executor(scheduler: str, workers: int) -> JobExecutor:
    """The executor named by ``--scheduler``: ``processes`` (default), ``threads``, or
    ``package.module:factory``, a callable taking the worker count and returning a
    :class:`JobExecutor` (how a cluster scheduler plugs in)."""
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if scheduler in ("processes", "threads"):
        return PoolExecutor(scheduler, workers)
    module_name, _, attribute = scheduler.partition(":")
    if module_name and attribute:
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise UsageError(f"--scheduler {scheduler!r}: {exc}",
                             hint="give package.module:factory of an installed package") \
                from None
        executor: JobExecutor = factory(workers)
        return executor
    raise UsageError(
        f"--scheduler {scheduler!r} is not available",
        hint="use 'processes' (the default), 'threads', or package.module:factory",
    )


class Dispatcher:
    """Feeds queued jobs from the database to the executor."""

    def __init__(
        self, store: Store, executor: JobExecutor, *, data_dir: str, public_url: str,
        cluster: str = "", keep_days: float = 0,
    ) -> None:
        self.store = store
        self.cluster = cluster
        self.keep_days = keep_days
        self.executor = executor
        self.data_dir = data_dir
        self.public_url = public_url
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._thread = threading.Thread(target=self._loop, name="printkit-dispatch", daemon=True)

    def start(self) -> None:
        resumed, failed = self.store.recover()
        if resumed or failed:
            log.warning("interrupted jobs: %d resumed, %d failed", resumed, failed)
        self._thread.start()

    def wake(self) -> None:
        """A job was queued: look now."""
        self._wake.set()

    def stop(self) -> None:
        """Stop taking jobs, stop the workers, and put their jobs back in the queue."""
        self._stop.set()
        self._wake.set()
        self._thread.join(10)
        with self._lock:
            running = list(self._running)
        self.executor.shutdown()
        self.store.release(running)

    def _done(self, job_id: str, future: Future[str]) -> None:
        with self._lock:
            self._running.discard(job_id)
        if not future.cancelled() and future.exception() is not None and not self._stop.is_set():
            # The worker died (not a bad input: run_job records those): the lease runs
            # out and the job is resumed.
            log.error("job %s: worker died: %s", job_id, future.exception())
        self._wake.set()

    def _loop(self) -> None:
        since_recover = 0.0
        while not self._stop.is_set():
            try:
                self._fill()
                since_recover += POLL_SECONDS
                if since_recover >= RECOVER_SECONDS:
                    since_recover = 0.0
                    self.store.recover()
                    self._purge()
            except Exception:  # the database may be briefly away: try again soon
                log.exception("dispatcher")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def _purge(self) -> None:
        """``--keep-days``: remove the folders of jobs finished that long ago."""
        if self.keep_days <= 0:
            return
        before = utcnow() - dt.timedelta(days=self.keep_days)
        for job_id in self.store.purge_before(before):
            shutil.rmtree(job_folder(Path(self.data_dir), job_id), ignore_errors=True)

    def _fill(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if len(self._running) >= self.executor.slots:
                    return
            job = self.store.claim_next(LEASE_SECONDS)
            if job is None:
                return
            with self._lock:
                self._running.add(job.id)
            future = self.executor.submit(
                run_job, self.store.url, self.data_dir, self.public_url, job.id, self.cluster
            )
            future.add_done_callback(functools.partial(self._done, job.id))
