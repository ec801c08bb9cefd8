"""WeasyPrint resolves the stack's family names to the intended faces (Han by region)."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.fonts import capture_notdef_warnings
from printkit.locale import LocaleContext
from tests.pdfcheck import fonts

weasyprint = pytest.importorskip("weasyprint")


def families(pdf: Path) -> set[str]:
    """Embedded font names without subset prefix or hyphens: ``NotoSansCJKJP``."""
    return {name.split("+", 1)[-1].replace("-", "") for name in fonts(pdf)}


def render(tmp_path: Path, tag: str, text: str, role: str = "body") -> Path:
    ctx = LocaleContext.parse(tag)
    html = (
        f'<html lang="{ctx.hyphenate_lang}" dir="{ctx.direction}"><meta charset="utf-8">'
        f"<style>body {{ font-family: {ctx.font_family(role)} }}</style><p>{text}</p></html>"
    )
    out = tmp_path / f"{tag}.pdf"
    with capture_notdef_warnings() as missing:
        weasyprint.HTML(string=html).write_pdf(out)
    assert missing == []
    return out


@pytest.mark.parametrize(
    ("tag", "face"),
    [("ja", "NotoSansCJKJP"), ("zh-CN", "NotoSansCJKSC"), ("zh-TW", "NotoSansCJKTC"),
     ("ko", "NotoSansCJKKR")],
)
def test_han_text_uses_the_regional_face(tmp_path: Path, tag: str, face: str) -> None:
    assert families(render(tmp_path, tag, "直角 過去 海")) == {face}


def test_mixed_script_line_falls_back_per_script(tmp_path: Path) -> None:
    used = families(render(tmp_path, "fr", "Zoë محمد דוד ნინო Արամ สมชาย 김민준"))
    assert used == {
        "NotoSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansGeorgian", "NotoSansArmenian",
        "NotoSansThai", "NotoSansCJKSC",
    }


def test_display_role_for_names(tmp_path: Path) -> None:
    used = families(render(tmp_path, "ar", "ليلى Zoë", role="display"))
    assert used == {"NotoNaskhArabic", "NotoSerifDisplay"}
