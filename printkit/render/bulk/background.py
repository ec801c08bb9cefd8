"""Import the first page of a PDF (the rendered design) as one Form XObject.

The page's content streams become the form's content; its resources (fonts,
images, patterns…) are copied object by object and renumbered, so the form
can be written into any output file, once, and drawn by every page. The copy
(:mod:`.formcopy`, with pypdf) is made once per design: a process remembers
it, and the design cache (:mod:`.designcache`) keeps it between runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Background:
    """A design page copied as objects ``base`` … ``base + count - 1``.

    Object ``base`` is the Form XObject; ``block`` holds every object
    serialised, ``offsets`` their (number, offset in block).
    """

    width: float
    height: float
    base: int
    count: int
    block: bytes
    offsets: tuple[tuple[int, int], ...]



_KNOWN: dict[tuple[bytes, int], Background] = {}


def remember(pdf: bytes, background: Background) -> None:
    """Make :func:`import_background` of ``pdf`` return ``background`` (a cached copy)."""
    _KNOWN[hashlib.sha256(pdf).digest(), background.base] = background


def import_background(pdf: bytes, base: int) -> Background:
    """Make the first page of ``pdf`` (e.g. a WeasyPrint rendering) a Form XObject.

    The form gets object number ``base``, the objects it uses the following numbers.
    """
    key = (hashlib.sha256(pdf).digest(), base)
    known = _KNOWN.get(key)
    if known is None:
        from .formcopy import copy_first_page  # noqa: PLC0415 - pypdf only on a cache miss

        known = _KNOWN[key] = copy_first_page(pdf, base)
        while len(_KNOWN) > 8:
            del _KNOWN[next(iter(_KNOWN))]
    return known
