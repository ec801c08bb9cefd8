"""Renders run at once in threads, for the tests of shortcuts that keep per-thread state."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def same_bytes_in_threads(render: Callable[[], bytes], threads: int = 3, runs: int = 6) -> bool:
    """Whether ``runs`` renders, ``threads`` at a time, all give the bytes of one serial
    render."""
    serial = render()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda _: render(), range(runs)))
    return all(result == serial for result in results)
