"""Embed a font once per file: subset to the glyphs used (hb-subset), Type 0 / Identity-H.

Content streams show each glyph by its glyph id in the *original* font (two
bytes, Identity-H), so pages can be written before the subset exists:

* TrueType outlines (``glyf``): a ``CIDFontType2`` whose ``CIDToGIDMap``
  maps original ids to the ids of the subset;
* CFF outlines: a ``CIDFontType0`` whose CIDs are the original glyph ids
  (CID-keyed fonts whose charset is the identity, like Noto CJK, keep their
  CIDs; other CFF fonts are subset with their glyph ids retained).

A ``ToUnicode`` CMap maps every glyph to the text it was shaped from, so the
names stay real, searchable, extractable text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import uharfbuzz as hb

from ... import usercache
from ...errors import FontError
from ...model import FontFace
from .hbfont import HbFont
from .pdfwriter import pdf_number, stream_object

_DROP = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "kern", "morx", "name", "post",
         "OS/2", "cmap", "gasp", "hdmx", "LTSH", "VDMX", "vhea", "vmtx", "PCLT", "meta",
         "VORG", "COLR", "CPAL", "SVG ", "sbix", "CBDT", "CBLC", "EBDT", "EBLC")


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("latin-1"), "big")


class EmbeddableFont(HbFont):
    """One face, loaded once: hb face, metrics, and how to subset it."""

    def __init__(self, face: FontFace) -> None:
        super().__init__(face)
        tags = set(self.face.table_tags)
        self.cff = "CFF " in tags
        if "CFF2" in tags:
            raise FontError(
                f"{face.path}: variable CFF2 fonts cannot be embedded by the bulk engine",
                hint="use a static TrueType or CFF instance of the font",
            )
        self.retain_gids = self.cff and not _cid_identity(str(face.path), face.index)
        ps = self.face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or face.family
        self.ps_name = re.sub(r"[^A-Za-z0-9_-]", "", ps) or "Font"
        self.ascent = self.ascender * 1000
        self.descent = self.descender * 1000
        self.bbox = _bbox(bytes(self.face.reference_table("head").data), self.upem)
        #: Each glyph's ToUnicode line, and ``/W`` value, made once.
        self.cmap_lines: dict[tuple[int, str], bytes] = {}
        self._width_bytes: dict[int, bytes] = {}

    def width_bytes(self, gid: int) -> bytes:
        """:meth:`width` as PDF bytes (cached)."""
        value = self._width_bytes.get(gid)
        if value is None:
            value = self._width_bytes[gid] = b"%d" % self.width(gid)
        return value

    #: Fonts with more glyphs than this are subset in two stages by :meth:`prepare`.
    LARGE = 1000

    def prepare(self, gids: set[int]) -> None:
        """Subset a large font once to ``gids`` (e.g. every glyph of a batch of split
        files), so that the many small subsets that follow are made from it, fast.

        A stage that already holds ``gids`` is kept; otherwise the new stage also holds
        the glyphs of the last one (up to :attr:`STAGE_LIMIT`), so that batch after
        batch of the same scripts soon needs no new stage at all. CID-keyed CFF fonts
        keep their CIDs through both stages; TrueType glyph ids are mapped through both.
        """
        if self.face.glyph_count <= self.LARGE or self.retain_gids:
            return
        stage = self._stage
        if stage is not None:
            if gids <= stage[1].keys():
                return
            if len(stage[1]) + len(gids) <= self.STAGE_LIMIT:
                gids = gids | stage[1].keys()
        program, mapping = self._subset(self.face, gids, whole=True)
        self._stage = (hb.Face(hb.Blob(program)), mapping)

    #: At most this many glyphs in a stage (a stage with more is started afresh).
    STAGE_LIMIT = 4000

    _stage: tuple[object, dict[int, int]] | None = None
    _input: Any = None

    def subset(self, gids: set[int]) -> tuple[bytes, dict[int, int]]:
        """The subset font program and the old → new glyph id map."""
        stage = self._stage
        if stage is not None and gids <= stage[1].keys():
            face, first = stage
            program, second = self._subset(face, {first[g] for g in gids})
            return program, {old: second[first[old]] for old in gids if first[old] in second}
        return self._subset(self.face, gids)

    def _subset(
        self, face: object, gids: set[int], *, whole: bool = False
    ) -> tuple[bytes, dict[int, int]]:
        inp = self._input
        if inp is None:  # one input per font, reused: only its glyph set changes
            inp = self._input = hb.SubsetInput()
            flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NO_LAYOUT_CLOSURE
            if self.retain_gids:
                flags |= hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.CFF_IDENTITY_CHARSET
            inp.flags = flags
            drop = inp.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
            for name in _DROP:
                drop.add(_tag(name))
        glyphs = inp.glyph_set
        glyphs.clear()
        glyphs.update(gids | {0})
        plan = hb.SubsetPlan(face, inp)
        mapping = dict(plan.old_to_new_glyph_mapping)
        result = plan.execute()
        if result is None:
            raise FontError(f"{self.source.path}: hb-subset failed", hint="try another font")
        data = result.blob.data
        if self.cff and not whole:
            data = hb.Face(result.blob).reference_table("CFF ").data
        return bytes(data), mapping


@cache
def _cid_identity(path: str, index: int) -> bool:
    """Whether a CFF font is CID-keyed with CID = glyph id (then subsets keep CIDs).

    Finding out takes fontTools about 0.1 s for a CJK font (its charset has 65,535
    entries), so the answer is kept in the user cache, keyed by the file's path, size
    and modification time: a run that hits it never imports fontTools."""
    entry = _cid_entry(path, index)
    known = None if entry is None else usercache.load_pickle(entry)
    if isinstance(known, bool):
        return known
    answer = _read_cid_identity(path, index)
    if entry is not None:
        usercache.store_pickle(entry, answer)
    return answer


#: Bumped when what :func:`_cid_identity` keeps changes.
_CID_FORMAT = 1


def _cid_entry(path: str, index: int) -> Path | None:
    """Where :func:`_cid_identity` keeps its answer for a font, or None (cache off, or the
    file cannot be read)."""
    return usercache.entry("fonts", (_CID_FORMAT, index), [path], prefix="cid-identity-")


def _read_cid_identity(path: str, index: int) -> bool:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only for CFF fonts (start-up)

    font = TTFont(path, fontNumber=index, lazy=True)
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return False
    order = font.getGlyphOrder()
    return all(name == f"cid{gid:05d}" for gid, name in enumerate(order) if gid)


def _bbox(head: bytes, upem: int) -> bytes:
    """The ``/FontBBox`` values (1/1000 em) from a ``head`` table."""
    if len(head) < 44:
        return b"0 0 0 0"
    values = (int.from_bytes(head[o : o + 2], "big", signed=True) for o in (36, 38, 40, 42))
    return b" ".join(pdf_number(v * 1000 / float(upem)) for v in values)


def _subset_tag(gids: set[int], name: str) -> str:
    digest = hashlib.sha256((name + ",".join(map(str, sorted(gids)))).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


_CMAP_HEAD = b"\n".join((
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
    b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
))
_CMAP_TAIL = b"endcmap CMapName currentdict /CMap defineresource pop end end"


def _tounicode(used: Mapping[int, str], cache: dict[tuple[int, str], bytes] | None = None
               ) -> bytes:
    """The ToUnicode CMap of glyphs ``used``; ``cache`` keeps each glyph's line."""
    entries = sorted((gid, text) for gid, text in used.items() if text)
    lines = [_CMAP_HEAD]
    if cache is None:
        cache = {}
    for i in range(0, len(entries), 100):
        chunk = entries[i : i + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        for entry in chunk:
            line = cache.get(entry)
            if line is None:
                gid, text = entry
                line = cache[entry] = b"<%04X> <%s>" % (
                    gid, text.encode("utf-16-be").hex().upper().encode())
            lines.append(line)
        lines.append(b"endbfchar")
    lines.append(_CMAP_TAIL)
    return b"\n".join(lines)


def _widths(font: EmbeddableFont, gids: list[int]) -> bytes:
    parts: list[bytes] = []
    run: list[bytes] = []
    start = -2
    width = font.width_bytes
    for gid in gids:
        if gid != start + len(run):
            if run:
                parts.append(b"%d [%b]" % (start, b" ".join(run)))
            start, run = gid, []
        run.append(width(gid))
    if run:
        parts.append(b"%d [%b]" % (start, b" ".join(run)))
    return b"[" + b" ".join(parts) + b"]"


def font_objects(
    font: EmbeddableFont, used: Mapping[int, str], base: int
) -> list[tuple[int, bytes]]:
    """The objects of a Type 0 font for glyphs ``used`` (gid → text), numbered from ``base``.

    Object ``base`` is the Type 0 font dictionary that pages refer to.
    """
    gids = set(used) | {0}
    program, mapping = font.subset(gids)
    ordered = sorted(gids)
    name = f"{_subset_tag(gids, font.ps_name)}+{font.ps_name}".encode()
    box = font.bbox
    subtype = b"/CIDFontType0" if font.cff else b"/CIDFontType2"
    file_key = b"/FontFile3" if font.cff else b"/FontFile2"
    objects = [
        (
            base,
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%b /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, base + 1, base + 4),
        ),
        (
            base + 1,
            b"<< /Type /Font /Subtype %b /BaseFont /%b "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor %d 0 R /DW 1000 /W %b%b >>"
            % (
                subtype,
                name,
                base + 2,
                _widths(font, ordered),
                b"" if font.cff else b" /CIDToGIDMap %d 0 R" % (base + 5),
            ),
        ),
        (
            base + 2,
            b"<< /Type /FontDescriptor /FontName /%b /Flags 4 /FontBBox [%b] /ItalicAngle 0 "
            b"/Ascent %b /Descent %b /CapHeight %b /StemV 80 %b %d 0 R >>"
            % (
                name,
                box,
                pdf_number(font.ascent),
                pdf_number(font.descent),
                pdf_number(font.ascent),
                file_key,
                base + 3,
            ),
        ),
        (
            base + 3,
            stream_object(b"/Subtype /CIDFontType0C" if font.cff else b"", program, compress=1),
        ),
        (base + 4, stream_object(b"", _tounicode(used, font.cmap_lines))),
    ]
    if not font.cff:
        top = max(gids)
        table = bytearray(2 * (top + 1))
        for old, new in mapping.items():
            if old <= top:
                table[2 * old : 2 * old + 2] = new.to_bytes(2, "big")
        objects.append((base + 5, stream_object(b"", bytes(table), compress=1)))
    return objects
