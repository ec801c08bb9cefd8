"""Handouts from the example guides and the real corpus: text, QR codes, paper, fonts."""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from printkit.cli import main
from printkit.documents.handout import build_handout, write_handout
from printkit.errors import FontError, PlaceholderError
from printkit.fonts.system import fontconfig_covers
from printkit.model import Event, ListBlock
from printkit.options import HandoutOptions
from tests.conftest import ROOT, corpus_guides, corpus_id, corpus_locale
from tests.pdfcheck import decode_qr, fonts, overlapping_words, page_sizes_mm, rasterise, text

EXAMPLES = ROOT / "examples"
RAW_LEFTOVERS = ("{{", "}}", "<%", "%>", "(%=", "</li>", "<b>", "</ul>", "<strong>")


def _options(guide: Path, locale: str, **kw: object) -> HandoutOptions:
    lang = locale.split("-", maxsplit=1)[0]
    strings = EXAMPLES / "strings" / f"{lang}.yml"
    return HandoutOptions(
        guide=guide,
        locale=locale,
        strings=strings if strings.is_file() else None,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("handout") / "en.pdf"
    result = write_handout(_options(EXAMPLES / "guides" / "en.md", "en-US"), out)
    return out, result


def test_text_has_headings_lists_and_table(english: tuple[Path, object]) -> None:
    pdf, _ = english
    content = text(pdf)
    for expected in (
        "Run a Robot Garden coding afternoon",
        "1. Before the day",
        "Book a room with one table per four children",
        "one at the door, to welcome latecomers",
        "Run of show",
        "Teams show what their robot can do.",
        "Small steps, big ideas.",
    ):
        assert expected in content, expected
    assert re.search(r"14:00\s*-\s*14:10", content)
    for raw in RAW_LEFTOVERS:
        assert raw not in content, raw


def test_every_link_has_a_qr_code_that_decodes(english: tuple[Path, object]) -> None:
    pdf, result = english
    urls = {ref.url for ref in result.references}  # type: ignore[attr-defined]
    assert "https://example.org/robot-garden/laptops" in urls
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in urls
    assert any(u.endswith("/learn") for u in urls)
    decoded: set[str] = set()
    for page in rasterise(pdf, dpi=150):
        decoded.update(decode_qr(page))
    assert urls == decoded
    guide_urls = {link.url for link in result.guide.links}  # type: ignore[attr-defined]
    assert guide_urls == urls


@pytest.mark.parametrize(
    ("locale", "size"),
    [("fr-FR", (210, 297)), ("en-US", (215.9, 279.4)), ("es-MX", (215.9, 279.4))],
)
def test_paper_follows_locale(locale: str, size: tuple[float, float]) -> None:
    guide = EXAMPLES / "guides" / ("fr.md" if locale.startswith("fr") else "en.md")
    result = build_handout(_options(guide, locale))
    assert result.paper == ("A4" if size[0] == 210 else "Letter")
    path = Path(__file__).parent / f"_tmp_{locale}.pdf"
    try:
        path.write_bytes(result.pdf)
        for width, height in page_sizes_mm(path):
            assert width == pytest.approx(size[0], abs=0.5)
            assert height == pytest.approx(size[1], abs=0.5)
    finally:
        path.unlink(missing_ok=True)


def test_fonts_are_embedded_subsets(english: tuple[Path, object]) -> None:
    pdf, _ = english
    found = fonts(pdf)
    assert found, "no fonts found"
    for name, embedded in found.items():
        assert embedded, name
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"


def test_same_input_same_bytes() -> None:
    options = _options(EXAMPLES / "guides" / "fr.md", "fr-FR")
    assert build_handout(options).pdf == build_handout(options).pdf


def test_french_indentation_damage_is_repaired(tmp_path: Path) -> None:
    out = tmp_path / "fr.pdf"
    result = write_handout(_options(EXAMPLES / "guides" / "fr.md", "fr-FR"), out)
    headings = [s.heading for s in result.guide.sections if s.heading]
    assert len(headings) >= 5
    assert len(result.guide.tables) == 1 and len(result.guide.tables[0].rows) == 6
    content = text(out)
    assert "2. Le jour J" in content and "Pause, avec des fruits du jardin." in content


def test_unknown_placeholder_marker_and_strict(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("---\ntitle: T\n---\n\n# T\n\nHello {{ nowhere/to_be_found }} there.\n")
    result = build_handout(HandoutOptions(guide=guide, locale="en-GB"))
    out = tmp_path / "g.pdf"
    out.write_bytes(result.pdf)
    assert "nowhere/to_be_found" in text(out)
    assert "{{" not in text(out)
    assert "placeholder-unknown" in result.diagnostics.codes()
    with pytest.raises(PlaceholderError) as info:
        build_handout(HandoutOptions(guide=guide, locale="en-GB", strict=True))
    assert "g.md" in str(info.value) and "line 7" in str(info.value)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handout", str(tmp_path / "missing.md"), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "missing.md" in err and "Traceback" not in err
    assert main(["handout", "--no-such-flag"]) == 2
    guide = str(EXAMPLES / "guides" / "en.md")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    assert main(["handout", guide, "-o", str(blocked / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "blocked is a file, not a folder" in err and "Traceback" not in err
    assert main(["handout", guide, "-o", str(tmp_path)]) == 1
    assert "is a folder, not a file" in capsys.readouterr().err
    for bad in (["--paper", "B9"], ["--tz", "Mars/Base"], ["--assets", str(tmp_path / "no")],
                ["--site-url", "notaurl"]):
        assert main(["handout", guide, "-o", str(tmp_path / "y.pdf"), *bad]) == 2, bad
        assert bad[0] in capsys.readouterr().err
    assert (
        main(
            [
                "handout",
                str(EXAMPLES / "guides" / "en.md"),
                "--locale",
                "xx-QQ",
                "-o",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert not (tmp_path / "x.pdf").exists()


def test_retimed_run_of_show_in_handout(tmp_path: Path) -> None:
    options = _options(
        EXAMPLES / "guides" / "en.md", "en-GB", start=9 * 60 + 30, event=Event(name="Robot Garden")
    )
    out = tmp_path / "r.pdf"
    write_handout(options, out)
    content = text(out)
    assert "09:30" in content and "09:40" in content  # 14:00-14:10 moved to 09:30-09:40
    assert "14:00" not in content


@pytest.mark.corpus
@pytest.mark.parametrize("guide", corpus_guides(), ids=corpus_id)
def test_corpus_guide_renders(guide: Path, tmp_path: Path) -> None:
    locale = corpus_locale(guide)
    strings = guide.parent / "strings.yml"
    options = HandoutOptions(
        guide=guide, locale=locale, strings=strings if strings.is_file() else None
    )
    out = tmp_path / "out.pdf"
    result = write_handout(options, out)
    assert result.pages >= 1
    assert "placeholder-unknown" not in result.diagnostics.codes()
    content = text(out)
    for raw in RAW_LEFTOVERS:
        assert raw not in content, raw
    # Nothing printed over anything (cards once landed under the text after a page break).
    assert overlapping_words(out) == []
    top = [s for s in result.guide.sections if s.heading]
    assert len(top) >= 3
    if guide.name == "events.md" or guide.name.startswith("000_"):
        (table,) = [t for t in result.guide.tables if len(t.rows) == 6]
        assert len(table.rows) == 6
        assert re.search(r"10\s*[:h.]\s*00", content)


@pytest.mark.corpus
@pytest.mark.parametrize("guide", corpus_guides(), ids=corpus_id)
def test_corpus_qr_codes_decode(guide: Path, tmp_path: Path) -> None:
    out = tmp_path / "qr.pdf"
    result = write_handout(HandoutOptions(guide=guide, locale=corpus_locale(guide)), out)
    urls = {ref.url for ref in result.references}
    assert urls == {link.url for link in result.guide.links}
    assert len(urls) >= 4
    decoded: set[str] = set()
    for page in rasterise(out, dpi=150):
        decoded.update(decode_qr(page))
    assert decoded == urls


def test_missing_glyphs_are_reported_with_file_and_line(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text(
        "---\ntitle: Glyphs\n---\n\n# Glyphs\n\nA private character: \ue000, and a"
        " hieroglyph outside every stack that an installed Noto font has: \U00013000.\n"
    )
    assert fontconfig_covers("\U00013000")  # fonts-noto-core, installed by the set-up
    result = build_handout(HandoutOptions(guide=guide, locale="en-GB"))
    missing = [d for d in result.diagnostics if d.code == "missing-glyph"]
    # The coverage check and WeasyPrint's own .notdef report both name U+E000; the hieroglyph
    # prints, so nothing names it.
    assert missing and all("U+E000" in d.message for d in missing)
    assert not any("U+13000" in d.message for d in result.diagnostics)
    assert missing[0].location is not None and missing[0].location.line == 7
    with pytest.raises(FontError):
        build_handout(HandoutOptions(guide=guide, locale="en-GB", strict=True))


def test_pdf_metadata(tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    options = _options(
        EXAMPLES / "guides" / "fr.md",
        "fr-FR",
        event=Event(name="Jardin des robots", organiser="Médiathèque de Lyon"),
    )
    write_handout(options, out)
    reader = PdfReader(out)
    meta = reader.metadata
    assert meta is not None
    assert meta["/Title"] == "Jardin des robots : un après-midi de code"
    assert meta["/Subject"] == "Jardin des robots"
    assert meta["/Author"] == "Médiathèque de Lyon"
    assert str(meta["/Creator"]).startswith("printkit")
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_source_date_epoch_is_the_creation_date(monkeypatch: pytest.MonkeyPatch) -> None:
    options = _options(EXAMPLES / "guides" / "en.md", "en-US")
    def created(pdf: bytes) -> object:
        meta = PdfReader(io.BytesIO(pdf)).metadata
        return meta.get("/CreationDate") if meta else None

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert created(build_handout(options).pdf) is None  # no wall clock in the output
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765238400")  # 2025-12-09T00:00:00Z
    first = build_handout(options).pdf
    assert str(created(first)).startswith("D:20251209000000")
    assert build_handout(options).pdf == first


def test_retiming_reaches_a_table_inside_a_list(tmp_path: Path) -> None:
    guide = tmp_path / "nested.md"
    guide.write_text(
        "---\ntitle: Nested\n---\n\n# Nested\n\n- The plan:\n\n"
        "  | Time | What |\n  | --- | --- |\n  | 10:00 - 10:20 | Welcome |\n"
        "  | 10:20 - 11:00 | Puzzles |\n",
        encoding="utf-8",
    )
    out = tmp_path / "n.pdf"
    result = write_handout(HandoutOptions(guide=guide, locale="en-GB", start=14 * 60), out)
    assert any(isinstance(b, ListBlock) for b in result.guide.blocks)  # the table stays nested
    content = text(out)
    assert "14:00" in content and "14:20" in content and "15:00" in content
    assert "10:00" not in content


def test_allow_network_fetches_remote_images_only_when_asked(tmp_path: Path) -> None:
    hits: list[str] = []
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 0, 0)).save(buffer, "PNG")
    png = buffer.getvalue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        guide = tmp_path / "net.md"
        url = f"http://127.0.0.1:{server.server_port}/photo.png"
        guide.write_text(f'---\ntitle: Net\n---\n\n# Net\n\n<img src="{url}" alt="a photo">\n')
        offline = build_handout(HandoutOptions(guide=guide, locale="en-GB"))
        assert hits == [] and "image-missing" in offline.diagnostics.codes()
        online = build_handout(HandoutOptions(guide=guide, locale="en-GB", allow_network=True))
        assert hits == ["/photo.png"]
        assert "image-missing" not in online.diagnostics.codes()
        out = tmp_path / "net.pdf"
        out.write_bytes(online.pdf)
        page = rasterise(out, dpi=72)[0].convert("RGB")
        assert (255, 0, 0) in {page.getpixel((x, y)) for x in range(0, page.width, 4)
                               for y in range(0, page.height // 3, 4)}
    finally:
        server.shutdown()


def _linked_guide(path: Path, sections: int) -> Path:
    """A guide whose sections end in a few rows of reference cards, some across page breaks."""
    parts = ["---\ntitle: Cards\n---\n\n# Cards\n"]
    for n in range(sections):
        links = " ".join(
            f"See [resource {n}-{k}](https://example.org/s{n}/r{k}) for the details."
            for k in range(1 + n % 5)
        )
        parts.append(
            f"## Step {n}\n\nVolunteers set up the room, check every laptop and write the"
            f" session plan on the board before the class arrives. {links}\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def test_reference_cards_never_overlap_the_text_after_a_page_break(tmp_path: Path) -> None:
    # Cards float; a card pushed past a page break on its own had the next section laid
    # over it (WeasyPrint 70). Rows now move to the next page whole.
    out = tmp_path / "cards.pdf"
    result = write_handout(
        HandoutOptions(guide=_linked_guide(tmp_path / "cards.md", 24), locale="en-GB"), out
    )
    assert result.pages >= 4
    assert overlapping_words(out) == []
    decoded: set[str] = set()
    for page in rasterise(out, dpi=150):
        decoded.update(decode_qr(page))
    assert decoded == {ref.url for ref in result.references}


def test_long_cells_and_urls_stay_on_the_page(tmp_path: Path) -> None:
    guide = tmp_path / "wide.md"
    long_url = "https://example.org/" + "/".join(["averyverylongpathsegment"] * 8)
    guide.write_text(
        "---\ntitle: Wide\n---\n\n# Wide\n\n| Question | Answer |\n| --- | --- |\n"
        "| What should a volunteer bring on the day, and how early should they arrive at the"
        " library for the setup? | A charger. |\n\n"
        f"A bare address: {long_url}\n"
    )
    out = tmp_path / "wide.pdf"
    write_handout(HandoutOptions(guide=guide, locale="en-GB"), out)
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', xml)[1])  # type: ignore[index]
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', xml)]
    assert max(right_edges) <= width - 30  # inside the right margin (16 mm)
    content = text(out)
    assert "for the setup?" in content and "A charger." in content
