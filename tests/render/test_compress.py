"""Streams are deflated once, by printkit, and read back unchanged."""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Any

import pydyf
import pypdf

from printkit.diagnostics import Diagnostics
from printkit.render.compress import compress_streams
from printkit.render.weasy import html_to_pdf


def test_streams_are_deflated_once_and_decode_to_their_content() -> None:
    pdf = pydyf.PDF()
    content = pydyf.Stream(compress=True)
    content.rectangle(10, 10, 50, 50)
    content.fill()
    image_like = pydyf.Stream([b"\xff\xd8 jpeg bytes"], {"Filter": "/DCTDecode"}, compress=False)
    pdf.add_object(content)
    pdf.add_object(image_like)
    assert compress_streams(None, pdf) == 1
    assert content.compress is False and content.extra["Filter"] == "/FlateDecode"
    assert zlib.decompress(content.stream[0]) == b"10 10 50 50 re\nf"
    # A stream that already has its own filter is left as it is.
    assert image_like.stream == [b"\xff\xd8 jpeg bytes"]
    page_dict = {"Type": "/Page", "MediaBox": pydyf.Array([0, 0, 100, 100])}
    pdf.add_page(pydyf.Dictionary({**page_dict, "Contents": content.reference}))
    out = io.BytesIO()
    pdf.write(out, identifier=True, compress=True)
    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert page.get_contents().get_data() == b"10 10 50 50 re\nf"  # type: ignore[union-attr]


def test_rendered_documents_have_every_content_stream_deflated(tmp_path: Path) -> None:
    html = "<p>Deflated once.</p>" * 40
    data = html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data
    reader = pypdf.PdfReader(io.BytesIO(data))
    contents: Any = reader.pages[0]["/Contents"].get_object()
    assert contents["/Filter"] == "/FlateDecode"
    assert b"BT" in contents.get_data()
    assert "Deflated once." in reader.pages[0].extract_text()
    ids: Any = reader.trailer["/ID"]
    assert ids[0] == ids[1]
