"""The lean UA sheet made from WeasyPrint's parsed sheet equals the lean text parsed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from printkit.documents.handout import build_handout
from printkit.options import HandoutOptions
from printkit.render import htmldoc, ua
from tests.conftest import CORPUS, ROOT


def _entries(sheet: Any) -> list[tuple[Any, ...]]:
    """Every matcher entry in rule order: where it is filed, its specificity, its
    pseudo-element and its declarations (the test function is compared by what it
    matches, below)."""
    matcher = sheet.matcher
    found = []
    for bucket in ua._BUCKETS:
        for key, entries in getattr(matcher, bucket).items():
            found += [(e[2], bucket, key, e[1], e[3], repr(e[4])) for e in entries]
    for bucket in ("lang_attr_selectors", "other_selectors"):
        found += [(e[2], bucket, None, e[1], e[3], repr(e[4])) for e in getattr(matcher, bucket)]
    found.sort(key=lambda e: (e[0], e[1], str(e[2])))
    return [e[1:] for e in found]  # orders differ (the text has fewer rules), not their order


def test_the_derived_sheet_has_the_parsed_sheets_rules() -> None:
    derived, parsed = ua.lean_stylesheet(), ua.parsed_lean_stylesheet()
    assert derived is not None and parsed is not None and derived is not parsed
    assert _entries(derived) == _entries(parsed)
    assert len(_entries(derived)) > 100
    assert repr(derived.page_rules) == repr(parsed.page_rules)
    assert derived.layers == parsed.layers and derived.base_url == parsed.base_url
    pseudos = {e[3] for e in _entries(derived)}
    assert "marker" in pseudos and not pseudos & ua._NOTE_PSEUDOS


def _guides() -> list[tuple[Path, str]]:
    found = [(ROOT / "examples/guides/en.md", "en-US"), (ROOT / "examples/guides/fr.md", "fr-FR")]
    for locale in ("ar-SA", "hi-IN", "ja-JP", "th-TH", "ru-RU"):
        guide = CORPUS / "hourofcode" / locale / "virtual.md"
        if guide.is_file():
            found.append((guide, locale))
    return found


@pytest.mark.parametrize("guide,locale", _guides(), ids=lambda v: getattr(v, "name", v))
def test_handouts_are_byte_identical_with_either_sheet(
    guide: Path, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    options = HandoutOptions(guide=guide, locale=locale)
    derived = build_handout(options).pdf
    monkeypatch.setattr(htmldoc, "lean_stylesheet", ua.parsed_lean_stylesheet)
    parsed = build_handout(options).pdf
    assert derived == parsed
