"""One certificate page: the content stream that draws the name, QR code and id.

Everything per page is small: the background is one shared Form XObject
(``/BG``), fonts are shared Type 0 fonts (``/F0``, ``/F1``… by position in
the font stack), the QR code is a 1-bit image mask (``/QR``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ...model import FontFace
from .fit import Fitted, NameBox, PlacedLine, fit_name
from .fontembed import EmbeddableFont, font_objects
from .pdfwriter import pdf_number, pdf_string
from .qrmask import QUIET_ZONE, QrMask, qr_mask
from .shaping import Line, Shaper

#: Glyph usage of some pages: face index → glyph id → the text it stands for.
Usage = dict[int, dict[int, str]]


@dataclass(frozen=True, slots=True)
class QrBox:
    """Where the QR code goes (pt from the top-left), quiet zone included.

    When ``id_size`` > 0 the certificate id is printed under the box.
    """

    x: float
    y: float
    size: float
    id_size: float = 7.0


@dataclass(frozen=True, slots=True)
class Design:
    """Everything shared by the pages of a run (must be picklable for ``--jobs``)."""

    background_pdf: bytes
    name_box: NameBox
    fonts: tuple[FontFace, ...]
    qr_box: QrBox | None = None
    #: Document metadata: the language tag (``/Lang``) and the author (the organiser).
    lang: str = ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class Certificate:
    """What differs between two pages: the name, and the QR code text and id."""

    row: int
    name: str
    qr_text: str | None = None
    id_text: str = ""


@dataclass(slots=True)
class PageContent:
    """A page's content stream, its QR mask, and notes (warnings) about it."""

    stream: bytes
    qr: QrMask | None
    notes: list[str] = field(default_factory=list)


def merge_usage(into: Usage, other: Usage) -> None:
    """Add ``other``'s glyphs to ``into`` (the first non-empty text of a glyph wins)."""
    for face, glyphs in other.items():
        target = into.setdefault(face, {})
        for gid, text in glyphs.items():
            if text and not target.get(gid):
                target[gid] = text
            else:
                target.setdefault(gid, text)


