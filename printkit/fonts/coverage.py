"""Glyph coverage: which characters no font of a stack can draw.

A character is *covered* when some face of the stack maps it in its cmap (read
by HarfBuzz, the shaper that will draw it), or when one face maps every
character of its canonical decomposition (HarfBuzz decomposes ``ǹ`` into ``n`` +
U+0300 when a font lacks the precomposed glyph).

Ignored characters (they need no glyph of their own):

- controls (Cc: tab, newline…) and format characters (Cf: ZWJ, ZWNJ, soft hyphen,
  bidi marks and isolates, emoji tag characters);
- separators (Zs, Zl, Zp: the space characters; HarfBuzz synthesises a missing
  space from U+0020, and lines and paragraphs break instead of drawing);
- variation selectors (U+FE00–FE0F, U+E0100–E01EF) and the combining grapheme
  joiner U+034F, which only select or group the glyphs around them.

Everything else, including private-use and unassigned code points, must be
covered. Parsed cmaps are cached per font file and face index and read lazily in
stack order, so checking 100,000 names takes well under a second.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from fontTools import unicodedata as ft_unicodedata

from ..errors import Location
from ..logstate import ThreadHandler, held
from ..model import FontFace

_IGNORED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class MissingGlyph:
    """A character no font in the stack can draw, and where it was found."""

    char: str
    location: Location | None = None
    script: str = ""  # ISO 15924, "Zsye" for emoji
    reason: str = ""

    @property
    def codepoint(self) -> str:
        """``U+1F600`` style.

        >>> MissingGlyph("😀").codepoint
        'U+1F600'
        """
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.char, "unnamed character")

    def describe(self) -> str:
        """``'😀' U+1F600 GRINNING FACE at guide.md, line 3: why``."""
        where = f" at {self.location}" if self.location else ""
        why = f": {self.reason}" if self.reason else ""
        return f"{self.char!r} {self.codepoint} {self.name}{where}{why}"


def is_ignored(char: str) -> bool:
    """Whether ``char`` needs no glyph (see the module docstring).

    >>> [is_ignored(c) for c in " \\u200d\\ufe0f\\u00ada"]
    [True, True, True, True, False]
    """
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code == 0x034F:
        return True
    return unicodedata.category(char) in _IGNORED_CATEGORIES


def char_script(char: str) -> str:
    """ISO 15924 script of a character; ``Zsye`` for emoji-range symbols, ``Zsym`` for
    other symbols of no script.

    >>> char_script("ქ"), char_script("😀"), char_script("→"), char_script(",")
    ('Geor', 'Zsye', 'Zsym', 'Zyyy')
    """
    code = ord(char)
    category = unicodedata.category(char)
    if 0x1F000 <= code <= 0x1FAFF and category == "So":
        return "Zsye"
    script: str = ft_unicodedata.script(char)
    if script == "Zyyy" and category in {"Sm", "So", "Sk"}:
        return "Zsym"
    return script


@cache
def cmap(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a face maps (cached per file and face index).

    HarfBuzz reads the face's best Unicode cmap in about a millisecond, where
    fontTools' table decompiling took 30–80 ms for a Noto face (the same sets,
    tested); a file HarfBuzz cannot read or finds no glyphs in goes to fontTools, whose error
    says what is wrong with it.
    """
    try:
        face = hb.Face(hb.Blob.from_file_path(path), index)
    except hb.HarfBuzzError:  # unreadable: fontTools raises the usual OSError
        return fonttools_cmap(path, index)
    if face.glyph_count:
        return frozenset(face.unicodes)
    return fonttools_cmap(path, index)


