"""The text under the glyphs: ``/ActualText`` where glyphs do not spell their text.

WeasyPrint writes each glyph with one ToUnicode entry, the text of the first
cluster it was seen in. That is right for Latin, wrong wherever shaping does
more than one glyph per character in logical order: a pre-base matra drawn
before its consonant, a conjunct or a ligature (one glyph, several
characters), a mark, a glyph shared between contexts (Thai sara aa alone and
inside sara am). A reader then copies, searches and speaks nonsense.

:func:`install` wraps WeasyPrint's ``draw_first_line`` (``weasyprint/draw/text.py``,
the one place where every glyph run of every document is drawn). For each line it
reads Pango's cluster table of every run (``log_clusters``: the byte offset of
each glyph's cluster in the line's text), the same table WeasyPrint uses for its
ToUnicode map, and classifies each cluster:

- *plain*: one glyph for one character, and that glyph's ToUnicode entry is that
  character. Drawn as WeasyPrint draws it.
- *everything else*: the cluster's glyphs are wrapped in
  ``/Span <</ActualText <FEFF…>>> BDC … EMC`` (ISO 32000-1, 14.9.4) holding the
  cluster's text in logical order.

The ToUnicode entry of a glyph is the character of its first plain use (it is
re-set to it, if WeasyPrint first saw the glyph inside a larger cluster); a
later use of the same glyph for another text is never plain, so the map never
gives a glyph a wrong character where no ActualText says otherwise.

The split is made on the ``TJ`` arrays WeasyPrint writes, glyph by glyph, while
the line is drawn: kerning, rise and fonts stay WeasyPrint's. :func:`hook_intact`
tells whether this WeasyPrint still draws text the way the hook expects.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uharfbuzz as hb
import weasyprint.draw.text as weasy_text
from weasyprint.text.ffi import ffi, pango

#: The parameters of the wrapped WeasyPrint function (WeasyPrint 65 – 70).
EXPECTED_SIGNATURE = ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")

_EMPTY = int(pango.PANGO_GLYPH_EMPTY)
_UNKNOWN = int(pango.PANGO_GLYPH_UNKNOWN_FLAG)
_INFO_WORDS = ffi.sizeof("PangoGlyphInfo") // 4
_TOKEN = re.compile(r"<([0-9a-fA-F]*)>|([^<]+)")
_HEX = re.compile(r"<([0-9a-fA-F]*)>")
_EMC = b"EMC"


@dataclass(slots=True)
class Stats:
    """What the hook did in this process (the benchmark and tests read it)."""

    lines: int = 0
    spans: int = 0
    #: Lines whose drawn glyphs did not match Pango's runs (the hook then wraps nothing more).
    desyncs: int = 0


STATS = Stats()
_state: dict[str, Any] = {"original": None, "enabled": True}


def actual_text_operator(text: str) -> bytes:
    """The ``BDC`` operator opening a span whose ActualText is ``text``.

    >>> actual_text_operator("कि")
    b'/Span <</ActualText <FEFF0915093F>>> BDC'
    """
    hex_text = text.encode("utf-16-be").hex().upper().encode()
    return b"/Span <</ActualText <FEFF" + hex_text + b">>> BDC"


@dataclass(slots=True)
class _Plan:
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


#: Invisible, zero-width characters whose glyph may end a span.
_TAIL_CHARACTERS = (0x200B, 0x2060, 0xFEFF, 0x034F)


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
        hb_font = hb.Font(hb.Face(font.file_content, font.index))
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


def _plan_line(stream: Any, textbox: Any) -> _Plan:
    """Classify the clusters of the first line of ``textbox``'s Pango layout."""
    plan = _Plan()
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
            font, _size = stream.add_font(pango_font)
        bitmap = bool(font.bitmap)
        plan.widths.append((emitted, 2 if bitmap else 4))
        words = memoryview(ffi.buffer(glyph_string.glyphs, n * _INFO_WORDS * 4)).cast("I")
        glyphs = words[0::_INFO_WORDS].tolist()
        advances = words[1::_INFO_WORDS].tolist()
        offsets = words[2::_INFO_WORDS].tolist()
        clusters = ffi.unpack(glyph_string.log_clusters, n)
        item = glyph_item.item
        rtl = item.analysis.level % 2 == 1
        offset, length = item.offset, item.length
        # Group consecutive glyphs of one cluster.
        if utf8 is None:
            utf8 = textbox.pango_layout.text.encode()
        for first, last, logical in _clusters(clusters, rtl, utf8[offset : offset + length]):
            drawn = [g for g in glyphs[first:last] if g != _EMPTY]
            if not drawn:
                continue
            if bitmap:
                emitted += len(drawn)
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
            if text.strip():
                last_glyph = emitted + len(drawn) - 1
                plan.opens[emitted] = (last_glyph, actual_text_operator(text))
                cluster, advance = glyphs[first:last], advances[first:last]
                blank = None
                if _ends_with_mark(cluster, advance):
                    blank = _blank_glyph(font)
                    if blank:  # moved back, then drawn: it ends where the cluster ends
                        plan.tails[last_glyph] = f" {blank[1]} {blank[0]}" if blank[1] else blank[0]
                if _ends_with_mark(cluster[::-1], advance[::-1]):
                    blank = blank or _blank_glyph(font)
                    if blank:  # drawn, then moved back: it starts where the cluster starts
                        start = next(i for i in range(first, last) if glyphs[i] != _EMPTY)
                        piece = f"{blank[0]} {blank[1]} " if blank[1] else blank[0]
                        plan.heads[emitted] = (piece, offsets[start] != 0)
            emitted += len(drawn)
    plan.count = emitted
    return plan


