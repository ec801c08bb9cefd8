"""QR codes drawn straight into the PDF, where a layout left a slot for one.

A layout writes :func:`slot` (an empty box with the URL in ``data-qr`` and its
size in CSS). After WeasyPrint has laid the document out, :func:`install`
finds those boxes and draws each code into the page's own content stream as
one even-odd path of its traced outline, in module units: vector, crisp, with
its quiet zone, a few hundred bytes, and no SVG for WeasyPrint to parse
(which cost about 6 ms a code, a fifth of a handout's rendering).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .. import qr
from . import tagging

ATTRIBUTE = "data-qr"


def slot(url: str, *, side: str | None = None, css_class: str = "qr-slot") -> Markup:
    """An empty box the renderer fills with the QR code of ``url``.

    ``side`` (a CSS length) sizes it inline; otherwise the layout's CSS must.
    """
    style = f' style="width:{escape(side)};height:{escape(side)}"' if side else ""
    return Markup(
        f'<span class="{escape(css_class)}" {ATTRIBUTE}="{escape(url)}"{style} '
        f'role="img" aria-label="QR code: {escape(url)}"></span>'
    )


@dataclass(frozen=True, slots=True)
class Placed:
    """A slot as laid out: its URL and content box in CSS pixels from the page corner."""

    url: str
    x: float
    y: float
    width: float
    height: float


def placed_slots(page: Any) -> list[Placed]:
    """The QR slots of a laid-out WeasyPrint page, in document order."""
    found: list[Placed] = []
    # placeholders=True: also the boxes inside absolutely positioned ones.
    for box in page._page_box.descendants(placeholders=True):
        element = getattr(box, "element", None)
        url = element.get(ATTRIBUTE) if element is not None else None
        if url and box.element_tag == "span" and not box.children:
            found.append(
                Placed(url, box.content_box_x(), box.content_box_y(), box.width, box.height)
            )
    return found


def draw(
    stream: Any, placed: list[Placed], scale: float, document: Any = None, page: int = 0
) -> None:
    """Draw codes into a page stream whose user space is WeasyPrint's (points, y down).

    In a tagged document each code is a Figure whose alternative text is its URL.
    """
    for item in placed:
        side = min(item.width, item.height)
        box = (item.x, item.y, item.x + side, item.y + side)
        with tagging.figure(stream, document, page, item.url, box):
            _draw_one(stream, item, scale)


def _draw_one(stream: Any, item: Placed, scale: float) -> None:
    code = qr.encode(item.url)
    side = min(item.width, item.height)
    module = side / code.size_with_quiet_zone
    with stream.stacked():
        stream.transform(a=scale, d=scale)
        stream.set_color_rgb(1, 1, 1)
        stream.rectangle(item.x, item.y, side, side)
        stream.fill()
        stream.set_color_rgb(0, 0, 0)
        with stream.stacked():
            offset = qr.QUIET_ZONE * module
            stream.transform(a=module, d=module, e=item.x + offset, f=item.y + offset)
            # The path's bytes are built once per URL; pydyf's per-point calls cost
            # more than the rest of the page's drawing.
            stream.stream.append(qr.outline_path(item.url))
            stream.fill(even_odd=True)


def install(document: Any) -> int:
    """Arrange for every page of a laid-out document to draw its QR slots; returns their count."""
    count = 0
    for index, page in enumerate(document.pages):
        placed = placed_slots(page)
        if not placed:
            continue
        count += len(placed)
        page.paint = _painter(page.paint, placed, document, index)
    return count


def _painter(
    original: Callable[..., None], placed: list[Placed], document: Any, index: int
) -> Callable[..., None]:
    def paint(stream: Any, scale: float = 1) -> None:
        original(stream, scale)
        draw(stream, placed, scale, document, index)

    return paint
