"""The bulk PDF writer: blocks copied from part files give the bytes written ones do."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from printkit.render.bulk.pdfwriter import PdfWriter

# Two objects serialised elsewhere (as a worker's chunk is), after a header of 7 bytes.
HEAD = b"HEADER\n"
OBJECTS = [
    (3, b"3 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n"),
    (4, b"4 0 obj\n<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 100] >>\nendobj\n"),
]


def _block() -> tuple[bytes, list[tuple[int, int]]]:
    block, offsets = b"", []
    for number, body in OBJECTS:
        offsets.append((number, len(block)))
        block += body
    return block, offsets


def _document(writer: PdfWriter, add: Any) -> None:
    writer.reserve(4)
    writer.write_object(1, b"<< /Type /Catalog /Pages 3 0 R >>")
    writer.write_object(2, b"<< /Producer (test) >>")
    add(writer)
    writer.close(root=1, ident=b"test", info=2)


def _written(path: Path) -> bytes:
    block, offsets = _block()
    with path.open("wb") as out:
        _document(PdfWriter(out), lambda writer: writer.write_block(block, offsets))
    return path.read_bytes()


def _copied(path: Path, part: Path, sink: Any = None) -> bytes:
    block, offsets = _block()
    part.write_bytes(HEAD + block)
    if sink is not None:
        _document(PdfWriter(sink), lambda writer: writer.copy_block(part, len(HEAD), offsets))
        return bytes(sink.getvalue())
    with path.open("wb") as out:
        _document(PdfWriter(out), lambda writer: writer.copy_block(part, len(HEAD), offsets))
    return path.read_bytes()


def test_a_copied_block_gives_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = os.copy_file_range

    def counted(*args: Any) -> int:
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(os, "copy_file_range", counted)
    written = _written(tmp_path / "written.pdf")
    copied = _copied(tmp_path / "copied.pdf", tmp_path / "a.part")
    assert calls  # the kernel copied the pages
    assert copied == written
    reader = PdfReader(tmp_path / "copied.pdf")
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.width == 200


def test_without_the_kernel_copy_the_bytes_go_through_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = _written(tmp_path / "written.pdf")

    def cross_device(*args: Any) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", cross_device)
    assert _copied(tmp_path / "copied.pdf", tmp_path / "a.part") == written
    assert _copied(tmp_path / "x.pdf", tmp_path / "b.part", sink=io.BytesIO()) == written
