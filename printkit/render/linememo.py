"""Line breaks remembered within one render.

WeasyPrint asks ``split_first_line`` (``weasyprint/text/line_break.py``) for every
line it breaks and every word it measures: about 330 calls a guide, each making one
to five Pango layouts. A quarter of them repeat a call already made in the same
render: a list marker (``"• "``) is measured for its min-content and max-content
widths and laid out again for every item, a running header on every page, the same
digits in every table row. The answer depends only on the text, the width, the
justification and line-start flags, and the text's style, so :func:`install` wraps
the function in :func:`_remembered`, which keeps each answer for the rest of the
render (on WeasyPrint's ``LayoutContext``, gone with it) under exactly the values it
reads (:data:`STYLE_KEYS`, the render's font configuration).

An answer's ``Layout`` is deactivated (it holds no Pango object, only its text and
metrics), and drawing may change it (``reactivate``, ellipsis), so every caller gets
its own copy. The PDF bytes are the same (tests/render/test_linememo.py).

The wrapped functions are WeasyPrint 70's; :func:`install` leaves any other alone,
recognised by a digest of its source, as :mod:`printkit.render.pangoshare` does.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import LayoutContext, inline, preferred
from weasyprint.text import line_break

from . import layoutkeep
from .pangoshare import all_known

#: Digests of the sources whose behaviour the memo relies on: the function itself (a
#: pure function of its arguments) and the return path that deactivates its layout.
EXPECTED_SOURCES = {
    "split_first_line": "39ad1016863ca34de0bea4c9fcffb46d",
    "first_line_metrics": "55ec5d0b58b29a8bda9f4c85d3bc3bc4",
    "Layout.deactivate": "bfec3ec8406e1c82a91f9570103eb5ec",
}

#: Every computed value that ``weasyprint/text/line_break.py`` and
#: ``weasyprint/text/fonts.get_font_description`` read from a style.
STYLE_KEYS = (
    "direction", "font_family", "font_feature_settings", "font_kerning",
    "font_language_override", "font_size", "font_stretch", "font_style",
    "font_variant_alternates", "font_variant_caps", "font_variant_east_asian",
    "font_variant_ligatures", "font_variant_numeric", "font_variant_position",
    "font_variation_settings", "font_weight", "hyphenate_character",
    "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphens", "lang", "letter_spacing",
    "line_height", "overflow_wrap", "tab_size", "text_decoration_line", "white_space",
    "word_break", "word_spacing",
)  # fmt: skip

#: Off: every call goes to WeasyPrint (for comparisons).
ENABLED = True

_ATTRIBUTE = "_printkit_line_memo"
_state: dict[str, Any] = {"original": None, "refused": False}


def install() -> bool:
    """Make WeasyPrint remember line breaks per render (once; later calls do nothing).
    False, and nothing changed, if this WeasyPrint's functions are other ones."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    found = {
        "split_first_line": getattr(line_break, "split_first_line", None),
        "first_line_metrics": getattr(line_break, "first_line_metrics", None),
        "Layout.deactivate": layoutkeep.weasyprint_function("Layout.deactivate"),
    }
    original = found["split_first_line"]
    callers_agree = all(
        getattr(module, "split_first_line", None) is original for module in (inline, preferred)
    )
    if not callers_agree or not all_known(found, EXPECTED_SOURCES):
        _state["refused"] = True
        return False
    _state["original"] = original
    for module in (line_break, inline, preferred):
        module.split_first_line = _remembered  # type: ignore[attr-defined]
    return True


def _style_key(style: Any, keys: dict[int, tuple[Any, tuple[Any, ...]]]) -> tuple[Any, ...]:
    """The values of ``style`` a line break reads, worked out once per style object
    (a box's style is asked for its min-content, max-content and laid-out lines)."""
    found = keys.get(id(style))
    if found is None or found[0] is not style:
        # The style is kept with its key, so that its id is not reused in this render.
        found = keys[id(style)] = (style, (style.font_config, *(style[n] for n in STYLE_KEYS)))
    return found[1]


def _copy(layout: Any) -> Any:
    copied = object.__new__(type(layout))
    copied.__dict__.update(layout.__dict__)
    layoutkeep.detach(copied)  # a layout kept for drawing is drawn by one box only
    return copied


def _remembered(  # noqa: PLR0917 (WeasyPrint's own signature)
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    justification_spacing: float,
    is_line_start: bool = True,
    minimum: bool = False,
) -> tuple[Any, ...]:
    """WeasyPrint's ``split_first_line``, answered from this render's earlier calls."""
    original = _state["original"]
    if not ENABLED or not isinstance(context, LayoutContext):  # SVG text has its own context
        return original(  # type: ignore[no-any-return]
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
    state: tuple[dict[Any, Any], dict[Any, Any]] | None = context.__dict__.get(_ATTRIBUTE)
    if state is None:
        state = context.__dict__[_ATTRIBUTE] = ({}, {})
    memo, keys = state
    key = (text, max_width, justification_spacing, is_line_start, minimum, _style_key(style, keys))
    try:
        found = memo.get(key)
    except TypeError:  # a value that cannot be hashed: not remembered
        return original(  # type: ignore[no-any-return]
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
    if found is None:
        found = original(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        layout, *rest = found
        memo[key] = (_copy(layout), *rest)  # kept as it was, whatever the caller does
        return found  # type: ignore[no-any-return]
    layout, *rest = found
    return (_copy(layout), *rest)
