"""The bulk PDF writer: blocks copied from part files give the bytes written ones do."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from printkit import output
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


def _xref(data: bytes) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The dictionary and (type, offset) rows of the file's cross-reference stream."""
    at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    head, rest = data[at:].split(b"stream\n", 1)
    width = int(head.split(b"/W [1 ")[1].split(b" ")[0])
    length = int(head.split(b"/Length ")[1].split(b" ")[0])
    rows = rest[:length]
    step = 1 + width
    table = [(rows[i], int.from_bytes(rows[i + 1 : i + step], "big"))
             for i in range(0, len(rows), step)]
    size = int(head.split(b"/Size ")[1].split(b" ")[0])
    return {"head": head, "size": size, "at": at}, table


@pytest.mark.parametrize("pad", [0, 70_000])
def test_the_xref_stream_points_at_every_object_and_marks_free_numbers(
    tmp_path: Path, pad: int
) -> None:
    out = io.BytesIO()
    writer = PdfWriter(out)
    writer.reserve(2)
    writer.write_object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    if pad:  # a file past 64 KiB: offsets need 3 bytes
        writer.write_object(writer.reserve(), b"(%b)" % (b"x" * pad))
    gap = writer.reserve(5)  # reserved, never written (as a partial last chunk leaves)
    page = writer.reserve()
    writer.write_object(page, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>")
    writer.write_object(2, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    size = writer.close(root=1, ident=b"test")
    data = out.getvalue()
    assert size == len(data) and data.endswith(b"%%EOF\n")
    trailer, table = _xref(data)
    assert trailer["size"] == len(table) == page + 2  # every number, and the stream's own
    assert table[0] == (0, 0) and all(table[n] == (0, 0) for n in range(gap, gap + 5))
    for number, (kind, offset) in enumerate(table):
        if kind:
            assert data[offset:].startswith(b"%d 0 obj\n" % number), number
    assert table[-1] == (1, trailer["at"])
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    check = subprocess.run(
        ["qpdf", "--check", str(path)], check=False, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr  # 3: warnings
    reader = PdfReader(path)
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.width == 200


@pytest.mark.skipif(sys.platform != "linux", reason="sync_file_range is Linux's")
def test_big_files_are_handed_to_the_disk_while_they_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = output._sync_file_range()
    assert real is not None
    calls: list[tuple[int, int]] = []

    def recorded(fd: int, offset: int, count: int, flags: int) -> int:
        result = real(fd, offset, count, flags)
        calls.append((fd, result))
        return result

    monkeypatch.setattr(output, "_sync_file_range", lambda: recorded)
    monkeypatch.setattr(PdfWriter, "WRITEBACK", 100)
    path = tmp_path / "big.pdf"
    with path.open("wb") as out:
        _document(PdfWriter(out), lambda writer: writer.write_block(*_block()))
        fd = out.fileno()
    assert calls == [(fd, 0)]  # the kernel took the request for this file
    assert path.read_bytes() == _written(tmp_path / "written.pdf")
    # A buffer has no file to write back: nothing is asked, nothing fails.
    calls.clear()
    _document(PdfWriter(io.BytesIO()), lambda writer: writer.write_block(*_block()))
    assert calls == []
