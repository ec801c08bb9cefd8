"""A small element tree that merges Markdown structure and inline HTML tags.

Markdown tokens and HTML tags both open and close elements on one stack.
Markdown structure wins: an HTML end tag only closes HTML elements opened
after the innermost Markdown element (anything else is a stray tag, reported
and dropped), and closing a Markdown element closes the HTML left open in it.
The tree is internal: :mod:`.build` turns it into model blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .html import BLOCKS

#: End tags HTML lets authors omit: closing them implicitly is not worth a warning.
_OPTIONAL_END = frozenset({"p", "li", "td", "th", "tr", "thead", "tbody", "#drop"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(slots=True, eq=False)
class Node:
    """One element (``tag``) or a text run (``tag == "#text"``, ``text`` set)."""

    tag: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""
    line: int = 0
    html: bool = False


Warn = Callable[[str, str, int], None]


class TreeBuilder:
    """Builds a :class:`Node` tree from open/close/text events."""

    def __init__(self, warn: Warn) -> None:
        self.root = Node("#root")
        self.stack: list[Node] = [self.root]
        self._warn = warn

    @property
    def top(self) -> Node:
        return self.stack[-1]

    def text(self, text: str, line: int) -> None:
        """Append text to the current element (merged with a preceding text run)."""
        if not text:
            return
        children = self.top.children
        if children and children[-1].tag == "#text":
            children[-1].text += text
        else:
            children.append(Node("#text", text=text, line=line))

    def leaf(self, tag: str, attrs: Mapping[str, str], line: int, html: bool = False) -> None:
        """An element without content (``br``, ``img``, ``hr``, ``iframe``)."""
        if html and tag in BLOCKS:
            self._close_paragraph(line)
        self.top.children.append(Node(tag, dict(attrs), line=line, html=html))

    def open(self, tag: str, attrs: Mapping[str, str], line: int, html: bool = False) -> None:
        """Open an element (Markdown when ``html`` is false)."""
        if html:
            self._implicit_ends(tag, line)
        node = Node(tag, dict(attrs), line=line, html=html)
        self.top.children.append(node)
        self.stack.append(node)

    def close_markdown(self, tag: str, line: int) -> None:
        """Close the innermost Markdown element ``tag`` and any HTML left open inside it."""
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if not node.html and node.tag == tag:
                self._pop_to(depth, line)
                return

    def close_html(self, tag: str, line: int) -> None:
        """An HTML end tag: close the matching HTML element, or report a stray tag."""
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if not node.html:
                break
            if node.tag == tag:
                self._pop_to(depth, line)
                return
        self._warn("html-stray-tag", f"stray </{tag}> ignored", line)

    def close_all_html(self, line: int) -> None:
        """Close HTML left open before a Markdown heading or rule (``<div>`` may stay open)."""
        depth = len(self.stack)
        while depth > 1 and self.stack[depth - 1].html and self.stack[depth - 1].tag != "div":
            depth -= 1
        for node in self.stack[depth:]:
            if node.tag not in _OPTIONAL_END:
                self._warn("html-unclosed", f"<{node.tag}> (line {node.line}) was never closed",
                           line)
        del self.stack[depth:]

    def finish(self, line: int) -> Node:
        """Close everything and return the root."""
        if len(self.stack) > 1:
            self._pop_to(1, line)
        return self.root

    # ------------------------------------------------------------------

    def _pop_to(self, depth: int, line: int) -> None:
        """Pop ``stack[depth:]``, reporting unclosed HTML above the target."""
        for node in self.stack[depth + 1:]:
            if node.html and node.tag not in _OPTIONAL_END:
                self._warn("html-unclosed", f"<{node.tag}> (line {node.line}) was never closed",
                           line)
        del self.stack[depth:]

    def _close_paragraph(self, line: int) -> None:
        if self.top.html and self.top.tag in {"p", "strong", "em", "span", "a", "code"}:
            for depth in range(len(self.stack) - 1, 0, -1):
                node = self.stack[depth]
                if not node.html:
                    return
                if node.tag == "p":
                    self._pop_to(depth, line)
                    return

    def _implicit_ends(self, tag: str, line: int) -> None:
        """HTML's implied end tags: a new ``<li>`` ends the previous one, and so on."""
        if tag in BLOCKS:
            self._close_paragraph(line)
        closes: frozenset[str]
        bounds: frozenset[str]
        if tag == "li":
            closes, bounds = frozenset({"li"}), frozenset({"ul", "ol"})
        elif tag in ("td", "th"):
            closes, bounds = frozenset({"td", "th"}), frozenset({"tr", "table"})
        elif tag == "tr":
            closes, bounds = frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody"})
        elif tag in ("thead", "tbody"):
            closes, bounds = frozenset({"thead", "tbody", "tr"}), frozenset({"table"})
        elif tag in _HEADINGS:
            closes, bounds = _HEADINGS, frozenset({"div", "li", "td", "th"})
        else:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if not node.html or node.tag in bounds:
                return
            if node.tag in closes:
                self._pop_to(depth, line)
                return
