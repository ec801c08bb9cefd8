"""Font files copied once per process: the same PDF bytes, one copy per collection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint.pdf import fonts

from printkit.diagnostics import Diagnostics
from printkit.render import fontbytes
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts
from tests.render.fontfiles import cjk_font

# Our own text, in two faces of one font and in two faces of one CJK collection.
LATIN = """<html lang="en"><head><style>
@page { size: A6; margin: 10mm; } body { font-family: 'DejaVu Sans'; font-size: 9pt; }
</style></head><body><p>Doors open at six; <b>volunteers first</b>.</p></body></html>"""
CJK = """<html><head><style>
@page { size: A6; margin: 10mm; } body { font-size: 10pt; }
.ja { font-family: 'Noto Sans CJK JP'; } .ko { font-family: 'Noto Sans CJK KR'; }
</style></head><body><p class="ja" lang="ja">受付は九時に開きます。</p>
<p class="ko" lang="ko">접수는 아홉 시에 시작합니다.</p></body></html>"""


@pytest.fixture
def font_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """The file bytes each WeasyPrint ``Font`` of the renders gets."""
    assert fontbytes.install()
    seen: list[bytes] = []
    init = fonts.Font.__init__

    def recording(self: Any, *args: Any) -> None:
        init(self, *args)
        seen.append(self.file_content)

    monkeypatch.setattr(fonts.Font, "__init__", recording)
    yield seen


def _render(html: str, tmp_path: Path) -> bytes:
    return html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data


def test_documents_share_each_file_and_write_the_same_bytes(
    tmp_path: Path, font_files: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _render(LATIN, tmp_path)
    second = _render(LATIN, tmp_path)
    assert first == second
    assert len(font_files) == 4  # regular and bold, twice
    assert font_files[0] is font_files[2] and font_files[1] is font_files[3]
    assert font_files[0] != font_files[1]
    monkeypatch.setattr(fontbytes, "ENABLED", False)  # as WeasyPrint does: a copy each time
    font_files.clear()
    assert _render(LATIN, tmp_path) == _render(LATIN, tmp_path) == first
    assert font_files[0] == font_files[2] and font_files[0] is not font_files[2]
    pdf = tmp_path / "latin.pdf"
    pdf.write_bytes(first)
    assert "volunteers first" in " ".join(page_texts(pdf))


def test_the_faces_of_a_collection_share_one_copy(
    tmp_path: Path, font_files: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = cjk_font().read_bytes()
    kept = _render(CJK, tmp_path)
    faces = [data for data in font_files if data == collection]
    assert len(faces) == 2  # Japanese and Korean, two faces of one file
    assert faces[0] is faces[1]
    assert fontbytes.hb_face(faces[0], 0) is fontbytes.hb_face(faces[0], 0)
    monkeypatch.setattr(fontbytes, "ENABLED", False)
    assert _render(CJK, tmp_path) == kept
    pdf = tmp_path / "cjk.pdf"
    pdf.write_bytes(kept)
    text = "".join("".join(page_texts(pdf)).split())
    assert "受付は九時に開きます。" in text and "접수는아홉시에시작합니다." in text


def test_the_cache_keeps_to_its_size(
    tmp_path: Path, font_files: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    fontbytes.clear()
    monkeypatch.setattr(fontbytes, "MAX_BYTES", 900_000)  # about one DejaVu face
    first = _render(LATIN, tmp_path)
    assert 0 < fontbytes._state["size"] <= 900_000
    assert len(fontbytes._files) == 1  # the bold face pushed the regular one out
    assert _render(LATIN, tmp_path) == first
    assert 0 < fontbytes._state["size"] <= 900_000
    # the kept files are the ones the cache counts, each once
    assert fontbytes._state["size"] == sum(len(f.data) for f in fontbytes._files.values())


def test_another_font_class_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fontbytes.install()
    original = fontbytes._state["original"]
    monkeypatch.setattr(fonts, "get_hb_object_data", original)
    monkeypatch.setitem(fontbytes._state, "original", None)
    monkeypatch.setitem(fontbytes._state, "refused", False)
    monkeypatch.setattr(fontbytes, "EXPECTED_SOURCE_SHA256", "0" * 32)
    assert not fontbytes.install()  # a function it does not know: left alone
    assert not fontbytes.install()  # and not read again
    assert fonts.get_hb_object_data is original
