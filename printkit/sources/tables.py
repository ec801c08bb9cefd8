"""Tables that translation tools flattened or broke, rebuilt so they print as tables.

A GFM table needs a header line, a delimiter line with as many cells, and one
line per row. Translated guides arrive with the whole table on one line, the
delimiter written with escaped dashes (``\\---\\---\\----``), rows glued with
``||``, pipes missing at either end, rows of different lengths, stray ``</p>``
or ``</strong>`` lines between the rows, or no delimiter at all. Such a table
is rewritten as one HTML table spread over the same lines (each row stays on
the line it was written on, so row locations stay true); cells keep their
Markdown, which the reader parses as usual. Clean GFM tables are left alone.

    >>> [line] = repair_tables(["| Time | What | |---|---| | 10:00 | Hi || 10:05 | Bye |"])
    >>> line.count("<tr>"), line[line.index("<tbody>"):][:50]
    (3, '<tbody><tr><td>10:00</td><td>Hi</td></tr><tr><td>1')
    >>> for line in repair_tables(["T | What", "\\\\---\\\\---", "9:00 | Hi", "</p>", "9:05 | B"]):
    ...     print(line)
    <table><thead><tr><th>T</th><th>What</th></tr></thead><tbody>
    <!-- -->
    <tr><td>9:00</td><td>Hi</td></tr>
    <!-- -->
    <tr><td>9:05</td><td>B</td></tr></tbody></table>
    >>> repair_tables(["| a | b |", "|---|---|", "| 1 | 2 |"])
    ['| a | b |', '|---|---|', '| 1 | 2 |']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CLEAN_DELIM = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_DASHES = "-—–―－"  # typographers and translation tools turn ``---`` into dashes
_DELIM_CELL = re.compile(
    r"^[\s\\:|]*[" + re.escape(_DASHES) + r"][\s\\:|" + re.escape(_DASHES) + r"]*$")
_DASH_RUN = re.compile(r":?[" + re.escape(_DASHES) + r"]+:?")
_EDGE_TAGS = re.compile(
    r"^(\s*)(?:<\s*/?\s*(?:p|strong|b|em|i|span|div|font|br|center|u)\s*/?\s*>\s*)+"
    r"|(?:\s*<\s*/?\s*(?:p|strong|b|em|i|span|div|font|br|center|u)\s*/?\s*>)+\s*$",
    re.IGNORECASE,
)
_STRAY = re.compile(
    r"^\s*(?:<\s*/?\s*(?:p|strong|b|em|i|span|div|font|br|center|u)\s*/?\s*>\s*)+$",
    re.IGNORECASE,
)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_BLANK_HOLDER = "<!-- -->"  # keeps the HTML block going on lines without a row


@dataclass(slots=True)
class _Line:
    index: int
    cells: list[str] = field(default_factory=list)
    stray: bool = False
    delimiter_at: int | None = None  # first delimiter cell
    delimiter_runs: int = 0


def split_cells(line: str) -> list[str]:
    r"""The cells of a table line (``\|`` and code spans do not split; edge pipes dropped).

    >>> split_cells("a | `x|y` | b \\| c |")
    ['a', '`x|y`', 'b | c']
    """
    text = line.strip()
    protected: list[str] = []

    def keep(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _CODE_SPAN.sub(keep, text.replace("\\|", "\x01"))
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    cells = text.split("|")

    def restore(cell: str) -> str:
        cell = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], cell)
        return cell.replace("\x01", "|").strip()

    return [restore(c) for c in cells]


def _is_delimiter_cell(cell: str) -> bool:
    return bool(cell) and bool(_DELIM_CELL.match(cell)) and (
        cell.count("-") >= 2 or any(d in cell for d in _DASHES[1:]))


def _clean_line(line: str) -> str:
    """A table line without the stray tags around it, full-width pipes made ASCII."""
    if "|" not in line and "｜" in line:
        line = line.replace("｜", "|")
    return _EDGE_TAGS.sub(lambda m: m.group(1) or "", line) if "<" in line else line


def _read(index: int, line: str) -> _Line:
    if _STRAY.match(line):
        return _Line(index, stray=True)
    cells = split_cells(_clean_line(line))
    out = _Line(index, cells)
    for position, cell in enumerate(cells):
        if _is_delimiter_cell(cell):
            if out.delimiter_at is None:
                out.delimiter_at = position
            out.delimiter_runs += len(_DASH_RUN.findall(cell.replace("\\", " ")))
        elif out.delimiter_at is not None and cell:
            break
    return out


def _is_table_line(line: str) -> bool:
    line = _clean_line(line)
    return "|" in line.replace("\\|", "") or _is_delimiter_cell(line.strip())


def repair_tables(lines: list[str]) -> list[str]:
    """Rewrite damaged tables in ``lines`` as HTML tables; the number of lines is kept."""
    out = list(lines)
    n = len(lines)
    i = 0
    in_fence = False
    while i < n:
        if _FENCE.match(lines[i]):
            in_fence = not in_fence
        if in_fence or not _is_table_line(lines[i]):
            i += 1
            continue
        j = i
        while j < n and (_is_table_line(lines[j]) or (
            _STRAY.match(lines[j]) and j + 1 < n and _is_table_line(lines[j + 1]))):
            j += 1
        _repair_region(lines, out, i, j)
        i = max(j, i + 1)
    return out


def _repair_region(lines: list[str], out: list[str], start: int, end: int) -> None:
    read = [_read(k, lines[k]) for k in range(start, end)]
    delim = next((r for r in read if r.delimiter_at is not None), None)
    if delim is None:
        body = [r for r in read if not r.stray]
        if len(body) < 2 or not all(
            lines[r.index].strip().startswith("|") and len(r.cells) >= 2 for r in body
        ):
            return
        header_line: _Line | None = None
        first = start
    elif delim.delimiter_at == 0:
        previous = [r for r in read if r.index < delim.index and not r.stray]
        if not previous:
            return
        header_line = previous[-1]
        first = header_line.index
    else:
        header_line = delim
        first = delim.index
    if delim is not None and header_line is not None and _is_clean(lines, read, header_line, delim):
        return
    header = header_line.cells[: header_line.delimiter_at] if header_line else []
    header = [c for c in header if c] if header_line is delim else header
    columns = len(header) or (delim.delimiter_runs if delim else 0)
    rows: dict[int, list[list[str]]] = {}
    for item in read:
        if item.index < first or item.stray or (item is header_line and delim is not item):
            continue
        cells = item.cells
        if item.delimiter_at is not None:
            after = item.delimiter_at
            while after < len(cells) and (_is_delimiter_cell(cells[after]) or not cells[after]):
                after += 1
            cells = cells[after:]
        rows[item.index] = _rows(cells, columns)
    width = max([len(header), *(len(r) for rs in rows.values() for r in rs)], default=0)
    if width < 1:
        return
    indent = re.match(r"^[ \t]*", lines[first])
    prefix = indent.group(0) if indent and len(indent.group(0).expandtabs(4)) < 4 else ""
    for k in range(first, end):
        parts: list[str] = []
        if k == first:
            parts.append("<table>")
            if header:
                head = "".join(f"<th>{c}</th>" for c in _pad(header, width))
                parts.append(f"<thead><tr>{head}</tr></thead>")
            parts.append("<tbody>")
        for row in rows.get(k, []):
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in _pad(row, width)) + "</tr>")
        if not parts:
            parts.append(_BLANK_HOLDER)
        if k == end - 1:
            parts.append("</tbody></table>")
        out[k] = prefix + "".join(parts)


def _is_clean(lines: list[str], read: list[_Line], header: _Line, delim: _Line) -> bool:
    """A table GFM reads faithfully: header, delimiter line, one row per line, no stray."""
    if delim.index != header.index + 1 or not _CLEAN_DELIM.match(lines[delim.index]):
        return False
    if any(_clean_line(lines[r.index]) != lines[r.index] for r in read):
        return False
    if len(delim.cells) != len(header.cells) or "||" in lines[header.index]:
        return False
    for item in read:
        if item.index <= delim.index:
            continue
        if item.stray or len(item.cells) > len(header.cells) or "||" in lines[item.index]:
            return False
    return all(not r.stray for r in read if r.index > header.index)


def _rows(cells: list[str], columns: int) -> list[list[str]]:
    """The rows of one line's cells: one row, or several glued (``||``, ``| |`` or run-on)."""
    if not cells or not any(cells):
        return []
    if columns <= 1 or len(cells) <= columns:
        return [cells]
    groups: list[list[str]] = [[]]
    for cell in cells:
        if cell:
            groups[-1].append(cell)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    out: list[list[str]] = []
    for group in groups:
        rest = group
        while len(rest) >= 2 * columns:
            out.append(rest[:columns])
            rest = rest[columns:]
        out.append(rest)
    return out


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))
