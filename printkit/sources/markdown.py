"""Markdown (CommonMark + GFM tables) with inline HTML, into a :class:`~.tree.Node` tree.

The markdown-it parser is built once. Indented code blocks are disabled:
guides never mean them, and translated files indent prose by accident.
HTML blocks are read with the *inline* parser, so their tags, entities and
any Markdown inside them land in the same tree as everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .html import parse_tag
from .tree import Node, TreeBuilder

_MD = (
    MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .disable(["code"])
)

# Every link target is checked (and refused with a warning) when the model is built.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]

_BLOCK_TAGS = {"blockquote": "div"}
_INLINE_PAIRS = {"strong_open": "strong", "em_open": "em", "s_open": "span"}
_INLINE_CLOSE = {"strong_close": "strong", "em_close": "em", "s_close": "span"}

Warn = Callable[[str, str, int], None]


def parse_markdown(text: str, warn: Warn) -> Node:
    """Parse a guide body (line 1 = first line of ``text``) into a tree."""
    builder = TreeBuilder(warn)
    walker = _Walker(builder, warn)
    walker.blocks(_MD.parse(text))
    return builder.finish(text.count("\n") + 1)


def parse_inline(text: str, line: int, warn: Warn) -> Node:
    """Parse an inline fragment (a catalog string) into a tree."""
    builder = TreeBuilder(warn)
    walker = _Walker(builder, warn)
    for token in _MD.parseInline(text):
        walker.inline(token.children or [], line)
    return builder.finish(line)


class _Walker:
    def __init__(self, builder: TreeBuilder, warn: Warn) -> None:
        self.b = builder
        self.warn = warn
        self.unknown: set[str] = set()

    def blocks(self, tokens: Sequence[Token]) -> None:
        line = 1
        b = self.b
        for token in tokens:
            if token.map:
                line = token.map[0] + 1
            kind = token.type
            if kind == "inline":
                self.inline(token.children or [], line)
            elif kind == "html_block":
                for inner in _MD.parseInline(token.content):
                    self.inline(inner.children or [], line)
            elif kind == "hr":
                b.close_all_html(line)
                b.leaf("hr", {}, line)
            elif kind in ("fence", "code_block"):
                b.open("pre", {}, line)
                b.text(token.content, line)
                b.close_markdown("pre", line)
            elif token.nesting == 1:
                tag = _BLOCK_TAGS.get(token.tag, token.tag)
                if tag.startswith("h") and tag[1:].isdigit():
                    b.close_all_html(line)
                attrs: dict[str, str] = {}
                if kind == "ordered_list_open":
                    attrs["start"] = str(token.attrGet("start") or 1)
                b.open(tag, attrs, line)
            elif token.nesting == -1:
                b.close_markdown(_BLOCK_TAGS.get(token.tag, token.tag), line)

    def inline(self, children: Sequence[Token], line: int) -> None:
        b = self.b
        for child in children:
            kind = child.type
            if kind in ("text", "text_special"):
                b.text(child.content, line)
            elif kind == "softbreak":
                b.leaf("#soft", {}, line)
                line += 1
            elif kind == "hardbreak":
                b.leaf("br", {}, line)
                line += 1
            elif kind in _INLINE_PAIRS:
                b.open(_INLINE_PAIRS[kind], {}, line)
            elif kind in _INLINE_CLOSE:
                b.close_markdown(_INLINE_CLOSE[kind], line)
            elif kind == "link_open":
                attrs = {"href": str(child.attrGet("href") or "")}
                b.open("a", attrs, line)
            elif kind == "link_close":
                b.close_markdown("a", line)
            elif kind == "image":
                src = str(child.attrGet("src") or "")
                b.leaf("img", {"src": src, "alt": child.content}, line)
            elif kind == "code_inline":
                b.open("code", {}, line)
                b.text(child.content, line)
                b.close_markdown("code", line)
            elif kind == "html_inline":
                self.tag(child.content, line)
                line += child.content.count("\n")
            else:
                b.text(child.content, line)

    def tag(self, source: str, line: int) -> None:
        tag = parse_tag(source)
        b = self.b
        if tag is None or tag.name == "#ignore":
            return
        if tag.name.startswith("#unknown:"):
            name = tag.name.split(":", 1)[1]
            if name not in self.unknown:
                self.unknown.add(name)
                self.warn("html-unsupported", f"<{name}> is not supported; its text is kept",
                          line)
            return
        if tag.closing:
            b.close_html(tag.name, line)
        elif tag.self_closing or tag.name in ("br", "img", "hr"):
            if tag.name not in ("#drop",):
                b.leaf(tag.name, tag.attrs, line, html=True)
        else:
            if tag.name == "#drop":
                self.warn("html-dropped", f"<{tag.source}> and its content left out", line)
            b.open(tag.name, tag.attrs, line, html=True)
