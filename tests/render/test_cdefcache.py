"""WeasyPrint's C declarations from the cache: the same FFI as pycparser's parse, the same
PDF, and a damaged entry is a miss."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.pdfcheck import fonts

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the hook that installs the cache is Linux's"
)

# Prints everything cffi knows of WeasyPrint's declarations: each declaration's C type and
# qualifiers, the integer constants, the size and field layout of every struct and typedef,
# the types of the strings WeasyPrint gives ffi.new(); then what the cache did.
# "plain" imports WeasyPrint before printkit, so that no hook of printkit is involved.
_FINGERPRINT = r"""
import json, sys
if sys.argv[1] == "plain":
    import weasyprint.text.ffi
import printkit.render.weasy
from printkit.render import cdefcache
from weasyprint.text.ffi import ffi

parser = ffi._parser
declarations = sorted(
    (name, tp._get_c_name() if hasattr(tp, "_get_c_name") else repr(tp), quals)
    for name, (tp, quals) in parser._declarations.items()
)
layouts = []
for name in sorted(parser._declarations):
    kind, _, short = name.partition(" ")
    if kind not in ("struct", "union", "typedef", "anonymous"):
        continue
    cdecl = short if kind == "typedef" else name
    try:
        ctype = ffi.typeof(cdecl)
        size = ffi.sizeof(ctype)
    except Exception as exc:  # opaque or function types
        layouts.append((name, type(exc).__name__))
        continue
    fields = [(f, t.offset, t.type.cname) for f, t in (ctype.fields or [])] if ctype.kind in (
        "struct", "union") else None
    layouts.append((name, ctype.cname, size, ffi.alignof(ctype), fields))
types = []
for cdecl in (*cdefcache.KNOWN_TYPES, "hb_codepoint_t[59]", "hb_codepoint_t[1968]",
              "char[7]", "unsigned int[3]", "PangoGlyphInfo *"):
    ctype = ffi.typeof(cdecl)
    sized = ctype.kind != "array" or ctype.length is not None
    types.append((cdecl, ctype.cname, ctype.kind, ffi.sizeof(ctype) if sized else None))
print(json.dumps([declarations, sorted(parser._int_constants.items()), layouts, types,
                  cdefcache.STATS.get("outcome")]))
"""


def _fingerprint(cache: Path, mode: str = "printkit", **env: str) -> tuple[Any, str | None]:
    done = subprocess.run(
        [sys.executable, "-c", _FINGERPRINT, mode],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), **env},
    )
    *found, outcome = json.loads(done.stdout)
    return found, outcome


def _entry(cache: Path) -> Path:
    (entry,) = (cache / "printkit" / "cffi").glob("*.cdef")
    return entry


def test_the_cached_ffi_is_the_parsed_one(tmp_path: Path) -> None:
    plain, outcome = _fingerprint(tmp_path, "plain")
    assert outcome is None  # WeasyPrint parsed its source itself
    assert len(plain[0]) > 150 and len(plain[2]) > 50  # the fingerprint covers something
    first, outcome = _fingerprint(tmp_path)
    assert outcome == "miss" and _entry(tmp_path).is_file()
    again, outcome = _fingerprint(tmp_path)
    assert outcome == "hit"
    off, outcome = _fingerprint(tmp_path, PRINTKIT_NO_CACHE="1")
    assert outcome == "parsed"
    assert first == plain
    assert again == plain
    assert off == plain


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "checksummed-garbage"])
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: str) -> None:
    plain, _ = _fingerprint(tmp_path, "plain")
    _fingerprint(tmp_path)
    entry = _entry(tmp_path)
    data = entry.read_bytes()
    if damage == "flip":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :]
    elif damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "empty":
        data = b""
    else:
        body = b"\x80\x05not a pickle at all"
        data = hashlib.sha256(body).digest() + body
    entry.write_bytes(data)
    found, outcome = _fingerprint(tmp_path)
    assert outcome == "miss"
    assert found == plain
    rewritten = entry.read_bytes()
    assert hashlib.sha256(rewritten[32:]).digest() == rewritten[:32]  # written again, whole
    assert _fingerprint(tmp_path)[1] == "hit"


_HANDOUT = r"""
import sys
if sys.argv[1] == "plain":
    import weasyprint.text.ffi
from printkit.cli import main
main(sys.argv[2:])
"""


def test_a_handout_is_byte_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    guide = ROOT / "examples" / "guides" / "fr.md"
    strings = ROOT / "examples" / "strings" / "fr.yml"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1"}

    def render(name: str, mode: str) -> bytes:
        out = tmp_path / f"{name}.pdf"
        subprocess.run(
            [sys.executable, "-c", _HANDOUT, mode, "-q", "handout", str(guide), "--strings",
             str(strings), "--locale", "fr-FR", "-o", str(out)],
            check=True, cwd=ROOT, env=env, capture_output=True,
        )
        return out.read_bytes()

    plain = render("plain", "plain")
    miss = render("miss", "printkit")
    assert _entry(tmp_path / "cache").is_file()
    hit = render("hit", "printkit")
    # Fonts subset and embedded: the ffi.new() arrays of the subsetter were used.
    (tmp_path / "check.pdf").write_bytes(plain)
    embedded = fonts(tmp_path / "check.pdf")
    assert embedded and all(embedded.values())
    assert miss == plain
    assert hit == plain
