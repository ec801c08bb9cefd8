"""Inline HTML in guides: one tag at a time, sanitised to an allow-list.

markdown-it finds the tags (``html_inline`` tokens); this module reads each
tag tolerantly (odd spacing, junk attributes, unquoted values, entities) and
maps it onto the few elements the model knows. Anything else is dropped.

    >>> parse_tag('<a href = "/x?a=1&amp;b=2" mark= "crwd-mark">')
    HtmlTag(name='a', closing=False, attrs={'href': '/x?a=1&b=2'}, self_closing=False, source='a')
    >>> parse_tag('</ LI >').name, parse_tag('<b>').name, parse_tag('<!-- note -->')
    ('li', 'strong', None)
    >>> parse_tag('<a href=“https://x.org/a”>').attrs
    {'href': 'https://x.org/a'}
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

#: Source tag -> model-facing element. ``span`` is transparent, ``div`` a block container.
TAG_MAP: Mapping[str, str] = {
    "b": "strong", "strong": "strong", "i": "em", "em": "em", "cite": "em",
    "code": "code", "tt": "code", "kbd": "code", "samp": "code",
    "a": "a", "br": "br", "img": "img", "iframe": "iframe", "hr": "hr",
    "font": "span", "span": "span", "u": "span", "small": "span", "big": "span",
    "sup": "span", "sub": "span", "mark": "span", "abbr": "span", "q": "span",
    "s": "span", "del": "span", "ins": "span", "label": "span", "nobr": "span",
    "p": "p", "div": "div", "center": "div", "section": "div", "article": "div",
    "blockquote": "div", "figure": "div", "figcaption": "p", "header": "div",
    "footer": "div", "main": "div", "aside": "div", "nav": "div",
    "ul": "ul", "ol": "ol", "li": "li", "dl": "div", "dt": "p", "dd": "p",
    "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6",
    "table": "table", "thead": "thead", "tbody": "tbody", "tfoot": "tbody",
    "tr": "tr", "th": "th", "td": "td", "caption": "p", "pre": "pre",
}
#: Tags whose whole content is dropped (never printed).
DROP_CONTENT = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "object", "embed",
     "svg", "math", "select", "textarea", "button", "form", "video", "audio", "canvas"}
)
#: Elements without content.
VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area"})
#: Silently ignored tags (structure we do not need, no content of their own).
IGNORED = frozenset({"html", "body", "colgroup", "col", "wbr", "input", "meta", "link", "source",
                     "area", "map", "picture"})
#: Attributes kept per element (everything else is dropped).
KEEP_ATTRS: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "iframe": frozenset({"src", "title"}),
    "ol": frozenset({"start"}),
}
#: Block-level elements (they close an open ``<p>``).
BLOCKS = frozenset({"p", "div", "ul", "ol", "li", "table", "tr", "th", "td", "thead",
                    "tbody", "hr", "pre", "iframe", "h1", "h2", "h3", "h4", "h5", "h6"})

_TAG = re.compile(r"^<\s*(/?)\s*([A-Za-z][A-Za-z0-9:-]*)(.*?)(/?)\s*>$", re.DOTALL)
_ATTR = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.DOTALL
)


@dataclass(frozen=True, slots=True)
class HtmlTag:
    """A sanitised tag: ``name`` is the model-facing element (see :data:`TAG_MAP`),
    ``#drop`` for content-dropping tags, ``#ignore`` for ignored ones and
    ``#unknown:<tag>`` for tags outside the allow-list."""

    name: str
    closing: bool = False
    attrs: Mapping[str, str] = field(default_factory=dict)
    self_closing: bool = False
    source: str = ""  # the tag name as written (lower case)


def parse_tag(source: str) -> HtmlTag | None:
    """Read one HTML tag; None for comments, declarations and non-tags."""
    match = _TAG.match(source.strip())
    if match is None:
        return None
    closing, raw_name, rest, slash = match.groups()
    tag = raw_name.lower()
    if tag in DROP_CONTENT:
        name = "#drop"
    elif tag in IGNORED:
        name = "#ignore"
    else:
        name = TAG_MAP.get(tag, f"#unknown:{tag}")
    keep = KEEP_ATTRS.get(name, frozenset())
    attrs: dict[str, str] = {}
    if keep and not closing:
        for attr in _ATTR.finditer(rest):
            key = attr.group(1).lower()
            if key in keep and key not in attrs:
                value = attr.group(2) or attr.group(3) or attr.group(4) or ""
                # typographic quotes a translation tool put around the value
                attrs[key] = html.unescape(value).strip().strip("“”„‟‘’‚‛«»＂").strip()
    return HtmlTag(name, bool(closing), attrs, bool(slash) or tag in VOID, tag)
