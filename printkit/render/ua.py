"""WeasyPrint's user-agent stylesheet, without the rules that give every element six
pseudo-element styles.

WeasyPrint's UA sheet styles ``::marker``, ``::footnote-call``,
``::footnote-marker`` and the three ``::note-*`` pseudo-elements of *every*
element, so the cascade computes seven styles per element where one is used:
about a twentieth of a handout's render time. The lean sheet is WeasyPrint's
own text with markers scoped to the elements that have them and the note rules
left out; a document that uses CSS footnotes or notes (``float: footnote``)
gets WeasyPrint's sheet unchanged.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import weasyprint
import weasyprint.html as weasy_html
from weasyprint.css.counters import CounterStyle

_NOTE_RULE = re.compile(r"^::(?:footnote|note)-[a-z-]+\s*\{[^}]*\}\s*$", re.M)
_USES_NOTES = re.compile(r"float\s*:\s*(?:foot)?note")


def uses_notes(*texts: str) -> bool:
    """Whether any of the document's texts may float something into a footnote or note.

    >>> uses_notes(".fn { float: footnote }"), uses_notes("p { float: left }")
    (True, False)
    """
    return any(_USES_NOTES.search(text) for text in texts)


@cache
def lean_stylesheet() -> Any | None:
    """The lean UA sheet, or ``None`` when this WeasyPrint's sheet is not the one expected."""
    ua = getattr(weasy_html, "UA", None)
    if not isinstance(ua, str):  # pragma: no cover - another WeasyPrint layout
        return None
    text, notes = _NOTE_RULE.subn("", ua)
    text, markers = re.subn(r"^::marker\s*\{", "li::marker, summary::marker {", text, flags=re.M)
    if notes == 0 or markers != 1 or re.search(r"^::", text, re.M):
        return None  # pragma: no cover - a sheet we do not know: use it unchanged
    # Its own counter styles: WeasyPrint's UA counter styles stay as parsed at import.
    return weasyprint.CSS(string=text, counter_style=CounterStyle())
