"""Damage family 1: bold half in Markdown, half in HTML, never leaks ``**`` onto the page."""

from __future__ import annotations

from pathlib import Path

from printkit.model import Strong, iter_block_inlines, iter_blocks, plain_text
from tests.pdfcheck import fonts
from tests.sources.damage import handout, no_raw_markup, write

GUIDE = """---
title: Garden day
---
# Garden day

** Bring </ strong> your own gloves. Please **label them</b> before you come.

<b>Seeds** are provided, and ** watering cans** too, and **spades **.

A **bold run that
wraps** onto the next line, and one stray ** mark left alone.

- **Tools </strong> go back in the shed.
- The *small rake </em> hangs by the door.
"""


def test_mixed_bold_prints_bold_without_markers(tmp_path: Path) -> None:
    built, result = handout(write(tmp_path, "bold.md", GUIDE))
    content = built.text
    assert no_raw_markup(content) == []
    assert "*" not in content
    for expected in ("Bring your own gloves.", "Please label them before you come.",
                     "Seeds are provided, and watering cans too, and spades.",
                     "A bold run that wraps onto the next line, and one stray mark left alone.",
                     "Tools go back in the shed.", "The small rake hangs by the door."):
        assert expected in content, expected
    strong = [" ".join(plain_text(i.children).split()) for b in iter_blocks(result.guide.blocks)
              for i in iter_block_inlines(b) if isinstance(i, Strong)]
    assert strong == ["Bring", "label them", "Seeds", "watering cans", "spades",
                      "bold run that wraps", "Tools"]
    # the bold runs are set in a bold face
    assert any("Bold" in name for name in fonts(built.pdf)), fonts(built.pdf)
