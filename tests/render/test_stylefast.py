"""Plain style reads answered directly: the same values and PDF bytes as WeasyPrint's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint import HTML, css
from weasyprint.css.properties import INITIAL_VALUES

from printkit.diagnostics import Diagnostics
from printkit.render import stylefast
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts

# Our own text. Every way a property's value reaches an element: set by a rule, inherited,
# initial; logical properties set in both directions (the physical one read must follow
# them); calc() with a percentage left for the child (text-indent inherits it); var();
# propagated decorations; named pages; floats and positioned boxes; a table and a list.
HTML_TEXT = """<html lang="en"><head><style>
@page { size: A6; margin: 10mm; }
@page wide { size: A6 landscape; }
:root { --accent: #0b5394; --gap: 3pt; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; line-height: 1.4; }
.indent { text-indent: calc(8% + 2pt); }
.logical { margin-inline-start: 6mm; padding-inline-end: 2mm; border-inline-start: 1pt solid; }
.block { padding-block: 1mm 2mm; margin-block-end: var(--gap); }
.u { text-decoration: underline; color: var(--accent); }
.float { float: right; width: 20mm; margin-left: 2mm; }
.abs { position: absolute; top: 2mm; right: 2mm; font-size: 6pt; }
.page { page: wide; }
td { padding: 1pt 3pt; border: 0.5pt solid #999; } li::marker { color: var(--accent); }
</style></head><body>
<p class="indent">The first line starts further in; <em>the emphasis inherits it</em>.</p>
<div class="logical"><p>Left to right, with a start margin and an end padding.</p></div>
<div dir="rtl" class="logical"><p>من اليمين إلى اليسار، بهامش في البداية.</p></div>
<p class="block u">Underlined, <span>and so is this span</span>, in the accent colour.</p>
<div class="float">A float beside the text.</div><p>Text that flows next to it.</p>
<div class="abs">corner</div>
<table><tr><td>Doors</td><td>18:00</td></tr><tr><td>Talks</td><td>18:30</td></tr></table>
<ul><li>Two laptops</li><li>One mentor</li></ul>
<div class="page"><p>A page of its own, landscape.</p></div>
</body></html>"""


def _styles(monkeypatch: pytest.MonkeyPatch, enabled: bool) -> list[dict[str, Any]]:
    """Every element's computed style, each property read in the same order."""
    monkeypatch.setattr(stylefast, "ENABLED", enabled)
    html = HTML(string=HTML_TEXT)
    style_for = css.get_all_computed_styles(html)
    found = []
    for element in html.etree_element.iter():
        style = style_for(element)
        if style is None:
            continue
        for key in INITIAL_VALUES:
            style[key]
        found.append({key: _comparable(value) for key, value in style.items()})
    return found


def _comparable(value: Any) -> Any:
    """``value`` with CSS tokens (compared by identity) as their serialised text."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_comparable(item) for item in value)
    serialize = getattr(value, "serialize", None)
    return ("token", serialize()) if callable(serialize) else value


def test_every_value_is_weasyprints(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stylefast.install()
    original = stylefast._state["original"]
    asked: list[str] = []

    def counted(style: Any, key: str) -> Any:
        asked.append(key)
        return original(style, key)

    monkeypatch.setitem(stylefast._state, "original", counted)
    fast = _styles(monkeypatch, True)
    handed_on = len(asked)
    asked.clear()
    own = _styles(monkeypatch, False)
    assert handed_on < len(asked) / 3  # most reads answered without WeasyPrint's detour
    assert len(fast) == len(own) > 20
    assert fast == own
    # the special cases were WeasyPrint's: the inherited calc(), the logical margins
    calc = ("token", "calc(8% + 2pt)")
    assert sum(style["text_indent"] == calc for style in own) >= 2  # the <p> and its <em>
    six_mm = pytest.approx(6 / 25.4 * 96)
    ltr = [s for s in own if s["direction"] == "ltr" and s["margin_left"].value == six_mm]
    rtl = [s for s in own if s["direction"] == "rtl" and s["margin_right"].value == six_mm]
    assert len(ltr) == 1 and len(rtl) == 1  # margin-inline-start on each side
    assert ltr[0]["margin_right"].value == rtl[0]["margin_left"].value == 0


def test_same_pdf_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert stylefast.install()

    def render() -> bytes:
        return html_to_pdf(HTML_TEXT, base_dir=tmp_path, diagnostics=Diagnostics()).data

    fast = render()
    monkeypatch.setattr(stylefast, "ENABLED", False)
    own = render()
    pdf = tmp_path / "fast.pdf"
    pdf.write_bytes(fast)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "A page of its own" in text and "Two laptops" in text
    assert fast == own


def test_another_method_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert stylefast.install()
    original = stylefast._state["original"]
    monkeypatch.setattr(css.ComputedStyle, "__missing__", original)
    monkeypatch.setitem(stylefast._state, "original", None)
    monkeypatch.setitem(stylefast._state, "refused", False)
    monkeypatch.setattr(stylefast, "EXPECTED_SOURCE_SHA256", "0" * 32)
    assert not stylefast.install()  # a method it does not know: left alone
    assert not stylefast.install()  # and not read again
    assert css.ComputedStyle.__missing__ is original
