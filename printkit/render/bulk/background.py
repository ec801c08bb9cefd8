"""Import the first page of a PDF (the rendered design) as one Form XObject.

The page's content streams become the form's content; its resources (fonts,
images, patterns…) are copied object by object and renumbered, so the form
can be written into any output file, once, and drawn by every page. The copy
(:mod:`.formcopy`, with pypdf) is made once per design: a process remembers
it, and it is kept in the user cache (``$XDG_CACHE_HOME/printkit/backgrounds``),
named by a hash of the PDF, the first object number and the code that copies
(printkit's version, the size and time of this file, ``formcopy.py`` and pypdf). A run
that hits it never imports pypdf (0.1 s). The design cache (:mod:`.designcache`)
also keeps the copy inside its entries, so that a hit there is one file read.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ... import __version__, usercache


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
        entry = _entry(*key)
        stored = None if entry is None else usercache.load_pickle(entry)
        if isinstance(stored, Background) and stored.base == base:
            known = stored
        else:
            from .formcopy import copy_first_page  # noqa: PLC0415 - pypdf only on a cache miss

            known = copy_first_page(pdf, base)
            if entry is not None:
                usercache.store_pickle(entry, known)
        _KNOWN[key] = known
        while len(_KNOWN) > 8:
            del _KNOWN[next(iter(_KNOWN))]
    return known


#: Bumped when what the cache keeps changes.
FORMAT = 1


def _entry(digest: bytes, base: int) -> Path | None:
    """Where the copy of the PDF with SHA-256 ``digest`` is kept, or None (cache off)."""
    here = Path(__file__)
    code = [str(here), str(here.with_name("formcopy.py"))]
    spec = importlib.util.find_spec("pypdf")
    if spec is not None and spec.origin:
        code.append(spec.origin)  # its __init__.py: rewritten by an upgrade
    return usercache.entry("backgrounds", (FORMAT, __version__, digest.hex(), base), code)
