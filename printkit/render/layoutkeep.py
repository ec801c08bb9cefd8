"""Pango layouts kept from line breaking to drawing, instead of laid out twice.

WeasyPrint lays each line's text out with Pango while it breaks lines, then frees
the ``PangoLayout`` (``Layout.deactivate``, ``weasyprint/text/line_break.py``).
To draw the line it builds a new one and has Pango itemize, shape and break the
same text again (``reactivate``): a quarter of a handout's Pango layouts (4,543
of 17,709 over the corpus).
:func:`install` keeps the layout a line was broken with until the line is drawn,
wherever that layout is already the one drawing would rebuild:

* the same text, width aside: a split line is re-laid out by WeasyPrint with its
  final text and no width (``first_line_metrics``); a text that fit whole keeps the
  width it fit in, which changes none of its glyphs;
* single-paragraph mode, which drawing switches on (``draw_first_line``): set
  with each text that has no paragraph separator, where it changes nothing
  (switched on only at drawing, it would throw the lines away);
* no justification (drawing adds it to the word spacing), no word or letter
  spacing (the attributes of a layout's earlier texts stay in its list), and the
  same style at drawing.

An ellipsis needs nothing more: drawing sets the width, the ellipsis and the text
itself, on a kept layout as on a rebuilt one.

Every other layout is freed and rebuilt as before, and so is each copy that
:mod:`.linememo` hands out (:func:`detach`): no two boxes draw from one Pango
layout. At most :data:`LIMIT` layouts wait per thread, which bounds the memory
of a long document. The PDF bytes are the same (tests/render/test_layoutkeep.py).

The replaced functions are WeasyPrint 70's; :func:`install` leaves any other
alone, recognised by a digest of its source, as :mod:`.pangoshare` does.
"""

from __future__ import annotations

import re
import threading
import weakref
from typing import Any

from weasyprint.draw import text as draw_text_module
from weasyprint.text import line_break
from weasyprint.text.ffi import pango

from . import textlayer
from .pangoshare import all_known

#: Digests of the sources whose behaviour the kept layouts rely on.
EXPECTED_SOURCES = {
    "Layout.set_text": "fe23ca9937dbf5205bda422f9c01103f",
    "Layout.deactivate": "bfec3ec8406e1c82a91f9570103eb5ec",
    "Layout.reactivate": "0b89ee097104b71376c179f48a988587",
    "first_line_metrics": "55ec5d0b58b29a8bda9f4c85d3bc3bc4",
    "draw_first_line": "1bb8eae6d88e71b17096a034656f3be1",
}

#: Layouts waiting for their drawing, per thread, beyond which layouts are freed as before.
LIMIT = 4000

#: Off: every layout is freed and rebuilt, as WeasyPrint does (for comparisons).
ENABLED = True

#: Characters Pango may treat as paragraph separators (a superset: such a text is left alone).
_SEPARATORS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")

#: In a ``Layout``'s ``__dict__``: True while kept for its drawing, False once it was (or
#: is a copy that must not be): such a layout is freed as before from then on.
_KEPT = "_printkit_kept"
#: In a ``Layout``'s ``__dict__``: its Pango layout is in single-paragraph mode.
_ONE_PARAGRAPH = "_printkit_one_paragraph"
#: What WeasyPrint's ``deactivate`` deletes.
_LIVE_ATTRIBUTES = ("layout", "language", "style")

_state: dict[str, Any] = {"originals": None, "refused": False}
_local = threading.local()


def _found() -> dict[str, Any]:
    # textlayer may have wrapped draw_first_line already
    drawn = textlayer._state["original"] or getattr(draw_text_module, "draw_first_line", None)
    return {
        "Layout.set_text": getattr(line_break.Layout, "set_text", None),
        "Layout.deactivate": getattr(line_break.Layout, "deactivate", None),
        "Layout.reactivate": getattr(line_break.Layout, "reactivate", None),
        "first_line_metrics": getattr(line_break, "first_line_metrics", None),
        "draw_first_line": drawn,
    }


def weasyprint_function(name: str) -> Any:
    """WeasyPrint's own function ``name`` (a key of :data:`EXPECTED_SOURCES`), replaced or not."""
    originals: dict[str, Any] | None = _state["originals"]
    return originals[name] if originals is not None else _found()[name]


def install() -> bool:
    """Keep layouts for their drawing (once; later calls do nothing). False, and nothing
    changed, if this WeasyPrint's functions are other ones."""
    if _state["originals"] is not None:
        return True
    if _state["refused"]:
        return False
    found = _found()
    if not all_known(found, EXPECTED_SOURCES):
        _state["refused"] = True
        return False
    _state["originals"] = found
    line_break.Layout.set_text = _set_text  # type: ignore[method-assign]
    line_break.Layout.deactivate = _deactivate  # type: ignore[method-assign]
    line_break.Layout.reactivate = _reactivate  # type: ignore[method-assign]
    return True


def _waiting() -> weakref.WeakSet[Any]:
    waiting: weakref.WeakSet[Any] | None = getattr(_local, "waiting", None)
    if waiting is None:
        waiting = _local.waiting = weakref.WeakSet()
    return waiting


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """WeasyPrint's ``set_text``, in single-paragraph mode for a text without separators."""
    one_paragraph = ENABLED and _SEPARATORS.search(text) is None
    if one_paragraph != self.__dict__.get(_ONE_PARAGRAPH, False):
        pango.pango_layout_set_single_paragraph_mode(self.layout, one_paragraph)
        self.__dict__[_ONE_PARAGRAPH] = one_paragraph
    _state["originals"]["Layout.set_text"](self, text, justify)


def _deactivate(self: Any) -> None:
    """Keep the layout for its drawing when that would rebuild the same; else free it."""
    state = self.__dict__
    if ENABLED and _KEPT not in state and state.get(_ONE_PARAGRAPH):
        style = self.style
        letter_spacing = style["letter_spacing"]
        waiting = _waiting()
        if (
            not self.justification_spacing
            and not style["word_spacing"]
            and (letter_spacing == "normal" or not letter_spacing)
            and len(waiting) < LIMIT
        ):
            state[_KEPT] = True
            waiting.add(self)
            return
    state[_KEPT] = False
    _free(self)


def _free(layout: Any) -> None:
    layout.__dict__[_ONE_PARAGRAPH] = False
    _state["originals"]["Layout.deactivate"](layout)


def _reactivate(self: Any, style: Any) -> None:
    """A kept layout drawn with its own style is ready; any other is rebuilt."""
    if self.__dict__.get(_KEPT):
        self.__dict__[_KEPT] = False
        _waiting().discard(self)
        if style is self.style:
            return
        _free(self)
    self.__dict__[_ONE_PARAGRAPH] = False  # setup makes a new Pango layout
    _state["originals"]["Layout.reactivate"](self, style)


def detach(layout: Any) -> None:
    """Make ``layout``, a shallow copy of another, hold no Pango object of the original."""
    state = layout.__dict__
    if state.get(_KEPT):
        for name in _LIVE_ATTRIBUTES:
            state.pop(name, None)
        state[_ONE_PARAGRAPH] = False
    if _KEPT in state:
        state[_KEPT] = False
