"""Computed style values that need no computing, answered without WeasyPrint's detour.

WeasyPrint computes a box's style lazily: ``ComputedStyle.__missing__``
(``weasyprint/css/__init__.py``) runs at the first read of each property of each
style, about 10,000 times a guide, and it is 4 % of a render. Most of those reads are
of properties the element's rules never set: the value is then the parent's (an
inherited property) or the initial one, and nothing needs computing. WeasyPrint
still goes through every special case first (logical properties, pending
``var()``, math functions, decorations, page names).

:func:`install` puts :func:`_missing` in its place. It answers only those plain
reads, exactly as WeasyPrint would, and hands every other to WeasyPrint:

- the property (or, for a physical one such as ``margin_left``, its logical
  counterpart for the style's direction) is not in the cascaded values;
- it is none of ``position``, ``float``, ``display``, ``page``,
  ``text_decoration_*`` or a custom ``__*`` property;
- inherited: the parent's value is not a math function (calc() left for the
  child to resolve); not inherited: the initial value, through WeasyPrint's
  computing function where it has one (``medium`` border widths).

The answers are WeasyPrint's own values, so the PDF bytes are the same
(tests/render/test_stylefast.py). The replaced method is WeasyPrint 70's;
:func:`install` leaves any other alone, recognised by a digest of its source.
"""

from __future__ import annotations

from typing import Any

from weasyprint import css
from weasyprint.css.computed_values import COMPUTER_FUNCTIONS, PHYSICAL_FUNCTIONS
from weasyprint.css.functions import check_math
from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

from .pangoshare import replace_known

#: The digest of the ``ComputedStyle.__missing__`` source it stands in for.
EXPECTED_SOURCE_SHA256 = "b318d8efc8ac79d716f05cb81cc3abd6"

#: Off: every read goes to WeasyPrint (for comparisons).
ENABLED = True

_state: dict[str, Any] = {"original": None, "refused": False}

#: Properties WeasyPrint treats specially whether set or not.
_SPECIAL = frozenset(("position", "float", "display", "page"))
#: (physical property, direction) -> its logical property, as WeasyPrint names it.
_LOGICAL: dict[tuple[str, str], str] = {}
#: Properties WeasyPrint gives no special treatment when no rule sets them.
_ORDINARY = frozenset(
    key
    for key in (*INITIAL_VALUES, *INHERITED)
    if key not in _SPECIAL and not key.startswith(("text_decoration_", "__"))
)
#: Inherited properties WeasyPrint gives no special treatment.
_PLAIN_INHERITED = _ORDINARY & INHERITED
_NOT_INHERITED = frozenset(
    key
    for key in _ORDINARY - INHERITED
    if key in INITIAL_VALUES and not check_math(INITIAL_VALUES[key])
)
#: Non-inherited properties whose initial value is their computed value.
_PLAIN_INITIAL = _NOT_INHERITED - INITIAL_NOT_COMPUTED
#: Non-inherited properties whose initial value is computed (``medium`` border widths).
_COMPUTED_INITIAL = _NOT_INHERITED & INITIAL_NOT_COMPUTED


def install() -> bool:
    """Answer plain style reads directly (once; later calls do nothing). False, and
    nothing changed, if this WeasyPrint's ``ComputedStyle.__missing__`` is another."""
    return replace_known(_state, css.ComputedStyle, "__missing__", EXPECTED_SOURCE_SHA256, _missing)


def _logical(key: str, direction: str) -> str:
    """The logical property WeasyPrint reads for physical ``key`` (horizontal text)."""
    found = _LOGICAL.get((key, direction))
    if found is None:
        found = _LOGICAL[(key, direction)] = PHYSICAL_FUNCTIONS[key](block="ttb", inline=direction)
    return found


def _missing(style: Any, key: str) -> Any:
    """WeasyPrint's ``ComputedStyle.__missing__``, plain reads answered here."""
    cascaded = style.cascaded
    if not ENABLED or key in cascaded:
        return _state["original"](style, key)
    if key in PHYSICAL_FUNCTIONS and _logical(key, style["direction"]) in cascaded:
        return _state["original"](style, key)
    if key in _PLAIN_INHERITED:
        parent = style.parent_style
        if parent is None:
            return _state["original"](style, key)
        value = parent[key]
        if check_math(value):  # calc() the parent left unresolved: WeasyPrint's way
            return _state["original"](style, key)
        style[key] = value
        return value
    if key in _PLAIN_INITIAL:
        value = style[key] = INITIAL_VALUES[key]
        return value
    if key in _COMPUTED_INITIAL:
        value = INITIAL_VALUES[key]
        computer = COMPUTER_FUNCTIONS.get(key)
        if computer is not None:
            value = computer(style, key, value)
        style[key] = value
        return value
    return _state["original"](style, key)
