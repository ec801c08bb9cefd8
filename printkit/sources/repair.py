"""Repairs for damage that translation tools leave in guides.

Every repair keeps the number of lines, so line numbers still point into the
original file. They run on the Markdown body before parsing:

* :func:`dedent_damaged_runs`: a run of lines indented by four spaces (or a
  tab) that holds Markdown headings or a table cannot be list-continuation
  content, nor can a run that follows a line ending in a stray ``</li>``
  (the HTML list was over); it is shifted back left by its common indentation.
* :func:`fix_line`: ``< strong>`` → ``<strong>``, ``** bold **`` (and CJK
  ``**Label：**text``, which CommonMark's flanking rules refuse) → ``<strong>``,
  and a bare ``---`` rule that would turn the paragraph above into a heading → ``***``.
* :func:`~.tables.repair_tables`: flattened or broken tables rebuilt (``tables.py``).
* :func:`~.emphasis.repair_emphasis`: ``**`` paired across a paragraph with ``**`` or a
  strong tag, the unpaired ones removed (``emphasis.py``).
"""

from __future__ import annotations

import re

from .emphasis import repair_emphasis
from .html import TAG_MAP
from .tables import repair_tables

_HEADING = re.compile(r"^#{1,6}(\s|$)")
_TABLE_DELIM = re.compile(
    r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$|^\|\s*:?-{3,}:?\s*\|\s*$"
)
_LIST_END = re.compile(r"</\s*(li|ul|ol)\s*>\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_SPACED_TAG = re.compile(
    r"<\s+(/?)\s*(" + "|".join(sorted(TAG_MAP, key=len, reverse=True)) + r")(?=[\s>/])"
    r"|<(/)\s+(" + "|".join(sorted(TAG_MAP, key=len, reverse=True)) + r")(?=[\s>])",
    re.IGNORECASE,
)
_DASH_RULE = re.compile(r"^ {0,3}-{3,}[ \t]*$")
#: ``##Title`` (the space lost) and ``＃＃ Title`` (full-width): still headings. One ``#``
#: glued to a word is a hashtag (``#HourOfCode``), not a heading.
_GLUED_HEADING = re.compile(r"^( {0,3})(#{2,6})(?=[^\s#])|^( {0,3})(＃{1,6})\s*")
#: ``[text] (url)`` and full-width ``［text］（url）``: a link the space or the brackets broke.
_SPLIT_LINK = re.compile(
    r"[\[［]([^\[\]［］\n]+)[\]］]\s+\((?=\s*(?:https?://|/|[a-z]+\d+x\s*\)))"
    r"|[\[［]([^\[\]［］\n]+)[\]］]\s*（\s*((?:https?://|/|[a-z]+\d+x)[^\s（）]*)\s*）"
    r"|［([^\[\]［］\n]+)］\((?=\s*(?:https?://|/|[a-z]+\d+x\s*\)))"
)


def indent_width(line: str) -> int:
    """Columns of leading whitespace (tabs to the next multiple of four).

    >>> indent_width("\\t  x"), indent_width("  \\tx"), indent_width("x")
    (6, 4, 0)
    """
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _strip_columns(line: str, columns: int) -> str:
    col = 0
    for i, ch in enumerate(line):
        if col >= columns or ch not in " \t":
            return " " * (col - columns) + line[i:] if col > columns else line[i:]
        col += 1 if ch == " " else 4 - col % 4
    return ""


