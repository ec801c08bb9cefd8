"""Font stacks per locale and role, from fonts/fonts.toml and fontconfig."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from printkit.errors import FontError
from printkit.fonts import css_font_family, font_stack, fonts_by_script, load_manifest
from printkit.locale import LocaleContext

CJK = ("Noto Sans CJK", "Noto Serif CJK")


def first_cjk(tag: str, role: str = "body") -> str:
    return next(f.family for f in font_stack(tag, role) if f.family.startswith(CJK))


@pytest.mark.parametrize(
    ("tag", "region"),
    [("ja", "JP"), ("ja-JP", "JP"), ("zh-CN", "SC"), ("zh", "SC"), ("zh-SG", "SC"),
     ("zh-TW", "TC"), ("zh-HK", "TC"), ("ko", "KR"), ("fr", "SC"), ("ar", "SC")],
)
def test_first_cjk_face_matches_the_locale(tag: str, region: str) -> None:
    assert first_cjk(tag) == f"Noto Sans CJK {region}"
    assert first_cjk(tag, "display") == f"Noto Serif CJK {region}"


@pytest.mark.parametrize("family", ["Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Serif CJK TC"])
def test_ttc_index_selects_the_named_face(family: str) -> None:
    """The index in a .ttc collection is the face whose name table carries the family."""
    face = next(
        f for tag in ("ja", "ko", "zh-TW") for role in ("body", "heading", "display")
        for f in font_stack(tag, role) if f.family == family
    )
    assert face.path.suffix == ".ttc"
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        names = {str(n) for n in font["name"].names if n.nameID in (1, 16)}
    assert family in names


def test_heading_cjk_face_is_bold_and_regional() -> None:
    face = font_stack("ja", "heading")[0]
    assert (face.family, face.weight) == ("Noto Sans CJK JP", 700)
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        names = {str(n) for n in font["name"].names if n.nameID in (1, 2, 16, 17)}
    assert {"Noto Sans CJK JP", "Bold"} <= names


@pytest.mark.parametrize(
    ("tag", "first"),
    [("fr", "Noto Sans"), ("ru", "Noto Sans"), ("el", "Noto Sans"), ("ar", "Noto Sans Arabic"),
     ("fa", "Noto Sans Arabic"), ("he", "Noto Sans Hebrew"), ("hi", "Noto Sans Devanagari"),
     ("bn", "Noto Sans Bengali"), ("ta", "Noto Sans Tamil"), ("th", "Noto Sans Thai"),
     ("km", "Noto Sans Khmer"), ("ka", "Noto Sans Georgian"), ("hy", "Noto Sans Armenian"),
     ("ja", "Noto Sans CJK JP"), ("ko", "Noto Sans CJK KR")],
)
def test_own_script_first_then_latin(tag: str, first: str) -> None:
    families = [f.family for f in font_stack(tag)]
    assert families[0] == first
    if first != "Noto Sans":
        assert families[1] == "Noto Sans"
    assert families[-1] == "DejaVu Sans"  # the last resort stays last
    assert len(families) == len(set(families))


def test_every_other_script_follows_as_fallback() -> None:
    families = {f.family for f in font_stack("fr")}
    for expected in ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari",
                     "Noto Sans Tamil", "Noto Sans Thai", "Noto Sans Khmer",
                     "Noto Sans Georgian", "Noto Sans Armenian", "Noto Sans CJK SC"):
        assert expected in families


def test_roles_pick_weight_and_family() -> None:
    heading = font_stack("fr", "heading")[0]
    assert (heading.family, heading.weight) == ("Noto Sans", 700)
    assert "Bold" in heading.path.name
    display = font_stack("fr", "display")[0]
    assert display.family == "Noto Serif Display"
    assert font_stack("ar", "display")[0].family == "Noto Naskh Arabic"
    with pytest.raises(FontError):
        font_stack("fr", "caption")


def test_css_font_family_for_a_locale() -> None:
    ctx = LocaleContext.parse("ja")
    value = ctx.font_family()
    assert value.startswith('"Noto Sans CJK JP", "Noto Sans", ')
    assert value.endswith(", sans-serif")
    assert ctx.font_family("display").endswith(", serif")
    assert css_font_family(ctx.font_stack(), "body") == value
    assert [f.family for f in ctx.font_stack()] == [f.family for f in font_stack("ja-JP")]


def test_fonts_by_script_lists_installed_families() -> None:
    found = fonts_by_script()
    for script in ("Latin", "Greek", "Cyrillic", "Arabic", "Hebrew", "Devanagari", "Bengali",
                   "Tamil", "Thai", "Khmer", "Georgian", "Armenian", "Japanese", "Korean",
                   "Chinese (Simplified)", "Chinese (Traditional)"):
        assert found[script], script
    assert found["Arabic"] == ["Noto Sans Arabic", "Noto Naskh Arabic"]
    assert found["Japanese"] == ["Noto Sans CJK JP", "Noto Serif CJK JP"]


def test_manifest_rejects_bad_entries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "fonts.toml"
    bad.write_text('[scripts.Latn]\nname = "Latin"\ndisplay = ["X"]\n', encoding="utf-8")
    with pytest.raises(FontError) as info:
        load_manifest(bad)
    assert info.value.location is not None and info.value.location.key == "scripts.Latn"
    bad.write_text('[[bundled]]\nfamily = "X"\nfile = "missing.ttf"\n', encoding="utf-8")
    with pytest.raises(FontError, match=r"missing\.ttf"):
        load_manifest(bad)