class _LineWriter:
    """Replaces ``stream.show_text`` while one line is drawn: splits its ``TJ`` arrays."""

    __slots__ = (
        "closing",
        "cursor",
        "failed",
        "hexes",
        "open_until",
        "pieces",
        "plan",
        "stream",
        "textbox",
    )

    def __init__(self, stream: Any, textbox: Any) -> None:
        self.stream = stream
        self.textbox = textbox
        self.plan: _Plan | None = None
        self.cursor = 0
        self.open_until = -1
        self.failed = False
        #: the tail piece of the span to close after the next number ("" for none)
        self.closing: str | None = None
        self.pieces: list[str] = []
        self.hexes: list[str] = []

    def _width(self) -> int:
        assert self.plan is not None
        width = 4
        for start, run_width in self.plan.widths:
            if start > self.cursor:
                break
            width = run_width
        return width

    def show_text(self, text: str) -> None:
        out = self.stream.stream
        if self.plan is None:
            self.plan = _plan_line(self.stream, self.textbox)
        plan = self.plan
        width = self._width()
        count = sum(len(h) for h in _HEX.findall(text)) // width
        end = self.cursor + count
        if end > plan.count:
            self.failed = True  # not the glyphs Pango laid out: write them as they are
        if self.failed or (
            self.open_until < 0
            and self.closing is None
            and not any(self.cursor <= j < end for j in plan.opens)
        ):
            self._close()
            out.append(b"[" + text.encode() + b"] TJ")
            self.cursor = end
            return
        for digits, other in _TOKEN.findall(text):
            if other:
                self._flush_hex()
                # Spaced: an empty string WeasyPrint wrote may have kept two numbers apart.
                self.pieces.append(f" {other} ")
                if self.closing is not None:
                    self._close()  # the kerning after a span's last mark is inside it
                continue
            for i in range(0, len(digits), width):
                self._close()
                opening = plan.opens.get(self.cursor)
                if opening is not None and self.open_until < 0:
                    self._open(opening, plan.heads.get(self.cursor))
                self.hexes.append(digits[i : i + width])
                if self.cursor == self.open_until:
                    # Closed after the glyph's kerning, which belongs inside the span.
                    self.open_until = -1
                    self.closing = plan.tails.get(self.cursor, "")
                self.cursor += 1
        self._close()
        self._flush()

    def _open(self, opening: tuple[int, bytes], head: tuple[str, bool] | None) -> None:
        """Open a span before the glyph about to be written.

        The position adjustments written since the last glyph move into the span's
        ``TJ``, so that no array is left with numbers only. A span whose first glyph
        is a mark moved into its base (right-to-left clusters) starts with a blank
        glyph where the cluster starts, before that mark's offset (the mirror of the
        tail, see :func:`_blank_glyph`).
        """
        self._flush_hex()
        moved: list[str] = []
        while self.pieces and "<" not in self.pieces[-1]:
            moved.insert(0, self.pieces.pop())
        self._flush()
        self.stream.stream.append(opening[1])
        self.open_until = opening[0]
        if head is not None:
            offset = [moved.pop()] if head[1] and moved else []
            moved = [*moved, head[0], *offset]
        self.pieces.extend(moved)

    def _flush_hex(self) -> None:
        if self.hexes:
            self.pieces.append("<" + "".join(self.hexes) + ">")
            self.hexes.clear()

    def _flush(self) -> None:
        """Write the pending pieces as one ``TJ``.

        An array never starts with a number: pdfium places the glyphs after such a
        leading adjustment about half a point off (poppler does not). It starts with
        an empty string instead, as WeasyPrint's own arrays do.
        """
        self._flush_hex()
        if self.pieces:
            if not self.pieces[0].startswith("<"):
                self.pieces.insert(0, "<>")
            self.stream.stream.append(b"[" + "".join(self.pieces).encode() + b"] TJ")
            self.pieces.clear()

    def _close(self) -> None:
        """End the span whose last glyph was written (after its tail glyph, if any)."""
        if self.closing is None:
            return
        if self.closing:
            self._flush_hex()
            self.pieces.append(self.closing)
        self.closing = None
        self._flush()
        self.stream.stream.append(_EMC)

    def finish(self) -> None:
        """Close a span left open and count a line whose glyphs did not match the plan."""
        self._close()
        if self.open_until >= 0:
            self.stream.stream.append(_EMC)
            self.open_until = -1
        if self.plan is not None:
            STATS.lines += 1
            STATS.spans += len(self.plan.opens)
            if self.cursor != self.plan.count:
                STATS.desyncs += 1