def fonttools_cmap(path: Path, index: int = 0) -> frozenset[int]:
    """The code points of the face's best Unicode cmap, as fontTools decompiles it."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only for odd files and the tests

    with TTFont(path, fontNumber=index, lazy=True) as font:
        best = font.getBestCmap() or {}
        return frozenset(best)


def _covered_by_decomposition(char: str, faces: tuple[FontFace, ...]) -> bool:
    parts = unicodedata.normalize("NFD", char)
    if parts == char:
        return False
    codes = {ord(c) for c in parts if not is_ignored(c)}
    return any(codes <= cmap(f.path, f.index) for f in faces)


class CoverageChecker:
    """Checks text against one stack; reuse it for many lines."""

    def __init__(
        self, stack: Sequence[FontFace], *, explain: Callable[[str], str] | None = None
    ) -> None:
        self.faces = tuple(stack)
        self._covered: set[int] = set()
        self._parsed = 0  # faces whose cmaps are merged into _covered, in stack order
        self._verdict: dict[str, bool] = {}
        self._reasons: dict[str, str] = {}
        self._explain = explain

    @property
    def covered(self) -> frozenset[int]:
        """Every code point some face of the stack maps."""
        self._extend({-1})
        return frozenset(self._covered)

    def _extend(self, codes: set[int]) -> set[int]:
        """Merge further faces until ``codes`` are covered or none is left; return the rest.

        Faces are read lazily in stack order, so text that the first faces cover
        never opens the others (a French guide reads one or two cmaps, not 40).
        """
        remaining = codes - self._covered
        while remaining and self._parsed < len(self.faces):
            face = self.faces[self._parsed]
            self._parsed += 1
            self._covered |= cmap(face.path, face.index)
            remaining -= self._covered
        return remaining

    def missing_chars(self, text: str) -> list[str]:
        """Distinct uncovered characters of ``text``, in order of first appearance."""
        out: list[str] = []
        covered = self._covered  # grows in place as faces are read
        for char in dict.fromkeys(text):
            if ord(char) in covered:
                continue
            verdict = self._verdict.get(char)
            if verdict is None:
                verdict = (
                    is_ignored(char)
                    or not self._extend({ord(char)})
                    or _covered_by_decomposition(char, self.faces)
                )
                self._verdict[char] = verdict
            if not verdict:
                out.append(char)
        return out

    def reason(self, char: str) -> str:
        """Why ``char`` is missing (cached per character)."""
        found = self._reasons.get(char)
        if found is None:
            category = unicodedata.category(char)
            if category == "Cn":
                found = "unassigned code point"
            elif category == "Co":
                found = "private-use character"
            elif self._explain is not None:
                found = self._explain(char_script(char))
            else:
                found = "no font in the stack covers it"
            self._reasons[char] = found
        return found

    def check(self, text: str, location: Location | None = None) -> list[MissingGlyph]:
        return [
            MissingGlyph(c, location, char_script(c), self.reason(c))
            for c in self.missing_chars(text)
        ]

    def check_lines(self, lines: Iterable[tuple[str, Location | None]]) -> list[MissingGlyph]:
        out: list[MissingGlyph] = []
        for text, location in lines:
            if not text:
                continue
            out.extend(self.check(text, location))
        return out


def check_coverage(
    text: str, stack: Sequence[FontFace], *, location: Location | None = None
) -> list[MissingGlyph]:
    """Every distinct character of ``text`` that no face of ``stack`` covers."""
    return CoverageChecker(stack).check(text, location)


def file_lines(path: Path) -> Iterator[tuple[str, Location]]:
    """The lines of a UTF-8 text file with their locations (1-based line numbers)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline=None) as handle:
        for number, line in enumerate(handle, start=1):
            yield line, Location(str(path), number)


# --------------------------------------------------------------------------
# WeasyPrint's own report

_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-Fa-f]+)\)")


class _NotdefHandler(ThreadHandler):
    def __init__(self, sink: list[MissingGlyph]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        match = _NOTDEF.search(record.getMessage())
        if not match:
            return
        char = chr(int(match.group(1), 16))
        if char not in self.seen:
            self.seen.add(char)
            self.sink.append(
                MissingGlyph(char, None, char_script(char), "rendered as .notdef by WeasyPrint")
            )


@contextmanager
def capture_notdef_warnings() -> Iterator[list[MissingGlyph]]:
    """Collect WeasyPrint's ``.notdef glyph rendered`` warnings (one record per character).

    The warnings still reach other handlers, except when logging was set above
    WARNING (``--quiet``): the logger is lowered so they are captured, and kept
    from propagating so that they stay quiet.
    """
    logger = logging.getLogger("weasyprint")
    found: list[MissingGlyph] = []
    handler = _NotdefHandler(found)
    lowered = logger.getEffectiveLevel() > logging.WARNING
    logger.addHandler(handler)
    try:
        if lowered:
            with held("weasyprint", level=logging.WARNING, propagate=False):
                yield found
        else:
            yield found
    finally:
        logger.removeHandler(handler)
