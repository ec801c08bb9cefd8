"""The element tree into model blocks: placeholders resolved, links made safe.

Block-like things written inline (an image alone on its line, a linked
image, ``{{ signup_button }}`` alone, an iframe, a list inside a paragraph)
are hoisted out of their paragraph as blocks of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..errors import Location, PlaceholderError
from ..model import (
    Block,
    Code,
    Embed,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    LinkSpan,
    ListBlock,
    Marker,
    Paragraph,
    Rule,
    Strong,
    Table,
    Text,
    plain_text,
)
from .flow import Hoist, Item, Pending, Soft, alone, block_as_inlines, normalise, visible
from .images import AssetFinder
from .keys import LazyKnownKeys
from .links import absolute_url, is_video, watch_url
from .markdown import parse_inline
from .placeholders import Placeholder, PlaceholderTable, Resolver, Value
from .tree import Node

_PLAIN = re.compile(r"^[^<>*_`\[\]&{}%\\!]*$")
_BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
                         "td", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_DEPTH = 4


@dataclass
class ReadReport:
    """What became of each placeholder of a guide (filled by the reader, for alignment).

    ``outcomes[index]`` is ``ok``, ``guessed`` (a misspelt key taken for a known one),
    ``restored`` (from the source guide), ``unresolved`` or ``broken``.
    """

    items: list[Placeholder] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)


class Converter:
    """Turns one guide's tree into blocks (one instance per guide)."""

    def __init__(
        self,
        *,
        table: PlaceholderTable,
        resolver: Resolver,
        finder: AssetFinder,
        diagnostics: Diagnostics,
        source: Path | None,
        strict: bool,
        known: LazyKnownKeys | None = None,
        overrides: Mapping[int, tuple[Placeholder, str]] | None = None,
    ) -> None:
        self.table = table
        self.resolver = resolver
        self.finder = finder
        self.diag = diagnostics
        self.file = str(source) if source is not None else None
        self.strict = strict
        self.site = resolver.site_url
        self.known = known
        #: placeholder index -> (the source guide's placeholder, where it was written)
        self.overrides = overrides or {}
        self.outcomes: dict[int, str] = {}

    # -- diagnostics ---------------------------------------------------

    def loc(self, line: int, key: str | None = None) -> Location:
        return Location(self.file, line or None, key=key)

    def warn(self, code: str, message: str, line: int) -> None:
        self.diag.warn(code, message, self.loc(line))

    def unresolved(self, ph: Placeholder, line: int | None = None) -> Marker:
        """A placeholder without value: a marker and a warning (an error when strict)."""
        key = self.display_key(ph)
        loc = self.loc(line or ph.line, key)
        raw = " ".join(ph.raw.split())
        self.outcomes[ph.index] = "broken" if ph.form == "broken" else "unresolved"
        if ph.form == "broken":
            message = f"unterminated placeholder or template tag {raw!r}"
            code = "placeholder-broken"
        elif not ph.key:
            message, code = "empty placeholder", "placeholder-empty"
        else:
            message, code = f"no value for placeholder {raw}", "placeholder-unknown"
        if self.strict:
            raise PlaceholderError(
                message, loc,
                "give a value with --set KEY=VALUE, add it to the strings file or the site "
                "profile, or drop --strict to print a marker",
            )
        self.diag.warn(code, message, loc)
        return Marker(key, loc)

    def display_key(self, ph: Placeholder) -> str:
        if ph.form == "broken":
            return "broken placeholder"
        if not ph.key:
            return "empty placeholder"
        key = self.resolver.key_of(ph) or ph.key
        return key[5:] if key.startswith("path:") else key

    # -- blocks ----------------------------------------------------------

    def blocks(self, node: Node, depth: int = 0) -> list[Block]:
        """The blocks of a container (root, list item, div, cell)."""
        out: list[Block] = []
        run: list[tuple[Item, int]] = []
        for child in node.children:
            if child.tag in _BLOCK_TAGS or child.tag == "iframe":
                if run:
                    out.extend(self.paragraphs(run))
                    run = []
                out.extend(self.block(child, depth))
            else:
                run.extend(self.inline_node(child, depth))
        if run:
            out.extend(self.paragraphs(run))
        return out

    def block(self, node: Node, depth: int = 0) -> list[Block]:
        tag = node.tag
        if tag == "p":
            return self.paragraphs(self.inlines(node, depth), node.line)
        if tag in ("div", "li", "td", "th", "tr", "thead", "tbody"):
            return self.blocks(node, depth)
        if tag[0] == "h" and tag[1:].isdigit():
            children = self.flat_inlines(self.inlines(node, depth))
            if not visible(children):
                return []
            return [Heading(int(tag[1]), tuple(children), self.loc(node.line))]
        if tag in ("ul", "ol"):
            return self.list_block(node, depth)
        if tag == "table":
            return self.table_block(node, depth)
        if tag == "hr":
            return [Rule(self.loc(node.line))]
        if tag == "pre":
            text = "".join(self.string(c.text, c.line) for c in _texts(node))
            return [Paragraph((Code(text.rstrip("\n")),), self.loc(node.line))] if text else []
        if tag == "iframe":
            embed = self.embed(node)
            return [embed] if embed else []
        return self.blocks(node, depth)

    def list_block(self, node: Node, depth: int) -> list[Block]:
        items: list[tuple[Block, ...]] = []
        for child in node.children:
            if child.tag == "li":
                blocks = self.blocks(child, depth)
                if blocks:
                    items.append(tuple(blocks))
            elif (child.tag == "#text" and not child.text.strip()) or child.tag == "#soft":
                continue
            else:
                wrapper = Node("div", children=[child], line=child.line)
                blocks = self.blocks(wrapper, depth)
                if blocks and items:
                    items[-1] = items[-1] + tuple(blocks)
                elif blocks:
                    items.append(tuple(blocks))
        if not items:
            return []
        start = node.attrs.get("start", "1")
        return [ListBlock(tuple(items), node.tag == "ol",
                          int(start) if start.isdigit() else 1, self.loc(node.line))]

    def table_block(self, node: Node, depth: int) -> list[Block]:
        rows: list[tuple[Node, bool]] = []

        def collect(parent: Node, in_head: bool) -> None:
            for child in parent.children:
                if child.tag == "tr":
                    rows.append((child, in_head))
                elif child.tag in ("thead", "tbody"):
                    collect(child, child.tag == "thead")

        collect(node, False)
        header: tuple[tuple[Inline, ...], ...] = ()
        body: list[tuple[tuple[Inline, ...], ...]] = []
        locations: list[Location | None] = []
        for row, in_head in rows:
            cells = [c for c in row.children if c.tag in ("td", "th")]
            converted = tuple(tuple(self.flat_inlines(self.inlines(c, depth))) for c in cells)
            is_head = in_head or (not header and not body and bool(cells)
                                  and all(c.tag == "th" for c in cells))
            if is_head and not header:
                header = converted
            elif cells:
                body.append(converted)
                locations.append(self.loc(row.line))
        if not header and not body:
            return []
        width = max([len(header)] + [len(r) for r in body])

        def pad(row: tuple[tuple[Inline, ...], ...]) -> tuple[tuple[Inline, ...], ...]:
            return row + ((),) * (width - len(row))

        return [Table(pad(header) if header else (), tuple(pad(r) for r in body),
                      self.loc(node.line), tuple(locations))]

    # -- paragraphs --------------------------------------------------------

    def paragraphs(self, items: list[tuple[Item, int]], line: int = 0) -> list[Block]:
        """Inline items into paragraphs, hoisting blocks and lone images/buttons."""
        out: list[Block] = []
        current: list[tuple[Item, int]] = []

        def flush() -> None:
            inlines = normalise([i for i, _ in current])
            if visible(inlines):
                first = current[0][1] if current else line
                out.append(Paragraph(tuple(inlines), self.loc(first or line)))
            current.clear()

        for index, (item, item_line) in enumerate(items):
            if isinstance(item, Hoist):
                flush()
                out.append(item.block)
            elif isinstance(item, Pending):
                if alone(items, index):
                    flush()
                    out.append(item.as_block())
                else:
                    current.extend((i, item_line) for i in item.as_inlines())
            else:
                current.append((item, item_line))
        flush()
        return out

    def flat_inlines(self, items: list[tuple[Item, int]]) -> list[Inline]:
        """Inline-only content (headings, cells): blocks become their inline form."""
        out: list[Inline] = []
        for item, _ in items:
            if isinstance(item, Pending):
                out.extend(item.as_inlines())
            elif isinstance(item, Hoist):
                out.extend(block_as_inlines(item.block))
            else:
                out.append(item)  # type: ignore[arg-type]
        return normalise(out)

    # -- inlines -----------------------------------------------------------

    def inlines(self, node: Node, depth: int = 0, in_link: bool = False
                ) -> list[tuple[Item, int]]:
        out: list[tuple[Item, int]] = []
        for child in node.children:
            out.extend(self.inline_node(child, depth, in_link))
        return out

    def inline_node(self, node: Node, depth: int = 0, in_link: bool = False
                    ) -> list[tuple[Item, int]]:
        tag, line = node.tag, node.line
        if tag == "#text":
            return self.text_items(node.text, line, depth)
        if tag == "#soft":
            return [(Soft(), line)]
        if tag == "br":
            return [(LineBreak(), line)]
        if tag in ("strong", "em"):
            return self.wrapped(Strong if tag == "strong" else Emphasis, node, depth, in_link)
        if tag == "code":
            text = "".join(self.string(c.text, c.line) for c in _texts(node))
            return [(Code(text), line)] if text else []
        if tag == "a":
            if in_link:
                return self.inlines(node, depth, in_link)
            return self.link(node, depth)
        if tag == "img":
            pending = self.image(node)
            return [(pending, line)] if pending else []
        if tag == "#drop":
            return []
        if tag in _BLOCK_TAGS or tag == "iframe":
            return [(Hoist(b), line) for b in self.block(node, depth)]
        return self.inlines(node, depth, in_link)  # span, font and other transparent tags

    def wrapped(self, cls: type[Strong] | type[Emphasis], node: Node, depth: int,
                in_link: bool) -> list[tuple[Item, int]]:
        inner = self.inlines(node, depth, in_link)
        children: list[Inline] = []
        hoisted: list[tuple[Item, int]] = []
        for item, item_line in inner:
            if isinstance(item, Pending):
                children.extend(item.as_inlines())
            elif isinstance(item, Hoist):
                hoisted.append((item, item_line))
            elif isinstance(item, Soft):
                children.append(Text(" "))
            else:
                children.append(item)
        children = normalise(children, trim=False)
        out: list[tuple[Item, int]] = [(cls(tuple(children)), node.line)] if children else []
        return out + hoisted

    def text_items(self, text: str, line: int, depth: int) -> list[tuple[Item, int]]:
        out: list[tuple[Item, int]] = []
        for part in self.table.split(text):
            if isinstance(part, str):
                out.append((Text(part), line))
            else:
                out.extend(self.placeholder_items(part, depth))
        return out

    def placeholder_items(self, ph: Placeholder, depth: int) -> list[tuple[Item, int]]:
        line = ph.line
        if ph.form == "control":
            self.warn("erb-control", f"template code {' '.join(ph.raw.split())!r} ignored", line)
            return []
        value = self.value_of(ph)
        if value is None:
            return [(self.unresolved(ph), line)]
        return self.value_items(value, ph, depth)

    def value_of(self, ph: Placeholder) -> Value | None:
        """The value of a placeholder; ``None`` for a broken one or template code.

        A placeholder the source guide restores (``overrides``) takes the source's
        key; a misspelt key close to a known one is taken for it, with a warning.
        """
        if ph.index in self.overrides:
            source, where = self.overrides[ph.index]
            value = self.resolver.resolve(source)
            if value is not None:
                if self.outcomes.get(ph.index) != "restored":
                    self.outcomes[ph.index] = "restored"
                    self.warn("placeholder-restored",
                              f"placeholder {' '.join(ph.raw.split())!r} restored from the "
                              f"source guide's {' '.join(source.raw.split())} ({where})", ph.line)
                return value
        if ph.form in ("broken", "control"):
            return None
        value = self.resolver.resolve(ph)
        key = self.resolver.key_of(ph)
        if self.known is None or key is None or key.startswith("path:"):
            return value
        wildcard = value is not None and self.resolver.by_wildcard(key)
        if value is not None and not wildcard:
            self.outcomes.setdefault(ph.index, "ok")
            return value
        guess = self.known.closest(key, wildcard=wildcard)
        guessed = self.resolver.lookup(guess) if guess is not None else None
        if guessed is None:
            return value
        if self.outcomes.get(ph.index) != "guessed":
            self.outcomes[ph.index] = "guessed"
            self.diag.warn("placeholder-guessed",
                           f"unknown placeholder key {key!r} in {' '.join(ph.raw.split())!r} "
                           f"taken for {guess!r}, the closest known key",
                           self.loc(ph.line, guess))
        return guessed

    def value_items(self, value: Value, ph: Placeholder, depth: int) -> list[tuple[Item, int]]:
        line = ph.line
        loc = self.loc(line)
        if value.kind == "text":
            return [(Text(value.text), line)]
        if value.kind == "url":
            link = Link(value.url, value.url, loc)
            return [(LinkSpan(link, (Text(value.url),)), line)]
        if value.kind == "button":
            return [(Pending(link=Link(value.url, value.text, loc), label=value.text,
                              location=loc), line)]
        return self.catalog_items(value.text, ph, depth)

    def catalog_items(self, text: str, ph: Placeholder, depth: int) -> list[tuple[Item, int]]:
        """A catalog string: may hold inline HTML, Markdown and nested placeholders."""
        if _PLAIN.match(text):
            return [(Text(text), ph.line)]
        if depth >= _MAX_DEPTH:
            self.warn("placeholder-recursive",
                      f"catalog strings nest too deeply at {ph.key!r}", ph.line)
            return [(Marker(self.display_key(ph), self.loc(ph.line)), ph.line)]
        prefix = self.table.prefix
        if prefix in text:  # never mistake catalog text for one of our sentinels
            text = text.replace(prefix, prefix[:2] + "\u2060" + prefix[2:])
        protected = self.table.protect(text, ph.line, interpolation=True)
        protected = protected.replace("\n", " ")  # one placeholder, one line
        tree = parse_inline(protected, ph.line, self.warn)
        return self.inlines(tree, depth + 1)

    # -- strings in attributes ---------------------------------------------

    def string(self, text: str, line: int) -> str:
        """Text with placeholders expanded as plain strings (code, alt text)."""
        if not self.table.pattern.search(text):
            return text
        parts: list[str] = []
        for part in self.table.split(text):
            if isinstance(part, str):
                parts.append(part)
                continue
            value = self.value_of(part)
            if value is None:
                if part.form != "control":
                    parts.append(f"[{self.unresolved(part, line).key}]")
            else:
                parts.append(value.url if value.kind == "url" else value.text)
        return "".join(parts)

    def attr(self, text: str, line: int) -> tuple[str | None, list[Marker]]:
        """An attribute value (URL): placeholders expanded; None when one has no value."""
        if not self.table.pattern.search(text):
            return text, []
        parts: list[str] = []
        markers: list[Marker] = []
        for part in self.table.split(text):
            if isinstance(part, str):
                parts.append(part)
                continue
            value = self.value_of(part)
            if value is None:
                markers.append(self.unresolved(part, line))
            elif value.kind in ("url", "button"):
                parts.append(value.url)
            else:
                parts.append(value.text.strip())
        return (None if markers else "".join(parts)), markers

    # -- links, images, embeds --------------------------------------------

    def link(self, node: Node, depth: int) -> list[tuple[Item, int]]:
        line = node.line
        href, markers = self.attr(node.attrs.get("href", ""), line)
        inner = self.inlines(node, depth, in_link=True)
        tail: list[tuple[Item, int]] = [(m, line) for m in markers]
        if href is None:
            return inner + tail
        url, problem = absolute_url(href, self.site)
        if url is None:
            if problem == "scheme":
                self.warn("link-scheme",
                          f"link to {href.split(':', 1)[0]}: URL kept as plain text", line)
            elif problem == "anchor":
                self.warn("link-anchor", f"in-page link {href!r} kept as plain text", line)
            else:
                self.warn("link-empty", "link without a target kept as plain text", line)
            return inner + tail
        shown = [i for i, _ in inner
                 if not (isinstance(i, Text | Soft) and not getattr(i, "text", "").strip())]
        lone = shown[0] if len(shown) == 1 else None
        if isinstance(lone, Pending) and lone.image is not None and lone.link is None:
            link = Link(url, lone.image.alt, self.loc(line))
            return [(Pending(lone.image, link, location=lone.location), line), *tail]
        children = self.flat_inlines(inner)
        hoisted = [(i, ln) for i, ln in inner if isinstance(i, Hoist)]
        if not visible(children):
            children = [Text(url)]
        link = Link(url, plain_text(tuple(children)).strip(), self.loc(line))
        return [(LinkSpan(link, tuple(c for c in children)), line), *hoisted, *tail]

    def image(self, node: Node) -> Pending | None:
        line = node.line
        src, _ = self.attr(node.attrs.get("src", ""), line)
        alt = self.string(node.attrs.get("alt", ""), line).strip()
        if not src:
            self.warn("image-empty", "image without a source skipped", line)
            return None
        kept, path, problem = self.finder.find(src)
        if problem == "missing":
            self.warn("image-missing",
                      f"image {src!r} not found in the asset folders; a placeholder is printed",
                      line)
        elif problem == "outside":
            self.warn("image-outside-assets",
                      f"image {src!r} is outside the asset folders and was not read", line)
        elif problem == "scheme":
            self.warn("image-scheme", f"image with a {kept} URL not read", line)
        loc = self.loc(line)
        return Pending(Image(kept, alt, path, loc), location=loc)

    def embed(self, node: Node) -> Embed | None:
        line = node.line
        src, _ = self.attr(node.attrs.get("src", ""), line)
        title = self.string(node.attrs.get("title", ""), line).strip()
        url, problem = absolute_url(src or "", self.site)
        if url is None:
            self.warn("embed-skipped", f"embedded frame without a usable http(s) source "
                      f"({problem or 'empty'}) skipped", line)
            return None
        loc = self.loc(line)
        if is_video(url):
            return Embed("video", Link(watch_url(url), title, loc), title, loc)
        return Embed("frame", Link(url, title, loc), title, loc)


# -- helpers ---------------------------------------------------------------


def _texts(node: Node) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        if child.tag == "#text":
            out.append(child)
        else:
            out.extend(_texts(child))
    return out
