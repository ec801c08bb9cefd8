"""Stylesheets given beside the HTML: cached when they can be, parsed per document when
their at-rules act at parse time (files read, counter styles), and always guarded."""

from __future__ import annotations

from pathlib import Path

from printkit.diagnostics import Diagnostics
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_sizes_mm, text


def _render(tmp_path: Path, html: str, css: str, diagnostics: Diagnostics) -> str:
    pdf = tmp_path / "doc.pdf"
    data = html_to_pdf(html, stylesheets=(css,), base_dir=tmp_path, diagnostics=diagnostics).data
    pdf.write_bytes(data)
    return text(pdf)


def test_counter_styles_of_a_stylesheet_apply(tmp_path: Path) -> None:
    css = (
        '@counter-style arrows { system: cyclic; symbols: "»"; suffix: " "; }'
        " ol { list-style: arrows }"
    )
    for _ in range(2):  # the second document must not lose them to a cache
        assert "» first » second" in _render(
            tmp_path, "<ol><li>first</li><li>second</li></ol>", css, Diagnostics()
        )


def test_a_stylesheet_import_outside_the_allowed_folders_is_refused(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    css = '@import url("file:///etc/passwd"); p { color: #c00 }'
    assert "Kept" in _render(tmp_path, "<p>Kept</p>", css, diagnostics)
    refused = [w for w in diagnostics if w.code == "fetch-refused"]
    assert refused and "/etc/passwd" in refused[0].message


def test_cached_stylesheets_style_every_document(tmp_path: Path) -> None:
    css = "@page { size: 100mm 50mm; margin: 5mm } p { font-size: 30pt }"
    for word in ("alpha", "beta"):
        pdf = tmp_path / f"{word}.pdf"
        data = html_to_pdf(
            f"<p>{word}</p>", stylesheets=(css,), base_dir=tmp_path, diagnostics=Diagnostics()
        ).data
        pdf.write_bytes(data)
        assert word in text(pdf)
        ((width, height),) = page_sizes_mm(pdf)
        assert round(width, 3) == 100 and round(height, 3) == 50
