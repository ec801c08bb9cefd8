"""Glyph coverage: exact answers for a mixed-script name list, lines, WeasyPrint's report."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.errors import FontError, Location
from printkit.fonts import (
    CoverageChecker,
    capture_notdef_warnings,
    check_coverage,
    check_lines,
    file_lines,
    font_stack,
    fonts_by_script,
    is_ignored,
    participant_lines,
    report_missing,
)
from printkit.fonts.stack import explainer
from printkit.model import FontFace, Participant

from .fontmaker import make_font

#: One name per script; the last ones carry emoji that only a colour emoji font has
#: (😀 is not among them: DejaVu Sans draws it in black and white).
NAMES = [
    "Zoë Ñúñez-Łukasiewicz", "Nguyễn Thị Ánh", "Çağla Şükrü", "محمد عبد الله",
    "دانیال رضایی", "דוד כהן", "राहुल शर्मा", "অনন্যা দাস", "தமிழ்செல்வி", "สมชาย ใจดี",
    "សុខា ចាន់", "ნინო ბერიძე", "Արամ Պետրոսյան", "Αλέξανδρος Παπαδόπουλος",
    "Дмитрий Іванченко", "王小明", "山田 さくら", "カタカナ タロウ", "김민준", "Ana 🦄",
    "Léo 🎉", "Mia 😀",
]
EMOJI_ONLY = {"🦄", "🎉"}


def emoji_font_installed() -> bool:
    return bool(fonts_by_script()["Emoji"])


def expected_missing(emoji_installed: bool) -> set[str]:
    return set() if emoji_installed else EMOJI_ONLY


@pytest.mark.parametrize("tag", ["fr-FR", "ja", "ar", "hi", "ko", "zh-TW", "th"])
def test_mixed_script_names_exact(tag: str) -> None:
    missing = check_lines(((n, Location(row=i + 2)) for i, n in enumerate(NAMES)), tag)
    assert {m.char for m in missing} == expected_missing(emoji_font_installed())
    for m in missing:
        assert m.location == Location(row=NAMES.index(next(n for n in NAMES if m.char in n)) + 2)
        assert m.script == "Zsye"
        assert "Noto Color Emoji" in m.reason and "fonts-noto-color-emoji" in m.reason


def test_emoji_covered_once_an_emoji_font_is_in_the_stack(tmp_path: Path) -> None:
    """The other branch: with a face mapping the emoji, nothing is reported."""
    emoji = make_font(tmp_path / "emoji.ttf", EMOJI_ONLY, "Test Emoji")
    stack = [*font_stack("fr"), FontFace("Test Emoji", emoji)]
    assert check_coverage("".join(NAMES), stack) == []
    without = check_coverage("".join(NAMES), font_stack("fr"))
    assert {m.char for m in without} == expected_missing(emoji_font_installed())


def test_missing_record_fields(tmp_path: Path) -> None:
    latin = make_font(tmp_path / "abc.ttf", "abc ")
    [m] = check_coverage("abc\u200dä", [FontFace("ABC", latin)], location=Location("n.csv", row=7))
    assert (m.char, m.codepoint, m.location) == ("ä", "U+00E4", Location("n.csv", row=7))
    assert m.describe().startswith("'ä' U+00E4 LATIN SMALL LETTER A WITH DIAERESIS at n.csv, row 7")


def test_decomposition_counts_as_covered(tmp_path: Path) -> None:
    """HarfBuzz draws ǹ as n + U+0300 when a font has those but not ǹ itself."""
    font = make_font(tmp_path / "f.ttf", "n\u0300")
    assert check_coverage("ǹ", [FontFace("F", font)]) == []
    other = make_font(tmp_path / "g.ttf", "\u0300")
    only_n = make_font(tmp_path / "h.ttf", "n")
    # The parts must come from one face.
    assert [m.char for m in check_coverage("ǹ", [FontFace("G", other), FontFace("H", only_n)])] == [
        "ǹ"
    ]


def test_ignored_characters(tmp_path: Path) -> None:
    font = make_font(tmp_path / "a.ttf", "a")
    text = "a\t\n a\u00a0a\u202fa\u200b\u200c\u200d\u200e\u2067a\u2069\u00ad\ufe0f\U000e0067"
    assert check_coverage(text, [FontFace("A", font)]) == []
    assert [is_ignored(c) for c in "\u3000\u2028\u034f"] == [True, True, True]
    # Private use and unassigned code points are never ignored.
    missing = check_coverage("\ue000\U0003fffd", [FontFace("A", font)])
    assert [m.reason for m in missing] == ["private-use character", "unassigned code point"]


def test_reason_names_the_script_and_fonts(tmp_path: Path) -> None:
    stack = font_stack("fr")
    noto_sans = [f for f in stack if f.family == "Noto Sans"]
    narrow = CoverageChecker(noto_sans, explain=explainer(noto_sans))
    [m] = narrow.check("ქ")
    assert m.script == "Geor"
    assert m.reason == (
        "the Georgian font(s) Noto Sans Georgian, Noto Serif Georgian are installed "
        "but not in this stack"
    )
    [m] = narrow.check("\u0e01\u0e32" [0])  # Thai ko kai
    assert m.script == "Thai" and "Thai" in m.reason
    box = make_font(tmp_path / "a.ttf", "a")
    [m] = CoverageChecker([FontFace("A", box)], explain=explainer([FontFace("A", box)])).check(
        "\U0001d11e"  # MUSICAL SYMBOL G CLEF: the Symbols entry
    )
    assert m.script == "Zsym"
    assert m.reason == (
        "the Symbols font(s) Noto Sans Symbols, Noto Sans Symbols2, Noto Sans Math are installed "
        "but not in this stack"
    )


def test_participant_rows(tmp_path: Path) -> None:
    people = [Participant(row=2, name="Zoë"), Participant(row=3, name="Ana \ue000")]
    missing = check_lines(participant_lines(people, "names.csv"), "fr")
    assert [(m.char, m.location) for m in missing] == [("\ue000", Location("names.csv", row=3))]


def test_guide_file_lines(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# Titre\n\nBonjour 🦄\nFin\n", encoding="utf-8")
    missing = check_lines(file_lines(guide), "fr")
    expected = [] if emoji_font_installed() else [("🦄", Location(str(guide), 3))]
    assert [(m.char, m.location) for m in missing] == expected


def test_report_missing_warns_or_raises(tmp_path: Path) -> None:
    font = make_font(tmp_path / "a.ttf", "a")
    missing = check_coverage("ab", [FontFace("A", font)], location=Location("x.md", 2))
    diags = Diagnostics()
    report_missing(missing, diags)
    assert diags.codes() == ["missing-glyph"]
    assert "'b' (U+0062" in diags.items[0].message
    with pytest.raises(FontError) as info:
        report_missing(missing, Diagnostics(), strict=True)
    assert info.value.location == Location("x.md", 2)


def test_capture_notdef_warnings_from_weasyprint(tmp_path: Path) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    font = make_font(tmp_path / "only-a.ttf", "a ", "Only A")
    html = (
        f"<meta charset=utf-8><style>@font-face{{font-family:OnlyA;src:url({font.as_uri()})}}"
        "body{font-family:OnlyA}</style><p>a\U0010fffd a</p>"
    )
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # as with --quiet: still captured
    try:
        with capture_notdef_warnings() as found:
            weasyprint.HTML(string=html, base_url=str(tmp_path)).write_pdf()
    finally:
        root.setLevel(level)
    assert [(m.char, m.codepoint) for m in found] == [("\U0010fffd", "U+10FFFD")]
    assert logging.getLogger("weasyprint").propagate is True
