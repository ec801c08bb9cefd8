"""Guide model → HTML fragments for layouts.

Safe by construction: every piece of text from a guide is escaped here, and
only the tags written in this module ever reach the HTML. Layout templates get
the result as :class:`markupsafe.Markup`, so guide text is never template code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .bidi import text_direction
from .model import (
    Block,
    Button,
    Code,
    Embed,
    Emphasis,
    Figure,
    Guide,
    Heading,
    Image,
    Inline,
    InlineImage,
    Inlines,
    LineBreak,
    Link,
    LinkSpan,
    ListBlock,
    Marker,
    Paragraph,
    Rule,
    ScheduleBlock,
    Strong,
    Table,
    Text,
    plain_text,
)
from .references import Reference, References

Translate = Callable[[str], str]
FormatMinutes = Callable[[int], str]


@dataclass
class MarkupContext:
    """What rendering needs besides the model: numbering, translations, formatting."""

    references: References = field(default_factory=References)
    gettext: Translate = str
    format_time: FormatMinutes = lambda m: f"{m // 60:02d}:{m % 60:02d}"
    format_duration: FormatMinutes = lambda m: f"{m} min"
    #: Images not found locally may be fetched from their http(s) URL (``--allow-network``).
    allow_network: bool = False


@dataclass(frozen=True, slots=True)
class RenderedSection:
    """One section of a guide as HTML, with the references first seen in it."""

    html: Markup
    references: tuple[Reference, ...]
    heading: str = ""


def _attr(value: str) -> str:
    return str(escape(value))


def _item_dir(item: Sequence[Block]) -> str:
    first = item[0] if item else None
    return _dir(first.children) if isinstance(first, Paragraph | Heading) else ""


def _dir(inlines: Inlines) -> str:
    direction = text_direction(plain_text(inlines))
    return f' dir="{direction}"' if direction else ""


def inlines_html(inlines: Inlines, ctx: MarkupContext) -> str:
    """HTML for a sequence of inlines."""
    return "".join(_inline(i, ctx) for i in inlines)


def _inline(node: Inline, ctx: MarkupContext) -> str:
    if isinstance(node, Text):
        return str(escape(node.text))
    if isinstance(node, Strong):
        return f"<strong>{inlines_html(node.children, ctx)}</strong>"
    if isinstance(node, Emphasis):
        return f"<em>{inlines_html(node.children, ctx)}</em>"
    if isinstance(node, Code):
        return f"<code>{escape(node.text)}</code>"
    if isinstance(node, LineBreak):
        return "<br>"
    if isinstance(node, LinkSpan):
        return _link(node.link, inlines_html(node.children, ctx), ctx)
    if isinstance(node, InlineImage):
        return _image_html(node.image, ctx, inline=True)
    if isinstance(node, Marker):
        return f'<span class="marker" title="unresolved placeholder">{escape(node.key)}</span>'
    raise TypeError(f"unknown inline {node!r}")  # pragma: no cover


def _link(link: Link, inner_html: str, ctx: MarkupContext) -> str:
    number = ctx.references.number(link)
    return (
        f'<a class="link" href="{_attr(link.url)}">{inner_html}</a><sup class="ref">{number}</sup>'
    )


def _image_html(image: Image, ctx: MarkupContext, *, inline: bool) -> str:
    path, alt = image.path, image.alt
    if path is None and ctx.allow_network and image.src.startswith(("http://", "https://")):
        return f'<img src="{_attr(image.src)}" alt="{_attr(alt)}">'
    if path is None:
        label = escape(ctx.gettext("Image not available"))
        alt_html = f'<span class="alt">{escape(alt)}</span>' if alt else ""
        tag = "span" if inline else "div"
        return f'<{tag} class="missing-image"><span class="label">{label}</span>{alt_html}</{tag}>'
    return f'<img src="{_attr(path.resolve().as_uri())}" alt="{_attr(alt)}">'


def block_html(block: Block, ctx: MarkupContext) -> str:
    """HTML for one block (numbers its links as a side effect)."""
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"<h{level}{_dir(block.children)}>{inlines_html(block.children, ctx)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p{_dir(block.children)}>{inlines_html(block.children, ctx)}</p>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        items = "".join(
            f"<li{_item_dir(item)}>{blocks_html(item, ctx, tight=True)}</li>"
            for item in block.items
        )
        return f"<{tag}{start}>{items}</{tag}>"
    if isinstance(block, Table):
        return _table(block, ctx)
    if isinstance(block, Rule):
        return "<hr>"
    if isinstance(block, Figure):
        img = _image_html(block.image, ctx, inline=False)
        if block.link is not None:
            number = ctx.references.number(block.link)
            caption = escape(block.image.alt or block.link.text or "")
            return (
                f'<figure><a href="{_attr(block.link.url)}">{img}</a>'
                f'<figcaption>{caption}<sup class="ref">{number}</sup></figcaption>'
                "</figure>"
            )
        return f"<figure>{img}</figure>"
    if isinstance(block, Button):
        number = ctx.references.number(block.link)
        return (
            f'<div class="callout button"><a href="{_attr(block.link.url)}">'
            f"{escape(block.label)}</a>"
            f'<sup class="ref">{number}</sup></div>'
        )
    if isinstance(block, Embed):
        number = ctx.references.number(block.link)
        label = ctx.gettext("Watch the video") if block.kind == "video" else block.title
        title = f'<span class="title">{escape(block.title)}</span>' if block.title else ""
        return (
            f'<div class="callout embed {block.kind}"><a href="{_attr(block.link.url)}">'
            f'{escape(label)}</a><sup class="ref">{number}</sup>{title}</div>'
        )
    if isinstance(block, ScheduleBlock):
        return _schedule(block, ctx)
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def blocks_html(blocks: Sequence[Block], ctx: MarkupContext, *, tight: bool = False) -> str:
    """HTML for blocks; in a tight list item a lone paragraph loses its ``<p>``."""
    if tight and len(blocks) >= 1 and isinstance(blocks[0], Paragraph):
        first = inlines_html(blocks[0].children, ctx)
        return first + "".join(block_html(b, ctx) for b in blocks[1:])
    return "".join(block_html(b, ctx) for b in blocks)


def _table(table: Table, ctx: MarkupContext) -> str:
    head = "".join(f"<th{_dir(cell)}>{inlines_html(cell, ctx)}</th>" for cell in table.header)
    rows = "".join(
        "<tr>"
        + "".join(f"<td{_dir(cell)}>{inlines_html(cell, ctx)}</td>" for cell in row)
        + "</tr>"
        for row in table.rows
    )
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    # A first column of short cells (times, labels) is kept on one line each.
    keyed = all(len(plain_text(row[0])) <= 24 for row in table.rows if row)
    css = "table keyed" if keyed else "table"
    return f'<table class="{css}">{thead}<tbody>{rows}</tbody></table>'


def _schedule(block: ScheduleBlock, ctx: MarkupContext) -> str:
    gt = ctx.gettext
    head = (
        f"<tr><th>{escape(gt('Time'))}</th><th>{escape(gt('Activity'))}</th>"
        f"<th>{escape(gt('Duration'))}</th></tr>"
    )
    rows = "".join(
        _schedule_row(
            ("~ " if s.inferred else "") + ctx.format_time(s.start),  # inferred time
            ctx.format_time(s.end),
            s.activity,
            ctx.format_duration(s.duration),
            ctx,
        )
        for s in block.schedule.slots
    )
    return f'<table class="table schedule"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def _schedule_row(
    start: str, end: str, activity: Inlines, duration: str, ctx: MarkupContext
) -> str:
    time_dir = text_direction(start) or "ltr"
    return (
        f'<tr><td class="time" dir="{time_dir}">{escape(start)} – {escape(end)}</td>'
        f"<td{_dir(activity)}>{inlines_html(activity, ctx)}</td>"
        f'<td class="duration">{escape(duration)}</td></tr>'
    )


def guide_sections(guide: Guide, ctx: MarkupContext) -> list[RenderedSection]:
    """The guide as sections of HTML, each with the references it introduced."""
    out: list[RenderedSection] = []
    for section in guide.sections:
        parts = [block_html(section.heading, ctx)] if section.heading else []
        parts.append(blocks_html(section.blocks, ctx))
        heading = plain_text(section.heading.children) if section.heading else ""
        out.append(
            RenderedSection(Markup("".join(parts)), tuple(ctx.references.take_new()), heading)
        )
    return out
