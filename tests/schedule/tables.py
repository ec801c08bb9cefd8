"""Test helpers: build :class:`Table` objects by hand or from Markdown table lines."""

from __future__ import annotations

from pathlib import Path

from printkit.errors import Location
from printkit.model import Inlines, Link, LinkSpan, Table, Text


def cell(text: str) -> Inlines:
    return (Text(text),) if text else ()


def table(*rows: tuple[str, ...], header: tuple[str, ...] = ("Time", "Activity")) -> Table:
    """A table of plain-text cells; row ``i`` is said to be on line ``10 + i``."""
    return Table(
        tuple(cell(h) for h in header),
        tuple(tuple(cell(c) for c in row) for row in rows),
        Location("plan.md", 9),
        tuple(Location("plan.md", 10 + i) for i in range(len(rows))),
    )


def linked(text: str, url: str) -> LinkSpan:
    return LinkSpan(Link(url, text), (Text(text),))


def markdown_tables(path: Path) -> list[Table]:
    """The pipe tables of a Markdown file, cells as plain text (a stand-in for the guide reader)."""
    tables: list[Table] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].strip().startswith("|"):
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip().startswith("|"):
            index += 1
        block = [
            (n, line.strip().strip("|")) for n, line in enumerate(lines[start:index], start + 1)
        ]
        if len(block) < 2:
            continue
        header = tuple(cell(c.strip()) for c in block[0][1].split("|"))
        body = block[2:]  # after the --- line
        tables.append(
            Table(
                header,
                tuple(tuple(cell(c.strip()) for c in text.split("|")) for _, text in body),
                Location(str(path), block[0][0]),
                tuple(Location(str(path), n) for n, _ in body),
            )
        )
    return tables
