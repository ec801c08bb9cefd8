"""printkit's own HTML, parsed five times faster than by an HTML5 parser.

Layouts and :mod:`printkit.markup` write complete, well-nested HTML. For such a
document the HTML5 tree-construction algorithm builds exactly the tree the
markup spells, so :func:`parse` builds it with the standard library's
tokenizer, and gives up (returns ``None``) on anything the HTML5 algorithm
would repair or treat specially: a misnested or missing end tag, a block that
closes an open paragraph, a table without its row groups, a comment, foreign
content, and so on. The caller then uses WeasyPrint's HTML5 parser, so the
tree is always the one a browser would build (the tests compare both parsers
on every shipped layout, the corpus, and random markup).
"""

from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as ET


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


VOID = _tags(
    "area base br col embed hr img input link meta param source track wbr"
)
#: Start tags that close an open <p> (HTML5 "in body" rules).
CLOSES_P = _tags(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr listing main menu nav ol p pre "
    "search section summary table ul xmp li dd dt plaintext"
)
#: Elements the HTML5 algorithm treats specially (raw text, foreign content, forms...).
SPECIAL = _tags(
    "base basefont bgsound frameset frame image iframe isindex keygen math noembed noframes "
    "noscript object option optgroup plaintext rp rt ruby script select svg template "
    "textarea xmp applet marquee button form nobr"
)
HEADINGS = _tags("h1 h2 h3 h4 h5 h6")
HEAD_CONTENT = frozenset({"meta", "title", "style", "link"})
#: What each table part may directly contain.
TABLE_CHILDREN = {
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tfoot"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}
TABLE_PARTS = frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"})
#: HTML5's "special" elements that stop the search for an open <li>, <dd> or <dt>.
ITEM_SCOPE = _tags(
    "applet area article aside basefont bgsound blockquote body br button caption center col "
    "colgroup dd details dir dl dt embed fieldset figcaption figure footer form frame frameset "
    "h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main "
    "marquee menu meta nav noembed noframes noscript object ol param plaintext pre script "
    "search section select source style summary table tbody td template textarea tfoot th "
    "thead title tr track ul wbr xmp"
)
_WHITESPACE = " \t\n\f"
#: Character references markupsafe and the layouts write in attribute values.
_SAFE_REFERENCE = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


class _Unusual(Exception):
    """Markup the HTML5 algorithm would not build as spelled."""


def parse(markup: str) -> ET.Element | None:
    """The tree of ``markup`` (as WeasyPrint's HTML5 parser builds it), or ``None``.

    >>> root = parse("<!DOCTYPE html><html><head><title>T</title></head>"
    ...              "<body><p>a<br>b &amp; c</p></body></html>")
    >>> ET.tostring(root, encoding="unicode")
    '<html><head><title>T</title></head><body><p>a<br />b &amp; c</p></body></html>'
    >>> parse("<html><head></head><body><p>a<div>b</div></p></body></html>") is None
    True
    """
    if "\x00" in markup or "<!--" in markup or "<![" in markup:
        return None
    builder = _Builder()
    try:
        builder.feed(markup.replace("\r\n", "\n").replace("\r", "\n"))
        builder.close()
        return builder.finish()
    except _Unusual:
        return None


class _Builder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tree = ET.TreeBuilder()
        self.stack: list[str] = []
        self.root: ET.Element | None = None
        self.phase = "start"  # start, html, head, between, body, after
        self.after_pre = False

    # -------------------------------------------------------------- events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_start(tag)
        attributes = {name: value or "" for name, value in attrs}
        if len(attributes) != len(attrs):
            raise _Unusual  # duplicate attribute: HTML5 keeps the first
        raw = self.get_starttag_text() or ""
        if "&" in raw and raw.count("&") != len(_SAFE_REFERENCE.findall(raw)):
            raise _Unusual  # HTML5 decodes legacy references in attributes its own way
        self.after_pre = tag in ("pre", "listing")
        element = self.tree.start(tag, attributes)
        if tag == "html":
            self.root = element
        if tag in VOID:
            self.tree.end(tag)
        else:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            raise _Unusual  # <div/> is a start tag in HTML
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.after_pre = False
        if tag == "html":
            if self.phase != "after":
                raise _Unusual
            return
        if not self.stack or self.stack[-1] != tag:
            raise _Unusual
        if tag == "body":
            # The body stays open in HTML5: later whitespace still lands in it.
            self.phase = "after"
            return
        self.stack.pop()
        self.tree.end(tag)
        if tag == "head":
            self.phase = "between"

    def handle_data(self, data: str) -> None:
        if self.after_pre:
            self.after_pre = False
            if data.startswith("\n"):
                data = data[1:]  # HTML5 drops the newline that opens a <pre>
                if not data:
                    return
        blank = not data.strip(_WHITESPACE)
        if self.phase in ("start", "html"):
            if not blank:
                raise _Unusual
            return  # ignored before <head>
        in_head = self.phase == "head" and self.stack[-1] == "head"
        if not blank and (in_head or self.phase in ("between", "after")):
            raise _Unusual
        if self.stack and self.stack[-1] in TABLE_CHILDREN and not blank:
            raise _Unusual  # text in a table is moved out of it
        self.tree.data(data)

    def handle_decl(self, decl: str) -> None:
        if self.phase != "start" or decl.lower() != "doctype html":
            raise _Unusual

    def unknown_decl(self, data: str) -> None:
        raise _Unusual

    def handle_pi(self, data: str) -> None:
        raise _Unusual

    def handle_comment(self, data: str) -> None:
        raise _Unusual

    # -------------------------------------------------------------- rules
    def _check_start(self, tag: str) -> None:
        stack = self.stack
        if tag in SPECIAL:
            raise _Unusual
        expected = {"start": "html", "html": "head", "between": "body"}.get(self.phase)
        if expected is not None:
            if tag != expected:
                raise _Unusual
            self.phase = tag
            return
        if self.phase == "head":
            if tag not in HEAD_CONTENT or stack[-1] != "head":
                raise _Unusual
            return
        if self.phase != "body" or tag in ("html", "head", "body"):
            raise _Unusual
        parent = stack[-1]
        if parent in TABLE_CHILDREN:
            if tag not in TABLE_CHILDREN[parent]:
                raise _Unusual
        elif tag in TABLE_PARTS:
            raise _Unusual
        if tag in CLOSES_P and "p" in stack:
            raise _Unusual
        if tag in ("li", "dd", "dt"):
            for open_tag in reversed(stack):
                if open_tag in ("li", "dd", "dt"):
                    raise _Unusual  # HTML5 would close the open item
                if open_tag in ITEM_SCOPE and open_tag not in ("address", "div", "p"):
                    break
        if tag in HEADINGS and parent in HEADINGS:
            raise _Unusual
        if tag == "a" and "a" in stack:
            raise _Unusual
        if tag in ("table", "hr", "img", "br") and parent in ("title", "style"):
            raise _Unusual

    def finish(self) -> ET.Element:
        if self.phase != "after" or self.stack != ["html", "body"] or self.root is None:
            raise _Unusual
        self.tree.end("body")
        self.tree.end("html")
        root = self.tree.close()
        if root is not self.root:
            raise _Unusual
        return root
