"""Which glyph clusters of a line need ``/ActualText``, from Pango's cluster table.

For the first line of a WeasyPrint text box, :func:`plan_line` walks Pango's runs
(glyph ids, advances, offsets and ``log_clusters``, the byte offset of each glyph's
cluster in the line's text, the same table WeasyPrint builds its ToUnicode map from),
joins a combining mark to its base, and classifies each cluster:

- *plain*: one glyph for one character, and that glyph's ToUnicode entry is that
  character (see :func:`_plain`);
- *everything else*: a span around the cluster's glyphs whose ActualText is the
  cluster's text (in visual order for right-to-left runs, see :func:`plan_line`).

The plan counts glyphs as WeasyPrint writes them (its empty glyphs are not written).
:mod:`.textlayer` writes the spans while WeasyPrint draws the line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import uharfbuzz as hb
from weasyprint.text.ffi import ffi, pango

from . import fontbytes

_EMPTY = int(pango.PANGO_GLYPH_EMPTY)
_UNKNOWN = int(pango.PANGO_GLYPH_UNKNOWN_FLAG)
#: 32-bit words in a PangoGlyphInfo (glyph, width, x offset, y offset, attributes).
INFO_WORDS = ffi.sizeof("PangoGlyphInfo") // 4
#: Invisible, zero-width characters whose glyph may stand at a span's edge.
_TAIL_CHARACTERS = (0x200B, 0x2060, 0xFEFF, 0x034F)


def actual_text_operator(text: str) -> bytes:
    """The ``BDC`` operator opening a span whose ActualText is ``text``.

    >>> actual_text_operator("कि")
    b'/Span <</ActualText <FEFF0915093F>>> BDC'
    """
    hex_text = text.encode("utf-16-be").hex().upper().encode()
    return b"/Span <</ActualText <FEFF" + hex_text + b">>> BDC"


@dataclass(slots=True)
class Plan:
    """One line's glyphs as WeasyPrint will write them, and the spans to open and close."""

    #: emitted glyph index → (index of the span's last glyph, BDC operator)
    opens: dict[int, tuple[int, bytes]] = field(default_factory=dict)
    #: (first emitted glyph index, hex digits per glyph) of each run
    widths: list[tuple[int, int]] = field(default_factory=list)
    #: emitted index of a span's last glyph → the blank glyph (TJ piece) that ends it
    tails: dict[int, str] = field(default_factory=dict)
    #: emitted index of a span's first glyph → (the blank glyph (TJ piece) that starts
    #: it, whether the first glyph is moved by an offset written just before it)
    heads: dict[int, tuple[str, bool]] = field(default_factory=dict)
    count: int = 0


def _plain(font: Any, glyph: int, text: str) -> bool:
    """Whether ``glyph`` alone may stand for ``text`` through the ToUnicode map."""
    pinned = _pinned(font)
    if glyph in pinned:
        return bool(font.to_unicode.get(glyph) == text)
    font.to_unicode[glyph] = text
    pinned.add(glyph)
    return True


