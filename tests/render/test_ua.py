"""The lean user-agent sheet: same rendering, no per-element note styles; notes still work."""

from __future__ import annotations

from pathlib import Path

from printkit.diagnostics import Diagnostics
from printkit.render.htmldoc import PrintkitHTML
from printkit.render.ua import lean_stylesheet, uses_notes
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import text as pdf_text


def _text(html: str, tmp_path: Path) -> str:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data)
    return pdf_text(pdf)


def test_the_installed_weasyprint_sheet_is_recognised() -> None:
    # If WeasyPrint changes its sheet, this fails rather than silently losing the saving.
    lean = lean_stylesheet()
    assert lean is not None
    document = PrintkitHTML.from_markup("<p>x</p>", base_url="", url_fetcher=None)
    assert document._ua_stylesheets() == [lean]


def test_lists_keep_their_markers(tmp_path: Path) -> None:
    text = _text("<ul><li>apples</li></ul><ol><li>first</li><li>second</li></ol>", tmp_path)
    assert "• apples" in text
    assert "1. first" in text and "2. second" in text


def test_documents_with_footnotes_get_the_full_sheet(tmp_path: Path) -> None:
    html = (
        "<style>.fn { float: footnote }</style>"
        "<p>Robots<span class='fn'>Small ones.</span> in the garden.</p>"
    )
    assert uses_notes(html)
    text = _text(html, tmp_path)
    # The call and the marker come from the UA sheet's ::footnote-call and ::footnote-marker.
    assert "Robots1 in the garden." in text
    assert "1. Small ones." in text


def test_footnotes_declared_in_a_layout_stylesheet_get_the_full_sheet(tmp_path: Path) -> None:
    pdf = tmp_path / "notes.pdf"
    html = "<p>Robots<span class='fn'>Small ones.</span> in the garden.</p>"
    data = html_to_pdf(
        html, stylesheets=(".fn { float: footnote }",), base_dir=tmp_path, diagnostics=Diagnostics()
    ).data
    pdf.write_bytes(data)
    assert "1. Small ones." in pdf_text(pdf)
