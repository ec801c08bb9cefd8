"""The table-driven QR encoder: bit for bit what the qrcode library makes with the same
version, segments and mask, and every code decodes (zxing-cpp) at 150 dpi."""

from __future__ import annotations

import pickle
import random
import string
from pathlib import Path

import pytest
import qrcode
import qrcode.util
import zxingcpp
from PIL import Image

from printkit import usercache
from printkit.render.bulk import qrencode
from printkit.render.bulk.ids import certificate_id
from printkit.render.bulk.qrmask import QUIET_ZONE, qr_mask


def _modules(size: int, rows: bytes) -> list[list[int]]:
    """1 = dark, from rows packed 1 bit a module with dark = 0."""
    stride = (size + 7) // 8
    return [
        [((rows[y * stride + x // 8] >> (7 - x % 8)) & 1) ^ 1 for x in range(size)]
        for y in range(size)
    ]


def _reference(head: str, tail: str, version: int) -> list[list[int]]:
    code = qrcode.QRCode(
        version=version,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        mask_pattern=qrencode.MASK,
        border=0,
    )
    if head or not tail:
        code.add_data(qrcode.util.QRData(head.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
    if tail:
        code.add_data(qrcode.util.QRData(tail.encode(), mode=qrcode.util.MODE_ALPHA_NUM))
    code.make(fit=False)
    return [[int(bool(m)) for m in row] for row in code.modules]


def test_matrices_match_the_qrcode_library_for_every_version() -> None:
    rng = random.Random(7)
    lower = string.ascii_lowercase + "/:.?=&_~"
    versions: set[int] = set()
    for n in range(0, 680, 11):
        for m in (0, 1, 9, 17):
            text = "".join(rng.choice(lower) for _ in range(n))
            text += "".join(rng.choice(qrencode.ALPHANUMERIC) for _ in range(m))
            encoded = qrencode.encode(text)
            if encoded is None:
                continue
            head, tail = qrencode.split_segments(text)
            version = qrencode.version_for(len(head), len(tail))
            assert version is not None
            versions.add(version)
            assert _modules(*encoded) == _reference(head, tail, version), (n, m, version)
    assert versions == set(range(1, qrencode.MAX_VERSION + 1))


def test_reed_solomon_tables_agree_with_the_reference_remainder() -> None:
    # One block (version 3): the parity part of the symbol is rs_remainder(data).
    words = [0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0] + [0xEC, 0x11] * 18 + [0xEC]
    parity = qrencode.rs_remainder(words, 26)
    assert len(parity) == 26 and any(parity)
    assert qrencode.rs_remainder(words + parity, 26) == [0] * 26  # a codeword: no remainder


def _at_150_dpi(size: int, rows: bytes, box_pt: float = 100.0) -> Image.Image:
    """The code as a page at 150 dpi would show it: quiet zone, nearest-neighbour."""
    modules = size + 2 * QUIET_ZONE
    side = round(box_pt / 72 * 150)
    stride = (size + 7) // 8 * 8
    mask = Image.frombytes("1", (stride, size), rows).crop((0, 0, size, size)).convert("L")
    framed = Image.new("L", (modules, modules), 255)
    framed.paste(mask, (QUIET_ZONE, QUIET_ZONE))
    return framed.resize((side, side), Image.Resampling.NEAREST)


def test_every_certificate_url_decodes_at_150_dpi() -> None:
    rng = random.Random(11)
    urls = [
        "https://example.org/verify/" + certificate_id("Event", row, f"name {rng.random()}")
        for row in range(300)
    ]
    urls += ["https://x.org/v?id=" + "a" * n for n in (1, 40, 120, 300)]  # other versions
    for url in urls:
        mask = qr_mask(url)
        results = zxingcpp.read_barcodes(_at_150_dpi(mask.size, mask.rows))
        assert [r.text for r in results] == [url]
        assert results[0].ec_level == "M"


def test_other_text_goes_to_zxing() -> None:
    assert qrencode.encode("https://example.org/vérifier/ABC") is None
    assert qrencode.encode("x" * 2000) is None
    mask = qr_mask("https://example.org/vérifier/ABC")
    decoded = zxingcpp.read_barcodes(_at_150_dpi(mask.size, mask.rows))
    assert [r.text for r in decoded] == ["https://example.org/vérifier/ABC"]


@pytest.mark.parametrize("url", ["https://example.org/verify/ABCDEFGHIJKLMNOP"])
def test_a_verify_url_fits_version_3(url: str) -> None:
    # Byte-mode head, alphanumeric id: 29 modules (bytes alone would need version 4).
    assert qr_mask(url).size == 29
    assert qrencode.version_for(len(url)) == 4



def test_tables_come_back_from_the_user_cache_as_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start reads the tables the first one built; a damaged entry is built again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = "https://example.org/verify/ABCDEFGH23456789-and-some-more-text"
    version = qrencode.version_for(*map(len, qrencode.split_segments(url)))
    assert version is not None and version > 3
    built = qrencode._build(version, qrencode.MASK)
    qrencode.tables.cache_clear()
    try:
        monkeypatch.setenv("PRINTKIT_NO_CACHE", "1")
        uncached = qrencode.encode(url)
        assert not (tmp_path / "printkit").exists()
        monkeypatch.delenv("PRINTKIT_NO_CACHE")
        qrencode.tables.cache_clear()
        assert qrencode.encode(url) == uncached  # a miss: built and kept
        [entry] = (tmp_path / "printkit" / "qr").iterdir()
        qrencode.tables.cache_clear()
        hit = qrencode.tables(version)
        assert (hit.size, hit.capacity, hit.nbytes, hit.base, hit.bits) == built
        assert qrencode.encode(url) == uncached
        # A flipped byte, a cut entry, or a sealed entry of the wrong shape is a miss.
        for damage in (
            lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:],
            lambda b: b[:-7],
            lambda b: usercache.seal(pickle.dumps((1, 2, 3, 4, [[0] * 8]))),
        ):
            entry.write_bytes(damage(entry.read_bytes()))
            qrencode.tables.cache_clear()
            again = qrencode.tables(version)
            assert (again.base, again.bits) == (built[3], built[4])
            assert usercache.load_pickle(entry) == built  # written again
    finally:
        qrencode.tables.cache_clear()
