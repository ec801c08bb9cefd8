"""PNG previews of first pages (pypdfium2), for a quick look or a web page."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

from ..output import atomic_write

#: Width of a preview in pixels.
PREVIEW_WIDTH = 800


def write_preview(pdf: Path, target: Path | None = None, width: int = PREVIEW_WIDTH) -> Path:
    """Render the first page of ``pdf`` ``width`` pixels wide to ``target`` (default: .png)."""
    target = target or pdf.with_suffix(".png")
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    finally:
        document.close()
    atomic_write(target, buffer.getvalue())
    return target
