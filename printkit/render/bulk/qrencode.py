"""QR codes (ISO/IEC 18004, byte mode, level M) encoded from lookup tables: ~5 µs a code.

A QR symbol of a given version and mask is an *affine* function of its data
codewords over GF(2): Reed-Solomon parity is linear, module placement is a
permutation and masking is a fixed XOR. So the packed 1-bit matrix is
``BASE ^ T[0][d0] ^ T[1][d1] ^ …``, one table entry per data codeword, each
entry a Python integer holding the whole packed matrix. The tables are built
once per version, on first use (a few milliseconds), and filled lazily.

The mask is fixed (pattern 0, as the standard permits: the decoder reads it from
the format information); the tests decode every code with zxing-cpp and check
the matrices bit for bit against segno's for the same version and mask.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeGuard

from ... import usercache

_Parts = tuple[int, int, int, int, list[list[int]]]

#: The mask pattern every code uses.
MASK = 0

# Level M, per version: (EC codewords per block, [(blocks, data codewords per block), …]).
_BLOCKS_M: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = (
    (10, ((1, 16),)), (16, ((1, 28),)), (26, ((1, 44),)), (18, ((2, 32),)),
    (24, ((2, 43),)), (16, ((4, 27),)), (18, ((4, 31),)), (22, ((2, 38), (2, 39))),
    (22, ((3, 36), (2, 37))), (26, ((4, 43), (1, 44))), (30, ((1, 50), (4, 51))),
    (22, ((6, 36), (2, 37))), (22, ((8, 37), (1, 38))), (24, ((4, 40), (5, 41))),
    (24, ((5, 41), (5, 42))), (28, ((7, 45), (3, 46))), (28, ((10, 46), (1, 47))),
    (26, ((9, 43), (4, 44))), (26, ((3, 44), (11, 45))), (26, ((3, 41), (13, 42))),
)
#: The largest version encoded here (longer texts go to zxing-cpp).
MAX_VERSION = len(_BLOCKS_M)

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _generator(degree: int) -> list[int]:
    """Coefficients of prod(x - α^i), i < degree, highest power first (leading 1 dropped)."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            nxt[j] ^= c
            nxt[j + 1] ^= _mul(c, _EXP[i])
        poly = nxt
    return poly[1:]


