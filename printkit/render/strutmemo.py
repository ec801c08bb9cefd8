"""Each style's line height and baseline (its strut) worked out once.

WeasyPrint's ``strut`` (``weasyprint/text/line_break.py``) gives a style's used
line height and baseline. It is asked about 350 times a guide (every line box, text
box and ``em``/``lh`` resolution) by about 60 styles, and each time builds its cache
key as the string of 16 style values: 2-3 % of a render. :func:`install` wraps it in
:func:`_strut`, which keeps the answer on the style object itself: a style's font
and line-height values do not change once computed (WeasyPrint copies a style before
changing those), and the answer is WeasyPrint's own, so the PDF bytes are the same
(tests/render/test_strutmemo.py).

The wrapped function is WeasyPrint 70's; :func:`install` leaves any other alone,
recognised by a digest of its source, as :mod:`printkit.render.pangoshare` does.
"""

from __future__ import annotations

from typing import Any

from weasyprint.css import computed_values, units
from weasyprint.layout import inline
from weasyprint.text import line_break

from .pangoshare import source_digest

#: The digest of the ``strut`` source whose answers are kept.
EXPECTED_SOURCE_SHA256 = "b57885b70dd08efe92f72a746709e08c"

#: Off: every call goes to WeasyPrint (for comparisons).
ENABLED = True

#: The modules that bind ``strut`` by name.
_USERS = (line_break, inline, units, computed_values)
_ATTRIBUTE = "_printkit_strut"
_state: dict[str, Any] = {"original": None, "refused": False}


def install() -> bool:
    """Keep each style's strut on it (once; later calls do nothing). False, and nothing
    changed, if this WeasyPrint's ``strut`` is another."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    original = getattr(line_break, "strut", None)
    if (
        original is None
        or source_digest(original) != EXPECTED_SOURCE_SHA256
        or any(getattr(module, "strut", None) is not original for module in _USERS)
    ):
        _state["refused"] = True
        return False
    _state["original"] = original
    for module in _USERS:
        module.strut = _strut  # type: ignore[attr-defined]
    return True


def _strut(style: Any) -> tuple[float, float]:
    """WeasyPrint's ``strut(style)``, kept on ``style`` after the first call."""
    if not ENABLED:
        return _state["original"](style)  # type: ignore[no-any-return]
    found: tuple[float, float] | None = style.__dict__.get(_ATTRIBUTE)
    if found is None:
        found = style.__dict__[_ATTRIBUTE] = _state["original"](style)
    return found
