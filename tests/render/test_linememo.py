"""Line breaks remembered per render: the same PDF bytes as WeasyPrint's own calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint.layout import inline, preferred
from weasyprint.text import line_break

from printkit.diagnostics import Diagnostics
from printkit.render import linememo
from printkit.render.weasy import html_to_pdf
from tests.pdfcheck import page_texts
from tests.render.threads import same_bytes_in_threads

# Our own text. Each variant differs from the first (the memo's earlier answer) in one
# value the memo is keyed by: a key that missed it would answer the variant with the
# first one's widths (the "|" after each shrink-to-fit box would move) or line breaks
# (the narrow boxes would wrap elsewhere), and the bytes would differ. Lists repeat
# their markers, the running header repeats on every page, and a clamped paragraph is
# cut with an ellipsis, which changes the layout its box draws from.
# (direction and line-height change no width here, hyphenate-limit-zone no break of
# these words, font-variation-settings and the other font-variant-* need features these
# fonts lack, and font-language-override changes no glyph: they are keyed because
# WeasyPrint reads them, as pangoshare does.)
VARIANTS: tuple[tuple[str, str], ...] = (
    ("", "en"),
    ("letter-spacing: 1.5pt", "en"),
    ("word-spacing: 6pt", "en"),
    ("font-size: 13pt", "en"),
    ("font-weight: bold", "en"),
    ("font-style: italic", "en"),
    ("font-stretch: condensed", "en"),
    ("font-variant-caps: small-caps", "en"),
    ("font-feature-settings: 'kern' 0", "en"),
    ("font-kerning: none", "en"),
    ("font-variant-ligatures: none", "en"),
    ("text-decoration: underline", "en"),
    ("white-space: nowrap", "en"),
    ("white-space: pre", "en"),
    ("white-space: pre; tab-size: 2", "en"),
    ("hyphens: none", "en"),
    ("hyphenate-character: '='", "en"),
    ("hyphenate-limit-chars: 20", "en"),
    ("", "de"),
    ("hyphens: none; overflow-wrap: anywhere", "en"),
    ("hyphens: none; word-break: break-all", "en"),
    ("font-family: 'DejaVu Serif'", "en"),
    ("direction: rtl", "en"),
)
SHORT = "AVATAR office\tTokyo 1/2"
PHRASE = "Volunteers unpack extraordinarily heavy projectors"
BOXES = "".join(
    f'<p lang="{lang}"><span class="fit" style="{style}">{SHORT}</span>|{index}</p>'
    f'<div class="narrow" lang="{lang}" style="{style}">{PHRASE}</div>'
    for index, (style, lang) in enumerate(VARIANTS)
)
ITEMS = "".join(f"<li>Station {n} ready</li>" for n in range(12))
HTML = f"""<html lang="en"><head><style>
@page {{ size: A6; margin: 18mm 10mm; @top-center {{ content: "Club night, room 4" }} }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; hyphens: auto; }}
.fit {{ display: inline-block; }} .narrow {{ width: 17mm; }}
p.cut {{ width: 30mm; line-clamp: 1; }}
</style></head><body>
{BOXES}
<ul>{ITEMS}</ul><ol style="word-spacing: 4pt">{ITEMS}</ol>
<p class="cut">Snacks arrive after the break</p>
<p style="width: 30mm">Snacks arrive after the break</p>
<p style="text-align: justify">{PHRASE}, {PHRASE.lower()}, {PHRASE}, {PHRASE.lower()}.</p>
</body></html>"""


def _render(tmp_path: Path) -> bytes:
    return html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data


def test_same_bytes_as_weasyprints_own_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # this WeasyPrint's split_first_line is the one the memo knows
    assert linememo.install()
    original = linememo._state["original"]
    made: list[str] = []

    def counted(text: str, *args: Any, **kwargs: Any) -> Any:
        made.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setitem(linememo._state, "original", counted)
    asked: list[str] = []
    remembered = linememo._remembered

    def asking(text: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(text)
        return remembered(text, *args, **kwargs)

    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", asking)
    cut: list[str] = []
    set_text = line_break.Layout.set_text

    def setting(layout: Any, text: str, justify: bool = False) -> None:
        if text.endswith("…"):
            cut.append(text)
        set_text(layout, text, justify)

    monkeypatch.setattr(line_break.Layout, "set_text", setting)
    memo = _render(tmp_path)
    # the clamp cut the first paragraph's layout, drawn from a copy of the memo's answer
    assert cut and all(text.startswith("Snacks arr") for text in cut)
    # … and the same first line of the unclamped paragraph came from that answer too
    assert asked.count("Snacks arrive after the break") > made.count(
        "Snacks arrive after the break"
    )
    # repeated calls are answered from the memo: each item's marker, the header per page
    assert asked.count("• ") >= 3 * 12 and made.count("• ") <= 3
    assert asked.count("Club night, room 4") > made.count("Club night, room 4") >= 1
    assert len(made) < len(asked)
    monkeypatch.setattr(linememo, "ENABLED", False)
    asked.clear()
    made.clear()
    own = _render(tmp_path)
    assert len(made) == len(asked) > 100
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(memo)
    pages = page_texts(pdf)
    assert len(pages) > 1 and all("Club night, room 4" in page for page in pages)
    assert memo == own


def test_threads_render_the_same_bytes(tmp_path: Path) -> None:
    assert linememo.install()
    assert same_bytes_in_threads(lambda: _render(tmp_path))


def test_another_weasyprint_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert linememo.install()
    original = linememo._state["original"]
    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", original)
    monkeypatch.setitem(linememo._state, "original", None)
    monkeypatch.setitem(linememo._state, "refused", False)
    monkeypatch.setitem(linememo.EXPECTED_SOURCES, "first_line_metrics", "0" * 32)
    assert not linememo.install()  # a function it does not know: left alone
    assert not linememo.install()  # and not read again
    assert all(
        module.split_first_line is original for module in (line_break, inline, preferred)
    )


def test_unhashable_style_values_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    assert linememo.install()
    calls: list[str] = []

    class Layout:
        pass

    def answer(text: str, *args: Any) -> tuple[object, ...]:
        calls.append(text)
        return (Layout(), len(text), None, 1.0, 1.0, 1.0)

    class Style(dict[str, Any]):
        font_config = None

    style = Style({name: "normal" for name in linememo.STYLE_KEYS})
    style["font_family"] = ["a", "list"]  # not hashable
    context = object.__new__(linememo.LayoutContext)
    monkeypatch.setitem(linememo._state, "original", answer)
    for _ in range(2):
        assert linememo._remembered("word", style, context, 10.0, 0)[1] == 4
    assert calls == ["word", "word"]
    hashable = Style(style)
    hashable["font_family"] = ("a", "tuple")
    for _ in range(2):
        linememo._remembered("word", hashable, context, 10.0, 0)
    assert calls == ["word", "word", "word"]
