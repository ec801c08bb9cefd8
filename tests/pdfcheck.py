"""Helpers to look at real output: text, page sizes, fonts, pixels and QR codes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2
import zxingcpp
from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def page_texts(pdf: Path) -> list[str]:
    """Text of each page, as pdftotext extracts it (pypdf when poppler is missing)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        pages = out.split("\f")
        return pages[:-1] if pages and pages[-1] == "" else pages
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def poppler_text(pdf: Path) -> str:
    """The whole text as pdftotext extracts it (pages separated by form feeds)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdfium_pages(pdf: Path) -> list[str]:
    """Text of each page as pdfium (pypdfium2) extracts it: the second, independent reader."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def text(pdf: Path) -> str:
    """All text of a PDF, whitespace folded."""
    return " ".join(" ".join(page_texts(pdf)).split())


def page_sizes_mm(pdf: Path) -> list[tuple[float, float]]:
    """Width and height of each page in millimetres (MediaBox)."""
    sizes = []
    for page in PdfReader(pdf).pages:
        box = page.mediabox
        sizes.append((float(box.width) / POINTS_PER_MM, float(box.height) / POINTS_PER_MM))
    return sizes


def fonts(pdf: Path) -> dict[str, bool]:
    """Base font names used by the PDF, mapped to whether they are embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        font_dict = resources.get_object().get("/Font") if resources else None
        if not font_dict:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                d = descriptor.get_object()
                embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = embedded
    return found


def rasterise(pdf: Path, dpi: int = 150) -> list[Any]:
    """Each page as a PIL image at ``dpi``."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in doc]
    finally:
        doc.close()


def decode_qr(image: Any) -> list[str]:
    """Every QR code found in an image, decoded."""
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def overlapping_words(pdf: Path) -> list[tuple[int, str, str]]:
    """Pairs of words drawn over each other, as ``(page, word, word)``: poppler's word
    boxes (font ascent to descent) that each hold the other's vertical centre and share
    a third of the narrower one's width. Lines set close, or tall script metrics, do not
    count; one text printed over another does."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    found: list[tuple[int, str, str]] = []
    for number, page in enumerate(xml.split("<page ")[1:], start=1):
        words = sorted(
            ((float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(page)),
            key=lambda word: word[1],
        )
        for i, first in enumerate(words):
            centre = (first[1] + first[3]) / 2
            for second in words[i + 1 :]:
                if second[1] >= centre:
                    break  # sorted by top: no later word holds this one's centre
                shared = min(first[2], second[2]) - max(first[0], second[0])
                narrower = min(first[2] - first[0], second[2] - second[0])
                holds_second = first[1] < (second[1] + second[3]) / 2 < first[3]
                if shared > narrower / 3 and holds_second and second[3] > centre:
                    found.append((number, first[4], second[4]))
    return found
