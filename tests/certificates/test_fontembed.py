"""Embedding: whether a CFF font keeps its CIDs is found once per font file, then kept."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen

from printkit import usercache
from printkit.render.bulk import fontembed


def _cff_font(path: Path) -> Path:
    """A tiny name-keyed CFF font (not CID-keyed: its CIDs are not kept)."""
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((250, 700))
    pen.closePath()
    glyph = pen.getCharString()
    builder.setupCFF("Tiny", {"FullName": "Tiny"}, {".notdef": glyph, "A": glyph}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PRINTKIT_NO_CACHE", raising=False)
    fontembed._cid_identity.cache_clear()
    yield _cff_font(tmp_path / "tiny.otf")
    fontembed._cid_identity.cache_clear()


def test_the_answer_is_kept_and_read_back(font: Path) -> None:
    assert fontembed._cid_identity(str(font), 0) is False
    entry = fontembed._cid_entry(str(font), 0)
    assert entry is not None and usercache.load_pickle(entry) is False
    # The next process reads the entry, not the font: a planted answer shows it.
    usercache.store_pickle(entry, True)
    fontembed._cid_identity.cache_clear()
    assert fontembed._cid_identity(str(font), 0) is True


def test_a_changed_font_file_is_read_again(font: Path) -> None:
    fontembed._cid_identity(str(font), 0)
    entry = fontembed._cid_entry(str(font), 0)
    assert entry is not None
    usercache.store_pickle(entry, True)
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fontembed._cid_identity.cache_clear()
    assert fontembed._cid_identity(str(font), 0) is False


def test_a_damaged_entry_is_a_miss(font: Path) -> None:
    entry = fontembed._cid_entry(str(font), 0)
    assert entry is not None
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"not an entry")
    assert fontembed._cid_identity(str(font), 0) is False
    assert usercache.load_pickle(entry) is False  # written again


def test_no_cache_writes_nothing(font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRINTKIT_NO_CACHE", "1")
    assert fontembed._cid_entry(str(font), 0) is None
    assert fontembed._cid_identity(str(font), 0) is False
    assert not (font.parent / "cache").exists()
