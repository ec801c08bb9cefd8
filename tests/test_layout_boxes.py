"""No text of a shipped design runs into a QR code or its quiet zone, in any shipped locale.

The code is found where a phone would find it: the page is rasterised and decoded, the
quiet zone (4 modules, ISO/IEC 18004) added around the symbol, and every glyph's box,
as pdfium reads it, must stay outside that square.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp

from printkit.documents.certificates import CertificateOptions, write_certificates
from printkit.documents.poster import PosterOptions, build_poster
from printkit.layouts import find_layout
from printkit.model import Event
from tests.conftest import ROOT

DPI = 100
QUIET_MODULES = 4


def shipped_locales() -> list[str]:
    """Every locale the layouts have a catalog for (``pt_BR`` -> ``pt-BR``), and en-US."""
    tags = {p.name.replace("_", "-") for p in (ROOT / "layouts" / "locale").iterdir()
            if (p / "LC_MESSAGES").is_dir()}
    return sorted(tags | {"en-US"})


LOCALES = shipped_locales()
EVENT = Event(name="Hour of Code 2026", date=dt.date(2026, 12, 7), organiser="Code Club",
              place="Room 2", site_url="https://example.org/garden")


def quiet_squares(page: Any) -> list[tuple[float, float, float, float]]:
    """Each decoded QR code's square with its quiet zone, in PDF points (x0, y0, x1, y1)."""
    image = page.render(scale=DPI / 72).to_pil()
    _, height_pt = page.get_size()
    squares = []
    for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        corners = [found.position.top_left, found.position.top_right,
                   found.position.bottom_right, found.position.bottom_left]
        xs = [c.x * 72 / DPI for c in corners]
        ys = [height_pt - c.y * 72 / DPI for c in corners]
        modules = 17 + 4 * int(found.extra["Version"])
        quiet = (max(xs) - min(xs)) / modules * QUIET_MODULES
        squares.append((min(xs) - quiet, min(ys) - quiet, max(xs) + quiet, max(ys) + quiet))
    return squares


def overlapping_text(pdf: bytes | Path) -> tuple[int, list[str]]:
    """(codes found, the characters whose boxes enter a code's quiet zone)."""
    doc = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        found, hits = 0, []
        for page in doc:
            squares = quiet_squares(page)
            found += len(squares)
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                char = textpage.get_text_range(i, 1)
                if not char.strip():
                    continue
                left, bottom, right, top = textpage.get_charbox(i)
                for x0, y0, x1, y1 in squares:
                    if left < x1 and right > x0 and bottom < y1 and top > y0:
                        hits.append(char)
        return found, hits
    finally:
        doc.close()


@pytest.mark.parametrize("paper", find_layout("certificate").papers)
@pytest.mark.parametrize("locale", LOCALES)
def test_certificate_text_clear_of_the_qr_code(tmp_path: Path, locale: str, paper: str) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name\nAda Lovelace\n", encoding="utf-8")
    options = CertificateOptions(event=EVENT, locale=locale, paper=paper, people=people,
                                 verify_url="https://example.org/verify/{id}", id_key="k",
                                 signatory="Amal Haddad, librarian")
    out = tmp_path / "c.pdf"
    write_certificates(options, out)
    found, hits = overlapping_text(out)
    assert found == 1, "the verification code must decode"
    assert hits == [], f"{locale} {paper}: text inside the QR quiet zone: {''.join(hits)!r}"


@pytest.mark.parametrize("design", ["poster", "poster-bold"])
@pytest.mark.parametrize("locale", LOCALES)
def test_poster_text_clear_of_the_qr_code(locale: str, design: str) -> None:
    options = PosterOptions(event=EVENT, locale=locale, design=design,
                            url="https://example.org/garden/signup", tagline="Families welcome")
    found, hits = overlapping_text(build_poster(options).pdf)
    assert found == 1, "the poster's code must decode"
    assert hits == [], f"{locale} {design}: text inside the QR quiet zone: {''.join(hits)!r}"
