"""QR codes as 1-bit PDF image masks: ASCII text at level M from lookup tables
(:mod:`.qrencode`, ~10 µs a code), anything else with zxing-cpp (~0.13 ms a code).

A mask is a few hundred bytes, drawn nearest-neighbour (``/Interpolate
false``) so modules stay crisp at any resolution. The quiet zone (4 modules)
is painted white around it by the page, so it does not depend on the design.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .pdfwriter import stream_object
from .qrencode import encode

#: Modules of white space required around a QR code.
QUIET_ZONE = 4

# zxing-cpp images are 0 (dark) / 255 (light); an image mask paints 0 bits.
_BITS = bytes.maketrans(b"\x00\xff", b"01")


@dataclass(frozen=True, slots=True)
class QrMask:
    """A QR code matrix: ``size`` modules square, rows packed 1 bit per module."""

    size: int
    rows: bytes

    def xobject(self) -> bytes:
        """The image XObject (a stencil mask) for this code."""
        head, tail = _xobject_parts(self.size, len(self.rows))
        return head + self.rows + tail


@functools.cache
def _xobject_parts(size: int, length: int) -> tuple[bytes, bytes]:
    """What comes before and after the rows in a mask of ``size`` modules (the same for
    every code of that size)."""
    marker = b"\x00" * length
    whole = stream_object(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ImageMask true "
        b"/BitsPerComponent 1 /Interpolate false" % (size, size),
        marker,
    )
    at = whole.index(b"stream\n") + len(b"stream\n")
    return whole[:at], whole[at + length :]


def qr_mask(text: str, ec_level: str = "M") -> QrMask:
    """Encode ``text`` as a QR code.

    >>> qr_mask("https://example.org/verify/ABC").size  # version 3, level M
    29
    """
    if ec_level == "M":
        fast = encode(text)
        if fast is not None:
            return QrMask(*fast)
    import zxingcpp  # noqa: PLC0415 - only for other levels, non-ASCII or long text

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level)
    image = code.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[0]
    flat = bytes(memoryview(image)).translate(_BITS)  # type: ignore[arg-type]
    pad = b"1" * (-size % 8)
    nbytes = (size + 7) // 8
    bits = pad.join(flat[i : i + size] for i in range(0, size * size, size)) + pad
    return QrMask(size, int(bits, 2).to_bytes(nbytes * size, "big"))