def dedent_damaged_runs(lines: list[str]) -> list[int]:
    """Shift damaged indented runs left, in place; returns the first line index of each.

    >>> doc = ["- item </li>", "", "    ## Two", "", "    | a | b |", "    |---|---|"]
    >>> dedent_damaged_runs(doc), doc[2], doc[5]
    ([2], '## Two', '|---|---|')
    >>> doc = ["- ideas:", "    - nested", "", "    ## Three"]
    >>> dedent_damaged_runs(doc), doc[1], doc[3]
    ([1], '    - nested', '## Three')
    """
    fixed: list[int] = []
    i, n = 0, len(lines)
    in_fence = False
    while i < n:
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.strip() or indent_width(line) < 4:
            i += 1
            continue
        j = i
        while j < n and (not lines[j].strip() or indent_width(lines[j]) >= 4):
            if _FENCE.match(lines[j]):
                break
            j += 1
        start = i
        if i > 0 and lines[i - 1].strip():
            # Lines glued to the line above are its continuation (a nested list):
            # only what follows the first blank line may be damage.
            while start < j and lines[start].strip():
                start += 1
        body = [k for k in range(start, j) if lines[k].strip()]
        if not body:
            i = j
            continue
        shift = min(indent_width(lines[k]) for k in body)
        shifted = [_strip_columns(lines[k], shift) for k in body]
        before = next((lines[k] for k in range(start - 1, -1, -1) if lines[k].strip()), "")
        if _LIST_END.search(before) or any(
            _HEADING.match(s) or _TABLE_DELIM.match(s) for s in shifted
        ):
            for k, s in zip(body, shifted, strict=True):
                lines[k] = s
            fixed.append(i)
        i = j
    return fixed


def fix_line(line: str, previous: str) -> str:
    """Repair one line (``previous`` is the line above, for rules).

    >>> fix_line("< strong x-id='1'>Hi</ strong> ** so ** **A :**b", "")
    "<strong x-id='1'>Hi</strong> <strong>so</strong> <strong>A :</strong>b"
    >>> fix_line("`**x**` ** y **", "")
    '`**x**` <strong>y</strong>'
    >>> fix_line("---", "Some text"), fix_line("---", "")
    ('***', '---')
    >>> fix_line("##2. Jour J", ""), fix_line("＃＃ Plan", ""), fix_line("#HourOfCode", "")
    ('## 2. Jour J', '## Plan', '#HourOfCode')
    >>> fix_line("Le [kit] (https://x.org/k) et ［vidéos］（/v）", "")
    'Le [kit](https://x.org/k) et [vidéos](/v)'

    """
    if "<" in line:
        line = _SPACED_TAG.sub(_join_tag, line)
    if "**" in line or "</" in line:
        line = repair_emphasis([line])[0]
    return _fix_rule(line, previous)


def _fix_rule(line: str, previous: str) -> str:
    if previous.strip() and _DASH_RULE.match(line) and "|" not in previous:
        line = line.replace("-", "*")
    if "#" in line or "＃" in line:
        line = _GLUED_HEADING.sub(_heading, line, count=1)
    if "[" in line or "［" in line:
        line = _SPLIT_LINK.sub(_link, line)
    return line


def _heading(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}{match.group(2)} "
    return f"{match.group(3)}{'#' * len(match.group(4))} "


def _link(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"[{match.group(1)}]("
    if match.group(2) is not None:
        return f"[{match.group(2)}]({match.group(3)})"
    return f"[{match.group(4)}]("


def _join_tag(match: re.Match[str]) -> str:
    if match.group(2):
        return f"<{match.group(1)}{match.group(2)}"
    return f"<{match.group(3)}{match.group(4)}"


def repair(lines: list[str]) -> list[str]:
    """All repairs on a list of body lines (front matter already blanked)."""
    out = repair_tables(list(lines))
    dedent_damaged_runs(out)
    in_fence = False
    previous = ""
    prose = [False] * len(out)
    for i, line in enumerate(out):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            fixed = _SPACED_TAG.sub(_join_tag, line) if "<" in line else line
            out[i] = _fix_rule(fixed, previous)
            prose[i] = True
        previous = line
    paired = repair_emphasis([text if keep else "" for text, keep in zip(out, prose, strict=True)])
    return [new if keep else old for old, new, keep in zip(out, paired, prose, strict=True)]
