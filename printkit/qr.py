"""QR codes for links on paper: encoding, outline, sizes.

A code is drawn (by :mod:`printkit.render.qrstamp`) as the traced outline of its
dark modules, a vector path with no anti-aliasing seams, inside a box that keeps
the four-module quiet zone ISO/IEC 18004 asks for, so a layout can never crop it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .render.bulk import qrencode

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


Point = tuple[int, int]


def outline(modules: tuple[tuple[bool, ...], ...]) -> list[list[Point]]:
    """The boundary of the dark modules as closed loops of corner points.

    Every edge between a dark and a light module belongs to exactly one loop,
    so filling the loops with the even-odd rule gives back the modules, however
    loops that touch at a corner were split.

    >>> outline(((True, True), (False, True)))
    [[(0, 0), (2, 0), (2, 2), (1, 2), (1, 1), (0, 1)]]
    """
    n = len(modules)
    blank = (False,) * (n + 2)
    grid = [blank, *((False, *row, False) for row in modules), blank]
    # Directed boundary edges, dark module on their right (y grows downwards).
    following: dict[Point, list[Point]] = {}
    for y in range(n):
        above, row, below = grid[y], grid[y + 1], grid[y + 2]
        for x in range(n):
            if not row[x + 1]:
                continue
            if not above[x + 1]:
                following.setdefault((x, y), []).append((x + 1, y))
            if not row[x + 2]:
                following.setdefault((x + 1, y), []).append((x + 1, y + 1))
            if not below[x + 1]:
                following.setdefault((x + 1, y + 1), []).append((x, y + 1))
            if not row[x]:
                following.setdefault((x, y + 1), []).append((x, y))
    loops: list[list[Point]] = []
    while following:
        start = next(iter(following))
        points = [start]
        current = start
        while True:
            targets = following[current]
            target = targets.pop()
            if not targets:
                del following[current]
            current = target
            if current == start:
                break
            points.append(current)
        loops.append(_corners(points))
    return loops


@lru_cache(maxsize=4096)
def outline_path(data: str) -> bytes:
    """PDF path operators (``m``, ``l``, ``h``) for the :func:`outline` of the QR code of
    ``data``, in module units, built once per process.

    Integer coordinates keep it short (a few hundred bytes compressed); the
    caller scales it with ``cm`` and fills it with the even-odd rule.

    >>> outline_path("x")[:12]
    b'0 0 m 7 0 l '
    """
    parts: list[str] = []
    for loop in outline(encode(data).modules):
        (x0, y0), rest = loop[0], loop[1:]
        parts.append(f"{x0} {y0} m")
        parts.extend(f"{x} {y} l" for x, y in rest)
        parts.append("h")
    return " ".join(parts).encode("ascii")


def _corners(points: list[Point]) -> list[Point]:
    """Drop the points of a loop that lie on a straight line between their neighbours."""
    kept = []
    count = len(points)
    for i in range(count):
        (ax, ay), (bx, by), (cx, cy) = points[i - 1], points[i], points[(i + 1) % count]
        if (bx - ax) * (cy - by) - (by - ay) * (cx - bx) != 0:
            kept.append(points[i])
    return kept


@lru_cache(maxsize=4096)
def encode(data: str) -> QrCode:
    """Encode ``data`` (error correction M: survives smudges and folds).

    ASCII text (every URL) comes from the lookup tables of :mod:`.render.bulk.qrencode`
    (microseconds, mask 0); anything else from the qrcode library (milliseconds).
    """
    fast = qrencode.encode(data)
    if fast is not None:
        size, rows = fast
        stride = (size + 7) // 8
        return QrCode(data, tuple(
            tuple(not (rows[y * stride + x // 8] >> (7 - x % 8)) & 1 for x in range(size))
            for y in range(size)
        ))
    import qrcode  # noqa: PLC0415 - only for non-ASCII or very long text
    from qrcode.constants import ERROR_CORRECT_M  # noqa: PLC0415

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


def short_url(url: str) -> str:
    """A printable form of ``url``: no scheme, no ``www.``, no trailing slash.

    Never shortened further: a person must be able to type it from the paper.

    >>> short_url("https://www.example.org/learn/")
    'example.org/learn'
    """
    text = url.split("://", 1)[-1]
    return text.removeprefix("www.").rstrip("/")
