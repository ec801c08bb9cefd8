"""QR codes drawn straight into the PDF, where a layout left a slot for one.

A layout writes :func:`slot` (an empty box with the URL in ``data-qr`` and its
size in CSS), or puts :func:`host` attributes on a box of its own: the code then
goes in that box's top inline-start corner (top left, top right in right-to-left
text), with no box of its own to style, lay out and draw (a handout's reference
cards: 2-3 % of its render). After WeasyPrint has laid the document out,
:func:`install` finds those boxes and draws each code into the page's own content
stream as one even-odd path of its traced outline, in module units: vector, crisp,
with its quiet zone, a few hundred bytes, and no SVG for WeasyPrint to parse
(which cost about 6 ms a code, a fifth of a handout's rendering).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .. import qr
from . import tagging

ATTRIBUTE = "data-qr"
#: A host's code side (CSS length in ``mm``, ``pt`` or ``px``).
SIDE_ATTRIBUTE = "data-qr-side"
_PX_PER_UNIT = {"mm": 96 / 25.4, "pt": 96 / 72, "px": 1.0}


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
    """A code as laid out: its URL and box in CSS pixels from the page corner; ``host``
    when a :func:`host` element carries it (else an empty :func:`slot` is its box)."""

    url: str
    x: float
    y: float
    width: float
    height: float
    host: bool = False


def host(url: str, side: str) -> Markup:
    """Attributes that make an element a QR host: its code, ``side`` long (``"21mm"``),
    is drawn in the element's top inline-start corner, over whatever is there (the
    layout keeps that corner free)."""
    if side_px(side) is None:
        raise ValueError(f"QR side {side!r}: give a length in mm, pt or px")
    return Markup(f'{ATTRIBUTE}="{escape(url)}" {SIDE_ATTRIBUTE}="{escape(side)}"')


def side_px(value: str) -> float | None:
    """A host's side in CSS pixels; ``None`` when it is not a positive mm/pt/px length."""
    text = value.strip()
    factor = _PX_PER_UNIT.get(text[-2:])
    try:
        number = float(text[:-2]) if factor else 0.0
    except ValueError:
        return None
    return number * factor if factor and 0 < number < math.inf else None


def placement(box: Any) -> Placed | None:
    """Where a laid-out box puts a code: an empty slot span, its content box; a host, a
    square ``data-qr-side`` long in the top corner of its padding box on the inline-start
    side. ``None`` for any other box."""
    element: Any = getattr(box, "element", None)
    url = element.get(ATTRIBUTE) if element is not None else None
    if not url:
        return None
    side_text = element.get(SIDE_ATTRIBUTE)
    if side_text is None:
        if box.element_tag != "span" or box.children:
            return None
        return Placed(url, box.content_box_x(), box.content_box_y(), box.width, box.height)
    side = side_px(side_text)
    if side is None:
        return None
    x = box.padding_box_x()
    if box.style["direction"] == "rtl":
        x += box.padding_width() - side
    return Placed(url, x, box.padding_box_y(), side, side, host=True)


def placed_slots(page: Any, seen: set[int] | None = None) -> list[Placed]:
    """The QR slots and hosts of a laid-out WeasyPrint page, in document order.

    A host's first box carries its code (its anonymous boxes, with the same element, come
    after it), and a host split over pages carries it on its first page only: ``seen``
    holds the ids of the host elements already placed, on this page or earlier ones.
    """
    found: list[Placed] = []
    seen = set() if seen is None else seen
    # placeholders=True: also the boxes inside absolutely positioned ones.
    for box in page._page_box.descendants(placeholders=True):
        placed = placement(box)
        if placed is None:
            continue
        if placed.host:
            if id(box.element) in seen:
                continue
            seen.add(id(box.element))
        found.append(placed)
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
    seen: set[int] = set()
    for index, page in enumerate(document.pages):
        placed = placed_slots(page, seen)
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
