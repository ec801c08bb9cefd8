"""Property: any mix of the dialect's fragments reads without crashing or raw markup."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.diagnostics import Diagnostics
from printkit.errors import GuideError
from printkit.sources import parse_guide
from tests.sources.helpers import texts

FRAGMENTS = [
    "# Title", "## Part", "    ## Indented", "- item", "    - sub", "\t- tab", "1. one",
    "| a | b |", "| --- | --- |", "| 9:00 – 9:10 | x |", "***", "* * *", "---", "",
    "{{ signup_button }}", "{{ urls/learn }}", "{{ nope }}", "{{ }}", "{{ half",
    "<%= view :signup_button %>", "(%= resolve_url('/a') %)", "<% if x %>", "%>",
    "[link](/x)", "[js](javascript:x)", "<a href='/y'>a</a>", "</li>", "</ul>", "<ul><li>",
    "< strong>b</strong>", "** bold **", "<b>open", "<br>", "![i](/i/x.png)",
    "[<img src=\"/p.jpg\n\" />]({{ urls/learn }})", "<iframe src='https://youtube.com/embed/x'>",
    "<script>bad()</script>", "`code {{ x }}`", "text with words", "&amp; &eacute; &#x41;",
    "<table><tr><td>c", "pkph0x", "\u202f:", "é", "עברית", "中文",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25),
       st.lists(st.sampled_from(["\n", " ", "\n\n"]), min_size=25, max_size=25))
def test_any_mix_reads_without_raw_markup(parts: list[str], seps: list[str]) -> None:
    text = "".join(p + s for p, s in zip(parts, seps, strict=False))
    try:
        guide = parse_guide(text, source=Path("f.md"), locale="fr-FR", diagnostics=Diagnostics())
    except GuideError as exc:
        # Only front matter that is not YAML (a tab in "---" ... "---") is refused, by name.
        assert text.startswith("---"), (exc, text)
        assert "f.md" in exc.describe() and "front matter" in exc.describe().lower(), exc
        return
    for piece in texts(guide):
        for raw in ("{{", "}}", "<%", "%>", "(%=", "</li>", "<b>", "<script"):
            assert raw not in piece, (raw, piece, text)
    for diag_block in guide.blocks:
        assert diag_block.location is None or (diag_block.location.line or 0) >= 1
