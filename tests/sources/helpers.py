"""Small helpers to look inside a Guide in tests."""

from __future__ import annotations

from collections.abc import Iterator

from printkit.model import (
    Block,
    Button,
    Embed,
    Figure,
    Guide,
    Heading,
    Inline,
    ListBlock,
    Marker,
    Paragraph,
    iter_block_inlines,
    iter_blocks,
    plain_text,
)


def all_inlines(guide: Guide) -> Iterator[Inline]:
    """Every inline of the guide, nested ones included."""
    for block in iter_blocks(guide.blocks):
        yield from iter_block_inlines(block)


def markers(guide: Guide) -> list[Marker]:
    return [i for i in all_inlines(guide) if isinstance(i, Marker)]


def texts(guide: Guide) -> list[str]:
    """Every piece of text the model holds: block text, labels, URLs, alt text, title, meta."""
    out = [guide.title, *(str(v) for v in guide.meta.values())]
    for block in iter_blocks(guide.blocks):
        if isinstance(block, Heading | Paragraph):
            out.append(plain_text(block.children))
        elif isinstance(block, Button):
            out += [block.label, block.link.url, block.link.text]
        elif isinstance(block, Embed):
            out += [block.title, block.link.url]
        elif isinstance(block, Figure):
            out += [block.image.src, block.image.alt]
    out += [plain_text(tuple(cell)) for t in guide.tables for row in (t.header, *t.rows)
            for cell in row]
    out += [f"{link.url} {link.text}" for link in guide.links]
    return out


def top_headings(guide: Guide) -> list[tuple[int, str]]:
    return [(b.level, plain_text(b.children)) for b in guide.blocks if isinstance(b, Heading)]


def nested_headings(guide: Guide) -> list[str]:
    """Headings that ended up inside a list (damage not repaired)."""
    out: list[str] = []
    for block in guide.blocks:
        if isinstance(block, ListBlock):
            out += [plain_text(b.children) for b in iter_blocks((block,))
                    if isinstance(b, Heading)]
    return out


def first(blocks: tuple[Block, ...], kind: type) -> Block:
    return next(b for b in iter_blocks(blocks) if isinstance(b, kind))
