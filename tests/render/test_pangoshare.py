"""Shared Pango contexts: the same PDF bytes as WeasyPrint's own layout set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.text import line_break

from printkit.diagnostics import Diagnostics
from printkit.render import pangoshare
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import poppler_text
from tests.render.fontfiles import cjk_font
from tests.render.threads import same_bytes_in_threads

# Our own text. Each span differs from its paragraph in one of the values the shared
# objects are keyed by (so a key that missed one would draw that span wrongly), and
# the rest exercises what stays per layout: features, spacing, justification, tables.
# (font-language-override is keyed too, but WeasyPrint 70 passes Pango ISO 639-3 codes
# that change no glyph here, so no span could show a key that missed it.)
HTML = """<html lang="en"><head><style>
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }
.u { text-decoration: underline; } .s { text-decoration: line-through; }
.caps { font-variant-caps: small-caps; } .liga { font-feature-settings: "liga" 0, "kern" 0; }
.var { font-variation-settings: "wght" 600; } .sp { letter-spacing: 0.1em; word-spacing: 3pt; }
.cond { font-stretch: condensed; }
p.j { text-align: justify; hyphens: auto; width: 60mm; }
td { border: 1px solid #999; padding: 2pt; }
</style></head><body>
<h1>Club night schedule</h1>
<p class="j">Volunteers arrive early to set up the laptops, check the projector and
print the attendance sheets before the first families walk through the door.</p>
<p>Plain words, <span class="u">underlined words</span>, <span class="s">struck words</span>,
<span class="caps">Small Caps Heading</span>, <span class="liga">office affinity</span>,
<span class="var">variable weight</span>, <span class="sp">spaced out letters</span>,
<i>italic words</i>, <b>bold words</b>, <code>monospace()</code>, <small>small print</small>,
<span class="cond">narrow words</span>,
<span style="font-family: 'DejaVu Serif'">serif words</span>.</p>
<p>Left to right, (1, 2)!</p><p dir="rtl">Right to left, (1, 2)!</p>
<p lang="ja" style="font-family: 'Noto Sans CJK JP'">骨 直 写 <span lang="zh-CN">骨 直 写</span></p>
<p lang="fr">Les bénévoles préparent la salle avant l'arrivée des familles.</p>
<p dir="rtl" lang="ar" style="font-family: 'Noto Sans Arabic'">مرحبا بكم في نادي البرمجة</p>
<table><tr><td>18:00</td><td>Welcome and a short warm-up game for everyone</td></tr>
<tr><td>18:15</td><td>Pairs build a small animation, mentors walk around</td></tr></table>
</body></html>"""


def _render(tmp_path: Path) -> bytes:
    cjk_font()  # its language forms are tested here
    return html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data


def test_same_bytes_as_weasyprints_own_setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # this WeasyPrint's Layout.setup is the one pangoshare reproduces
    assert pangoshare.install()
    calls: list[object] = []
    key = pangoshare._key

    def counted(style: object) -> tuple[object, ...]:
        calls.append(style)
        return key(style)

    monkeypatch.setattr(pangoshare, "_key", counted)
    shared = _render(tmp_path)
    assert len(calls) > 50  # every layout went through the shared set-up
    monkeypatch.setattr(pangoshare, "ENABLED", False)
    calls.clear()
    own = _render(tmp_path)
    assert not calls
    pdf = tmp_path / "shared.pdf"
    pdf.write_bytes(shared)
    assert "Club night schedule" in poppler_text(pdf)
    assert shared == own


def test_threads_render_the_same_bytes(tmp_path: Path) -> None:
    assert pangoshare.install()
    assert same_bytes_in_threads(lambda: _render(tmp_path))


def test_another_setup_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pangoshare.install()
    original = pangoshare._state["original"]
    monkeypatch.setattr(line_break.Layout, "setup", original)
    monkeypatch.setitem(pangoshare._state, "original", None)
    monkeypatch.setitem(pangoshare._state, "refused", False)
    monkeypatch.setattr(pangoshare, "EXPECTED_SOURCE_SHA256", "0" * 32)
    assert not pangoshare.install()  # a setup it does not know: left alone
    assert not pangoshare.install()  # and not read again
    assert line_break.Layout.setup is original


def test_a_setup_without_source_is_unknown() -> None:
    assert pangoshare.source_digest(len) is None  # a builtin: no source to compare
