"""Every corpus guide's raw text is covered by its locale's font stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.fonts import check_lines, file_lines, font_stack
from printkit.fonts.coverage import cmap, is_ignored
from tests.conftest import corpus_guides, corpus_id, corpus_locale

GUIDES = corpus_guides()


@pytest.mark.corpus
@pytest.mark.parametrize("guide", GUIDES, ids=[corpus_id(g) for g in GUIDES])
@pytest.mark.parametrize("role", ["body", "heading", "display"])
def test_corpus_guide_has_no_missing_glyph(corpus: Path, guide: Path, role: str) -> None:
    missing = check_lines(file_lines(guide), corpus_locale(guide), role)
    assert [m.describe() for m in missing] == []


@pytest.mark.corpus
def test_japanese_guides_are_set_in_the_japanese_face(corpus: Path) -> None:
    """Every non-ASCII character of the ja-JP guides is in the stack's first face (CJK JP)."""
    guides = [g for g in GUIDES if corpus_locale(g) == "ja-JP"]
    assert guides
    first = font_stack("ja-JP")[0]
    assert first.family == "Noto Sans CJK JP"
    covered = cmap(first.path, first.index)
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        outside = {c for c in text if ord(c) > 0x7F and not is_ignored(c) and ord(c) not in covered}
        assert outside == set(), guide
