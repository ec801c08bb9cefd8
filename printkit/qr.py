"""QR codes for links on paper: vector SVG with its quiet zone kept.

Codes are drawn as one SVG path of whole modules (no anti-aliasing seams),
with the four-module quiet zone ISO/IEC 18004 asks for inside the drawing, so
a layout can never crop it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4
#: The smallest module we print; below it phone cameras struggle (mm).
MIN_MODULE_MM = 0.4


@dataclass(frozen=True, slots=True)
class QrCode:
    """An encoded QR code: its dark modules and its size in modules (quiet zone excluded)."""

    data: str
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side, without the quiet zone."""
        return len(self.modules)

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE

    def svg(self, *, side: str = "100%", title: str | None = None) -> str:
        """The code as an inline SVG element; ``side`` is its CSS width and height."""
        total = self.size_with_quiet_zone
        path = "".join(
            f"M{x + QUIET_ZONE},{y + QUIET_ZONE}h{run}v1h-{run}z"
            for y, row in enumerate(self.modules)
            for x, run in _runs(row)
        )
        label = f"<title>{_xml_escape(title)}</title>" if title else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {total} {total}" '
            f'width="{side}" height="{side}" shape-rendering="crispEdges" role="img">{label}'
            f'<rect width="{total}" height="{total}" fill="#fff"/>'
            f'<path d="{path}" fill="#000"/></svg>'
        )


def _runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row.

    >>> _runs((True, True, False, True))
    [(0, 2), (3, 1)]
    """
    runs: list[tuple[int, int]] = []
    start = -1
    for x, dark in enumerate((*row, False)):
        if dark and start < 0:
            start = x
        elif not dark and start >= 0:
            runs.append((start, x - start))
            start = -1
    return runs


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=4096)
def encode(data: str) -> QrCode:
    """Encode ``data`` (error correction M: survives smudges and folds)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    return QrCode(data, tuple(tuple(bool(m) for m in row) for row in matrix))


def side_for_distance(distance_mm: float, code: QrCode, *, minimum_mm: float = 20.0) -> float:
    """The printed side (mm, quiet zone included) for scanning from ``distance_mm``.

    Rule of thumb used by print shops: side ≥ distance / 10, and never a module
    smaller than :data:`MIN_MODULE_MM`.

    >>> round(side_for_distance(2000, encode("https://example.org")), 1)
    200.0
    """
    by_distance = distance_mm / 10
    by_module = MIN_MODULE_MM * code.size_with_quiet_zone
    return max(by_distance, by_module, minimum_mm)


def module_mm(side_mm: float, code: QrCode) -> float:
    """The size of one module when the code is printed ``side_mm`` wide."""
    return side_mm / code.size_with_quiet_zone


def short_url(url: str, limit: int = 60) -> str:
    """A printable form of ``url``: no scheme, no ``www.``, no trailing slash.

    >>> short_url("https://www.example.org/learn/")
    'example.org/learn'
    """
    text = url.split("://", 1)[-1]
    text = text.removeprefix("www.").rstrip("/")
    if len(text) > limit:
        keep = math.floor((limit - 1) / 2)
        text = text[:keep] + "…" + text[-(limit - 1 - keep) :]
    return text
