"""Box lengths resolved with one look at each computed value.

WeasyPrint's ``resolve_percentages`` (``weasyprint/layout/percent.py``) runs for
every box at every layout pass and sets 19 used lengths, each through
``resolve_one_percentage`` and ``percentage``: about 9,000 calls a guide and 3 %
of a render, mostly function calls around a value that is a length in ``px`` or
``%``. :func:`install` puts in their place :func:`_resolve_percentages` and
:func:`_resolve_one_percentage`, the same steps in the same order with those two
kinds of value and ``auto`` resolved inline; anything else (``calc()``, a unitless
value) goes to WeasyPrint's own ``percentage``, and the box-sizing step is
WeasyPrint's ``adjust_box_sizing``. The PDF bytes are the same
(tests/render/test_percentfast.py).

The replaced functions are WeasyPrint 70's; :func:`install` leaves any other alone,
recognised by a digest of its source, as :mod:`printkit.render.pangoshare` does.
"""

from __future__ import annotations

from math import inf
from typing import Any

from weasyprint.css.functions import check_math
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure.boxes import Box, PageBox
from weasyprint.layout import absolute, block, column, flex, grid, inline, page, percent, table
from weasyprint.layout import float as floats

from .pangoshare import all_known

#: Digests of the functions reproduced or relied on.
EXPECTED_SOURCES = {
    "percentage": "ebe404ccd9da50bfc1cd147b8378c34a",
    "resolve_one_percentage": "4cfaa9ad134e4f7bd8b61c7a6eba5667",
    "resolve_percentages": "71673078096fcf8764e6412933288cc7",
    "adjust_box_sizing": "88f3351db0280d16752c28f87f2a5034",
}

#: The modules that bind each replaced function by name (flex reads ``percent.``).
USERS = {
    "resolve_percentages": (percent, inline, page, floats, grid, absolute, block, column, table),
    "resolve_one_percentage": (percent, inline, table),
}

#: Off: WeasyPrint's own functions run (for comparisons).
ENABLED = True

_state: dict[str, Any] = {"original": None, "refused": False}


def install() -> bool:
    """Resolve box lengths the quick way (once; later calls do nothing). False, and
    nothing changed, if this WeasyPrint's functions are other ones."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    found = {name: getattr(percent, name, None) for name in EXPECTED_SOURCES}
    known = all_known(found, EXPECTED_SOURCES) and all(
        getattr(module, name, None) is found[name]
        for name, modules in USERS.items()
        for module in modules
    )
    if not known or getattr(flex, "percent", None) is not percent:
        _state["refused"] = True
        return False
    _state["original"] = found
    replacements = {
        "resolve_percentages": _resolve_percentages,
        "resolve_one_percentage": _resolve_one_percentage,
    }
    for name, modules in USERS.items():
        for module in modules:
            setattr(module, name, replacements[name])
    return True


def _used(value: Any, style: Any, refer_to: Any) -> Any:
    """WeasyPrint's ``percentage(value, style, refer_to)``."""
    if type(value) is Dimension:
        unit = value.unit
        if unit == "%":
            return refer_to * value.value / 100
        if unit is not None:
            return value.value
    elif value == "auto":
        return value
    return _state["original"]["percentage"](value, style, refer_to)


def _resolve_one_percentage(box: Any, property_name: str, refer_to: Any) -> None:
    """WeasyPrint 70's ``resolve_one_percentage``."""
    if not ENABLED:
        _state["original"]["resolve_one_percentage"](box, property_name, refer_to)
        return
    used = _used(box.style[property_name], box.style, refer_to)
    if used == "auto" and property_name in ("min_width", "min_height"):
        used = 0
    setattr(box, property_name, used)


def _resolve_percentages(box: Any, containing_block: Any) -> None:
    """WeasyPrint 70's ``resolve_percentages``: the used lengths of ``box``."""
    original = _state["original"]
    if not ENABLED:
        original["resolve_percentages"](box, containing_block)
        return
    if isinstance(containing_block, Box):
        cb_width = containing_block.width
        cb_height = containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, maybe_height)
    box.margin_bottom = _used(style["margin_bottom"], style, maybe_height)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, maybe_height)
    box.padding_bottom = _used(style["padding_bottom"], style, maybe_height)
    box.width = _used(style["width"], style, cb_width)
    min_width = _used(style["min_width"], style, cb_width)
    box.min_width = 0 if min_width == "auto" else min_width
    box.max_width = _used(style["max_width"], style, cb_width)
    if cb_height == "auto":
        # The containing block's height depends on its content.
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        min_height = _used(style["min_height"], style, 0)
        box.max_height = _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        min_height = _used(style["min_height"], style, cb_height)
        box.max_height = _used(style["max_height"], style, cb_height)
    box.min_height = 0 if min_height == "auto" else min_height
    collapse = style["border_collapse"] == "collapse"
    # Collapsed borders keep the widths their conflict resolution gave them.
    for prop in ("border_top_width", "border_right_width", "border_bottom_width",
                 "border_left_width"):  # fmt: skip
        if not (collapse and hasattr(box, prop)):
            setattr(box, prop, style[prop])
    original["adjust_box_sizing"](box, "width")
    original["adjust_box_sizing"](box, "height")
