"""Bold and emphasis written half in Markdown, half in HTML, made HTML throughout.

Translation tools break ``**bold**`` in a few recurring ways: one side becomes an
HTML tag (``** text </ strong>``, ``<b>text**``), spaces appear inside on one
side only (``** text**``, which CommonMark's flanking rules refuse), or the bold
run wraps onto the next line with spaces that stop it pairing. Every ``**`` of
a paragraph is therefore paired here, with ``**`` *or* ``<strong>``/``<b>`` on
either side, and written as ``<strong>``/``</strong>``; a ``**`` that pairs
with nothing is removed, so it never prints. ``*text </em>`` gets its ``<em>``.

Lines keep their number and their order; code spans are left alone.

    >>> repair_emphasis(["** text </ strong> and **b</b>, <b>c** ** d**"])
    ['<strong>text </strong> and <strong>b</strong>, <b>c</strong> <strong>d</strong>']
    >>> repair_emphasis(["Some ** bold that", "wraps ** here, and a stray ** mark"])
    ['Some <strong>bold that', 'wraps</strong> here, and a stray mark']
    >>> repair_emphasis(["`**code**` *em </em>"])
    ['`**code**` <em>em </em>']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_Edit = Callable[[int, int, int, str], None]

_CODE_SPAN = re.compile(r"`+[^`]*`+")
_TOKEN = re.compile(
    r"(?P<md>(?<![\\*])\*\*(?!\*))"
    r"|(?P<open><\s*(?:strong|b)(?:\s[^<>]*)?>)"
    r"|(?P<close><\s*/\s*(?:strong|b)\s*>)"
    r"|(?P<emclose><\s*/\s*(?:em|i)\s*>)"
    r"|(?P<emopen><\s*(?:em|i)(?:\s[^<>]*)?>)"
    r"|(?P<cell></?\s*(?:td|th|tr|table|thead|tbody|li|p|div|h[1-6])\b[^<>]*>)",
    re.IGNORECASE,
)
#: A line that starts a new block: emphasis never runs from the line above into it.
_BLOCK_START = re.compile(r"^\s*(?:[-+*]\s|\d{1,9}[.)]\s|#{1,6}(?:\s|$)|>|\||<(?:table|tr|!--))")
_LONE_STAR = re.compile(r"(?<![*\\])\*(?![*\s])")


@dataclass(slots=True)
class _Open:
    line: int
    start: int
    end: int
    markdown: bool


def _code_ranges(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CODE_SPAN.finditer(line)]


def repair_emphasis(lines: list[str]) -> list[str]:
    """Pair every ``**`` of each paragraph with ``**`` or a strong tag (see module doc)."""
    edits: dict[int, list[tuple[int, int, str]]] = {}
    stack: list[_Open] = []

    def edit(index: int, start: int, end: int, text: str) -> None:
        edits.setdefault(index, []).append((start, end, text))

    def drop_open_markdown() -> None:
        for item in stack:
            if item.markdown:
                edit(item.line, item.start, item.end, "")
        stack.clear()

    for index, line in enumerate(lines):
        if not line.strip() or _BLOCK_START.match(line):
            drop_open_markdown()
        if "*" not in line and "<" not in line:
            continue
        code = _code_ranges(line)
        em_open = False
        for match in _TOKEN.finditer(line):
            if any(a <= match.start() < b for a, b in code):
                continue
            kind = match.lastgroup
            if kind == "cell":  # bold never runs across a table cell, list item or block
                drop_open_markdown()
                em_open = False
            elif kind == "emopen":
                em_open = True
            elif kind == "emclose":
                if not em_open:
                    _fix_em(line, match.start(), code, index, edit)
                em_open = False
            elif kind == "open":
                stack.append(_Open(index, match.start(), match.end(), markdown=False))
            elif kind == "close":
                if stack:
                    opener = stack.pop()
                    if opener.markdown:
                        edit(opener.line, opener.start, opener.end, "<strong>")
                        edit(index, match.start(), match.end(), "</strong>")
            elif stack:  # a ``**`` closing what is open
                opener = stack.pop()
                start = match.start()
                floor = opener.end if opener.line == index else 0
                while start > floor and line[start - 1] in " \t":
                    start -= 1
                edit(index, start, match.end(), "</strong>")
                if opener.markdown:
                    edit(opener.line, opener.start, opener.end, "<strong>")
            else:
                end = match.end()
                while end < len(line) and line[end] in " \t":
                    end += 1
                stack.append(_Open(index, match.start(), end, markdown=True))
    drop_open_markdown()
    out = list(lines)
    for index, changes in edits.items():
        text = out[index]
        for start, end, new in sorted(changes, reverse=True):
            text = text[:start] + new + text[end:]
        out[index] = text
    return out


def _fix_em(line: str, close: int, code: list[tuple[int, int]], index: int,
            edit: _Edit) -> None:
    """A stray ``</em>``: the lone ``*`` before it (not a list bullet) opened it."""
    bullet = re.match(r"^\s*\*\s", line)
    for match in reversed(list(_LONE_STAR.finditer(line, 0, close))):
        if bullet and match.start() == bullet.end() - 2:
            continue
        if any(a <= match.start() < b for a, b in code):
            continue
        edit(index, match.start(), match.end(), "<em>")
        return


