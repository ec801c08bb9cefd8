"""Shared helpers for the certificate tests: fonts, a small design, running the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from printkit.model import FontFace
from printkit.render.bulk.fit import NameBox
from printkit.render.bulk.page import Design, QrBox

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

#: Script → font file used for it in the tests (Noto, from fonts-noto-core).
SCRIPT_FONTS = {
    "latin": "NotoSans-Regular.ttf",
    "arabic": "NotoSansArabic-Regular.ttf",
    "hebrew": "NotoSansHebrew-Regular.ttf",
    "devanagari": "NotoSansDevanagari-Regular.ttf",
    "tamil": "NotoSansTamil-Regular.ttf",
    "thai": "NotoSansThai-Regular.ttf",
    "khmer": "NotoSansKhmer-Regular.ttf",
}

#: Names in many scripts (own examples).
NAMES = {
    "latin": "Ada Lovelace",
    "accents": "José Núñez-Øster",
    "arabic": "مريم بنت أحمد",
    "hebrew": "דוד בן שמעון",
    "devanagari": "किरण निधि शर्मा",
    "tamil": "கொடி கோபால்",
    "thai": "สมชาย ใจดี",
    "khmer": "សុខ សំណាង",
    "cjk": "山田 太郎",
    "mixed": "Ana مريم",
}


def noto_stack() -> tuple[FontFace, ...]:
    """A font stack of Noto faces (the tests skip when fonts-noto-core is absent)."""
    faces = [FontFace(name, NOTO / file) for name, file in SCRIPT_FONTS.items()]
    if not all(f.path.is_file() for f in faces) or not CJK.is_file():
        pytest.skip("Noto fonts are not installed")
    return (*faces, FontFace("Noto Sans CJK JP", CJK, 0))


def background(width_mm: float = 297, height_mm: float = 210, html: str = "") -> bytes:
    """A landscape page rendered by WeasyPrint (a frame and a title by default)."""
    body = html or (
        '<div style="position:absolute;left:10mm;top:10mm;right:10mm;bottom:10mm;'
        'border:2mm double #345"></div>'
        '<h1 style="position:absolute;top:25mm;width:100%;text-align:center;'
        'font-family:Noto Sans">Certificate of achievement</h1>'
    )
    html = (
        f"<style>@page {{ size: {width_mm}mm {height_mm}mm; margin: 0 }} body {{ margin: 0 }}"
        f"</style>{body}"
    )
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    return data


def design(*, qr: bool = True, box: NameBox | None = None, bg: bytes | None = None) -> Design:
    """A design: name box across the middle, QR box bottom right."""
    return Design(
        background_pdf=bg if bg is not None else background(),
        name_box=box or NameBox(120, 230, 602, 80, min_size=18, max_size=44),
        fonts=noto_stack(),
        qr_box=QrBox(690, 440, 100) if qr else None,
    )
