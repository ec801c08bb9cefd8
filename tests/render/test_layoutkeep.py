"""Pango layouts kept from line breaking to drawing: the same PDF bytes as WeasyPrint's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint.text import line_break

from printkit.diagnostics import Diagnostics
from printkit.render import layoutkeep, linememo
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts
from tests.render.threads import same_bytes_in_threads

# Our own text, with every case where a kept layout would not be what drawing rebuilds:
# justified lines, word and letter spacing, an ellipsis (text-overflow and line-clamp),
# preserved newlines (paragraph separators: no single-paragraph mode), tabs, a
# ::first-line style, hyphenated and soft-hyphenated words, right-to-left text, list
# markers and a running header (the same text laid out again: line-memo copies), and
# text in an SVG image (drawn through its own reactivation).
PHRASE = "Volunteers unpack extraordinarily heavy projectors before the doors open"
HTML = f"""<html lang="en"><head><style>
@page {{ size: A6; margin: 16mm 10mm; @top-center {{ content: "Club night, room 4" }} }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; hyphens: auto; }}
.narrow {{ width: 22mm; }}
.clip {{ width: 30mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.clamp {{ width: 30mm; line-clamp: 2; }}
p.first::first-line {{ font-weight: bold; color: #a00; }}
</style></head><body>
<p>{PHRASE}, {PHRASE.lower()}.</p>
<p style="text-align: justify">{PHRASE}, {PHRASE.lower()}, {PHRASE}.</p>
<p style="word-spacing: 3pt">{PHRASE}.</p><p style="letter-spacing: 1pt">{PHRASE}.</p>
<p class="clip">{PHRASE}</p><p class="clamp">{PHRASE}, {PHRASE.lower()}.</p>
<p style="white-space: pre-wrap">Doors 18:00
Games	19:30
Prizes 21:00 {PHRASE}</p>
<p style="white-space: pre">Tab	separated	columns</p>
<p class="first">{PHRASE}, {PHRASE.lower()}.</p>
<div class="narrow" lang="de">Donaudampfschifffahrtsgesellschaftskapitän kommt</div>
<div class="narrow">extra&shy;ordinarily un&shy;believably</div>
<p dir="rtl" lang="ar">مرحبا بكم في نادي البرمجة، الأبواب تفتح في السادسة</p>
<ul>{"".join(f"<li>Station {n} ready</li>" for n in range(14))}</ul>
<svg width="60mm" height="12mm"><text x="4" y="20" font-size="12">Scan to check in</text></svg>
</body></html>"""


def _render(tmp_path: Path) -> bytes:
    return html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the drawings (reactivations) and the Pango layouts rebuilt for them."""
    counts = {"drawn": 0, "rebuilt": 0}
    rebuild = layoutkeep._state["originals"]["Layout.reactivate"]
    reactivate = layoutkeep._reactivate

    def rebuilding(layout: Any, style: Any) -> None:
        counts["rebuilt"] += 1
        rebuild(layout, style)

    def drawing(layout: Any, style: Any) -> None:
        counts["drawn"] += 1
        reactivate(layout, style)

    monkeypatch.setitem(layoutkeep._state["originals"], "Layout.reactivate", rebuilding)
    monkeypatch.setattr(line_break.Layout, "reactivate", drawing)
    return counts


def test_same_bytes_as_layouts_rebuilt_for_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert layoutkeep.install()
    counts = _counting(monkeypatch)
    kept = _render(tmp_path)
    # most lines are drawn from the layout that broke them; the ellipses, spaced and
    # justified lines, preserved newlines and memo copies are rebuilt
    assert counts["drawn"] > 60
    assert counts["drawn"] // 2 < counts["drawn"] - counts["rebuilt"] < counts["drawn"]
    monkeypatch.setattr(layoutkeep, "ENABLED", False)
    counts.update(drawn=0, rebuilt=0)
    own = _render(tmp_path)
    assert counts["drawn"] == counts["rebuilt"] > 60
    pdf = tmp_path / "kept.pdf"
    pdf.write_bytes(kept)
    text = " ".join(" ".join(page_texts(pdf)).split())
    for words in ("before the doors open", "Prizes 21:00", "Scan to check in", "Station 13"):
        assert words in text
    assert kept == own


def test_at_most_limit_layouts_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert layoutkeep.install()
    own = _render(tmp_path)
    monkeypatch.setattr(layoutkeep, "LIMIT", 3)
    waiting: list[int] = []
    deactivate = layoutkeep._deactivate

    def watched(layout: Any) -> None:
        deactivate(layout)
        waiting.append(len(layoutkeep._waiting()))

    monkeypatch.setattr(line_break.Layout, "deactivate", watched)
    assert _render(tmp_path) == own
    assert max(waiting) == 3


def test_memo_copies_hold_no_kept_pango_layout(tmp_path: Path) -> None:
    assert layoutkeep.install() and linememo.install()
    _render(tmp_path)
    layout = line_break.Layout.__new__(line_break.Layout)
    layout.__dict__.update(layout="pango", language="fr", style={}, text="x")
    layout.__dict__[layoutkeep._KEPT] = True
    copy = linememo._copy(layout)
    assert "layout" not in copy.__dict__ and "style" not in copy.__dict__
    assert copy.__dict__[layoutkeep._KEPT] is False
    assert layout.__dict__["layout"] == "pango"  # the original keeps its own


def test_a_kept_layout_drawn_with_another_style_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert layoutkeep.install()
    calls: list[tuple[str, object]] = []

    def freeing(layout: Any) -> None:
        calls.append(("freed", layout.style))
        del layout.layout, layout.language, layout.style

    def rebuilding(layout: Any, style: Any) -> None:
        calls.append(("rebuilt", style))

    monkeypatch.setitem(layoutkeep._state["originals"], "Layout.deactivate", freeing)
    monkeypatch.setitem(layoutkeep._state["originals"], "Layout.reactivate", rebuilding)
    own, other = {"name": "own"}, {"name": "other"}
    for drawn_with, expected in ((own, []), (other, [("freed", own), ("rebuilt", other)])):
        layout = line_break.Layout.__new__(line_break.Layout)
        layout.__dict__.update(layout="pango", language="en", style=own, text="x")
        layout.__dict__[layoutkeep._KEPT] = True
        calls.clear()
        layoutkeep._reactivate(layout, drawn_with)
        assert calls == expected
        assert layout.__dict__[layoutkeep._KEPT] is False  # drawn once: freed as before after
    layout.__dict__.update(layout="pango", language="en", style=other)
    calls.clear()
    layoutkeep._deactivate(layout)
    assert calls == [("freed", other)]


def test_threads_render_the_same_bytes(tmp_path: Path) -> None:
    assert layoutkeep.install()
    assert same_bytes_in_threads(lambda: _render(tmp_path))


def test_another_weasyprint_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert layoutkeep.install()
    originals = layoutkeep._state["originals"]
    for name in ("set_text", "deactivate", "reactivate"):
        monkeypatch.setattr(line_break.Layout, name, originals[f"Layout.{name}"])
    monkeypatch.setitem(layoutkeep._state, "originals", None)
    monkeypatch.setitem(layoutkeep._state, "refused", False)
    monkeypatch.setitem(layoutkeep.EXPECTED_SOURCES, "Layout.reactivate", "0" * 32)
    assert not layoutkeep.install()  # a function it does not know: left alone
    assert not layoutkeep.install()  # and not read again
    assert line_break.Layout.deactivate is originals["Layout.deactivate"]
    assert line_break.Layout.reactivate is originals["Layout.reactivate"]
