"""The typed objects that flow through printkit: no I/O, no HTML strings.

A :class:`Guide` is a tree of *blocks* (headings, paragraphs, lists, tables…)
whose text is made of *inlines* (text, strong, links…). Sources build it,
later stages only read it. Everything here is an immutable dataclass, so a
stage that wants a changed guide builds a new one (``dataclasses.replace``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from .errors import Location

# --------------------------------------------------------------------------
# Links and images


@dataclass(frozen=True, slots=True)
class Link:
    """An external link as written in a guide (``url`` already absolute)."""

    url: str
    text: str = ""
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """An image reference; ``path`` is set when it resolved to an allowed file."""

    src: str
    alt: str = ""
    path: Path | None = None
    location: Location | None = None


# --------------------------------------------------------------------------
# Inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text (never markup: it is escaped when written out)."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """Inline text that links somewhere (gets a reference number on paper)."""

    link: Link
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class InlineImage:
    image: Image


@dataclass(frozen=True, slots=True)
class Marker:
    """A placeholder that had no value: printed as a neat visible marker."""

    key: str
    location: Location | None = None


Inline: TypeAlias = Text | Strong | Emphasis | Code | LineBreak | LinkSpan | InlineImage | Marker
Inlines: TypeAlias = tuple[Inline, ...]


# --------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    children: Inlines
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: Inlines
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet or numbered list; each item is a sequence of blocks."""

    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table; ``row_locations[i]`` is where body row ``i`` was written."""

    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    location: Location | None = None
    row_locations: tuple[Location | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A block image, optionally itself a link (``[<img>](url)``)."""

    image: Image
    link: Link | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A call to action (``{{ signup_button }}``): a label and where it goes."""

    label: str
    link: Link
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Embed:
    """An embedded player (``<iframe>``): printed as a callout with its link."""

    kind: Literal["video", "frame"]
    link: Link
    title: str = ""
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ScheduleBlock:
    """A run-of-show that replaces a table when the plan was re-timed."""

    schedule: Schedule
    location: Location | None = None


Block: TypeAlias = (
    Heading | Paragraph | ListBlock | Table | Rule | Figure | Button | Embed | ScheduleBlock
)


# --------------------------------------------------------------------------
# Guide


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks up to the next heading of the same or higher level."""

    heading: Heading | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Guide:
    """A guide, read and resolved, ready for layout."""

    title: str
    blocks: tuple[Block, ...]
    source: Path | None = None
    locale: str | None = None
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def sections(self) -> tuple[Section, ...]:
        """Top-level sections, split at headings of level 1 and 2."""
        out: list[Section] = []
        heading: Heading | None = None
        current: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Heading) and block.level <= 2:
                if heading is not None or current:
                    out.append(Section(heading, tuple(current)))
                heading, current = block, []
            else:
                current.append(block)
        if heading is not None or current:
            out.append(Section(heading, tuple(current)))
        return tuple(out)

    @property
    def links(self) -> tuple[Link, ...]:
        """Every external link in reading order (duplicates kept)."""
        return tuple(iter_links(self.blocks))

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table, in reading order (including tables nested in lists)."""
        return tuple(b for b in iter_blocks(self.blocks) if isinstance(b, Table))

    @property
    def images(self) -> tuple[Image, ...]:
        """Every image, in reading order."""
        out: list[Image] = []
        for block in iter_blocks(self.blocks):
            if isinstance(block, Figure):
                out.append(block.image)
            for inline in iter_block_inlines(block):
                if isinstance(inline, InlineImage):
                    out.append(inline.image)
        return tuple(out)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, including blocks inside list items."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item)


def iter_inlines(inlines: Inlines) -> Iterator[Inline]:
    """Every inline, depth first."""
    for inline in inlines:
        yield inline
        if isinstance(inline, Strong | Emphasis | LinkSpan):
            yield from iter_inlines(inline.children)


def iter_block_inlines(block: Block) -> Iterator[Inline]:
    """The inlines directly held by one block (not by nested blocks)."""
    if isinstance(block, Heading | Paragraph):
        yield from iter_inlines(block.children)
    elif isinstance(block, Table):
        for cell in block.header:
            yield from iter_inlines(cell)
        for row in block.rows:
            for cell in row:
                yield from iter_inlines(cell)
    elif isinstance(block, ScheduleBlock):
        for slot in block.schedule.slots:
            yield from iter_inlines(slot.activity)


def iter_links(blocks: tuple[Block, ...]) -> Iterator[Link]:
    """Every link in reading order: inline links, buttons, embeds, linked figures."""
    for block in iter_blocks(blocks):
        link = block.link if isinstance(block, Button | Embed | Figure) else None
        if link is not None:
            yield link
        for inline in iter_block_inlines(block):
            if isinstance(inline, LinkSpan):
                yield inline.link


def plain_text(inlines: Inlines) -> str:
    """The text of some inlines, without formatting."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, Text | Code):
            parts.append(inline.text)
        elif isinstance(inline, LineBreak):
            parts.append("\n")
        elif isinstance(inline, Strong | Emphasis | LinkSpan):
            parts.append(plain_text(inline.children))
        elif isinstance(inline, Marker):
            parts.append(f"[{inline.key}]")
        elif isinstance(inline, InlineImage):
            parts.append(inline.image.alt)
    return "".join(parts)


# --------------------------------------------------------------------------
# Run-of-show


@dataclass(frozen=True, slots=True)
class Slot:
    """One row of a run-of-show; times are minutes after midnight of the event day."""

    start: int
    end: int
    activity: Inlines
    location: Location | None = None
    source_text: str = ""
    #: The time was not written readably: taken from the neighbouring rows.
    inferred: bool = False

    @property
    def duration(self) -> int:
        """Length in minutes."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Schedule:
    """A run-of-show: slots in the order written, with their headings."""

    slots: tuple[Slot, ...]
    header: tuple[Inlines, ...] = ()
    location: Location | None = None

    @property
    def start(self) -> int | None:
        return min((s.start for s in self.slots), default=None)

    @property
    def end(self) -> int | None:
        return max((s.end for s in self.slots), default=None)


# --------------------------------------------------------------------------
# Event and participants


@dataclass(frozen=True, slots=True)
class Event:
    """What the organiser says about their event (all optional)."""

    name: str = ""
    date: dt.date | None = None
    end_date: dt.date | None = None
    start: dt.time | None = None
    duration: int | None = None  # minutes
    timezone: str | None = None
    place: str = ""
    organiser: str = ""
    site_url: str = "https://hourofcode.com"
    values: Mapping[str, str] = field(default_factory=dict)


ParticipantStatus: TypeAlias = Literal["ok", "refused"]


@dataclass(frozen=True, slots=True)
class Participant:
    """One row of a participant list, with its row number in the file (1-based, header = 1)."""

    row: int
    name: str
    fields: Mapping[str, str] = field(default_factory=dict)
    status: ParticipantStatus = "ok"
    reason: str = ""
    duplicate_of: int | None = None


# --------------------------------------------------------------------------
# Fonts


@dataclass(frozen=True, slots=True)
class FontFace:
    """One font file (``index`` selects a face in a ``.ttc`` collection)."""

    family: str
    path: Path
    index: int = 0
    weight: int = 400
    style: Literal["normal", "italic"] = "normal"
