"""Subset large CID-keyed CFF fonts (Noto CJK) without padding them to their last glyph.

WeasyPrint subsets every font with its glyph ids retained, then again to drop the
glyphs after the last one used: content streams show glyphs by their original ids.
For a CJK font of 65,000 glyphs that keeps up to 63,000 empty ones: a 2-page
Japanese handout embeds two 780 KB subsets (about 150 KB each, deflated) and spends
45-55 ms a font making them.

A CID-keyed CFF font needs none of that: a ``CIDFontType0`` finds each glyph by its
CID through the font's charset, and hb-subset keeps every glyph's CID. When the
font's CIDs are its glyph ids (Noto CJK's are), one pass that keeps only the glyphs
used gives the same pages. Only the bare CFF program (``/FontFile3 /CIDFontType0C``)
is read that way by every renderer; wrapped in OpenType, pdfium takes CIDs for glyph
ids. So :func:`install` makes WeasyPrint subset OpenType CFF fonts of more than
:data:`LARGE` glyphs in one pass, checks that every glyph kept its original id as
its CID (else WeasyPrint's own two passes run, as before), and :func:`bare_cff`, a
finisher, swaps the OpenType program for its CFF table before the file is written.
"""

from __future__ import annotations

import inspect
import io
from typing import Any

from . import fontbytes

#: Fonts with more glyphs than this take the one-pass path (smaller ones are fast anyway).
LARGE = 10_000

#: Off: every font goes through WeasyPrint's own subsetting (for comparisons).
ENABLED = True

_DROP = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH",
         b"PCLT", b"SVG ")

#: The attribute of a WeasyPrint ``Font`` that holds its subset's bare CFF table.
CFF_ATTR = "printkit_bare_cff"

#: WeasyPrint's own subsetting, once :func:`install` has put ours in front of it.
_state: dict[str, Any] = {"original": None}

#: The parameters of the method wrapped; another WeasyPrint is left alone.
EXPECTED_SIGNATURE = ("self", "to_unicode", "hinting")


def install() -> bool:
    """Put :func:`subset_keeping_cids` in front of WeasyPrint's font subsetting (once;
    later calls do nothing). False if this WeasyPrint subsets another way."""
    if _state["original"] is not None:
        return True
    from weasyprint.pdf import fonts  # noqa: PLC0415 - WeasyPrint is imported by then

    weasy_subset = getattr(fonts.Font, "_harfbuzz_subset", None)
    if weasy_subset is None or tuple(inspect.signature(weasy_subset).parameters) != (
        EXPECTED_SIGNATURE
    ):
        return False

    def _harfbuzz_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if not (ENABLED and subset_keeping_cids(font, to_unicode, hinting)):
            weasy_subset(font, to_unicode, hinting)

    _state["original"] = weasy_subset
    fonts.Font._harfbuzz_subset = _harfbuzz_subset
    return True


def subset_keeping_cids(font: Any, to_unicode: dict[int, str], hinting: bool) -> bool:
    """Subset a large CID-keyed CFF ``font`` (a WeasyPrint ``Font``) to the glyph ids
    in ``to_unicode`` in one pass; ``False`` (font untouched) when it does not apply."""
    tables = getattr(font, "tables", ())
    if "CFF " not in tables or "fvar" in tables or not to_unicode:
        return False
    if font.png or font.svg or font.colr:  # WeasyPrint rewrites those after subsetting
        return False
    count = getattr(font, "glyph_count", None)  # WeasyPrint's, from the same face
    if count is not None and count <= LARGE:
        return False
    import uharfbuzz as hb  # noqa: PLC0415 - only for large CFF fonts

    face = fontbytes.hb_face(font.file_content, font.index)
    if face.glyph_count <= LARGE:
        return False
    subset_input = hb.SubsetInput()
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    if font.missing:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    subset_input.flags = flags
    subset_input.glyph_set.update(to_unicode)
    drop = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for name in _DROP:
        drop.add(int.from_bytes(name, "big"))
    plan = hb.SubsetPlan(face, subset_input)
    mapping = dict(plan.old_to_new_glyph_mapping)
    result = plan.execute()
    if result is None:
        return False
    data = bytes(result.blob.data)
    cff = bytes(hb.Face(result.blob).reference_table("CFF ").data)
    if not data.startswith(b"OTTO") or not cff or not keeps_cids(data, mapping):
        return False
    font.file_content = data
    setattr(font, CFF_ATTR, cff)
    return True


def keeps_cids(data: bytes, mapping: dict[int, int]) -> bool:
    """Whether the OpenType CFF ``data`` is CID-keyed and each glyph kept from the
    original (``mapping``: original id → id in ``data``) has its original id as its
    CID: then content streams that show original ids still find every glyph."""
    from fontTools.ttLib import TTFont, TTLibError  # noqa: PLC0415 - WeasyPrint has it loaded

    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return False
        order = font.getGlyphOrder()
    except (TTLibError, KeyError, ValueError, IndexError, AssertionError, EOFError):
        return False
    return all(
        new < len(order) and order[new] == f"cid{old:05d}" for old, new in mapping.items() if old
    )


def bare_cff(document: Any, pdf: Any) -> int:
    """Finisher: embed each font program subset here as its bare CFF table
    (``/Subtype /CIDFontType0C``); returns how many were swapped."""
    import pydyf  # noqa: PLC0415 - WeasyPrint's writer, loaded by then

    ours = {id(font.file_content): getattr(font, CFF_ATTR)
            for font in document.fonts.values() if getattr(font, CFF_ATTR, None)}
    done = 0
    for obj in pdf.objects if ours else ():
        if not isinstance(obj, pydyf.Stream) or obj.extra.get("Subtype") != "/OpenType":
            continue
        if len(obj.stream) == 1 and id(obj.stream[0]) in ours:
            obj.stream = [ours[id(obj.stream[0])]]
            obj.extra["Subtype"] = "/CIDFontType0C"
            done += 1
    return done
