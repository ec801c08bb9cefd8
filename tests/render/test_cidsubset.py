"""Large CID-keyed CFF fonts (Noto CJK) are subset in one pass, to the glyphs used,
embedded as bare CFF, and the pages are the same as with WeasyPrint's own subsets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import uharfbuzz as hb
from PIL import ImageChops

from printkit.diagnostics import Diagnostics
from printkit.render import cidsubset
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import pdfium_pages, poppler_text, rasterise
from tests.render.fontfiles import cjk_font, font_file

# Our own text: kana, kanji, Latin and digits, regular and bold.
HTML = """<html lang="ja"><body style="font-family: 'Noto Sans CJK JP'">
<h1>プログラミング教室のご案内</h1>
<p>子どもたちは午前十時に集まり、先生と一緒に小さなゲームを作ります。</p>
<p><b>持ち物：</b>ノートパソコン、充電器、水筒。Wi-Fi は会場で使えます (2 時間)。</p>
</body></html>"""


def _render(tmp_path: Path, name: str, enabled: bool, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cidsubset, "ENABLED", enabled)
    out = tmp_path / name
    out.write_bytes(html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data)
    return out


def _font_programs(pdf: Path) -> dict[str, tuple[str, bytes]]:
    """Each embedded CFF font program (``/FontFile3``): its subtype and bytes, by name."""
    found: dict[str, tuple[str, bytes]] = {}
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile3" in descriptor:
                    program = descriptor["/FontFile3"].get_object()
                    found[str(descriptor["/FontName"])] = (
                        str(program["/Subtype"]), program.get_data())
    return found


def test_cjk_pages_are_the_same_from_a_far_smaller_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cjk_font()
    assert cidsubset.install()  # this WeasyPrint's subsetting is the one wrapped
    ours = _render(tmp_path, "one-pass.pdf", True, monkeypatch)
    weasy = _render(tmp_path, "two-pass.pdf", False, monkeypatch)
    mine, theirs = _font_programs(ours), _font_programs(weasy)
    assert len(mine) == len(theirs) == 2  # regular and bold
    assert {kind for kind, _ in mine.values()} == {"/CIDFontType0C"}
    assert {kind for kind, _ in theirs.values()} == {"/OpenType"}
    # WeasyPrint's subsets keep every glyph id up to the last one used (tens of thousands).
    assert sum(len(data) for _, data in mine.values()) * 5 < sum(
        len(data) for _, data in theirs.values())
    assert ours.stat().st_size * 2 < weasy.stat().st_size
    # Same text for both readers, same pixels from both renderers.
    assert "プログラミング教室のご案内" in poppler_text(ours)
    assert poppler_text(ours) == poppler_text(weasy)
    assert pdfium_pages(ours) == pdfium_pages(weasy)
    # pdfium anti-aliases bare CFF and OpenType CFF a shade apart (at most 20 of 255
    # here); a wrong or missing glyph differs by up to 255.
    for a, b in zip(rasterise(ours), rasterise(weasy), strict=True):
        histogram = ImageChops.difference(a.convert("L"), b.convert("L")).histogram()
        assert max(level for level, count in enumerate(histogram) if count) <= 48
    if shutil.which("pdftoppm") and shutil.which("qpdf"):
        pixels = []
        for pdf in (ours, weasy):
            run = subprocess.run(["pdftoppm", "-r", "100", "-gray", str(pdf)],
                                 capture_output=True, check=True)
            pixels.append(run.stdout)
        assert pixels[0] == pixels[1]  # poppler: the very same pixels
        qpdf = subprocess.run(["qpdf", "--check", str(ours)], capture_output=True, check=False)
        assert qpdf.returncode == 0, qpdf.stdout


def test_a_subset_is_kept_only_when_every_glyph_keeps_its_id_as_cid() -> None:
    face = hb.Face(hb.Blob(cjk_font().read_bytes()), 0)
    inp = hb.SubsetInput()
    inp.glyph_set.update({0, 10, 500, 20_000})
    plan = hb.SubsetPlan(face, inp)
    mapping = dict(plan.old_to_new_glyph_mapping)
    subset = bytes(plan.execute().blob.data)
    assert cidsubset.keeps_cids(subset, mapping)
    # A glyph said to come from another id, or a glyph the subset lacks: refused.
    assert not cidsubset.keeps_cids(subset, {**mapping, 500: mapping[10]})
    assert not cidsubset.keeps_cids(subset, {**mapping, 7: 999})
    # Not CFF, or not a font at all: refused (WeasyPrint's own subsetting runs).
    dejavu = font_file("DejaVu Sans")
    if dejavu.suffix == ".ttf":
        assert not cidsubset.keeps_cids(dejavu.read_bytes(), {1: 1})
    assert not cidsubset.keeps_cids(b"not a font", {1: 1})
