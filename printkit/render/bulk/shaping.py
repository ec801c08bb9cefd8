"""Shape one line of text: font fallback per character, bidi levels, HarfBuzz.

The result is a :class:`Line` of glyph runs in *visual* order, with every
position in em (so it scales to any font size), the ink extents (for fitting)
and, for each glyph, the text it stands for (for the ToUnicode map).

Steps: (1) each character gets the first face of the stack that has a glyph
for it (combining marks, joiners, spaces and punctuation stay with the
previous character's face when it can); (2) bidi embedding levels come from
python-bidi's UAX #9 implementation; (3) maximal runs of the same face and
level are shaped by HarfBuzz (RTL runs come back in visual order); (4) runs
are reordered by rule L2.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import uharfbuzz as hb
from bidi import algorithm as uax9

from ...model import FontFace
from .hbfont import HbFont

#: Bidi classes that make a text need the full bidi algorithm.
_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "RLI", "LRI", "FSI"})
#: Categories that follow the previous character's face when it has them.
_STICKY = frozenset({"Mn", "Mc", "Me", "Cf", "Zs", "Pd", "Po", "Ps", "Pe", "Pi", "Pf", "Pc"})
#: Bidi embedding, override and isolate controls: never drawn (names could be spoofed).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NO_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


@dataclass(frozen=True, slots=True)
class Run:
    """Glyphs of one face, positioned (em, from the line's start, y up).

    ``segments`` is the run ready for a PDF ``TJ`` operator: pieces of
    ``TJ`` array body (glyph ids as 4 hex digits, position adjustments in
    1/1000 em) each with its text rise in em, assuming the text position is
    ``xs[0]`` at the start; ``end`` is where the text position is after it.
    Both are independent of the font size, so a run is serialised once.
    """

    face: int
    gids: tuple[int, ...]
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    texts: tuple[str, ...]
    segments: tuple[tuple[bytes, float], ...] = ()
    end: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    """A shaped line: runs in visual order, advance and ink extents in em."""

    text: str
    runs: tuple[Run, ...]
    advance: float
    left: float
    right: float
    top: float
    bottom: float
    rtl: bool
    missing: tuple[str, ...] = ()
    has_rtl: bool = False

    @property
    def width(self) -> float:
        """Horizontal extent, ink and advance together."""
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


class _Font(HbFont):
    def __init__(self, face: FontFace) -> None:
        super().__init__(face)
        self.unicodes = frozenset(self.face.unicodes)
        self._extents: dict[int, tuple[float, float, float, float]] = {}

    def extents(self, gid: int) -> tuple[float, float, float, float]:
        """Ink box of a glyph in em: (x_min, x_max, y_min, y_max)."""
        box = self._extents.get(gid)
        if box is None:
            ext = self.font.get_glyph_extents(gid)
            if ext is None or (ext.width == 0 and ext.height == 0):
                box = (0.0, 0.0, 0.0, 0.0)
            else:
                u = self.upem
                x0, y0 = ext.x_bearing / u, (ext.y_bearing + ext.height) / u
                box = (x0, x0 + ext.width / u, y0, ext.y_bearing / u)
            self._extents[gid] = box
        return box


@cache
def _bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char)


@cache
def _category(char: str) -> str:
    return unicodedata.category(char)


def bidi_levels(text: str) -> tuple[int, list[int]]:
    """Paragraph level and the embedding level of each character (UAX #9).

    >>> bidi_levels("abc")
    (0, [0, 0, 0])
    >>> bidi_levels("אב 12")
    (1, [1, 1, 1, 2, 2])
    """
    if not any(_bidi_class(c) in _RTL_CLASSES for c in text):
        return 0, [0] * len(text)
    base = uax9.get_base_level(text)
    storage = uax9.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uax9.get_embedding_levels(text, storage)
    uax9.explicit_embed_and_overrides(storage)
    uax9.calc_level_runs(storage)
    uax9.resolve_weak_types(storage)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    resolved = iter(storage["chars"])
    levels: list[int] = []
    previous = base
    for char in text:
        if _bidi_class(char) in uax9.X9_REMOVED:
            levels.append(previous)
        else:
            previous = next(resolved)["level"]
            levels.append(previous)
    # L1: trailing whitespace goes back to the paragraph level.
    i = len(text) - 1
    while i >= 0 and _bidi_class(text[i]) in ("WS", "B", "S"):
        levels[i] = base
        i -= 1
    return base, levels


def _direction(text: str) -> str | None:
    """"ltr" when nothing in ``text`` is right-to-left, "rtl" when it has only
    right-to-left letters, marks and spaces, else None (the full bidi algorithm).

    >>> _direction("O'Brien-Smith 3"), _direction("דוד כהן"), _direction("Ana مريم")
    ('ltr', 'rtl', None)
    """
    kinds = {_bidi_class(char) for char in text}
    if not kinds & _RTL_CLASSES:
        return "ltr"
    if kinds <= {"R", "AL", "WS", "NSM", "BN"}:
        return "rtl"
    return None


def _visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of runs in visual order (rule L2 on run levels)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    top = max(levels)
    lowest_odd = min(level for level in levels) | 1
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


class Shaper:
    """Shapes text with a stack of font faces (first face = the primary font)."""

    def __init__(self, faces: Sequence[FontFace]) -> None:
        if not faces:
            raise ValueError("a font stack needs at least one face")
        self.faces = tuple(faces)
        self._fonts: list[_Font | None] = [None] * len(self.faces)
        self._choice: dict[str, int] = {}
        self._lines: dict[str, Line] = {}
        self._spaces: dict[str, Line] = {}
        self._plain: dict[str, tuple[int, int, int, bytes]] = {}

    #: Shaped lines kept (words and whole texts); the cache is emptied when full.
    cache_size = 20_000

    def font(self, index: int) -> _Font:
        font = self._fonts[index]
        if font is None:
            font = self._fonts[index] = _Font(self.faces[index])
        return font

    def _first_covering(self, char: str) -> int:
        choice = self._choice.get(char)
        if choice is None:
            cp = ord(char)
            choice = -1
            for i in range(len(self.faces)):
                if cp in self.font(i).unicodes:
                    choice = i
                    break
            self._choice[char] = choice
        return choice

    def _faces_for(self, text: str) -> tuple[list[int], list[str]]:
        faces: list[int] = []
        missing: list[str] = []
        previous = -1
        for char in text:
            if previous >= 0 and _category(char) in _STICKY and ord(char) in self.font(
                previous
            ).unicodes:
                faces.append(previous)
                continue
            choice = self._first_covering(char)
            if choice < 0:
                if _category(char) not in ("Cf", "Mn"):
                    missing.append(char)
                choice = previous if previous >= 0 else 0
            faces.append(choice)
            previous = choice
        return faces, missing

    def shape(self, text: str) -> Line:
        """Shape ``text`` as one line.

        Names whose words all run one way (only left-to-right, or only
        right-to-left letters, separated by single spaces) are set from
        shaped words kept in a cache (given names and family names repeat in
        any list); other text is shaped whole. Shaping never crosses a space
        in either case except for kerning against the space, which the
        fonts used for names do not have.
        """
        text = text.translate(_NO_CONTROLS)
        line = self._lines.get(text)
        if line is not None:
            return line
        words = text.split(" ")
        direction = _direction(text) if len(words) > 1 and "" not in words else None
        if direction is not None:
            return self._compose(text, words, direction == "rtl")  # made of cached words
        line = self.shape_whole(text)
        if len(self._lines) >= self.cache_size:
            self._lines.clear()
        self._lines[text] = line
        return line

    def shape_plain(self, text: str) -> Line:
        """Set ``text`` with each character's own glyph and advance, no shaping, no cache.

        For machine-made strings such as certificate ids (Latin letters and
        digits): much faster than :meth:`shape`, and kerning does not matter.
        """
        gids: list[int] = []
        hexes: list[bytes] = []
        xs: list[float] = []
        pen = 0
        face = -1
        plain = self._plain
        for char in text:
            glyph = plain.get(char)
            if glyph is None:
                index = max(self._first_covering(char), 0)
                font = self.font(index)
                gid = font.font.get_nominal_glyph(ord(char)) or 0
                glyph = plain[char] = (index, gid, font.width(gid), b"<%04X>" % gid)
            if face not in (-1, glyph[0]):
                return self.shape(text)  # more than one font: shape it properly
            face = glyph[0]
            gids.append(glyph[1])
            hexes.append(glyph[3])
            xs.append(pen / 1000)
            pen += glyph[2]
        if not gids:
            return self.shape(text)
        advance = pen / 1000
        run = Run(face, tuple(gids), tuple(xs), (0.0,) * len(xs), tuple(text),
                  ((b"".join(hexes), 0.0),), advance)
        font = self.font(face)
        top = max(font.ascender, self.font(0).ascender)
        bottom = min(font.descender, self.font(0).descender)
        return Line(text, (run,), advance, 0.0, advance, top, bottom, False)

    def _compose(self, text: str, words: list[str], rtl: bool) -> Line:
        pieces: list[Line] = []
        missing: list[str] = []
        for i, word in enumerate(words):
            if i:
                pieces.append(self._space(words[i - 1][-1]))
            piece = self.shape(word)
            missing.extend(piece.missing)
            pieces.append(piece)
        if rtl:
            pieces.reverse()
        runs: list[Run] = []
        pen = left = right = 0.0
        top, bottom = self.font(0).ascender, self.font(0).descender
        for piece in pieces:
            left = min(left, pen + piece.left)
            right = max(right, pen + piece.right)
            top = max(top, piece.top)
            bottom = min(bottom, piece.bottom)
            if pen:
                runs.extend(
                    Run(r.face, r.gids, tuple([x + pen for x in r.xs]), r.ys, r.texts,
                        r.segments, r.end)
                    for r in piece.runs
                )
            else:
                runs.extend(piece.runs)  # the first word: already where it belongs
            pen += piece.advance
        return Line(text, tuple(runs), pen, left, max(right, pen), top, bottom, rtl,
                    tuple(missing), rtl)

    def _space(self, previous: str) -> Line:
        """A space set in the face the previous character's face (as :meth:`_faces_for`)."""
        line = self._spaces.get(previous)
        if line is None:
            line = self.shape_whole(previous + " ")
            run = line.runs[-1] if not line.rtl else line.runs[0]
            font = self.font(run.face)
            index = len(run.gids) - 1 if not line.rtl else 0
            gid = run.gids[index]
            advance = font.font.get_glyph_h_advance(gid) / font.upem
            top, bottom = self.font(0).ascender, self.font(0).descender
            space_run = self._make_run(run.face, [gid], [0.0], [0.0], [" "])
            line = Line(" ", (space_run,), advance, 0.0, advance, top, bottom, line.rtl)
            self._spaces[previous] = line
        return line

    def _make_run(
        self, face: int, gids: list[int], xs: list[float], ys: list[float], texts: list[str]
    ) -> Run:
        font = self.font(face)
        segments: list[tuple[bytes, float]] = []
        parts: list[bytes] = []
        rise = 0.0
        cur = xs[0] if xs else 0.0
        for gid, x, y in zip(gids, xs, ys, strict=True):
            if y != rise:
                if parts:
                    segments.append((b"".join(parts), rise))
                parts = []
                rise = y
            adjust = round((cur - x) * 1000)
            if adjust:
                parts.append(b" %d " % adjust)
                cur -= adjust / 1000
            parts.append(b"<%04X>" % gid)
            cur += font.width(gid) / 1000
        if parts:
            segments.append((b"".join(parts), rise))
        return Run(face, tuple(gids), tuple(xs), tuple(ys), tuple(texts), tuple(segments),
                   cur - (xs[0] if xs else 0.0))

    def shape_whole(self, text: str) -> Line:
        """Shape ``text`` in one piece (no word cache): fallback, bidi, HarfBuzz."""
        faces, missing = self._faces_for(text)
        base, levels = bidi_levels(text)
        segments: list[tuple[int, int, int, int]] = []  # start, end, face, level
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or faces[i] != faces[start] or levels[i] != levels[start]:
                segments.append((start, i, faces[start], levels[start]))
                start = i
        shaped = [self._shape_segment(text[s:e], face, level) for s, e, face, level in segments]
        order = _visual_order([seg[3] for seg in segments])
        runs: list[Run] = []
        pen = 0.0
        left = right = 0.0
        primary = self.font(0)
        top, bottom = primary.ascender, primary.descender
        for index in order:
            face_index = segments[index][2]
            font = self.font(face_index)
            gids, advances, offsets, texts = shaped[index]
            xs: list[float] = []
            ys: list[float] = []
            for gid, adv, (dx, dy) in zip(gids, advances, offsets, strict=True):
                x, y = pen + dx, dy
                x0, x1, y0, y1 = font.extents(gid)
                if x1 > x0:
                    left = min(left, x + x0)
                    right = max(right, x + x1)
                    bottom = min(bottom, y + y0)
                    top = max(top, y + y1)
                xs.append(x)
                ys.append(y)
                pen += adv
            if gids:
                runs.append(self._make_run(face_index, gids, xs, ys, texts))
        right = max(right, pen)
        has_rtl = any(level % 2 for level in levels)
        return Line(
            text, tuple(runs), pen, left, right, top, bottom, base == 1, tuple(missing), has_rtl
        )

    def _shape_segment(
        self, text: str, face: int, level: int
    ) -> tuple[list[int], list[float], list[tuple[float, float]], list[str]]:
        font = self.font(face)
        buf = hb.Buffer()
        buf.add_codepoints([ord(c) for c in text])
        buf.guess_segment_properties()
        buf.direction = "rtl" if level % 2 else "ltr"
        hb.shape(font.font, buf)
        rtl = level % 2 == 1
        infos = buf.glyph_infos
        positions = buf.glyph_positions
        bounds = sorted({info.cluster for info in infos} | {len(text)})
        next_bound = {b: bounds[i + 1] for i, b in enumerate(bounds[:-1])}
        members: dict[int, list[int]] = {}
        for index, info in enumerate(infos):
            members.setdefault(info.cluster, []).append(index)
        u = font.upem
        gids: list[int] = []
        advances: list[float] = []
        offsets: list[tuple[float, float]] = []
        texts: list[str] = [""] * len(infos)
        for info, pos in zip(infos, positions, strict=True):
            gids.append(info.codepoint)
            advances.append(pos.x_advance / u)
            offsets.append((pos.x_offset / u, pos.y_offset / u))
        for cluster, indexes in members.items():
            piece = text[cluster : next_bound[cluster]]
            if len(indexes) == len(piece) > 1:
                # A letter and its marks (harakat, niqqud, Indic signs), one glyph each:
                # each glyph stands for its own character, so the font's single ToUnicode
                # map holds for every name.
                ordered = indexes[::-1] if rtl else indexes  # HarfBuzz reverses RTL whole
                glyphs = [infos[i].codepoint for i in ordered]
                for index, char in zip(ordered, _match_glyphs(font, glyphs, piece), strict=True):
                    texts[index] = char
            else:
                # Extractors (poppler, pdfium) reverse what one glyph stands for in
                # right-to-left text: store ligatures reversed so they read logically.
                texts[indexes[0]] = piece[::-1] if rtl else piece
        return gids, advances, offsets, texts


def _match_glyphs(font: _Font, glyphs: list[int], text: str) -> list[str]:
    """The character each glyph of a cluster stands for (as many glyphs as characters).

    A glyph that is a character's own (cmap) glyph takes that character, whatever order
    the shaper put the marks in; the others (contextual letter forms) take the characters
    left, in logical order.
    """
    left = list(text)
    out: list[str | None] = [None] * len(glyphs)
    for position, gid in enumerate(glyphs):
        for char in left:
            if font.font.get_nominal_glyph(ord(char)) == gid:
                out[position] = char
                left.remove(char)
                break
    rest = iter(left)
    return [char if char is not None else next(rest) for char in out]
