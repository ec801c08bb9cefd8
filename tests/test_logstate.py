"""Logger state held by threads that start and end out of order is restored by the last one."""

from __future__ import annotations

import logging
import threading

from printkit.logstate import ThreadHandler, held
from printkit.render.weasy import _weasy_warnings


def test_interleaved_holders_restore_the_state() -> None:
    logger = logging.getLogger("printkit-test-held")
    logger.propagate, logger.level = True, logging.NOTSET
    first, second = held(logger.name, propagate=False), held(logger.name, level=logging.ERROR)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first one out is not the last holder
    assert logger.propagate is False and logger.level == logging.ERROR
    second.__exit__(None, None, None)
    assert logger.propagate is True and logger.level == logging.NOTSET


def test_concurrent_renders_keep_their_own_warnings_and_unmute_weasyprint() -> None:
    weasy = logging.getLogger("weasyprint")
    assert weasy.propagate is True
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    got: dict[str, list[str]] = {}

    def first() -> None:  # enters first, leaves first
        with _weasy_warnings() as collector:
            a_in.set()
            b_in.wait(5)
            weasy.warning("from a")
        got["a"] = collector.messages
        a_out.set()

    def second() -> None:  # enters while the first holds, leaves last
        a_in.wait(5)
        with _weasy_warnings() as collector:
            b_in.set()
            a_out.wait(5)
            weasy.warning("from b")
        got["b"] = collector.messages

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert got == {"a": ["from a"], "b": ["from b"]}
    assert weasy.propagate is True


def test_thread_handler_ignores_other_threads() -> None:
    handler = ThreadHandler()
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "m", None, None)
    assert handler.filter(record)
    record.thread = -1
    assert not handler.filter(record)