def rs_remainder(data: bytes | list[int], degree: int) -> list[int]:
    """Reed-Solomon parity of ``data`` (the reference the tables are checked against)."""
    gen = _generator(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        rem = [*rem[1:], 0]
        if factor:
            for j, g in enumerate(gen):
                rem[j] ^= _mul(g, factor)
    return rem


def data_capacity(version: int) -> int:
    """Data codewords of a level-M symbol of ``version``."""
    return sum(n * k for n, k in _BLOCKS_M[version - 1][1])


def _bits(version: int, nbytes: int, nalnum: int) -> int:
    """Bits of a byte segment of ``nbytes`` then an alphanumeric one of ``nalnum`` chars."""
    total = 0
    if nbytes or not nalnum:
        total += 4 + (8 if version < 10 else 16) + 8 * nbytes
    if nalnum:
        total += 4 + (9 if version < 10 else 11) + 11 * (nalnum // 2) + 6 * (nalnum % 2)
    return total


@cache
def version_for(nbytes: int, nalnum: int = 0) -> int | None:
    """The smallest level-M version that holds a byte segment of ``nbytes`` bytes then an
    alphanumeric one of ``nalnum`` characters (None: too long for the tables)."""
    for version in range(1, MAX_VERSION + 1):
        if _bits(version, nbytes, nalnum) <= 8 * data_capacity(version):
            return version
    return None


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    size = 17 + 4 * version
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return sorted([size - 7 - i * step for i in range(count - 1)] + [6])


def _bch(value: int, poly: int, bits: int) -> int:
    rem = value
    for _ in range(bits):
        rem = (rem << 1) ^ ((rem >> (bits - 1)) * poly)
    return (value << bits) | (rem & ((1 << bits) - 1))


def function_matrix(version: int, mask: int) -> tuple[list[list[bool]], list[list[bool]]]:
    """(dark, is_function) of the function patterns, format and version information."""
    size = 17 + 4 * version
    dark = [[False] * size for _ in range(size)]
    func = [[False] * size for _ in range(size)]

    def put(x: int, y: int, on: bool) -> None:
        dark[y][x] = on
        func[y][x] = True

    for i in range(size):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                x, y = cx + dx, cy + dy
                if 0 <= x < size and 0 <= y < size:
                    put(x, y, max(abs(dx), abs(dy)) not in (2, 4))
    positions = _alignment_positions(version)
    last = len(positions) - 1
    for i, cx in enumerate(positions):
        for j, cy in enumerate(positions):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    put(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1)
    fmt = _bch(mask, 0x537, 10) ^ 0x5412  # level M's two bits are 00

    def bit(value: int, i: int) -> bool:
        return (value >> i) & 1 == 1

    for i in range(6):
        put(8, i, bit(fmt, i))
    put(8, 7, bit(fmt, 6))
    put(8, 8, bit(fmt, 7))
    put(7, 8, bit(fmt, 8))
    for i in range(9, 15):
        put(14 - i, 8, bit(fmt, i))
    for i in range(8):
        put(size - 1 - i, 8, bit(fmt, i))
    for i in range(8, 15):
        put(8, size - 15 + i, bit(fmt, i))
    put(8, size - 8, True)
    if version >= 7:
        info = _bch(version, 0x1F25, 12)
        for i in range(18):
            a, b = size - 11 + i % 3, i // 3
            put(a, b, bit(info, i))
            put(b, a, bit(info, i))
    return dark, func


def _masked(mask: int, x: int, y: int) -> bool:
    return (
        (x + y) % 2 == 0,
        y % 2 == 0,
        x % 3 == 0,
        (x + y) % 3 == 0,
        (x // 3 + y // 2) % 2 == 0,
        x * y % 2 + x * y % 3 == 0,
        (x * y % 2 + x * y % 3) % 2 == 0,
        ((x + y) % 2 + x * y % 3) % 2 == 0,
    )[mask]


def _placement(func: list[list[bool]]) -> list[tuple[int, int]]:
    """(x, y) of each codeword bit in order: two-column zigzag from the bottom right."""
    size = len(func)
    order: list[tuple[int, int]] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = (right + 1) & 2 == 0
        for vert in range(size):
            y = size - 1 - vert if upward else vert
            for x in (right, right - 1):
                if not func[y][x]:
                    order.append((x, y))
        right -= 2
    return order


@dataclass(slots=True)
class _Tables:
    """The affine map of one version: base matrix and per-codeword contributions."""

    size: int
    capacity: int
    nbytes: int  # of the packed matrix
    base: int
    bits: list[list[int]]  # [codeword][bit 7…0] -> the packed bits it toggles
    table: list[list[int | None]]  # [codeword][value] -> packed bits, filled lazily
    prefixes: dict[bytes, int] = field(default_factory=dict)  # see encode()

    def entry(self, index: int, value: int) -> int:
        bits = self.bits[index]
        out = 0
        for j in range(8):
            if value & (0x80 >> j):
                out ^= bits[j]
        self.table[index][value] = out
        return out


@cache
def tables(version: int, mask: int = MASK) -> _Tables:
    """The lookup tables of ``version``: from the user cache, else built and kept there.

    Building takes 15–30 ms a version, which a one-off ``printkit handout`` paid at
    every start. The entry is keyed by this module's source, so an edited encoder
    never reads tables an older one made; a damaged entry is a miss.
    """
    path = None if usercache.disabled() else usercache.folder("qr") / _entry_name(version, mask)
    parts = None if path is None else usercache.load_pickle(path)
    if not _valid(parts, version):
        parts = _build(version, mask)
        if path is not None:
            usercache.store_pickle(path, parts)
    size, capacity, nbytes, base, bits = parts
    return _Tables(size, capacity, nbytes, base, bits, [[None] * 256 for _ in bits])


def _entry_name(version: int, mask: int) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:20]
    return f"v{version}-m{mask}-{digest}.pickle"


def _valid(parts: object, version: int) -> TypeGuard[_Parts]:
    """Whether a cached entry has the shape of ``version``'s tables."""
    if not isinstance(parts, tuple) or len(parts) != 5:
        return False
    size, capacity, nbytes, base, bits = parts
    return (
        size == 17 + 4 * version
        and isinstance(base, int)
        and isinstance(bits, list)
        and capacity == data_capacity(version)
        and len(bits) == capacity
        and all(
            isinstance(row, list) and len(row) == 8 and all(isinstance(v, int) for v in row)
            for row in bits
        )
        and nbytes == size * ((size + 7) // 8 * 8) // 8
    )


def _build(version: int, mask: int) -> _Parts:
    """(size, capacity, packed bytes, base, per-codeword bits) of ``version``."""
    ecc, groups = _BLOCKS_M[version - 1]
    dark, func = function_matrix(version, mask)
    size = len(dark)
    stride = (size + 7) // 8 * 8
    total = size * stride

    def packed(x: int, y: int) -> int:
        return 1 << (total - 1 - (y * stride + x))

    # Block layout: data codeword i -> (block, index in block); interleaved order.
    blocks: list[tuple[int, int]] = []  # (first data codeword, length)
    start = 0
    for count, length in groups:
        for _ in range(count):
            blocks.append((start, length))
            start += length
    capacity = start
    longest = max(length for _, length in blocks)
    stream_data: dict[int, int] = {}  # data codeword -> position in the final stream
    pos = 0
    for k in range(longest):
        for first, length in blocks:
            if k < length:
                stream_data[first + k] = pos
                pos += 1
    stream_ecc: list[list[int]] = [[0] * ecc for _ in blocks]
    for k in range(ecc):
        for b in range(len(blocks)):
            stream_ecc[b][k] = pos
            pos += 1
    order = _placement(func)
    where = [packed(x, y) for x, y in order]

    memo: dict[tuple[int, int], int] = {}

    def codeword_bits(stream_pos: int, value: int) -> int:
        out = memo.get((stream_pos, value))
        if out is None:
            out = 0
            for j in range(8):
                if value & (0x80 >> j):
                    out |= where[stream_pos * 8 + j]
            memo[stream_pos, value] = out
        return out

    # Parity of a unit codeword at each position of a block: x^(ecc + len-1-p) mod g.
    gen = _generator(ecc)
    units: dict[int, list[list[int]]] = {}
    for length in {length for _, length in blocks}:
        rows: list[list[int]] = []
        rem = gen[:]  # x^ecc mod g
        for _ in range(length):
            rows.append(rem)
            factor = rem[0]
            rem = [*rem[1:], 0]
            if factor:
                rem = [r ^ _mul(g, factor) for r, g in zip(rem, gen, strict=True)]
        rows.reverse()  # rows[p]: parity of a 1 at position p
        units[length] = rows
    bits: list[list[int]] = []
    for b, (first, length) in enumerate(blocks):
        for p in range(length):
            per_bit: list[int] = []
            for j in range(8):
                value = 0x80 >> j
                out = codeword_bits(stream_data[first + p], value)
                for k, coefficient in enumerate(units[length][p]):
                    parity = _mul(coefficient, value)
                    if parity:
                        out ^= codeword_bits(stream_ecc[b][k], parity)
                per_bit.append(out)
            bits.append(per_bit)
    # Base: function patterns, then the mask over every data module (all codewords 0);
    # finally inverted, as an image mask paints its 0 bits (pad bits stay 1: light).
    base = 0
    for y in range(size):
        for x in range(size):
            on = dark[y][x] if func[y][x] else _masked(mask, x, y)
            if on:
                base |= packed(x, y)
    base ^= (1 << total) - 1
    return size, capacity, total // 8, base, bits


_PAD = bytes([0xEC, 0x11]) * 1500
#: Characters of the alphanumeric mode, by value.
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM = {c: i for i, c in enumerate(ALPHANUMERIC)}


def split_segments(text: str) -> tuple[str, str]:
    """``text`` as (byte-mode head, alphanumeric tail): the tail is the longest run of
    alphanumeric characters at the end, when it makes the bit stream shorter.

    >>> split_segments("https://example.org/verify/ABCDEF23")
    ('https://example.org/verify', '/ABCDEF23')
    >>> split_segments("https://example.org/v/ab")
    ('https://example.org/v/ab', '')
    """
    i = len(text)
    while i and text[i - 1] in _ALNUM:
        i -= 1
    m = len(text) - i
    if m == len(text) and m:
        return "", text
    alnum = 4 + 9 + 11 * (m // 2) + 6 * (m % 2)
    return (text[:i], text[i:]) if m and alnum < 8 * m else (text, "")


def encode(text: str) -> tuple[int, bytes] | None:
    """ASCII ``text`` as a level-M QR code: (modules per side, rows packed 1 bit a module,
    dark = 0, each row padded to whole bytes), or None when it is not ASCII or is longer
    than version 20 holds.

    >>> size, rows = encode("https://example.org/verify/ABC")
    >>> size, len(rows)
    (29, 116)
    """
    if not text.isascii():
        return None
    head, tail = split_segments(text)
    n, m = len(head), len(tail)
    version = version_for(n, m)
    if version is None:
        return None
    t = tables(version)
    acc = 0
    nbits = 0
    if n or not m:
        count = 8 if version < 10 else 16
        acc = (((0x4 << count) | n) << (8 * n)) | int.from_bytes(head.encode("ascii"), "big")
        nbits = 4 + count + 8 * n
    if m:
        count = 9 if version < 10 else 11
        acc = (acc << (4 + count)) | (0x2 << count) | m
        nbits += 4 + count
        values = [_ALNUM[c] for c in tail]
        for i in range(0, m - 1, 2):
            acc = (acc << 11) | (values[i] * 45 + values[i + 1])
        nbits += 11 * (m // 2)
        if m % 2:
            acc = (acc << 6) | values[-1]
            nbits += 6
    capacity = t.capacity
    terminator = min(4, 8 * capacity - nbits)
    nbits += terminator
    pad = -nbits % 8
    acc <<= terminator + pad
    used = (nbits + pad) // 8
    words = acc.to_bytes(used, "big") + _PAD[: capacity - used]
    # Codes of one run share their first half (a verify URL's host and path): its
    # part of the matrix is kept, keyed by those codewords.
    half = len(words) // 2
    head_words = words[:half]
    prefixes = t.prefixes
    out = prefixes.get(head_words)
    table = t.table
    if out is None:
        out = t.base
        for i, value in enumerate(head_words):
            entry = table[i][value]
            out ^= entry if entry is not None else t.entry(i, value)
        if len(prefixes) >= 64:
            prefixes.clear()
        prefixes[head_words] = out
    for i in range(half, len(words)):
        value = words[i]
        entry = table[i][value]
        out ^= entry if entry is not None else t.entry(i, value)
    return t.size, out.to_bytes(t.nbytes, "big")
