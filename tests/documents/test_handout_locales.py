"""Handouts in every shipped locale and every corpus locale: paper, glyphs, strings, direction."""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from printkit import i18n
from printkit.documents.handout import write_handout
from printkit.locale import LocaleContext
from printkit.options import HandoutOptions
from tests.conftest import CORPUS, ROOT
from tests.pdfcheck import fonts, page_sizes_mm, text

EXAMPLE = ROOT / "examples" / "guides" / "en.md"
#: CLDR supplemental paperSize: the US-Letter territories (issue 3); A4 everywhere else.
LETTER = {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
SHIPPED = sorted(i18n.catalog_tag(c) for c in i18n.catalogs())
RTL_LANGUAGES = {"ar", "he", "fa", "ur"}


def _fold(value: str) -> str:
    """Text as compared: NFKC, no combining marks or spaces (pdftotext reorders Thai marks)."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(c for c in value if not unicodedata.combining(c) and not c.isspace())


_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _contains(haystack: str, needle: str, *, rtl: bool = False) -> bool:
    """Whether the PDF text holds ``needle``; for RTL, word by word (pdftotext reorders runs)."""
    haystack = haystack.translate(_BIDI_CONTROLS)
    if rtl:
        return all(_fold(word) in _fold(haystack) for word in needle.split())
    folded, wanted = _fold(haystack), _fold(needle)
    if wanted in folded:
        return True
    # Indic conjuncts come out of pdftotext with letters lost (WeasyPrint's ToUnicode maps a
    # ligature glyph to part of its cluster): accept a window that matches at 75 % or more.
    size = len(wanted)
    return any(
        difflib.SequenceMatcher(None, wanted, folded[i : i + size]).ratio() >= 0.75
        for i in range(max(1, len(folded) - size + 1))
    )


@pytest.mark.parametrize("tag", SHIPPED)
def test_example_handout_in_every_shipped_locale(tag: str, tmp_path: Path) -> None:
    ctx = LocaleContext.parse(tag)
    out = tmp_path / "h.pdf"
    result = write_handout(HandoutOptions(guide=EXAMPLE, locale=tag), out)
    expected = (215.9, 279.4) if ctx.territory in LETTER else (210.0, 297.0)
    for width, height in page_sizes_mm(out):
        assert (width, height) == pytest.approx(expected, abs=0.5)
    assert [d for d in result.diagnostics if d.code == "missing-glyph"] == []
    content = text(out)
    pages = len(page_sizes_mm(out))
    label = ctx.gettext("Page %(page)s of %(pages)s") % {"page": pages, "pages": pages}
    for message, translated in (
        ("Watch the video", ctx.gettext("Watch the video")),
        ("Page 1 of N", label),
    ):
        if ctx.language != "en":
            assert not translated.startswith(message[:6]), f"{tag}: {message!r} not translated"
        assert _contains(content, translated, rtl=ctx.direction == "rtl"), (
            f"{tag}: {translated!r} not in the PDF"
        )


def _corpus_guides() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted((CORPUS / "hourofcode").glob("*/*.md"))


def _render_corpus(guide: Path, tmp_path: Path) -> tuple[Path, LocaleContext, object]:
    locale = guide.parent.name
    strings = guide.parent / "strings.yml"
    out = tmp_path / "c.pdf"
    result = write_handout(
        HandoutOptions(guide=guide, locale=locale, strings=strings if strings.is_file() else None),
        out,
    )
    return out, LocaleContext.parse(locale), result


@pytest.mark.corpus
@pytest.mark.parametrize("guide", _corpus_guides(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_locale_glyphs_direction_and_paper(guide: Path, tmp_path: Path) -> None:
    out, ctx, result = _render_corpus(guide, tmp_path)
    codes = result.diagnostics.codes()  # type: ignore[attr-defined]
    assert "missing-glyph" not in codes
    expected = (215.9, 279.4) if ctx.territory in LETTER else (210.0, 297.0)
    assert page_sizes_mm(out)[0] == pytest.approx(expected, abs=0.5)
    assert (ctx.direction == "rtl") == (ctx.language in RTL_LANGUAGES)
    if ctx.language == "ja":
        names = {n.split("+", 1)[-1] for n in fonts(out)}
        assert any("CJKjp" in n or "CJK-JP" in n.upper() or "CJKJP" in n for n in names), names
        assert not any(re.search(r"CJK-?(sc|tc|kr)", n, re.I) for n in names), names
    if ctx.direction == "rtl":
        _assert_right_aligned_title(out)


def _assert_right_aligned_title(pdf: Path) -> None:
    """In an RTL page the title block hugs the right margin (its words end there)."""
    xml = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', xml)[1])  # type: ignore[index]
    words = [
        (float(m[1]), float(m[2]), float(m[3]))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', xml)
    ]
    body = [w for w in words if w[1] > 60]  # below the running header
    top_line_y = min(w[1] for w in body)
    line = [w for w in body if abs(w[1] - top_line_y) < 2]
    right_edge = max(w[2] for w in line)
    left_edge = min(w[0] for w in line)
    assert right_edge > page_width * 0.85, (right_edge, page_width)
    assert page_width - right_edge < left_edge, "the first line should start from the right"
