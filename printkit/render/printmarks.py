"""Print-shop pages: bleed, and crop marks outside it.

WeasyPrint draws ``marks: crop`` inside the bleed, where a print shop expects
artwork only. So a print-shop document is laid out with a wider CSS bleed (the
bleed plus a slug of :data:`SLUG_MM`); after layout, :func:`install` paints the
slug white and draws the crop marks there, and :func:`set_bleed_boxes` (a
finisher) sets each page's BleedBox to the real bleed around its TrimBox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydyf

from . import tagging

#: Room outside the bleed for the crop marks (mm).
SLUG_MM = 7.0
#: Crop marks: they start this far outside the bleed and are this long (mm), this thick (pt).
MARK_GAP_MM = 0.5
MARK_LENGTH_MM = 5.0
MARK_WIDTH_PT = 0.25

_PX_PER_MM = 96 / 25.4
_PT_PER_MM = 72 / 25.4


def css_bleed_mm(bleed_mm: float) -> float:
    """The CSS ``bleed`` to lay a print-shop page out with: the bleed and the slug."""
    return bleed_mm + SLUG_MM


def install(document: Any, bleed_mm: float) -> None:
    """Make every page paint its slug white and draw crop marks after its own content."""
    for page in document.pages:
        page.paint = _painter(page.paint, page.width, page.height, bleed_mm)


def _painter(
    original: Callable[..., None], width: float, height: float, bleed_mm: float
) -> Callable[..., None]:
    def paint(stream: Any, scale: float = 1) -> None:
        original(stream, scale)
        draw_marks(stream, scale, width, height, bleed_mm)

    return paint


def draw_marks(stream: Any, scale: float, width: float, height: float, bleed_mm: float) -> None:
    """Paint the slug of a ``width`` × ``height`` (CSS px) page white and draw its crop marks.

    In a tagged document they are an Artifact. The stream's user space is WeasyPrint's:
    CSS px times ``scale``, origin at the trim box's top-left corner, y down.
    """
    bleed = bleed_mm * _PX_PER_MM
    outer = css_bleed_mm(bleed_mm) * _PX_PER_MM
    start = (bleed_mm + MARK_GAP_MM) * _PX_PER_MM
    end = start + MARK_LENGTH_MM * _PX_PER_MM
    with tagging.artifact(stream), stream.stacked():
        stream.transform(a=scale, d=scale)
        stream.set_color_rgb(1, 1, 1)
        stream.rectangle(-outer, -outer, width + 2 * outer, height + 2 * outer)
        stream.rectangle(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed)
        stream.fill(even_odd=True)
        stream.set_color_rgb(0, 0, 0, stroke=True)
        stream.set_line_width(MARK_WIDTH_PT * 96 / 72)
        for x in (0, width):
            for y in (0, height):
                away_x = -1 if x == 0 else 1
                away_y = -1 if y == 0 else 1
                # A horizontal mark on the trim line's extension, and a vertical one.
                stream.move_to(x + away_x * start, y)
                stream.line_to(x + away_x * end, y)
                stream.move_to(x, y + away_y * start)
                stream.line_to(x, y + away_y * end)
        stream.stroke()


def set_bleed_boxes(pdf: pydyf.PDF, bleed_mm: float) -> None:
    """Set each page's BleedBox to ``bleed_mm`` around its TrimBox (a finisher step)."""
    bleed = bleed_mm * _PT_PER_MM
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
            left, top, right, bottom = obj["TrimBox"]
            box = [left - bleed, top - bleed, right + bleed, bottom + bleed]
            obj["BleedBox"] = pydyf.Array(box)
