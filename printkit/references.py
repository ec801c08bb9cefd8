"""Links on paper: every external URL gets a number, a QR code and a short URL.

Numbers are given in reading order, on first sight; an identical URL keeps its
first number. The renderer asks for the references first seen since its last
call (:meth:`References.take_new`) to print them where the layout wants them
(at the end of each section, in the handout).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from . import qr
from .bidi import text_direction
from .model import Link
from .render import qrstamp


@dataclass(frozen=True, slots=True)
class Reference:
    """A numbered link with its QR code."""

    number: int
    url: str
    label: str
    code: qr.QrCode

    @property
    def short_url(self) -> str:
        return qr.short_url(self.url)

    @property
    def label_dir(self) -> str:
        """``ltr``/``rtl`` from the label's first strong character (``auto`` when none)."""
        return text_direction(self.label) or "auto"

    @property
    def qr_slot(self) -> Markup:
        """A box the renderer fills with this reference's QR code (vector, quiet zone kept)."""
        return qrstamp.slot(self.url)

    def qr_host(self, side: str) -> Markup:
        """Attributes that put this reference's QR code, ``side`` long, in the top
        inline-start corner of the element that carries them."""
        return qrstamp.host(self.url, side)


@dataclass
class References:
    """The numbering of one document's links."""

    entries: list[Reference] = field(default_factory=list)
    _by_url: dict[str, Reference] = field(default_factory=dict)
    _new: list[Reference] = field(default_factory=list)

    def number(self, link: Link) -> int:
        """The number of ``link``'s URL, given now if it is new."""
        ref = self._by_url.get(link.url)
        if ref is None:
            ref = Reference(len(self.entries) + 1, link.url, link.text, qr.encode(link.url))
            self.entries.append(ref)
            self._by_url[link.url] = ref
            self._new.append(ref)
        return ref.number

    def take_new(self) -> list[Reference]:
        """The references numbered since the last call."""
        new, self._new = self._new, []
        return new
