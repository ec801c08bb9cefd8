"""Inline flow: items between the tree and model paragraphs.

While a paragraph is converted, block-like things written inline travel as
*items* beside the inlines: :class:`Hoist` (always a block of its own),
:class:`Pending` (an image or button: a block when alone on its line) and
:class:`Soft` (a soft line break). :func:`normalise` turns what remains
into clean inlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Location
from ..model import (
    Block,
    Button,
    Embed,
    Figure,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    LinkSpan,
    ListBlock,
    Paragraph,
    Text,
)

_WS = re.compile(r"[ \t\r\n\f\v]+")


@dataclass(frozen=True, slots=True)
class Soft:
    """A soft line break (a space, but it ends a 'line' for hoisting)."""


@dataclass(frozen=True, slots=True)
class Hoist:
    block: Block


@dataclass(frozen=True, slots=True)
class Pending:
    """An image or button: a block when alone on its line, inline otherwise."""

    image: Image | None = None
    link: Link | None = None
    label: str = ""
    location: Location | None = None

    def as_block(self) -> Block:
        if self.image is not None:
            return Figure(self.image, self.link, self.location)
        assert self.link is not None
        return Button(self.label, self.link, self.location)

    def as_inlines(self) -> list[Inline]:
        if self.image is not None:
            img: Inline = InlineImage(self.image)
            return [LinkSpan(self.link, (img,)) if self.link else img]
        assert self.link is not None
        return [LinkSpan(self.link, (Text(self.label),))]


Item = Inline | Soft | Hoist | Pending



def alone(items: list[tuple[Item, int]], index: int) -> bool:
    """Whether item ``index`` shares its line only with whitespace or other lone items."""
    for step in (-1, 1):
        pos = index + step
        while 0 <= pos < len(items):
            item = items[pos][0]
            if isinstance(item, LineBreak | Soft | Hoist):
                break
            if isinstance(item, Text) and not item.text.strip():
                pos += step
                continue
            if isinstance(item, Pending):
                pos += step
                continue
            return False
    return True


def visible(inlines: list[Inline] | tuple[Inline, ...]) -> bool:
    for inline in inlines:
        if isinstance(inline, Text):
            if inline.text.strip():
                return True
        elif not isinstance(inline, LineBreak):
            return True
    return False


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _soft_space(before: list[Inline], items: list[Inline] | list[Item], index: int) -> str:
    """A soft break is a space, except between two Chinese or Japanese characters."""
    nxt = items[index + 1] if index + 1 < len(items) else None
    if (before and isinstance(before[-1], Text) and before[-1].text
            and isinstance(nxt, Text) and nxt.text
            and _CJK.match(before[-1].text[-1]) and _CJK.match(nxt.text[0])):
        return ""
    return " "


def normalise(items: list[Inline] | list[Item], trim: bool = True) -> list[Inline]:
    """Merge text runs, collapse whitespace, and trim breaks and spaces at the ends."""
    merged: list[Inline] = []
    for index, raw in enumerate(items):
        item = Text(_soft_space(merged, items, index)) if isinstance(raw, Soft) else raw
        if isinstance(item, Hoist | Pending):
            continue
        if isinstance(item, Text):
            text = _WS.sub(" ", item.text)
            if merged and isinstance(merged[-1], Text):
                prev = merged[-1].text
                if prev.endswith(" ") and text.startswith(" "):
                    text = text[1:]
                merged[-1] = Text(prev + text)
            elif text:
                if merged and isinstance(merged[-1], LineBreak):
                    text = text.lstrip(" ")
                if text:
                    merged.append(Text(text))
        elif isinstance(item, LineBreak):
            if merged and isinstance(merged[-1], Text):
                stripped = merged[-1].text.rstrip(" ")
                if stripped:
                    merged[-1] = Text(stripped)
                else:
                    merged.pop()
            merged.append(item)
        else:
            merged.append(item)  # type: ignore[arg-type]
    if trim:
        while merged and (isinstance(merged[0], LineBreak)
                          or (isinstance(merged[0], Text) and not merged[0].text.strip())):
            merged.pop(0)
        while merged and (isinstance(merged[-1], LineBreak)
                          or (isinstance(merged[-1], Text) and not merged[-1].text.strip())):
            merged.pop()
        if merged and isinstance(merged[0], Text):
            merged[0] = Text(merged[0].text.lstrip(" "))
        if merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text.rstrip(" "))
    return merged


def block_as_inlines(block: Block) -> list[Inline]:
    if isinstance(block, Figure):
        img: Inline = InlineImage(block.image)
        return [LinkSpan(block.link, (img,)) if block.link else img]
    if isinstance(block, Button):
        return [LinkSpan(block.link, (Text(block.label),))]
    if isinstance(block, Embed):
        return [LinkSpan(block.link, (Text(block.title or block.link.url),))]
    if isinstance(block, Heading | Paragraph):
        return [*block.children, Text(" ")]
    if isinstance(block, ListBlock):
        out: list[Inline] = []
        for item in block.items:
            for inner in item:
                out.extend(block_as_inlines(inner))
        return out
    return []
