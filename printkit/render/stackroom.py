"""Room on CPython's frame stack for a deep call, so its frames are not mapped call by call.

CPython (3.11 and later) keeps Python frames in chunks of 16 KiB. It maps a new chunk
(``mmap``) when a call does not fit in the current one, and unmaps it (``munmap``) as
soon as the frame that opened it returns. WeasyPrint's layout goes up and down through
the same depths thousands of times a render, so a call of it that sits at the start of
a chunk costs a map, a page fault and an unmap each time it runs: about 500 of each in a
warm handout render, 860 in a first one, 3–5 % of the render's time.

:func:`call` runs a function from a frame that declares a large value stack. CPython
gives such a frame a chunk of its own, of its size rounded up to a power of two
(:data:`CHUNK_BYTES`), and the calls made inside it fill the rest of that chunk
instead of opening new ones: one map and one unmap a render. The frame's unused stack
is never written, so only the pages the calls use are touched.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: Set to False to call through an ordinary frame (for A/B measurements).
ENABLED = True

#: The chunk the roomy frame gets; about half of it is left for the calls inside.
CHUNK_BYTES = 256 * 1024

#: Value-stack slots the roomy frame declares: just over half a chunk (with CPython's
#: own margin of 1,000 slots), so the chunk is rounded up to CHUNK_BYTES.
_SLOTS = CHUNK_BYTES // 2 // 8 + 64


def _roomy(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    return fn(*args, **kwargs)


if sys.implementation.name == "cpython" and sys.version_info >= (3, 11):
    _roomy.__code__ = _roomy.__code__.replace(
        co_stacksize=_roomy.__code__.co_stacksize + _SLOTS
    )


def call(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)``, its frames in a chunk of their own."""
    if ENABLED:
        return _roomy(fn, *args, **kwargs)
    return fn(*args, **kwargs)
