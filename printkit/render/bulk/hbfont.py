"""One font face loaded into HarfBuzz: what shaping and embedding both need."""

from __future__ import annotations

import uharfbuzz as hb

from ...model import FontFace


class HbFont:
    """A face, its HarfBuzz font, units per em, vertical extents and cached advances."""

    def __init__(self, face: FontFace) -> None:
        self.source = face
        self.face = hb.Face(hb.Blob.from_file_path(str(face.path)), face.index)
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        extents = self.font.get_font_extents("ltr")
        #: Ascender and descender as fractions of the em.
        self.ascender = extents.ascender / self.upem
        self.descender = extents.descender / self.upem
        self._widths: dict[int, int] = {}

    def width(self, gid: int) -> int:
        """Advance of a glyph in 1/1000 em, rounded: the ``/W`` value of the embedded font."""
        w = self._widths.get(gid)
        if w is None:
            w = self._widths[gid] = round(self.font.get_glyph_h_advance(gid) * 1000 / self.upem)
        return w