def _draw_first_line(
    stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any
) -> Any:
    original: Callable[..., Any] = _state["original"]
    if not _state["enabled"]:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    writer = _LineWriter(stream, textbox)
    stream.show_text = writer.show_text
    try:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        del stream.show_text
        writer.finish()


def install() -> bool:
    """Wrap WeasyPrint's line drawing (once; later calls do nothing). False if it cannot."""
    if _state["original"] is not None:
        return True
    function = getattr(weasy_text, "draw_first_line", None)
    if function is None or _signature(function) != EXPECTED_SIGNATURE:
        return False
    _state["original"] = function
    weasy_text.draw_first_line = _draw_first_line
    return True


def set_enabled(enabled: bool) -> None:
    """Turn the ActualText spans on or off (the overhead benchmark compares both)."""
    _state["enabled"] = enabled


def _signature(function: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def hook_intact() -> list[str]:
    """What no longer holds for the hook in this WeasyPrint (empty when it is intact).

    It checks the wrapped function's signature, that ``draw_text`` still calls it
    by its module-level name, that it still writes glyphs with ``show_text``, and
    that Pango's glyph records have the layout the planner reads.
    """
    problems: list[str] = []
    original = _state["original"] or getattr(weasy_text, "draw_first_line", None)
    if original is None:
        return ["weasyprint.draw.text has no draw_first_line"]
    if _signature(original) != EXPECTED_SIGNATURE:
        problems.append(f"draw_first_line{_signature(original)} != {EXPECTED_SIGNATURE}")
    if "draw_first_line" not in weasy_text.draw_text.__code__.co_names:
        problems.append("draw_text no longer calls draw_first_line by name")
    names = original.__code__.co_names
    for name in ("show_text", "add_font", "log_clusters", "glyphs", "runs"):
        if name not in names:
            problems.append(f"draw_first_line no longer uses {name}")
    if _INFO_WORDS * 4 != 20:
        problems.append(f"PangoGlyphInfo is {_INFO_WORDS * 4} bytes, not 20")
    if _state["original"] is not None and weasy_text.draw_first_line is not _draw_first_line:
        problems.append("draw_first_line was replaced by someone else")
    return problems
