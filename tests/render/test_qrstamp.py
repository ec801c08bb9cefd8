"""QR slots: the renderer draws a decodable code with a blank quiet zone, at the slot's size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from printkit import qr
from printkit.diagnostics import Diagnostics
from printkit.render import qrstamp
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import decode_qr, rasterise

URL = "https://example.org/robot-garden/join?from=poster"
DPI = 300


def _first_page(html: str, tmp_path: Path) -> Any:
    """``html`` rendered, its first page rasterised at :data:`DPI` (RGB)."""
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data)
    return rasterise(pdf, dpi=DPI)[0].convert("RGB")


def test_slot_is_drawn_with_its_quiet_zone(tmp_path: Path) -> None:
    html = (
        "<style>@page { size: 60mm 60mm; margin: 0 } body { margin: 0; background: #fc0 }"
        " .qr-slot { display: block; margin: 10mm } </style>" + str(qrstamp.slot(URL, side="40mm"))
    )
    image = _first_page(html, tmp_path)
    assert decode_qr(image) == [URL]
    px_per_mm = DPI / 25.4
    code = qr.encode(URL)
    module = 40 / code.size_with_quiet_zone * px_per_mm
    left = top = 10 * px_per_mm
    quiet = qr.QUIET_ZONE * module
    # Every pixel of the quiet zone ring is white; just outside the slot is the page's yellow.
    for i in range(int(left + 2), int(left + 40 * px_per_mm - 2), 7):
        for j in (int(top + 2), int(top + quiet - 2)):
            assert image.getpixel((i, j)) == (255, 255, 255), (i, j)
            assert image.getpixel((j, i)) == (255, 255, 255), (j, i)
    assert image.getpixel((int(left - 3), int(top + 50))) != (255, 255, 255)
    # The first dark module (finder pattern corner) starts right after the quiet zone.
    inside = (int(left + quiet + module / 2), int(top + quiet + module / 2))
    assert image.getpixel(inside) == (0, 0, 0)


def test_slot_markup_escapes_the_url() -> None:
    markup = str(qrstamp.slot('https://example.org/"><script>'))
    assert "<script>" not in markup and "&#34;&gt;&lt;script&gt;" in markup


def test_slot_inside_an_absolutely_positioned_box_is_drawn(tmp_path: Path) -> None:
    # Layouts place codes out of flow (handout reference cards); those boxes hang
    # under placeholders in WeasyPrint's tree.
    html = (
        "<style>@page { size: 60mm 60mm; margin: 0 } body { margin: 0 }"
        " .card { position: relative; height: 50mm }"
        " .corner { position: absolute; top: 5mm; left: 8mm }"
        " .qr-slot { display: block }</style>"
        f'<div class="card"><div class="corner">{qrstamp.slot(URL, side="40mm")}</div></div>'
    )
    image = _first_page(html, tmp_path)
    assert decode_qr(image) == [URL]
    module = 40 / qr.encode(URL).size_with_quiet_zone * DPI / 25.4
    corner = int(8 * DPI / 25.4 + (qr.QUIET_ZONE + 0.5) * module)
    assert image.getpixel((corner, int(5 * DPI / 25.4 + (qr.QUIET_ZONE + 0.5) * module))) == (
        0,
        0,
        0,
    )


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_host_carries_its_code_in_the_inline_start_corner(tmp_path: Path, direction: str) -> None:
    # A host has no box for its code: the code goes in its padding box's top corner on the
    # inline-start side (right in right-to-left text), 20 mm long; the text keeps clear.
    html = (
        "<style>@page { size: 80mm 60mm; margin: 0 } body { margin: 0 }"
        " .host { margin: 5mm 10mm; min-height: 30mm; padding-inline-start: 22mm }</style>"
        f'<div dir="{direction}"><div class="host" {qrstamp.host(URL, "20mm")}>Card</div></div>'
    )
    image = _first_page(html, tmp_path)
    assert decode_qr(image) == [URL]
    px_per_mm = DPI / 25.4
    module = 20 / qr.encode(URL).size_with_quiet_zone * px_per_mm
    # The finder pattern's outer corner module: top left of the code, wherever it sits.
    left = 10 if direction == "ltr" else 80 - 10 - 20
    finder = int(left * px_per_mm + (qr.QUIET_ZONE + 0.5) * module)
    top = int(5 * px_per_mm + (qr.QUIET_ZONE + 0.5) * module)
    assert image.getpixel((finder, top)) == (0, 0, 0)
    other = int((80 - left - 20) * px_per_mm + (qr.QUIET_ZONE + 0.5) * module)
    assert image.getpixel((other, top)) == (255, 255, 255)


def test_host_split_over_pages_carries_one_code(tmp_path: Path) -> None:
    html = (
        "<style>@page { size: 80mm 60mm; margin: 5mm } body { margin: 0 }"
        " .host { padding-left: 22mm; font-size: 10pt }</style>"
        f'<div class="host" {qrstamp.host(URL, "20mm")}>'
        + "".join(f"<p>Line {n} of a long card.</p>" for n in range(30))
        + "</div>"
    )
    pdf = tmp_path / "split.pdf"
    pdf.write_bytes(html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data)
    pages = rasterise(pdf, dpi=150)
    assert len(pages) >= 2
    assert [decode_qr(page) for page in pages] == [[URL]] + [[]] * (len(pages) - 1)


@pytest.mark.parametrize("side", ["20", "20em", "-3mm", "nanmm", "infmm", ""])
def test_host_refuses_a_side_it_cannot_measure(side: str) -> None:
    with pytest.raises(ValueError, match="QR side"):
        qrstamp.host(URL, side)


def test_host_markup_escapes_the_url() -> None:
    markup = str(qrstamp.host('https://example.org/"><script>', "21mm"))
    assert "<script>" not in markup and "&#34;&gt;&lt;script&gt;" in markup