def _all_rtl(text: str) -> bool:
    """Whether every character of ``text`` is a strong right-to-left letter (a ligature)."""
    return all(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _clusters(clusters: list[int], rtl: bool, utf8: bytes) -> list[tuple[int, int, str]]:
    """A run's clusters in glyph order: (first glyph, end glyph, text in logical order).

    Pango's clusters may be single characters; a cluster that starts with a
    combining mark joins the one before it in logical order, so that a base and its
    marks are one unit (they are drawn as one).
    """
    n = len(clusters)
    starts = [i for i in range(n) if i == 0 or clusters[i] != clusters[i - 1]]
    found: list[tuple[int, int, str]] = []
    for k, first in enumerate(starts):
        last = starts[k + 1] if k + 1 < len(starts) else n
        if rtl:
            end = clusters[starts[k - 1]] if k > 0 else len(utf8)
        else:
            end = clusters[last] if last < n else len(utf8)
        found.append((first, last, utf8[clusters[first] : end].decode("utf-8", "replace")))
    if rtl:
        found.reverse()
    merged: list[tuple[int, int, str]] = []
    for first, last, text in found:
        if merged and text and unicodedata.category(text[0])[0] == "M":
            before_first, before_last, before = merged[-1]
            merged[-1] = (min(first, before_first), max(last, before_last), before + text)
        else:
            merged.append((first, last, text))
    if rtl:
        merged.reverse()
    return merged


def _pinned(font: Any) -> set[int]:
    """The glyphs of ``font`` drawn plain (their ToUnicode entry is their one text)."""
    found: set[int] | None = getattr(font, "_printkit_plain", None)
    if found is None:
        found = font._printkit_plain = set()
    return found


def _ends_with_mark(glyphs: list[int], advances: list[int]) -> bool:
    """Whether the last drawn glyph of a cluster has no advance (a mark placed by offset)."""
    for glyph, advance in zip(reversed(glyphs), reversed(advances), strict=True):
        if glyph != _EMPTY:
            return advance == 0
    return False


def _blank_glyph(font: Any) -> tuple[str, int] | None:
    """A glyph of ``font`` that draws nothing (hex) and its advance (1/1000 em), or None.

    A reader takes a span's extent from its first glyph's origin to its last glyph's
    end. When that glyph is a mark moved by an offset, the span starts or ends inside
    its cluster and the glyph next to it looks a word away (poppler writes a space
    inside the word). A blank glyph drawn where the cluster starts or ends, moved
    back by its own advance, gives the span its real extent and moves nothing. The
    font's empty zero-width glyph is used (U+200B…), else its space.
    """
    cached: tuple[str, int] | bool | None = getattr(font, "_printkit_blank", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    found: tuple[str, int] | None = None
    try:
        hb_font = hb.Font(fontbytes.hb_face(font.file_content, font.index))
        upem = hb_font.face.upem
        for codepoint in (*_TAIL_CHARACTERS, 0x20):
            glyph = hb_font.get_nominal_glyph(codepoint)
            if not glyph:
                continue
            extents = hb_font.get_glyph_extents(glyph)
            if extents is not None and (extents.width or extents.height):
                continue
            advance = font.widths.get(glyph)
            if advance is None:
                advance = font.widths[glyph] = round(
                    hb_font.get_glyph_h_advance(glyph) * 1000 / upem
                )
            if codepoint != 0x20 and advance:
                continue
            font.to_unicode.setdefault(glyph, chr(codepoint))
            found = (f"<{glyph:04x}>", int(advance))
            break
    except (ValueError, TypeError, AttributeError):  # pragma: no cover - unreadable face
        found = None
    font._printkit_blank = found
    return found


def _font(stream: Any, pango_font: Any) -> Any:
    """WeasyPrint's font object for ``pango_font`` (``stream.add_font``, cached per page)."""
    cache: dict[Any, Any] | None = getattr(stream, "_printkit_fonts", None)
    if cache is None:
        cache = stream._printkit_fonts = {}
    font = cache.get(pango_font)
    if font is None:
        font = cache[pango_font] = stream.add_font(pango_font)[0]
    return font


def plan_line(stream: Any, textbox: Any) -> Plan:
    """Classify the clusters of the first line of ``textbox``'s Pango layout."""
    plan = Plan()
    line = pango.pango_layout_get_line_readonly(textbox.pango_layout.layout, 0)
    utf8: bytes | None = None
    run = line.runs
    previous_font: Any = None
    font: Any = None
    emitted = 0
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        n = glyph_string.num_glyphs
        if n <= 0:
            continue
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_font:
            previous_font = pango_font
            font = _font(stream, pango_font)
        bitmap = bool(font.bitmap)
        plan.widths.append((emitted, 2 if bitmap else 4))
        words = memoryview(ffi.buffer(glyph_string.glyphs, n * INFO_WORDS * 4)).cast("I")
        glyphs = words[0::INFO_WORDS].tolist()
        clusters = ffi.unpack(glyph_string.log_clusters, n)
        item = glyph_item.item
        rtl = item.analysis.level % 2 == 1
        if utf8 is None:
            utf8 = textbox.pango_layout.text.encode()
        segment = utf8[item.offset : item.offset + item.length]
        if bitmap:
            emitted += sum(1 for g in glyphs if g != _EMPTY)
            continue
        if _plain_run(plan, font, emitted, (glyphs, clusters), segment=segment, rtl=rtl):
            emitted += n
            continue
        advances = words[1::INFO_WORDS].tolist()
        offsets = words[2::INFO_WORDS].tolist()
        rises = words[3::INFO_WORDS].tolist()
        found = _clusters(clusters, rtl, segment)
        k = 0
        while k < len(found):
            first, last, logical = found[k]
            k += 1
            drawn = [g for g in glyphs[first:last] if g != _EMPTY]
            if not drawn:
                continue
            glyph = drawn[0]
            # Readers lay a unit of several characters out left to right, then reverse
            # the line's right-to-left runs: a right-to-left unit is given in visual order.
            text = logical[::-1] if rtl else logical
            single = len(drawn) == 1 and not glyph & _UNKNOWN
            if (
                single
                and (len(text) == 1 or (rtl and _all_rtl(text)))
                and _plain(font, glyph, text)
            ):
                emitted += 1
                continue
            # WeasyPrint draws a raised or lowered glyph in a TJ of its own, and pdfium
            # reads a line's text objects in order of their x: that TJ comes after the
            # next glyph's, and pdfium gave the span's text again. So the span takes in
            # the following clusters of the run until one has no such glyph.
            raised = any(rises[i] and glyphs[i] != _EMPTY for i in range(first, last))
            while raised and k < len(found):
                following, last, logical = found[k]
                k += 1
                text += logical[::-1] if rtl else logical
                raised = any(rises[i] and glyphs[i] != _EMPTY for i in range(following, last))
            count = sum(1 for g in glyphs[first:last] if g != _EMPTY)
            if text.strip():
                _add_span(
                    plan,
                    font,
                    emitted=emitted,
                    cluster=(first, last, count),
                    text=text,
                    records=(glyphs, advances, offsets),
                )
            emitted += count
    plan.count = emitted
    return plan


def _plain_run(
    plan: Plan,
    font: Any,
    emitted: int,
    run: tuple[list[int], list[int]],
    *,
    segment: bytes,
    rtl: bool,
) -> bool:
    """Plan a run whose every glyph is one cluster of one character, not a mark (most runs).

    Returns False, having planned nothing, for any other run. A glyph whose ToUnicode
    entry is another character gets a span of its own.
    """
    glyphs, clusters = run
    n = len(glyphs)
    if max(glyphs) >= _EMPTY or len(set(clusters)) != n:
        return False
    text = segment.decode("utf-8", "replace")
    if len(text) != n or not _no_marks(text):
        return False
    if rtl:
        text = text[::-1]
    to_unicode = font.to_unicode
    pinned = _pinned(font)
    for i, (glyph, char) in enumerate(zip(glyphs, text, strict=True)):
        if glyph not in pinned:
            to_unicode[glyph] = char
            pinned.add(glyph)
        elif to_unicode.get(glyph) != char and char.strip():
            plan.opens[emitted + i] = (emitted + i, actual_text_operator(char))
    return True


def _no_marks(text: str) -> bool:
    """Whether ``text`` has no combining mark (and nothing beyond the BMP).

    >>> _no_marks("école"), _no_marks("e\u0301cole"), _no_marks("कि")
    (True, False, False)
    """
    if text.isascii() or _PLAIN_CHARACTERS.issuperset(text):
        return True
    if max(text) > "\uffff":
        return False
    for char in set(text).difference(_PLAIN_CHARACTERS):
        if unicodedata.category(char)[0] == "M":
            return False
        _PLAIN_CHARACTERS.add(char)
    return True


#: Characters of the BMP seen so far that are no combining mark (grows as text is drawn:
#: a set of every mark of the BMP took 10 ms to build at every start).
_PLAIN_CHARACTERS: set[str] = set()


def _add_span(
    plan: Plan,
    font: Any,
    *,
    emitted: int,
    cluster: tuple[int, int, int],
    text: str,
    records: tuple[list[int], list[int], list[int]],
) -> None:
    """A span for the cluster of glyphs ``first:last`` (``count`` drawn from ``emitted``).

    ``records`` are the run's glyph ids, advances and x offsets.
    """
    first, last, count = cluster
    glyphs, advances, offsets = records
    last_glyph = emitted + count - 1
    plan.opens[emitted] = (last_glyph, actual_text_operator(text))
    ids, advance = glyphs[first:last], advances[first:last]
    blank = None
    if _ends_with_mark(ids, advance):
        blank = _blank_glyph(font)
        if blank:  # moved back, then drawn: it ends where the cluster ends
            plan.tails[last_glyph] = f" {blank[1]} {blank[0]}" if blank[1] else blank[0]
    if _ends_with_mark(ids[::-1], advance[::-1]):
        blank = blank or _blank_glyph(font)
        if blank:  # drawn, then moved back: it starts where the cluster starts
            start = next(i for i in range(first, last) if glyphs[i] != _EMPTY)
            piece = f"{blank[0]} {blank[1]} " if blank[1] else blank[0]
            plan.heads[emitted] = (piece, offsets[start] != 0)
