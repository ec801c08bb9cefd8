"""forked_map: real forked processes, results in order, errors and deaths reported, no orphan."""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from printkit.errors import RenderError
from printkit.executors.forked import forked_map


def _slow_square(value: int) -> tuple[int, int]:
    time.sleep(0.02 * (value % 3))  # later items often finish first
    return value * value, os.getpid()


def _children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "printkit-worker"]


def test_results_come_in_order_from_every_worker() -> None:
    results = list(forked_map(_slow_square, range(30), 3))
    assert [square for square, _ in results] == [i * i for i in range(30)]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids
    assert not _children()  # all stopped and joined


def test_the_stream_is_read_lazily_and_bounded() -> None:
    pulled = itertools.count()

    def endless() -> Iterator[int]:
        while True:
            yield next(pulled)

    stream = forked_map(_slow_square, endless(), 2, ahead=2)
    first = [next(stream)[0] for _ in range(5)]
    assert first == [0, 1, 4, 9, 16]
    # What was taken, and at most (ahead + 2) x jobs more sent and not yet taken.
    assert next(pulled) <= 5 + (2 + 2) * 2 + 1
    stream.close()  # abandoned: the workers are stopped
    assert not _children()


def _fails_on_three(value: int) -> int:
    if value == 3:
        raise ValueError(f"bad item {value}")
    return value


def test_an_exception_in_a_worker_is_raised_here_in_order() -> None:
    seen: list[int] = []
    with pytest.raises(ValueError, match="bad item 3") as caught:
        for value in forked_map(_fails_on_three, range(10), 2):
            seen.append(value)
    assert seen == [0, 1, 2]
    assert any("in a printkit worker process" in note for note in caught.value.__notes__)
    assert not _children()


def _dies_on_two(value: int) -> int:
    if value == 2:
        os._exit(7)
    return value


def test_a_worker_that_dies_is_an_error_with_its_exit_code() -> None:
    with pytest.raises(RenderError, match="exit code 7"):
        list(forked_map(_dies_on_two, range(6), 2))
    assert not _children()


def _unpicklable(value: int) -> object:
    return lambda: value


def test_an_answer_that_cannot_be_sent_back_is_an_error() -> None:
    with pytest.raises(RenderError, match="could not be sent back"):
        list(forked_map(_unpicklable, range(2), 2))
    assert not _children()


def _slow(value: int) -> int:
    time.sleep(0.05)
    return value


def test_workers_leave_ctrl_c_to_the_caller() -> None:
    stream = forked_map(_slow, range(20), 2)
    assert next(stream) == 0
    for child in _children():
        assert child.pid is not None
        os.kill(child.pid, signal.SIGINT)
    assert list(stream) == list(range(1, 20))  # they went on working


def test_workers_end_when_the_caller_goes_away() -> None:
    """A caller killed outright (no clean-up at all) leaves no worker behind: each reads
    the end of its pipe, since no other process holds the caller's end open."""
    read, write = os.pipe()
    caller = os.fork()
    if caller == 0:  # the caller: starts 2 workers, reports their pids, waits to be killed
        os.close(read)
        stream = forked_map(_slow, range(1000), 2)
        next(stream)
        pids = ",".join(str(p.pid) for p in _children())
        os.write(write, pids.encode())
        time.sleep(60)
        os._exit(0)
    os.close(write)
    pids = [int(p) for p in os.read(read, 100).decode().split(",")]
    os.close(read)
    assert len(pids) == 2
    os.kill(caller, signal.SIGKILL)
    os.waitpid(caller, 0)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie (not reaped yet) is gone too
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _frozen(_: int) -> int:
    return gc.get_freeze_count()


def test_workers_collector_leaves_what_they_inherit_alone() -> None:
    """Objects the caller had when it forked are frozen in the workers (their collector
    never walks them, so it never copies their pages), and only there."""
    assert all(count > 1000 for count in forked_map(_frozen, range(4), 2))
    assert gc.get_freeze_count() == 0


def test_it_runs_from_a_thread_other_than_the_main_one() -> None:
    """The web service runs jobs in threads: a worker forked from one still sets up its
    signals (the forking thread is the child's main thread) and answers."""
    out: list[tuple[int, int]] = []
    thread = threading.Thread(target=lambda: out.extend(forked_map(_slow_square, range(6), 2)))
    thread.start()
    thread.join(30)
    assert [square for square, _ in out] == [i * i for i in range(6)]
    assert not _children()
