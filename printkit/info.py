"""Everything a bug report needs: versions of printkit and its engines, fonts per script."""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
from importlib import metadata

from weasyprint.text import ffi as wffi

from . import __version__


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _system_harfbuzz() -> str:
    path = ctypes.util.find_library("harfbuzz")
    if not path:
        return "not found"
    lib = ctypes.CDLL(path)
    lib.hb_version_string.restype = ctypes.c_char_p
    return str(lib.hb_version_string().decode())


def _pango() -> tuple[str, bool]:
    raw = int(wffi.pango.pango_version())
    version = f"{raw // 10000}.{raw // 100 % 100}.{raw % 100}"
    subset = wffi.harfbuzz_subset is not None and bool(wffi.harfbuzz.hb_version_atleast(4, 1, 0))
    return version, subset


def versions() -> dict[str, str]:
    """Name → version of printkit, Python and every engine printkit relies on."""
    pango, subset = _pango()
    return {
        "printkit": __version__,
        "Python": platform.python_version(),
        "WeasyPrint": _dist_version("weasyprint"),
        "Pango": pango,
        "HarfBuzz": _system_harfbuzz(),
        "hb-subset in use": "yes" if subset else "no (slow fontTools fallback)",
        "uharfbuzz": _dist_version("uharfbuzz"),
        "ReportLab": _dist_version("reportlab"),
        "Babel": _dist_version("babel"),
        "Jinja2": _dist_version("jinja2"),
        "qrcode": _dist_version("qrcode"),
        "fontTools": _dist_version("fonttools"),
        "platform": platform.platform(),
    }
