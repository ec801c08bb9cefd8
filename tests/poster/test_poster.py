"""Posters: QR codes that scan (up close and from afar), sizes, fitting titles, bleed, RTL."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from babel import dates as babel_dates
from PIL import Image
from pypdf import PdfReader

from printkit.cli import main
from printkit.documents.poster import PosterOptions, PosterResult, parse_distance, write_poster
from printkit.layouts import PAPER_SIZES_MM
from printkit.model import Event
from tests.conftest import ROOT
from tests.pdfcheck import POINTS_PER_MM, decode_qr, page_sizes_mm, rasterise, text

EVENT = Event(
    name="Robot Garden",
    date=dt.date(2026, 12, 9),
    start=dt.time(14, 0),
    duration=110,
    place="Town library, Room 2",
    organiser="Friends of the Town Library",
    site_url="https://example.org/robot-garden",
)
SIGNUP = "https://example.org/robot-garden/signup"
IMAGE = ROOT / "assets" / "images" / "robot-garden.svg"
#: A phone camera: about 1000 useful pixels across a field of view 1.15 × the distance wide.
CAMERA_PIXELS = 1000
FIELD_OF_VIEW = 1.15


def _poster(tmp_path: Path, name: str = "p.pdf", **kw: object) -> tuple[Path, PosterResult]:
    options = PosterOptions(**{"event": EVENT, "url": SIGNUP, **kw})  # type: ignore[arg-type]
    out = tmp_path / name
    return out, write_poster(options, out)


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word with its box (points, from the top-left of the media box)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [
        (float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5])
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


@pytest.mark.parametrize("design", ["poster", "poster-bold"])
@pytest.mark.parametrize("locale", ["en-GB", "ar-EG"])
def test_qr_decodes_at_72_dpi_on_a4(tmp_path: Path, design: str, locale: str) -> None:
    pdf, result = _poster(tmp_path, paper="A4", design=design, locale=locale, image=IMAGE)
    assert result.pages == 1
    (page,) = rasterise(pdf, dpi=72)
    assert decode_qr(page) == [SIGNUP]
    content = text(pdf)
    assert "Robot Garden" in content and "Town library, Room 2" in content
    assert "example.org/robot-garden/signup" in content  # the short URL under the code


@pytest.mark.parametrize(
    ("paper", "distance"), [("A4", "1m"), ("A3", "1.5m"), ("A2", "2m"), ("18x24in", "2m")]
)
def test_qr_scans_from_the_distance_it_was_sized_for(
    tmp_path: Path, paper: str, distance: str
) -> None:
    metres = (parse_distance(distance) or 0) / 1000
    pdf, result = _poster(tmp_path, paper=paper, scan_distance_mm=metres * 1000)
    assert result.qr_side_mm >= metres * 100 - 0.1  # side ≥ distance / 10
    assert not [d for d in result.diagnostics if d.code == "qr-distance"]
    (page,) = rasterise(pdf, dpi=150)
    # What a phone sees from that far: the page shrunk to its share of the camera's pixels.
    width_mm = PAPER_SIZES_MM[paper][0]
    pixels_per_mm = CAMERA_PIXELS / (FIELD_OF_VIEW * metres * 1000)
    small = page.resize(
        (
            round(width_mm * pixels_per_mm),
            round(page.height * width_mm * pixels_per_mm / page.width),
        )
    )
    assert decode_qr(small) == [SIGNUP]
    # From twice as far the same code is too small: the test can tell the difference.
    tiny = page.resize((max(1, small.width // 3), max(1, small.height // 3)))
    assert decode_qr(tiny) == []


def test_distance_too_far_for_the_paper_warns(tmp_path: Path) -> None:
    _, result = _poster(tmp_path, paper="A4", scan_distance_mm=5000)
    warnings = [d.message for d in result.diagnostics if d.code == "qr-distance"]
    assert warnings and "5 m" in warnings[0]
    assert result.qr_side_mm < 500


@pytest.mark.parametrize("paper", sorted(set(PAPER_SIZES_MM) - {"A5", "Legal"}))
def test_every_poster_size(tmp_path: Path, paper: str) -> None:
    pdf, result = _poster(tmp_path, paper=paper, design="poster-bold")
    assert result.pages == 1
    ((width, height),) = page_sizes_mm(pdf)
    assert (width, height) == pytest.approx(PAPER_SIZES_MM[paper], abs=0.3)
    # Type scales with the page: the title's height is a fixed share of the page width.
    title = [w for w in _words(pdf) if w[4] == "Robot"]
    assert title
    _, y0, _, y1, _ = title[0]
    assert (y1 - y0) / (width * POINTS_PER_MM) == pytest.approx(0.12 * 1.33, rel=0.25)


@pytest.mark.parametrize("design", ["poster", "poster-bold"])
def test_long_title_shrinks_and_stays_on_the_page(tmp_path: Path, design: str) -> None:
    long_name = (
        "The Great Intergalactic Robot Garden Festival of Creative Coding, Tinkering and"
        " Supercalifragilisticexpialidocious Experiments"
    )
    event = Event(name=long_name, date=EVENT.date, place=EVENT.place)
    pdf, result = _poster(tmp_path, paper="A4", design=design, event=event)
    assert result.pages == 1
    assert result.title_scale < 1
    assert "does-not-fit" not in result.diagnostics.codes()
    ((width, height),) = page_sizes_mm(pdf)
    words = _words(pdf)
    page_w, page_h = width * POINTS_PER_MM, height * POINTS_PER_MM
    for x0, y0, x1, y1, word in words:
        assert x0 >= 0 and x1 <= page_w + 0.5, word
        assert y0 >= 0 and y1 <= page_h + 0.5, word
    assert "Supercalifragilisticexpialidocious" in text(pdf)
    _, short = _poster(tmp_path, "short.pdf", paper="A4", design=design)
    assert short.title_scale == 1.0


def test_print_shop_bleed_boxes_and_crop_marks(tmp_path: Path) -> None:
    pdf, _ = _poster(tmp_path, paper="A3", print_shop=True)
    plain, _ = _poster(tmp_path, "plain.pdf", paper="A3")
    page = PdfReader(pdf).pages[0]
    bleed = 3 * POINTS_PER_MM
    trim, bleed_box, media = page.trimbox, page.bleedbox, page.mediabox
    assert float(trim.width) == pytest.approx(297 * POINTS_PER_MM, abs=0.5)
    assert float(trim.height) == pytest.approx(420 * POINTS_PER_MM, abs=0.5)
    assert float(bleed_box.width) == pytest.approx(float(trim.width) + 2 * bleed, abs=0.5)
    assert float(bleed_box.left) == pytest.approx(float(trim.left) - bleed, abs=0.5)
    # The media box has room for the crop marks outside the bleed (a slug).
    slug = float(bleed_box.left) - float(media.left)
    assert slug > 5 * POINTS_PER_MM
    plain_page = PdfReader(plain).pages[0]
    assert list(plain_page.bleedbox) == list(plain_page.trimbox) == list(plain_page.mediabox)
    (image,) = rasterise(pdf, dpi=150)
    image = image.convert("RGB")
    px = 150 / 25.4  # pixels per mm
    slug_px = slug / POINTS_PER_MM * px
    trim_bottom = image.height - slug_px - 3 * px
    trim_left = slug_px + 3 * px
    # Backgrounds run into the bleed: the dark green footer band 1.5 mm below the trim.
    band = image.getpixel((image.width // 2, round(trim_bottom + 1.5 * px)))
    assert band[1] > band[0] + 30 and band[1] < 150
    # The slug is white, with a crop mark on each trim line's extension; none in the bleed.
    assert image.getpixel((image.width // 2, image.height - 2)) == (255, 255, 255)
    # (hairlines: anti-aliased, so look at the darkest pixel a row or column either side)
    near = range(-2, 3)
    row, column = round(trim_bottom), round(trim_left)
    mark_row = [image.getpixel((x, row + d)) for x in range(round(slug_px)) for d in near]
    assert min(sum(p) for p in mark_row) < 600, "no horizontal crop mark in the slug"
    mark_col = [image.getpixel((column + d, y)) for y in range(round(slug_px)) for d in near]
    assert min(sum(p) for p in mark_col) < 600, "no vertical crop mark in the slug"
    in_bleed = [
        image.getpixel((round(trim_left - d * px), round(trim_bottom + d * px)))
        for d in (0.5, 1.5, 2.5)
    ]
    assert all(p[1] > p[0] + 30 for p in in_bleed), in_bleed  # the green band, no mark
    check = subprocess.run(["qpdf", "--check", str(pdf)], check=False, capture_output=True)
    assert check.returncode == 0, check.stdout


def test_rtl_is_mirrored_and_metadata_is_set(tmp_path: Path) -> None:
    en, _ = _poster(tmp_path, "en.pdf", paper="A4", locale="en-GB")
    ar, _ = _poster(tmp_path, "ar.pdf", paper="A4", locale="ar-EG")
    width = 210 * POINTS_PER_MM
    (en_title,) = [w for w in _words(en) if w[4] == "Robot"]
    ar_garden = [w for w in _words(ar) if w[4] == "Garden"]
    assert en_title[0] < width * 0.15  # starts at the left margin
    assert ar_garden and ar_garden[0][2] > width * 0.85  # ends at the right margin
    reader = PdfReader(ar)
    assert reader.metadata is not None
    assert reader.metadata.title == "Robot Garden"
    assert reader.metadata.author == "Friends of the Town Library"
    assert str(reader.trailer["/Root"]["/Lang"]) == "ar-EG"
    content = text(ar)
    assert "٢٠٢٦" in content and "ديسمبر" in content  # the date, in Arabic, with its digits


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.pdf"
    args = ["poster", "--event", "Robot Garden", "--date", "2026-12-09", "--start", "14:00"]
    args += ["--url", SIGNUP, "--paper", "A3", "--scan-distance", "1m", "--print-shop"]
    assert main([*args, "--locale", "fr-FR", "-o", str(out)]) == 0
    assert "A3" in capsys.readouterr().err
    assert babel_dates.format_date(dt.date(2026, 12, 9), "full", locale="fr_FR") in text(out)
    assert decode_qr(rasterise(out, dpi=72)[0]) == [SIGNUP]
    assert main([*args, "--scan-distance", "far", "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["poster", "--event", "X", "--paper", "B7", "-o", str(tmp_path / "y.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


def test_free_height_is_spread_out_on_tall_paper(tmp_path: Path) -> None:
    pdf, _ = _poster(tmp_path, paper="Tabloid", design="poster")
    ((_, height),) = page_sizes_mm(pdf)
    (url,) = [w for w in _words(pdf) if w[4] == "example.org/robot-garden/signup"]
    (footer,) = [w for w in _words(pdf) if w[4] == "Free"]
    page_h = height * POINTS_PER_MM
    # The code and its URL sit just above the footer band, not under the title.
    assert url[3] > 0.8 * page_h
    assert footer[1] - url[3] < 0.08 * page_h


def test_images_are_downsampled_to_the_print_resolution(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    Image.effect_noise((3000, 2000), 80).convert("RGB").save(photo)
    pdf, _ = _poster(tmp_path, paper="A4", image=photo, dpi=150)
    sizes = [
        (int(x["/Width"]), int(x["/Height"]))
        for page in PdfReader(pdf).pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
        for x in [x.get_object()]
    ]
    assert sizes, "the photo is not in the PDF"
    # Printed at most ~80 mm wide: 150 dpi needs under 500 pixels, not 3000.
    assert all(w < 1000 and h < 700 for w, h in sizes), sizes
    assert pdf.stat().st_size < photo.stat().st_size / 3


def test_very_long_title_takes_more_lines_rather_than_never_fitting(tmp_path: Path) -> None:
    title = " ".join(["Robot Garden and the great family afternoon of puzzles and machines"] * 3)
    out = tmp_path / "long.pdf"
    args = ["poster", "--event", title, "--paper", "A4", "--scan-distance", "1m",
            "--url", SIGNUP, "-o", str(out)]
    assert main(args) == 0
    assert len(page_sizes_mm(out)) == 1
    assert decode_qr(rasterise(out, dpi=72)[0]) == [SIGNUP]
    assert "machines Robot Garden" in " ".join(text(out).split())


@pytest.mark.parametrize("alt", ["A robot watering seedlings", ""])
def test_image_alt_text_is_tagged_for_screen_readers(tmp_path: Path, alt: str) -> None:
    pdf, _ = _poster(tmp_path, paper="A4", image=IMAGE, image_alt=alt, pdf_variant="pdf/ua-1")
    tagged = subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    alts = re.findall(rb"/Alt \(([^)]*)\)", tagged)
    # Without --image-alt the picture is described by the poster's title (the event).
    assert (alt or EVENT.name).encode() in alts, alts
