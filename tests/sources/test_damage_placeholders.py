"""Damage family 3: broken placeholders and ERB keep their link targets (and QR codes)."""

from __future__ import annotations

from pathlib import Path

from printkit.model import Heading, Marker, iter_block_inlines, iter_blocks, plain_text
from tests.sources.damage import handout, no_raw_markup, qr_codes, write

GUIDE = """---
title: Spread the word
---
# Spread the word

- Read the [press kit]({{promote/press_kit_url }a>) first.
- Watch the [videos](== {promote/videos }a>) together.
- Show the [numbers](٪= resolve_url('/promote/stats') ٪) to the parents.
- Print the [toolkit](％= localized_file('/files/elected-official.pdf') ％) for guests.
- Share the [learning page]({ {urls/learn} }) with everyone.

## Misspelt keys

- More [statistics]({{ promotion/stats_url }}) and the [kit]({{ Promot/press_kit_url }}).
- And one nobody knows: {{ garden/secret_handshake }}.
"""

EXPECTED = {
    "https://hourofcode.com/promote/press-kit",
    "https://hourofcode.com/promote/resources#videos",
    "https://hourofcode.com/promote/stats",
    "https://hourofcode.com/files/elected-official.pdf",
    "https://hourofcode.com/learn",
}


def test_damaged_placeholders_keep_their_targets(tmp_path: Path) -> None:
    built, result = handout(write(tmp_path, "promo.md", GUIDE))
    urls = [link.url for link in result.guide.links]
    assert len(urls) == 7 and set(urls) == EXPECTED
    assert qr_codes(built.pdf) == EXPECTED  # one QR code per distinct target, all decodable
    for words in ("Read the press kit", "Watch the videos", "Show the numbers",
                  "Print the toolkit", "Share the learning page"):
        assert words in built.text, words
    assert no_raw_markup(built.text) == []
    assert "== {" not in built.text and "a>)" not in built.text


def test_every_repair_and_guess_is_reported_where_it_was_read(tmp_path: Path) -> None:
    guide = write(tmp_path, "promo.md", GUIDE)
    built, result = handout(guide)
    repaired = [d for d in built.diagnostics if d.code == "placeholder-repaired"]
    assert [(d.location.file, d.location.line) for d in repaired if d.location] == [
        (str(guide), line) for line in (6, 7, 8, 9, 10)]
    assert "'({{promote/press_kit_url }a>)' read as '({{promote/press_kit_url}})'" in \
        repaired[0].message
    guessed = [d for d in built.diagnostics if d.code == "placeholder-guessed"]
    assert [(d.location.line, d.location.key) for d in guessed if d.location] == [
        (14, "promote/stats_url"), (14, "promote/press_kit_url")]
    assert "'promotion/stats_url'" in guessed[0].message
    assert "taken for 'promote/stats_url'" in guessed[0].message
    # what cannot be matched stays a visible marker, with its warning
    markers = [i for b in iter_blocks(result.guide.blocks) for i in iter_block_inlines(b)
               if isinstance(i, Marker)]
    assert [m.key for m in markers] == ["garden/secret_handshake"]
    assert "garden/secret_handshake" in built.text
    assert "placeholder-unknown" in built.diagnostics.codes()


MORE = """---
title: More of each kind
---
##1. Links a translation tool rewrote

- An [encoded](%7B%7B%20promote/videos%20%7D%7D) target and &lt;%= view :signup_button %&gt;.
- Escaped \\{\\{ urls/learn \\}\\} braces, a <a href=“https://example.org/quoted”>quoted</a> href.
- A [spaced] (https://example.org/spaced) link and a ［full-width］（https://example.org/wide）.

＃＃ 2. Done
"""


def test_more_of_each_kind(tmp_path: Path) -> None:
    built, result = handout(write(tmp_path, "more.md", MORE))
    expected = {"https://hourofcode.com/promote/resources#videos", "https://hourofcode.com/#join",
                "https://hourofcode.com/learn", "https://example.org/quoted",
                "https://example.org/spaced", "https://example.org/wide"}
    assert {link.url for link in result.guide.links} == expected
    assert qr_codes(built.pdf) == expected
    headings = [plain_text(b.children) for b in result.guide.blocks if isinstance(b, Heading)]
    assert headings == ["1. Links a translation tool rewrote", "2. Done"]
    assert no_raw_markup(built.text) == [] and "%7B" not in built.text
    assert "[spaced]" not in built.text and "＃" not in built.text
