"""Temporary changes to a logger's level and propagation, safe across threads.

Render calls run in threads too (the web service, a threaded Dask worker). Saving and
restoring ``logger.propagate`` around each call would then interleave and could leave the
logger muted for good; here the state is saved by the first holder and restored by the last.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_saved: dict[str, tuple[int, int, bool]] = {}  # name -> (holders, level, propagate)


@contextmanager
def held(name: str, *, level: int | None = None, propagate: bool | None = None) -> Iterator[None]:
    """Set ``level``/``propagate`` of logger ``name`` while held; the last holder restores them."""
    logger = logging.getLogger(name)
    with _lock:
        holders, old_level, old_propagate = _saved.get(name, (0, logger.level, logger.propagate))
        _saved[name] = (holders + 1, old_level, old_propagate)
        if level is not None:
            logger.setLevel(level)
        if propagate is not None:
            logger.propagate = propagate
    try:
        yield
    finally:
        with _lock:
            holders, old_level, old_propagate = _saved.pop(name)
            if holders > 1:
                _saved[name] = (holders - 1, old_level, old_propagate)
            else:
                logger.setLevel(old_level)
                logger.propagate = old_propagate


class ThreadHandler(logging.Handler):
    """A handler that only takes the records of the thread that made it."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.thread and bool(super().filter(record))
