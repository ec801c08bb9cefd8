"""The bulk engine: many certificate pages on one shared background, streamed.

Merged output (:func:`write_merged`) is made of fixed-size *chunks* of pages.
Object numbers depend only on the page index, so a chunk can be serialised
anywhere (in a worker process) and appended in order; its glyph usage is
merged in page order, so ``--jobs N`` writes the same bytes as ``--jobs 1``.
Each finished chunk is kept in a parts folder next to the output (written
atomically, keyed by a hash of the design and of the chunk's rows) until the
document is complete: an interrupted run resumes from the chunks it already
made, and the result is byte-identical to an uninterrupted run.

Object numbers of a merged file: 1 catalog, 2 page tree root, 3 font
dictionary, 4 info, 5… the background form and its resources, then for each
chunk one page-tree node followed by its pages (page, content, QR mask), then
the fonts.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import shutil
import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ... import __version__
from ...errors import RenderError
from ...executors.forked import forked_map
from ...output import atomic_open, atomic_write, creation_date, replace_write
from .background import Background, import_background
from .fontembed import font_objects
from .page import Certificate, Design, PageMaker, Usage, merge_usage
from .pdfwriter import BlockBuilder, PdfWriter, pdf_number, pdf_string, stream_object

#: Pages per chunk (fixed: object numbers depend on it).
CHUNK = 500
#: Objects the file starts with (catalog, page root, font dictionary, info).
BACKGROUND_BASE = 5

Progress = Callable[[int], None]
_BIG_ENDIAN = sys.byteorder == "big"


@dataclass(slots=True)
class Chunk:
    """A serialised chunk of pages."""

    block: bytes
    offsets: list[tuple[int, int]]
    usage: Usage
    notes: list[tuple[int, str]] = field(default_factory=list)  # (row, note)

    def dump(self) -> bytes:
        """The chunk as bytes: a SHA-256 of the rest, the object offsets (binary), the
        glyph usage and notes (JSON), then the serialised objects."""
        flat = array("q", [value for pair in self.offsets for value in pair])
        if _BIG_ENDIAN:  # the format is little-endian wherever it is made or read
            flat.byteswap()
        head = json.dumps(
            {
                "usage": {str(f): {str(g): t for g, t in u.items()} for f, u in self.usage.items()},
                "notes": self.notes,
            },
            ensure_ascii=False,
        ).encode()
        body = b"".join(
            (len(flat).to_bytes(8, "big"), flat.tobytes(), len(head).to_bytes(8, "big"), head,
             self.block)
        )
        return hashlib.sha256(body).digest() + body

    @classmethod
    def load(cls, data: bytes, *, verify: bool = True) -> Chunk | None:
        """The chunk stored in ``data``, or None when it is damaged (``verify=False``
        skips the checksum: for bytes just made by a worker of this process)."""
        if len(data) < 48 or (verify and hashlib.sha256(data[32:]).digest() != data[:32]):
            return None
        try:  # a part of an older format, or cut: made again
            view = memoryview(data)
            count = int.from_bytes(view[32:40], "big")
            flat = array("q")
            flat.frombytes(view[40 : 40 + 8 * count])
            if _BIG_ENDIAN:
                flat.byteswap()
            at = 40 + 8 * count
            size = int.from_bytes(view[at : at + 8], "big")
            head = json.loads(bytes(view[at + 8 : at + 8 + size]))
            usage = {int(f): {int(g): t for g, t in gl.items()} for f, gl in head["usage"].items()}
            notes = [(int(r), str(n)) for r, n in head["notes"]]
            offsets = list(zip(flat[::2], flat[1::2], strict=True))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return cls(data[at + 8 + size :], offsets, usage, notes)


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk run produced."""

    pages: int
    size: int
    notes: tuple[tuple[int, str], ...] = ()
    reused_chunks: int = 0


