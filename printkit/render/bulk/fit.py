"""Auto-fit a name into its box: shrink to the width, then two lines.

The name is first set on one line at the largest size (up to ``max_size``)
whose ink and advance fit the box. Below ``min_size`` it is broken at the
space that best balances two lines (each line is shaped on its own, so bidi
runs are reordered per line). If even that needs a size below ``min_size``,
the smaller size is used and :attr:`Fitted.shrunk` is set: the name never
overflows the box, and is never clipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .shaping import Line, Shaper

#: Line advance, in multiples of the primary font's ascender − descender.
LINE_SPACING = 1.0


@dataclass(frozen=True, slots=True)
class NameBox:
    """Where the name goes: a box in pt from the page's top-left corner."""

    x: float
    y: float
    width: float
    height: float
    align: Literal["center", "left", "right", "start"] = "center"
    min_size: float = 14.0
    max_size: float = 40.0
    colour: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """A line and the PDF coordinates of its origin (baseline start)."""

    line: Line
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Fitted:
    """The name set in its box: font size and placed lines."""

    size: float
    lines: tuple[PlacedLine, ...]
    shrunk: bool = False


def _size_for(lines: list[Line], box: NameBox, pitch: float) -> float:
    width = max(line.width for line in lines)
    height = lines[0].top - lines[-1].bottom + pitch * (len(lines) - 1)
    limits = [box.max_size]
    if width > 0:
        limits.append(box.width / width)
    if height > 0:
        limits.append(box.height / height)
    return min(limits)


#: Scripts written without spaces between words, where a line may break between two
#: characters (Han, kana, Hangul syllables).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _break_candidates(text: str) -> list[tuple[int, int]]:
    """Where a name may break: (index, characters dropped), the middle ones first.

    At spaces (the space is dropped); in a name with no space, between two CJK
    characters (nothing is dropped).

    >>> _break_candidates("Ana María Pérez")[:2], _break_candidates("李小龍大")[:1]
    ([(9, 1), (3, 1)], [(2, 0)])
    """
    breaks = [(i, 1) for i, c in enumerate(text) if c == " "]
    if not breaks:
        breaks = [
            (i, 0) for i in range(1, len(text)) if _CJK.match(text[i - 1]) and _CJK.match(text[i])
        ]
    middle = len(text) / 2
    return sorted(breaks, key=lambda b: abs(b[0] - middle))[:5]


def fit_name(shaper: Shaper, name: str, box: NameBox, page_height: float) -> Fitted:
    """Shape and place ``name`` in ``box`` (``page_height`` converts to PDF coordinates)."""
    primary = shaper.font(0)
    pitch = (primary.ascender - primary.descender) * LINE_SPACING
    one = shaper.shape(name)
    lines = [one]
    size = _size_for(lines, box, pitch)
    if size < box.min_size:
        best: tuple[float, list[Line]] | None = None
        for i, dropped in _break_candidates(name):
            pair = [shaper.shape(name[:i].rstrip()), shaper.shape(name[i + dropped :].lstrip())]
            candidate = _size_for(pair, box, pitch)
            if best is None or candidate > best[0]:
                best = (candidate, pair)
        if best is not None and best[0] > size:
            size, lines = best
    # Block height and vertical centring (PDF y grows upwards).
    block_top = lines[0].top
    block_bottom = lines[-1].bottom - pitch * (len(lines) - 1)
    box_top = page_height - box.y
    centre = box_top - box.height / 2
    baseline = centre + (block_top + block_bottom) / 2 * -size
    placed: list[PlacedLine] = []
    rtl = one.rtl
    for n, line in enumerate(lines):
        align = box.align
        if align == "start":
            align = "right" if rtl else "left"
        if align == "left":
            x = box.x - line.left * size
        elif align == "right":
            x = box.x + box.width - line.right * size
        else:
            x = box.x + (box.width - line.width * size) / 2 - line.left * size
        placed.append(PlacedLine(line, x, baseline - n * pitch * size))
    return Fitted(size, tuple(placed), size < box.min_size)
