"""Damage family 2: tables flattened by translation tools still print as tables."""

from __future__ import annotations

from pathlib import Path

from printkit.model import plain_text
from tests.sources.damage import handout, layout_lines, no_raw_markup, row_on_one_line, write

GUIDE = """---
title: Stations
---
# Stations

## On one line

| Station | Helper | |---|---| | Robots | Amal || Seedlings | Bruno |

## Escaped dashes, no outer pipes

Station | Helper
\\---\\---\\----
Compost | Chen
Watering | Dana | bring boots

## Glued rows

| Station | Helper |
|---|---|
| Paint | Emil || Soil | Farah |

## No delimiter row

| Labels | Gus |
| Tidy up | Hana |
"""

ROWS = [("Robots", "Amal"), ("Seedlings", "Bruno"), ("Compost", "Chen"),
        ("Watering", "Dana", "bring boots"), ("Paint", "Emil"), ("Soil", "Farah"),
        ("Labels", "Gus"), ("Tidy up", "Hana")]


def test_flattened_tables_print_as_tables(tmp_path: Path) -> None:
    built, result = handout(write(tmp_path, "tables.md", GUIDE))
    tables = result.guide.tables
    assert len(tables) == 4
    cells = [tuple(c for c in (plain_text(cell).strip() for cell in row) if c)
             for table in tables for row in table.rows]
    assert cells == ROWS
    assert [[plain_text(c) for c in t.header] for t in tables[:3]] == [
        ["Station", "Helper"], ["Station", "Helper", ""], ["Station", "Helper"]]
    # each row is its own table row on the page: its cells share a laid-out line
    lines = layout_lines(built.pdf)
    for row in ROWS:
        assert row_on_one_line(lines, *row), (row, lines)
    assert "|" not in built.text and "---" not in built.text
    assert no_raw_markup(built.text) == []
    # rows keep the line they were written on
    assert [loc.line for loc in tables[1].row_locations if loc] == [14, 15]
