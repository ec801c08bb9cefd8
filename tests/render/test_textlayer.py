"""The text layer on real output: what pdftotext and pdfium read from handouts in every script."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pypdfium2
import pytest

from printkit.documents.handout import build_handout
from printkit.documents.poster import PosterOptions, build_poster
from printkit.model import Event
from printkit.options import HandoutOptions
from printkit.render import clusters, textlayer
from tests.pdfcheck import pdfium_pages, poppler_text, rasterise

from .scripts import SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

#: poppler lays a several-character unit out left to right and reverses right-to-left runs,
#: so a right-to-left cluster's span holds its text in visual order; pdfium wants it
#: logical, and reads these clusters (marks over and under the letters) out of order.
PDFIUM_MARKS = {
    ("ar-SA", 1): "pdfium reads RTL span text (harakat clusters) as logical, poppler as visual",
    ("he-IL", 1): "pdfium reads RTL span text (niqqud clusters) as logical, poppler as visual",
}


def folded(text: str) -> str:
    """NFC, without whitespace and the bidi controls pdftotext adds around RTL runs."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@cache
def handout(locale: str, tmp: Path) -> Path:
    _script, paragraphs, _words = SAMPLES[locale]
    guide = tmp / f"{locale}.md"
    guide.write_text("# Text layer\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    pdf = tmp / f"{locale}.pdf"
    pdf.write_bytes(build_handout(HandoutOptions(guide=guide, locale=locale)).pdf)
    return pdf


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("textlayer")


CASES = [
    (locale, i) for locale, (_s, paragraphs, _w) in SAMPLES.items() for i in range(len(paragraphs))
]


def test_hook_is_intact() -> None:
    """Fails when a WeasyPrint upgrade changes what the hook wraps: see README, The text layer."""
    assert textlayer.install()
    assert textlayer.hook_intact() == []


@pytest.mark.parametrize(("locale", "index"), CASES)
def test_pdftotext_reads_every_paragraph(folder: Path, locale: str, index: int) -> None:
    paragraph = SAMPLES[locale][1][index]
    assert folded(paragraph) in folded(poppler_text(handout(locale, folder)))


def words(text: str) -> list[str]:
    """The words of ``text`` (NFC): runs of letters and marks."""
    marked = "".join(
        c if unicodedata.category(c)[0] in "LM" else " " for c in unicodedata.normalize("NFC", text)
    )
    return marked.split()


@pytest.mark.parametrize(("locale", "index"), CASES)
def test_word_spaces_come_out_as_spaces(folder: Path, locale: str, index: int) -> None:
    """pdftotext splits the paragraph into the source's words: no space inside a cluster."""
    paragraph = words(SAMPLES[locale][1][index])
    extracted = words(poppler_text(handout(locale, folder)))
    starts = [i for i, word in enumerate(extracted) if word == paragraph[0]]
    assert any(extracted[i : i + len(paragraph)] == paragraph for i in starts), extracted


@pytest.mark.parametrize(
    ("locale", "index"),
    [
        pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=PDFIUM_MARKS[case]))
        if case in PDFIUM_MARKS
        else case
        for case in CASES
    ],
)
def test_pdfium_reads_every_paragraph(folder: Path, locale: str, index: int) -> None:
    paragraph = SAMPLES[locale][1][index]
    assert folded(paragraph) in folded("".join(pdfium_pages(handout(locale, folder))))


@pytest.mark.parametrize("locale", list(SAMPLES))
def test_pdfium_search_finds_the_words(folder: Path, locale: str) -> None:
    document = pypdfium2.PdfDocument(str(handout(locale, folder)))
    try:
        for word in SAMPLES[locale][2]:
            searcher = document[0].get_textpage().search(word)
            assert searcher.get_next() is not None, word
    finally:
        document.close()


def test_search_finds_a_word_on_its_page(tmp_path: Path) -> None:
    """A Devanagari word only on page 2 is found there and nowhere else."""
    filler = "यह पंक्ति केवल जगह भरने के लिए लिखी गई है और इसमें खोज का शब्द नहीं है।"
    guide = tmp_path / "long.md"
    guide.write_text(
        "# लंबा\n\n" + "\n\n".join([filler] * 40) + "\n\nअंत में क्षेत्रीय प्रतियोगिता।\n",
        encoding="utf-8",
    )
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(build_handout(HandoutOptions(guide=guide, locale="hi-IN")).pdf)
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        assert len(document) >= 2
        found = [
            i
            for i, page in enumerate(document)
            if page.get_textpage().search("क्षेत्रीय").get_next() is not None
        ]
    finally:
        document.close()
    assert found == [len(found) and found[-1]] and found[0] >= 1


def poppler_pixels(pdf: Path, folder: Path) -> list[bytes]:
    """Each page rasterised by poppler (pdftoppm, grey, 100 dpi)."""
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "100", "-gray", str(pdf), str(prefix)], check=True)
    return [page.read_bytes() for page in sorted(folder.glob(f"{pdf.stem}-*.pgm"))]


@pytest.mark.parametrize("locale", ["hi-IN", "th-TH", "ar-SA", "he-IL", "km-KH"])
def test_the_hook_changes_no_pixel(folder: Path, tmp_path: Path, locale: str) -> None:
    """The spans split WeasyPrint's TJ arrays and add blank glyphs: nothing moves (poppler
    and pdfium rasterise the same pixels with the hook on and off)."""
    with_layer = poppler_pixels(handout(locale, folder), tmp_path)
    textlayer.set_enabled(False)
    try:
        guide = folder / f"{locale}.md"
        pdf = tmp_path / "off.pdf"
        pdf.write_bytes(build_handout(HandoutOptions(guide=guide, locale=locale)).pdf)
    finally:
        textlayer.set_enabled(True)
    assert with_layer and with_layer == poppler_pixels(pdf, tmp_path)
    pdfium = [image.tobytes() for image in rasterise(handout(locale, folder), dpi=100)]
    assert pdfium == [image.tobytes() for image in rasterise(pdf, dpi=100)]


def test_spans_are_written_and_every_line_matched(folder: Path) -> None:
    before = textlayer.STATS.desyncs
    data = handout("hi-IN", folder).read_bytes()
    assert textlayer.STATS.desyncs == before
    assert clusters.actual_text_operator("कि") == b"/Span <</ActualText <FEFF0915093F>>> BDC"
    assert data.startswith(b"%PDF")
    assert textlayer.STATS.spans > 0


def test_poster_title_and_call_to_action_read_back(tmp_path: Path) -> None:
    """The poster goes through the same hook: a Devanagari title and line read back."""
    title, tagline = "कंप्यूटर विज्ञान सप्ताह", "बच्चों के लिए प्रोग्रामिंग की दुनिया"
    options = PosterOptions(locale="hi-IN", event=Event(name=title), tagline=tagline)
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(build_poster(options).pdf)
    text = folded(poppler_text(pdf))
    assert folded(title) in text
    assert folded(tagline) in text
    assert folded(title) in folded("".join(pdfium_pages(pdf)))
