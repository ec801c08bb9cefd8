"""Struts kept per style: the same PDF bytes as WeasyPrint's own calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint.css import computed_values, units
from weasyprint.layout import inline
from weasyprint.text import line_break

from printkit.diagnostics import Diagnostics
from printkit.render import strutmemo
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts

USERS = (line_break, inline, units, computed_values)

# Our own text: line heights given every way WeasyPrint resolves them (normal, a
# number, a length, a percentage, calc()), lengths in units that ask for a strut
# (lh, rlh), a ::first-line style (a copied style with its own line height) and
# inline boxes of other sizes on one line.
HTML = """<html lang="en"><head><style>
@page { size: A6; margin: 12mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }
.n { line-height: normal; } .x { line-height: 1.7; } .l { line-height: 16pt; }
.p { line-height: 140%; } .c { line-height: calc(1em + 4pt); }
.lh { margin-top: 2lh; padding-left: 1rlh; border-left: 0.2lh solid #999; }
p.first::first-line { font-size: 13pt; line-height: 2; }
big { font-size: 15pt; line-height: 1; } small { font-size: 6pt; }
</style></head><body>
<p class="n">Doors open at six; <big>volunteers</big> first, <small>families after</small>.</p>
<p class="x">Doors open at six; <big>volunteers</big> first, <small>families after</small>.</p>
<p class="l">Doors open at six; <big>volunteers</big> first, <small>families after</small>.</p>
<p class="p">Doors open at six; <big>volunteers</big> first, <small>families after</small>.</p>
<p class="c">Doors open at six; <big>volunteers</big> first, <small>families after</small>.</p>
<p class="lh x">Each table needs two laptops, a mentor and a printed sheet of puzzles.</p>
<p class="first">The first line of this paragraph is larger and taller than the lines
that follow it, which return to the paragraph's own size and spacing.</p>
</body></html>"""


def _render(tmp_path: Path) -> bytes:
    return html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data


def test_same_bytes_as_weasyprints_own_struts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert strutmemo.install()
    original = strutmemo._state["original"]
    computed: list[object] = []

    def counted(style: Any) -> Any:
        computed.append(style)
        return original(style)

    monkeypatch.setitem(strutmemo._state, "original", counted)
    asked: list[object] = []

    def asking(style: Any) -> Any:
        asked.append(style)
        return strutmemo._strut(style)

    for module in USERS:
        monkeypatch.setattr(module, "strut", asking)
    kept = _render(tmp_path)
    # each style is worked out once, however often it is asked
    assert len(computed) == len({id(style) for style in computed}) < len(asked) / 2
    monkeypatch.setattr(strutmemo, "ENABLED", False)
    computed.clear()
    asked.clear()
    own = _render(tmp_path)
    assert len(computed) == len(asked) > 40
    pdf = tmp_path / "kept.pdf"
    pdf.write_bytes(kept)
    assert "first line of this paragraph" in " ".join(" ".join(page_texts(pdf)).split())
    assert kept == own


def test_another_strut_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert strutmemo.install()
    original = strutmemo._state["original"]
    for module in USERS:
        monkeypatch.setattr(module, "strut", original)
    monkeypatch.setitem(strutmemo._state, "original", None)
    monkeypatch.setitem(strutmemo._state, "refused", False)
    monkeypatch.setattr(strutmemo, "EXPECTED_SOURCE_SHA256", "0" * 32)
    assert not strutmemo.install()  # a function it does not know: left alone
    assert not strutmemo.install()  # and not read again
    assert all(module.strut is original for module in USERS)
