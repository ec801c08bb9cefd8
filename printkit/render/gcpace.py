"""Fewer garbage collections while WeasyPrint renders.

A render builds tens of thousands of container objects (boxes, styles, Pango
wrappers) that all live until the PDF is written. CPython collects its youngest
generation every 700 net allocations: about 25 collections a handout that free
next to nothing, and each promotes survivors towards the next full collection.
Over the 29 corpus guides that is 734 young, 66 middle and 6 full collections
(48 ms each, so six renders in 29 took a quarter longer). While a render runs,
:func:`fewer_collections` raises the youngest generation's threshold to
:data:`YOUNG`; the older generations keep theirs, so cyclic garbage is still
found: after 87 renders the heap holds 120,851 objects, against 113,911 with the
default. The first render to start sets it; the last one to end puts back what
it found, unless something else changed it meanwhile.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The youngest generation's threshold during renders (CPython's default: 700).
YOUNG = 20_000


class _Pace:
    """The renders running now and the thresholds they found."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.saved: tuple[int, int, int] | None = None


_pace = _Pace()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`YOUNG` allocations inside the block."""
    with _pace.lock:
        if _pace.running == 0:
            found = gc.get_threshold()
            # 0 means the program turned collection off; a higher one is its own choice.
            if 0 < found[0] < YOUNG:
                _pace.saved = found
                gc.set_threshold(YOUNG, found[1], found[2])
        _pace.running += 1
    try:
        yield
    finally:
        with _pace.lock:
            _pace.running -= 1
            saved = _pace.saved
            if _pace.running == 0 and saved is not None:
                _pace.saved = None
                if gc.get_threshold() == (YOUNG, saved[1], saved[2]):
                    gc.set_threshold(*saved)
