"""Copy the first page of a PDF into Form XObject objects, with pypdf (see :mod:`.background`)."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

from ...errors import RenderError
from .background import Background
from .pdfwriter import BlockBuilder, pdf_number, stream_object


class _Copier:
    def __init__(self, base: int) -> None:
        self.base = base
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, PdfObject]] = []
        self.objects: list[tuple[int, bytes]] = []

    def ref(self, obj: IndirectObject) -> bytes:
        key = (obj.idnum, obj.generation)
        if key not in self.numbers:
            self.numbers[key] = self.base + len(self.numbers) + 1
            target = obj.get_object()
            assert target is not None
            self.pending.append((self.numbers[key], target))
        return b"%d 0 R" % self.numbers[key]

    def value(self, obj: PdfObject) -> bytes:
        if isinstance(obj, IndirectObject):
            return self.ref(obj)
        if isinstance(obj, StreamObject):
            raise RenderError("a stream cannot be a direct object in the background PDF")
        if isinstance(obj, DictionaryObject):
            items = b" ".join(
                self.value(k) + b" " + self.value(v)
                for k, v in obj.items()
                if k not in ("/Parent", "/Annots", "/StructParents")
            )
            return b"<< " + items + b" >>"
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self.value(v) for v in obj) + b"]"
        buf = io.BytesIO()
        obj.write_to_stream(buf)
        return buf.getvalue()

    def body(self, obj: PdfObject) -> bytes:
        if isinstance(obj, StreamObject):
            data: bytes = obj._data  # the raw (still encoded) data
            entries = {k: v for k, v in obj.items() if k != "/Length"}
            inner = b" ".join(self.value(k) + b" " + self.value(v) for k, v in entries.items())
            return stream_object(inner, data)
        return self.value(obj)

    def drain(self) -> None:
        while self.pending:
            number, obj = self.pending.pop(0)
            self.objects.append((number, self.body(obj)))


def copy_first_page(pdf: bytes, base: int) -> Background:
    """Make the first page of ``pdf`` (e.g. a WeasyPrint rendering) a Form XObject.

    The form gets object number ``base``, the objects it uses the following numbers.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf))
        page = reader.pages[0]
    except Exception as exc:  # pypdf raises many types for broken input
        raise RenderError(f"the certificate background is not a readable PDF: {exc}") from exc
    box = [float(v) for v in page.mediabox]
    x0, y0, x1, y1 = box
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    copier = _Copier(base)
    resources = page.get("/Resources")
    res_bytes = copier.value(resources) if resources is not None else b"<< >>"
    copier.drain()
    bbox = b"[" + b" ".join(pdf_number(v) for v in (x0, y0, x1, y1)) + b"]"
    form = stream_object(
        b"/Type /XObject /Subtype /Form /BBox %b /Resources %b" % (bbox, res_bytes),
        zlib.compress(data, 6),
    ).replace(b"/Length", b"/Filter /FlateDecode /Length", 1)
    builder = BlockBuilder()
    for number, body in ((base, form), *sorted(copier.objects)):
        builder.add(number, body)
    return Background(
        width=x1 - x0,
        height=y1 - y0,
        base=base,
        count=len(copier.objects) + 1,
        block=builder.getvalue(),
        offsets=tuple(builder.offsets),
    )
