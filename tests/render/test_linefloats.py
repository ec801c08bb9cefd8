"""Lines measured only beside floats: the same PDF bytes as WeasyPrint measuring every one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint.layout import inline

from printkit.diagnostics import Diagnostics
from printkit.render import linefloats
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts

# Our own text: a row of floated cards cleared before the text (lines above and below
# floats, as in a handout), then a float that text wraps beside (lines measured), with
# automatic hyphenation and narrow columns that make the first words matter.
STYLE = """@page { size: A6; margin: 10mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; }
p { hyphens: auto; margin: 0 0 2mm; }
.row::after { content: ""; display: block; clear: both; }
.card { float: left; width: 30%; height: 14mm; margin: 0 3% 2mm 0; border: 0.3mm solid #555; }
.side { float: left; width: 45%; height: 22mm; margin: 0 2mm 1mm 0; background: #ddd; }
.end { float: right; width: 25%; height: 10mm; background: #bbb; }
"""
PARAGRAPH = (
    "Volunteers arrive an hour early to unpack the laptops, check the projector and "
    "pin the room plan by the door, so that families find their table straight away. "
)


def _html(direction: str, lang: str, paragraph: str) -> str:
    cards = "".join(f"<div class='card'>Card {n}</div>" for n in range(6))
    return (
        f"<html lang='{lang}' dir='{direction}'><head><style>{STYLE}</style></head><body>"
        f"<div class='row'>{cards}</div><p>{paragraph * 6}</p>"
        f"<div class='side'></div><p>{paragraph * 2}</p><div class='end'></div>"
        f"<p>{paragraph * 4}</p></body></html>"
    )


LTR = _html("ltr", "en", PARAGRAPH)
RTL = _html("rtl", "he", "המתנדבים מגיעים שעה מוקדם כדי לפרוק את המחשבים ולבדוק את המקרן. ")


def _measured(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record the lines whose min-content width WeasyPrint works out."""
    assert linefloats.install()
    original = linefloats._state["original"]
    lines: list[object] = []

    def counted(context: Any, box: Any, *args: Any) -> Any:
        lines.append(box)
        return original(context, box, *args)

    monkeypatch.setitem(linefloats._state, "original", counted)
    return lines


@pytest.mark.parametrize("html", [LTR, RTL], ids=["ltr", "rtl"])
def test_same_bytes_as_measuring_every_line(
    html: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured = _measured(monkeypatch)
    shortcut = html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data
    with_shortcut = len(measured)
    monkeypatch.setattr(linefloats, "ENABLED", False)
    measured.clear()
    own = html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data
    every = len(measured)
    assert shortcut == own
    pdf = tmp_path / "shortcut.pdf"
    pdf.write_bytes(shortcut)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Card 5" in text
    assert every >= 16
    if html is LTR:
        assert "straight away" in text
        # Only the lines beside the two floats are measured: a few, not none.
        assert 0 < with_shortcut <= every / 2, (with_shortcut, every)
    else:
        assert with_shortcut == every  # right to left: always measured


def test_other_functions_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert linefloats.install()
    original = linefloats._state["original"]
    monkeypatch.setattr(inline, "inline_min_content_width", original)
    monkeypatch.setitem(linefloats._state, "original", None)
    monkeypatch.setitem(linefloats._state, "refused", False)
    monkeypatch.setitem(linefloats.EXPECTED, "avoid_collisions", "0" * 32)
    assert not linefloats.install()  # a function it does not know: left alone
    assert not linefloats.install()  # and not read again
    assert inline.inline_min_content_width is original
