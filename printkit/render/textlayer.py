"""The text under the glyphs: ``/ActualText`` where glyphs do not spell their text.

WeasyPrint writes each glyph with one ToUnicode entry, the text of the first
cluster it was seen in. That is right for Latin, wrong wherever shaping does
more than one glyph per character in logical order: a pre-base matra drawn
before its consonant, a conjunct or a ligature (one glyph, several
characters), a mark, a glyph shared between contexts (Thai sara aa alone and
inside sara am). A reader then copies, searches and speaks nonsense.

:func:`install` wraps WeasyPrint's ``draw_first_line`` (``weasyprint/draw/text.py``,
the one place where every glyph run of every document is drawn). While a line is
drawn, :func:`.clusters.plan_line` reads Pango's cluster table and says which
clusters need a span, and :class:`_LineWriter`, standing in for the stream's
``show_text``, splits WeasyPrint's ``TJ`` arrays glyph by glyph to write
``/Span <</ActualText <FEFF…>>> BDC … EMC`` (ISO 32000-1, 14.9.4) around them.
Kerning, offsets, rise and fonts stay WeasyPrint's: nothing moves on the page.

:func:`hook_intact` tells whether this WeasyPrint still draws text the way the
hook expects; a line whose glyphs do not match the plan is counted
(:data:`STATS`) and the rest of it written unchanged.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import weasyprint.draw.text as weasy_text

from .clusters import INFO_WORDS, Plan, plan_line

#: The parameters of the wrapped WeasyPrint function (WeasyPrint 65 – 70).
EXPECTED_SIGNATURE = ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")

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


class _LineWriter:
    """Replaces ``stream.show_text`` while one line is drawn: splits its ``TJ`` arrays."""

    __slots__ = (
        "bypassed",
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
        self.plan: Plan | None = None
        self.cursor = 0
        self.open_until = -1
        self.failed = False
        self.bypassed = False
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
            self.plan = plan_line(self.stream, self.textbox)
            if not self.plan.opens:
                # Nothing to wrap: the rest of the line goes straight to the stream.
                del self.stream.show_text
                self.bypassed = True
                self.stream.show_text(text)
                return
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
            if not self.bypassed and self.cursor != self.plan.count:
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
        if not writer.bypassed:
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
    if INFO_WORDS * 4 != 20:
        problems.append(f"PangoGlyphInfo is {INFO_WORDS * 4} bytes, not 20")
    if _state["original"] is not None and weasy_text.draw_first_line is not _draw_first_line:
        problems.append("draw_first_line was replaced by someone else")
    return problems
