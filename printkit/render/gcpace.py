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

Less is also left for the collector to find, so that a render's objects are freed
by reference counting as soon as they are unused, not by a collection of 2-4 ms after
each render. Two cycles kept them:

* the painters that :mod:`.qrstamp` and :mod:`.printmarks` give pages refer to their
  page and document, which kept the whole laid-out document (6,700 objects for a
  3-page handout): :func:`release` drops them once the PDF is written;
* WeasyPrint's layout context refers to itself (its ``get_image_from_uri`` is a
  partial of the context), which kept the context, the computed styles and page
  states it holds and printkit's memo of line breaks (4,700 objects): :func:`install`
  wraps the ``layout_document`` that ``Document._render`` calls, and drops the
  partial once the layout is done. ``_render`` is WeasyPrint 70's, which uses the
  context no more after that call; another is left alone, recognised by a digest of
  its source.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from weasyprint import document as weasy_document

from .pangoshare import source_digest

#: The youngest generation's threshold during renders (CPython's default: 700).
YOUNG = 20_000

#: The digest of the ``Document._render`` source after whose layout the context is unused.
EXPECTED_RENDER_SHA256 = "ebaceeb0fa8e79aaeb199a269e2748e2"

#: Off: the layout context and the painted pages keep their cycles (for comparisons).
ENABLED = True

_state: dict[str, Any] = {"original": None, "refused": False}


def install() -> bool:
    """Break the layout context's cycle after each layout (once; later calls do nothing).
    False, and nothing changed, if this WeasyPrint's ``Document._render`` is another."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    original = getattr(weasy_document, "layout_document", None)
    render = getattr(getattr(weasy_document, "Document", None), "_render", None)
    if (
        original is None
        or render is None
        or source_digest(getattr(render, "__func__", render)) != EXPECTED_RENDER_SHA256
    ):
        _state["refused"] = True
        return False
    _state["original"] = original
    weasy_document.layout_document = _laid_out  # type: ignore[attr-defined]
    return True


def release(document: Any) -> None:
    """Let reference counting free a written document, at once and whole: its pages'
    painters, which refer to the page and the document, are dropped."""
    if ENABLED:
        for page in document.pages:
            page.__dict__.pop("paint", None)


def _laid_out(
    html: Any, root_box: Any, context: Any, *args: Any, **kwargs: Any
) -> Iterator[Any]:
    """WeasyPrint's ``layout_document`` (its pages, as they come), then the context's
    reference to itself dropped."""
    try:
        yield from _state["original"](html, root_box, context, *args, **kwargs)
    finally:
        if ENABLED:
            context.__dict__.pop("get_image_from_uri", None)


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
