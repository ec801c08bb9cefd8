"""A line's min-content width worked out only when a float can be beside it.

When a page has floats (a handout's reference cards), WeasyPrint's ``get_next_linebox``
(``weasyprint/layout/inline.py``) starts every line box by measuring the min-content
width of the line's first word, hyphenation attempts included, and gives it to
``avoid_collisions`` to find where the line fits beside the floats. That function
reads the width only when a float overlaps the line's height; for a line above or
below every float, as most are, the measure (several Pango layouts) is thrown away:
5 % of a handout's render.

:func:`install` wraps the ``inline_min_content_width`` that ``get_next_linebox``
calls. For a left-to-right line box that no float overlaps vertically (tested as
``avoid_collisions`` tests it, with the strut height ``get_next_linebox`` gives the
line next) it answers 0 without measuring. Right-to-left lines are always measured:
there ``get_next_linebox`` compares the width with the laid-out line's. The PDF
bytes are the same (tests/render/test_linefloats.py).

The functions relied on are WeasyPrint 70's; :func:`install` changes nothing if any
of them is another, recognised by a digest of its source.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import float as floats
from weasyprint.layout import inline, preferred

from .pangoshare import all_known

#: The source digests of the functions whose behaviour the shortcut relies on.
EXPECTED = {
    "get_next_linebox": "67af458c2545e74f0803072103c6c5d3",
    "avoid_collisions": "5fc7793c573af328ffa88757d08f1641",
    "inline_min_content_width": "15cde37816a624cf7ef75b91dce9cc62",
}

#: Off: every line is measured, as WeasyPrint does (for comparisons).
ENABLED = True

_state: dict[str, Any] = {"original": None, "refused": False}
_UNSET = object()


def install() -> bool:
    """Measure lines only beside floats (once; later calls do nothing). False, and
    nothing changed, if this WeasyPrint's functions are others."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    found = {
        "get_next_linebox": getattr(inline, "get_next_linebox", None),
        "avoid_collisions": getattr(floats, "avoid_collisions", None),
        "inline_min_content_width": getattr(preferred, "inline_min_content_width", None),
    }
    original = found["inline_min_content_width"]
    if (
        not all_known(found, EXPECTED)
        or getattr(inline, "inline_min_content_width", None) is not original
        or getattr(inline, "avoid_collisions", None) is not found["avoid_collisions"]
    ):
        _state["refused"] = True
        return False
    _state["original"] = original
    inline.inline_min_content_width = _inline_min_content_width  # type: ignore[attr-defined]
    return True


def _inline_min_content_width(  # noqa: PLR0917 (WeasyPrint's own signature)
    context: Any,
    box: Any,
    outer: bool = True,
    skip_stack: Any = None,
    first_line: bool = False,
    is_line_start: bool = False,
) -> float:
    """WeasyPrint's function, or 0 for a line box whose width nothing will read."""
    if (
        ENABLED
        and first_line
        and isinstance(box, boxes.LineBox)
        and box.style["direction"] == "ltr"
        and not _beside_a_float(context, box)
    ):
        return 0
    return _state["original"](  # type: ignore[no-any-return]
        context, box, outer, skip_stack, first_line, is_line_start
    )


def _beside_a_float(context: Any, line: Any) -> bool:
    """Whether ``avoid_collisions(context, line, ..., outer=False)`` will find a float
    overlapping ``line`` once ``get_next_linebox`` gives it its strut height."""
    kept = line.__dict__.get("height", _UNSET)
    line.height = inline.strut(line.style)[0]
    try:
        position_y = line.border_box_y()
        box_height = line.border_height()
    finally:
        if kept is _UNSET:
            del line.height
        else:
            line.height = kept
    for shape in context.excluded_shapes:
        shape_position_y = shape.position_y
        shape_margin_height = shape.margin_height()
        if (
            (shape_position_y < position_y < shape_position_y + shape_margin_height)
            or (
                shape_position_y
                < position_y + box_height
                < shape_position_y + shape_margin_height
            )
            or (
                shape_position_y >= position_y
                and shape_position_y + shape_margin_height <= position_y + box_height
            )
        ):
            return True
    return False