class PageMaker:
    """Makes page content streams for one design (one per process)."""

    def __init__(self, design: Design, page_height: float) -> None:
        self.design = design
        self.page_height = page_height
        self.shaper = Shaper(design.fonts)
        self._embed: list[EmbeddableFont | None] = [None] * len(design.fonts)
        self.usage: Usage = {}
        self._seen: set[tuple[int, tuple[int, ...]]] = set()
        r, g, b = design.name_box.colour
        colour = b" ".join(pdf_number(c) for c in (r, g, b))
        self._prologue = b"q /BG Do Q\n%b rg\n" % colour
        self._qr_ops: dict[int, bytes] = {}
        #: Names already fitted for the pages about to be made (filled and emptied by
        #: the split writer, which fits a batch first to subset large fonts once).
        self.fitted: dict[str, Fitted] = {}

    def reset_usage(self) -> None:
        """Start recording glyph usage afresh (for the next chunk or file)."""
        self.usage = {}
        self._seen = set()

    def warm(self) -> None:
        """Load every face for shaping now (before forking workers, so they share them);
        fonts are prepared for embedding only when a page uses them."""
        for index in range(len(self.design.fonts)):
            self.shaper.font(index)

    def embeddable(self, face: int) -> EmbeddableFont:
        font = self._embed[face]
        if font is None:
            font = self._embed[face] = EmbeddableFont(self.design.fonts[face])
        return font

    def fit(self, name: str) -> Fitted:
        """``name`` shaped and placed in the name box (from :attr:`fitted` when there)."""
        fitted = self.fitted.get(name)
        if fitted is None:
            fitted = fit_name(self.shaper, name, self.design.name_box, self.page_height)
        return fitted

    def page(self, cert: Certificate) -> PageContent:
        """The content of ``cert``'s page; glyphs used are added to :attr:`usage`."""
        box = self.design.name_box
        fitted = self.fit(cert.name)
        notes: list[str] = []
        if fitted.shrunk:
            notes.append(
                f"name set at {fitted.size:.1f} pt, below the minimum {box.min_size:g} pt"
            )
        missing = sorted({c for pl in fitted.lines for c in pl.line.missing})
        if missing:
            notes.append("no font has a glyph for " + ", ".join(f"U+{ord(c):04X}" for c in missing))
        parts = [self._prologue]
        for placed in fitted.lines:
            parts.append(self._text(placed, fitted.size))
        qr: QrMask | None = None
        qbox = self.design.qr_box
        if qbox is not None and cert.qr_text:
            qr = qr_mask(cert.qr_text)
            parts.append(self._qr(qbox, qr))
            if cert.id_text and qbox.id_size > 0:
                parts.append(self._id(qbox, cert.id_text))
        return PageContent(b"".join(parts), qr, notes)

    def _text(self, placed: PlacedLine, size: float) -> bytes:
        """One line as ``BT … ET`` (in an ActualText span when it reads left to right)."""
        line: Line = placed.line
        runs = line.runs
        if not runs:
            return b""
        # ActualText gives extractors the logical text of reordered Indic clusters; RTL
        # lines rely on ToUnicode alone (poppler reverses an RTL ActualText again), unless
        # raised or lowered marks (harakat) scatter their glyphs over lines: then the span
        # holds the line in visual order, which poppler reverses into the logical text.
        actual_text = line.text if not line.has_rtl else _raised_rtl_visual(line)
        actual = actual_text is not None
        span = b"/Span << /ActualText %b >> BDC " % pdf_string(actual_text or "") if actual else b""
        size_b = b"%.3f" % size
        cur = runs[0].xs[0]
        out = [
            span,
            b"BT 1 0 0 1 %.2f %.2f Tm\n" % (placed.x + cur * size, placed.y),
        ]
        face = -1
        rise = 0.0
        tj: list[bytes] = []
        seen = self._seen
        for run in runs:
            if run.face != face:
                if tj:
                    out.append(b"[%b] TJ\n" % b"".join(tj))
                    tj = []
                out.append(b"/F%d %b Tf\n" % (run.face, size_b))
                face = run.face
            adjust = round((cur - run.xs[0]) * 1000)
            if adjust:
                tj.append(b" %d " % adjust)
                cur -= adjust / 1000
            for body, run_rise in run.segments:
                if run_rise != rise:
                    if tj:
                        out.append(b"[%b] TJ\n" % b"".join(tj))
                        tj = []
                    out.append(b"%.2f Ts\n" % (run_rise * size))
                    rise = run_rise
                tj.append(body)
            cur += run.end
            key = (run.face, run.gids)
            if key not in seen:
                seen.add(key)
                glyphs = self.usage.setdefault(run.face, {})
                for gid, text in zip(run.gids, run.texts, strict=True):
                    if text and not glyphs.get(gid):
                        glyphs[gid] = text
                    else:
                        glyphs.setdefault(gid, text)
        if tj:
            out.append(b"[%b] TJ\n" % b"".join(tj))
        if rise:
            out.append(b"0 Ts\n")
        out.append(b"ET EMC\n" if actual else b"ET\n")
        return b"".join(out)

    def _qr(self, box: QrBox, qr: QrMask) -> bytes:
        ops = self._qr_ops.get(qr.size)
        if ops is None:
            ops = self._qr_ops[qr.size] = self._qr_ops_for(box, qr)
        return ops

    def _qr_ops_for(self, box: QrBox, qr: QrMask) -> bytes:
        modules = qr.size + 2 * QUIET_ZONE
        unit = box.size / modules
        x = box.x
        y = self.page_height - box.y - box.size
        inner = qr.size * unit
        return b"q 1 g %b %b %b %b re f 0 g %b 0 0 %b %b %b cm /QR Do Q\n" % (
            pdf_number(x),
            pdf_number(y),
            pdf_number(box.size),
            pdf_number(box.size),
            pdf_number(inner),
            pdf_number(inner),
            pdf_number(x + QUIET_ZONE * unit),
            pdf_number(y + QUIET_ZONE * unit),
        )

    #: Characters of certificate ids, set in a fixed font subset (``/FI``).
    ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"

    def id_font_objects(self, base: int) -> list[tuple[int, bytes]]:
        """The objects of the id font (numbered from ``base``): the first face of the
        stack that has the whole id alphabet, subset to it once, shared by every page
        and every split file. Empty when no face has it (ids are then set per page)."""
        wanted = set(map(ord, self.ID_ALPHABET))
        for index in range(len(self.design.fonts)):
            font = self.shaper.font(index)
            if wanted <= font.unicodes:
                break
        else:
            return []
        gids = [font.font.get_nominal_glyph(ord(c)) or 0 for c in self.ID_ALPHABET]
        self._id_face = index
        self._id_glyphs = {c: (g, b"<%04X>" % g) for c, g in zip(self.ID_ALPHABET, gids,
                                                                  strict=True)}
        used = dict(zip(gids, self.ID_ALPHABET, strict=True))
        embeddable = self.embeddable(index)
        self._id_widths = {c: embeddable.width(g) for c, (g, _) in self._id_glyphs.items()}
        return font_objects(embeddable, used, base)

    _id_glyphs: dict[str, tuple[int, bytes]] | None = None
    _id_widths: dict[str, int]
    _id_face = 0

    def _id(self, box: QrBox, text: str) -> bytes:
        """The certificate id under the QR code: one font, nominal glyphs, no shaping."""
        id_glyphs = self._id_glyphs
        if id_glyphs is not None:
            try:
                advance = sum([self._id_widths[c] for c in text]) / 1000
                body = b"".join([id_glyphs[c][1] for c in text])
            except KeyError:  # a character outside the id alphabet
                pass
            else:
                size = min(box.id_size, box.size / max(advance, 0.01))
                x = box.x + (box.size - advance * size) / 2
                y = self.page_height - box.y - box.size - box.id_size * 1.2
                return b"0 g BT /FI %.3f Tf 1 0 0 1 %.2f %.2f Tm [%b] TJ ET\n" % (
                    size, x, y, body
                )
        line = self.shaper.shape_plain(text)
        run = line.runs[0] if len(line.runs) == 1 else None
        if run is not None and len(run.segments) == 1 and not run.segments[0][1]:
            size = min(box.id_size, box.size / max(line.advance, 0.01))
            x = box.x + (box.size - line.advance * size) / 2
            y = self.page_height - box.y - box.size - box.id_size * 1.2
            key = (run.face, run.gids)
            if key not in self._seen:
                self._seen.add(key)
                glyphs = self.usage.setdefault(run.face, {})
                for gid, char in zip(run.gids, run.texts, strict=True):
                    if not glyphs.get(gid):
                        glyphs[gid] = char
            return b"0 g BT /F%d %.3f Tf 1 0 0 1 %.2f %.2f Tm [%b] TJ ET\n" % (
                run.face, size, x, y, run.segments[0][0]
            )
        size = min(box.id_size, box.size / max(line.width, 0.01))
        x = box.x + (box.size - line.width * size) / 2 - line.left * size
        y = self.page_height - box.y - box.size - box.id_size * 1.2
        return b"0 g\n" + self._text(PlacedLine(line, x, y), size)  # several fonts


def _raised_rtl_visual(line: Line) -> str | None:
    """The line's text in visual order when it is right-to-left only and has raised marks."""
    if not any(y for run in line.runs for y in run.ys):
        return None
    if any(unicodedata.bidirectional(ch) in ("L", "EN", "AN", "LRE", "LRO") for ch in line.text):
        return None
    return line.text[::-1]