def design_key(design: Design) -> str:
    """A hash of everything that shapes the pages (design, fonts, engine version)."""
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(design.background_pdf)
    digest.update(repr((design.name_box, design.qr_box, CHUNK)).encode())
    for face in design.fonts:
        stat = Path(face.path).stat()
        digest.update(f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class _Pages:
    """Serialises pages for one design (one instance per process)."""

    def __init__(self, design: Design) -> None:
        self.background: Background = import_background(design.background_pdf, BACKGROUND_BASE)
        self.maker = PageMaker(design, self.background.height)
        self.per_page = 3 if design.qr_box is not None else 2
        # The font of the certificate ids: a fixed subset written once per file.
        id_base = BACKGROUND_BASE + self.background.count
        self.id_font: tuple[bytes, tuple[tuple[int, int], ...]] | None = None
        if design.qr_box is not None:
            builder = BlockBuilder()
            for number, body in self.maker.id_font_objects(id_base):
                builder.add(number, body)
            if builder.offsets:
                self.id_font = (builder.getvalue(), tuple(builder.offsets))
        self.id_font_number = id_base
        self.first_page_number = id_base + (len(self.id_font[1]) if self.id_font else 0)
        self.media = b"[0 0 %b %b]" % (
            pdf_number(self.background.width),
            pdf_number(self.background.height),
        )

    _prefix: tuple[bytes, tuple[int, array[int], int]] | None = None

    def single_prefix(self) -> tuple[bytes, tuple[int, array[int], int]]:
        """The start of every split file (header, background, id font), written once."""
        if self._prefix is None:
            buffer = _Buffer()
            writer = PdfWriter(buffer)
            writer.write_block(self.background.block, self.background.offsets)
            if self.id_font is not None:
                writer.write_block(*self.id_font)
            self._prefix = (buffer.getvalue(), writer.state())
        return self._prefix

    def node_number(self, chunk: int) -> int:
        return self.first_page_number + chunk * (1 + CHUNK * self.per_page)

    def chunk(self, index: int, certs: Sequence[Certificate]) -> Chunk:
        self.maker.reset_usage()
        node = self.node_number(index)
        builder = BlockBuilder()
        kids: list[bytes] = []
        notes: list[tuple[int, str]] = []
        bodies: list[tuple[int, bytes]] = []
        for i, cert in enumerate(certs):
            number = node + 1 + i * self.per_page
            bodies.extend(self.page(cert, number, node, notes))
            kids.append(b"%d 0 R" % number)
        builder.add(
            node,
            b"<< /Type /Pages /Parent 2 0 R /Count %d /Kids [%b] >>" % (len(kids), b" ".join(kids)),
        )
        for number, body in bodies:
            builder.add(number, body)
        return Chunk(builder.getvalue(), builder.offsets, self.maker.usage, notes)

    def page(
        self, cert: Certificate, number: int, parent: int, notes: list[tuple[int, str]]
    ) -> list[tuple[int, bytes]]:
        content = self.maker.page(cert)
        if content.notes:
            notes.extend((cert.row, note) for note in content.notes)
        if content.qr is not None:
            page = self._with_qr % (parent, number + 2, number + 1)
        else:
            page = self._without_qr % (parent, number + 1)
        out = [(number, page), (number + 1, stream_object(b"", content.stream))]
        if self.per_page == 3:
            qr = content.qr.xobject() if content.qr is not None else b"null"
            out.append((number + 2, qr))
        return out

    @functools.cached_property
    def _with_qr(self) -> bytes:
        """The page dictionary with a QR code: parent, QR and contents numbers to fill."""
        return (
            b"<< /Type /Page /Parent %%d 0 R /MediaBox %b /Resources << /XObject << /BG %d 0 R"
            b" /QR %%d 0 R >> /Font 3 0 R >> /Contents %%d 0 R >>" % (self.media, BACKGROUND_BASE)
        )

    @functools.cached_property
    def _without_qr(self) -> bytes:
        return (
            b"<< /Type /Page /Parent %%d 0 R /MediaBox %b /Resources << /XObject << /BG %d 0 R"
            b" >> /Font 3 0 R >> /Contents %%d 0 R >>" % (self.media, BACKGROUND_BASE)
        )


_WORKER: _Pages | None = None

#: A chunk's certificates as sent to a worker: rows, names, QR texts, ids (four
#: lists pickle ten times faster than the certificates themselves).
Task = tuple[int, list[int], list[str], list[str | None], list[str], Path]


def _task(index: int, certs: Sequence[Certificate], path: Path) -> Task:
    return (index, [c.row for c in certs], [c.name for c in certs],
            [c.qr_text for c in certs], [c.id_text for c in certs], path)


def _work(task: Task | None) -> bytes | None:
    """Make one chunk, store it as a part file, and return its head (None: a finished
    part, nothing to make)."""
    if task is None:
        return None
    assert _WORKER is not None
    index, rows, names, texts, ids, path = task
    certs = list(map(Certificate, rows, names, texts, ids))
    data = _WORKER.chunk(index, certs).dump()
    replace_write(path, data)
    return data[: _head_size(data)]  # the pages themselves are read from the part file


def _head_size(data: bytes) -> int:
    """The length of a dumped chunk's checksum, offsets, usage and notes (all but the pages)."""
    at = 40 + 8 * int.from_bytes(data[32:40], "big")
    return at + 8 + int.from_bytes(data[at : at + 8], "big")


def _chunks(certs: Iterable[Certificate]) -> Iterator[list[Certificate]]:
    it = iter(certs)
    while batch := list(islice(it, CHUNK)):
        yield batch


def _chunk_key(key: str, certs: Sequence[Certificate]) -> str:
    text = "\x1e".join(
        f"{c.row}\x1f{c.name}\x1f{c.qr_text}\x1f{c.id_text}" for c in certs
    )
    return hashlib.sha256(f"{key}\x1d{text}".encode()).hexdigest()[:32]


class _Parts:
    """The parts folder of a merged run: finished chunks, named by their key."""

    def __init__(self, output: Path, key: str) -> None:
        self.dir = output.parent / f".{output.name}.parts"
        self.dir.mkdir(parents=True, exist_ok=True)
        stamp = self.dir / "design"
        if not stamp.exists() or stamp.read_text() != key:
            for stale in self.dir.iterdir():
                stale.unlink()
            atomic_write(stamp, key.encode())
        for stale in self.dir.glob(".*.tmp"):  # left by a killed run
            stale.unlink()
        for stale in output.parent.glob(f".{glob.escape(output.name)}.*.tmp"):  # its output
            stale.unlink()

    def path(self, index: int, chunk_key: str) -> Path:
        return self.dir / f"{index:06d}-{chunk_key}.part"

    @staticmethod
    def finished(path: Path) -> bool:
        """Whether the part at ``path`` is there and whole (a damaged one is made again)."""
        return path.exists() and Chunk.load(path.read_bytes()) is not None

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def write_merged(
    design: Design,
    certs: Iterable[Certificate],
    output: Path,
    *,
    jobs: int = 1,
    title: str = "",
    progress: Progress | None = None,
) -> BulkResult:
    """Write one PDF with a page per certificate to ``output`` (atomically, resumable).

    Chunks are appended to the output as they are finished, in order, while
    the next ones are made; each is also kept as a part file until the end,
    for a re-run after an interruption.
    """
    output = Path(output)
    key = design_key(design)
    parts = _Parts(output, key)
    pages = _Pages(design)
    global _WORKER  # noqa: PLW0603 - the page maker of this process and of forked workers
    _WORKER = pages

    def chunks() -> Iterator[tuple[int, list[Certificate], Path, bool]]:
        """Every chunk, and whether a finished part of it is already there."""
        for index, batch in enumerate(_chunks(certs)):
            path = parts.path(index, _chunk_key(key, batch))
            yield index, batch, path, parts.finished(path)

    with atomic_open(output) as handle:
        document = _Document(PdfWriter(handle), pages, design)
        if jobs <= 1:
            for index, batch, path, done in chunks():
                chunk = None
                if not done:
                    chunk = pages.chunk(index, batch)
                    replace_write(path, chunk.dump())
                document.add(index, path, chunk, reused=done)
                if progress:
                    progress(len(batch))
        else:
            pages.maker.warm()  # workers are forked with every font loaded
            queue: deque[tuple[int, Path, int]] = deque()  # the chunks sent, in order

            def tasks() -> Iterator[Task | None]:
                for index, batch, path, done in chunks():
                    queue.append((index, path, len(batch)))
                    yield None if done else _task(index, batch, path)

            # Bounded: at most 2 chunks per worker in flight, never the whole list.
            for head in forked_map(_work, tasks(), jobs):
                document.take(queue.popleft(), head, progress)
        result = document.finish(title, key)
    parts.remove()
    return result


class _Document:
    """The merged file being written: chunks appended in order, then fonts and trailer."""

    def __init__(self, writer: PdfWriter, pages: _Pages, design: Design) -> None:
        self.writer = writer
        self.pages = pages
        self.design = design
        self.usage: Usage = {}
        self.notes: list[tuple[int, str]] = []
        self.kids: list[bytes] = []
        self.count = 0
        self.reused = 0
        bg = pages.background
        writer.write_block(bg.block, bg.offsets)
        if pages.id_font is not None:
            writer.write_block(*pages.id_font)

    def take(
        self, item: tuple[int, Path, int], head: bytes | None, progress: Progress | None
    ) -> None:
        """Append a chunk a worker made (``head``: all of it but the pages, which stay in
        the part file and are copied from there), or reuse a finished part (None)."""
        index, path, size = item
        chunk, block_at = None, None
        if head is not None:
            chunk, block_at = Chunk.load(head, verify=False), len(head)
        self.add(index, path, chunk, reused=head is None, block_at=block_at)
        if progress:
            progress(size)

    def add(
        self, index: int, path: Path, chunk: Chunk | None, *, reused: bool,
        block_at: int | None = None,
    ) -> None:
        """Append a chunk; with ``block_at``, its pages are the part file's bytes from there."""
        if chunk is None:
            block_at = None
            chunk = Chunk.load(path.read_bytes())
            if chunk is None:
                raise RenderError(
                    f"{path} changed while the document was written", hint="run it again"
                )
        self.reused += reused
        if block_at is None:
            self.writer.write_block(chunk.block, chunk.offsets)
        else:
            self.writer.copy_block(path, block_at, chunk.offsets)
        merge_usage(self.usage, chunk.usage)
        self.notes.extend(chunk.notes)
        self.kids.append(b"%d 0 R" % self.pages.node_number(index))
        self.count += (len(chunk.offsets) - 1) // self.pages.per_page

    def finish(self, title: str, key: str) -> BulkResult:
        writer, pages = self.writer, self.pages
        writer.skip_to(pages.node_number(len(self.kids)))
        fonts = _write_fonts(writer, pages, self.usage)
        writer.write_object(3, b"<< %b >>" % fonts)
        writer.write_object(
            2, b"<< /Type /Pages /Count %d /Kids [%b] >>" % (self.count, b" ".join(self.kids))
        )
        _finish(writer, title, self.design)
        size = writer.close(root=1, ident=f"{key}|{self.count}".encode(), info=4)
        return BulkResult(self.count, size, tuple(self.notes), self.reused)


def _write_fonts(writer: PdfWriter, pages: _Pages, usage: Usage) -> bytes:
    entries: list[bytes] = []
    if pages.id_font is not None:
        entries.append(b"/FI %d 0 R" % pages.id_font_number)
    for face in sorted(usage):
        if not usage[face]:
            continue
        font = pages.maker.embeddable(face)
        objects = font_objects(font, usage[face], writer.next_number)
        writer.reserve(len(objects))
        for number, body in objects:
            writer.write_object(number, body)
        entries.append(b"/F%d %d 0 R" % (face, objects[0][0]))
    return b" ".join(entries)


def _finish(writer: PdfWriter, title: str, design: Design) -> None:
    info = _info(os.environ.get("SOURCE_DATE_EPOCH"))
    author = b" /Author %b" % pdf_string(design.author) if design.author else b""
    writer.write_object(4, b"<< %b /Title %b%b >>" % (info, pdf_string(title), author))
    lang = b" /Lang %b" % pdf_string(design.lang) if design.lang else b""
    writer.write_object(1, b"<< /Type /Catalog /Pages 2 0 R%b >>" % lang)


@functools.cache
def _info(epoch: str | None) -> bytes:
    """The fixed part of the info dictionary (the date is ``SOURCE_DATE_EPOCH``'s,
    ``epoch``, which keys the cache)."""
    when = creation_date()
    stamp = b" /CreationDate (%b)" % when.strftime("D:%Y%m%d%H%M%SZ").encode() if when else b""
    return b"/Producer %b /Creator (printkit certificates)%b" % (
        pdf_string(f"printkit {__version__}"),
        stamp,
    )


def write_single(design: Design, pages: _Pages, cert: Certificate) -> tuple[bytes, list[str]]:
    """One certificate as a complete small PDF (for ``--split``)."""
    buffer = _Buffer()
    writer = PdfWriter.resume(buffer, *pages.single_prefix())
    pages.maker.reset_usage()
    number = pages.first_page_number
    notes: list[tuple[int, str]] = []
    for num, body in pages.page(cert, number, 2, notes):
        writer.write_object(num, body)
    writer.skip_to(number + pages.per_page)
    fonts = _write_fonts(writer, pages, pages.maker.usage)
    writer.write_object(3, b"<< %b >>" % fonts)
    writer.write_object(2, b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % number)
    _finish(writer, cert.name, design)
    writer.close(root=1, ident=f"{cert.row}|{cert.name}|{cert.id_text}".encode(), info=4)
    return buffer.getvalue(), [note for _, note in notes]


class _Buffer:
    """A write-only bytes buffer (cheaper than BytesIO for many small writes)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def new_pages(design: Design) -> _Pages:
    """A page serialiser for ``design`` (what :func:`write_single` needs)."""
    return _Pages(design)

