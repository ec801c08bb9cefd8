"""WeasyPrint's user-agent stylesheet, without the rules that give every element six
pseudo-element styles.

WeasyPrint's UA sheet styles ``::marker``, ``::footnote-call``,
``::footnote-marker`` and the three ``::note-*`` pseudo-elements of *every*
element, so the cascade computes seven styles per element where one is used:
about a twentieth of a handout's render time. The lean sheet is WeasyPrint's
own text with markers scoped to the elements that have them and the note rules
left out; a document that uses CSS footnotes or notes (``float: footnote``)
gets WeasyPrint's sheet unchanged.

The lean sheet is made from WeasyPrint's parsed sheet, not parsed again (that
took 30–45 ms at every start): its selector matcher, less the note rules' entries,
with the universal ``::marker`` entry replaced by compiled ``li::marker`` and
``summary::marker`` entries carrying the same declarations and rule order.
:func:`parsed_lean_stylesheet` parses the lean text; the tests check that both
give the same matcher and the same PDFs.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import cssselect2
import weasyprint
import weasyprint.html as weasy_html
from weasyprint.css.counters import CounterStyle

_NOTE_RULE = re.compile(r"^::(?:footnote|note)-[a-z-]+\s*\{[^}]*\}\s*$", re.M)
_USES_NOTES = re.compile(r"float\s*:\s*(?:foot)?note")
#: Pseudo-elements of the rules the lean sheet leaves out.
_NOTE_PSEUDOS = frozenset(
    {"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"}
)
_MARKER_ELEMENTS = "li::marker, summary::marker"
_BUCKETS = ("id_selectors", "class_selectors", "lower_local_name_selectors",
            "namespace_selectors")


def uses_notes(*texts: str) -> bool:
    """Whether any of the document's texts may float something into a footnote or note.

    >>> uses_notes(".fn { float: footnote }"), uses_notes("p { float: left }")
    (True, False)
    """
    return any(_USES_NOTES.search(text) for text in texts)


def _lean_text() -> str | None:
    """The lean sheet's CSS text, or ``None`` when WeasyPrint's sheet is not the one expected."""
    ua = getattr(weasy_html, "UA", None)
    if not isinstance(ua, str):  # pragma: no cover - another WeasyPrint layout
        return None
    text, notes = _NOTE_RULE.subn("", ua)
    text, markers = re.subn(r"^::marker\s*\{", _MARKER_ELEMENTS + " {", text, flags=re.M)
    if notes != len(_NOTE_PSEUDOS) or markers != 1 or re.search(r"^::", text, re.M):
        return None  # pragma: no cover - a sheet we do not know: use it unchanged
    return text


@cache
def parsed_lean_stylesheet() -> Any | None:
    """The lean sheet parsed from its text (the reference :func:`lean_stylesheet` is
    tested against, and its fallback)."""
    text = _lean_text()
    if text is None:
        return None
    # Its own counter styles: WeasyPrint's UA counter styles stay as parsed at import.
    return weasyprint.CSS(string=text, counter_style=CounterStyle())


def _derived_matcher(matcher: Any) -> Any | None:
    """``matcher`` less the note rules, with ``::marker`` scoped; ``None`` if it does not
    hold exactly the entries the lean text removes and rewrites."""
    lean = cssselect2.Matcher()
    lean.order = matcher.order
    dropped = 0
    for bucket in _BUCKETS:
        kept: dict[Any, list[Any]] = {}
        for key, entries in getattr(matcher, bucket).items():
            if any(entry[3] in _NOTE_PSEUDOS for entry in entries):
                return None  # a note rule with a type or class: not one the text drops
            kept[key] = list(entries)
        setattr(lean, bucket, kept)
    if any(entry[3] in _NOTE_PSEUDOS for entry in matcher.lang_attr_selectors):
        return None
    lean.lang_attr_selectors = list(matcher.lang_attr_selectors)
    markers = [e for e in matcher.other_selectors if e[3] == "marker"]
    if len(markers) != 1 or markers[0][1] != (0, 0, 1):  # the universal ::marker
        return None
    _, _, order, _, payload = markers[0]
    for entry in matcher.other_selectors:
        if entry[3] in _NOTE_PSEUDOS:
            dropped += 1
        elif entry[3] != "marker":
            lean.other_selectors.append(entry)
    if dropped != len(_NOTE_PSEUDOS):
        return None
    for selector in cssselect2.compile_selector_list(_MARKER_ELEMENTS):
        entry = (selector.test, selector.specificity, order, selector.pseudo_element, payload)
        lean.lower_local_name_selectors.setdefault(selector.lower_local_name, []).append(entry)
    return lean


@cache
def lean_stylesheet() -> Any | None:
    """The lean UA sheet, or ``None`` when this WeasyPrint's sheet is not the one expected."""
    if _lean_text() is None:
        return None
    standard: Any = getattr(weasy_html, "UA_STYLESHEET", None)
    matcher = None if standard is None else _derived_matcher(standard.matcher)
    if matcher is None:  # pragma: no cover - another WeasyPrint's matcher: parse the text
        return parsed_lean_stylesheet()
    lean = copy.copy(standard)  # base URL, @page rules and layers: the same as parsed
    lean.matcher = matcher
    return lean
