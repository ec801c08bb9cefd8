"""WeasyPrint's native libraries are found without ctypes' search, whoever imports it first."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from printkit.locale import LocaleContext
from printkit.render import native
from tests.conftest import ROOT
from tests.pdfcheck import fonts

# Records every call of ctypes' find_library (which runs ldconfig and gcc), then imports
# a module; prints the number of calls, whether the recorder is back in place, and the
# pango/harfbuzz/fontconfig/gobject libraries mapped into the process.
_PROBE = r"""
import ctypes.util, sys
calls = []
original = ctypes.util.find_library
def recorder(name):
    calls.append(name)
    return original(name)
ctypes.util.find_library = recorder
import {module}
import weasyprint.text.ffi
print(len(calls))
print(ctypes.util.find_library is recorder)
names = ("pango", "harfbuzz", "fontconfig", "gobject")
with open("/proc/self/maps") as maps:
    paths = {line.split()[-1] for line in maps if ".so" in line}
print(*sorted(p for p in paths if any(n in p.rsplit("/", 1)[-1] for n in names)), sep="\n")
"""


def _probe(module: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PROBE.replace("{module}", module))],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return done.stdout.splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the hook is for Linux")
@pytest.mark.parametrize(
    "module",
    [
        "printkit.documents.handout",  # markup -> references -> qrstamp -> tagging -> weasyprint
        "printkit.render.tagging",
        "printkit.render.weasy",
    ],
)
def test_no_library_search_whatever_imports_weasyprint_first(module: str) -> None:
    calls, hooked, *libraries = _probe(module)
    assert calls == "0"
    assert hooked == "True"  # the function in place before the import is back
    assert len(libraries) >= 5  # pango, pangoft2, harfbuzz(-subset), fontconfig, gobject


def test_the_same_libraries_as_without_the_hook() -> None:
    plain = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PROBE.replace("{module}", "weasyprint"))],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.splitlines()
    assert int(plain[0]) > 0  # plain WeasyPrint does search (else this test proves nothing)
    assert _probe("printkit.documents.handout")[2:] == plain[2:]


_LAZY_PROBE = r"""
import sys
from pathlib import Path
from printkit.documents.handout import write_handout
from printkit.options import HandoutOptions
root = Path(sys.argv[1])
write_handout(HandoutOptions(guide=root / "examples/guides/en.md", locale="en-US"),
              Path(sys.argv[2]))
print(type(sys.modules["fontTools.subset"]).__name__)
from fontTools import subset
print(subset.Subsetter.__name__, type(sys.modules["fontTools.subset"]).__name__)
"""


def test_fonttools_subset_loads_only_when_used(tmp_path: Path) -> None:
    # A handout never uses fontTools' subsetter (WeasyPrint subsets with HarfBuzz).
    done = subprocess.run(
        [sys.executable, "-c", _LAZY_PROBE, str(ROOT), str(tmp_path / "h.pdf")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    assert done.stdout.splitlines() == ["_LazyModule", "Subsetter module"]
    assert fonts(tmp_path / "h.pdf") and all(fonts(tmp_path / "h.pdf").values())


def _globbed(name: str) -> str | None:
    """What find_library answered when it globbed each folder."""
    for folder in native.library_dirs():
        pattern = os.path.join(glob.escape(folder), f"lib{glob.escape(name)}.so*")
        matches = sorted(glob.glob(pattern))
        if matches:
            return matches[0]
    return None


def test_find_library_answers_as_the_glob_did() -> None:
    names = ["libgobject-2.0-0", "gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz",
             "harfbuzz-subset", "harfbuzz-vector", "fontconfig", "c", "z", "glib-2.0", "nope"]
    found = [native.find_library(name) for name in names]
    assert found == [_globbed(name) for name in names]
    assert sum(path is not None for path in found) >= 6


_DEFERRED_PROBE = r"""
import sys
import printkit.render.weasy
import weasyprint.pdf.fonts as fonts
from fontTools.ttLib import TTFont
print("fontTools.varLib" in sys.modules, "fontTools.varLib.instancer" in sys.modules)
font = TTFont(sys.argv[1])
try:
    fonts.instantiateVariableFont(font, {"wght": 700}, static=True)
except Exception as exc:
    print(type(exc).__name__, exc)
from fontTools.varLib import instancer
print(type(instancer).__name__, hasattr(instancer, "Axis" + "Limits"))
try:
    instancer.instantiateVariableFont(TTFont(sys.argv[1]), {"wght": 700}, static=True)
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def test_the_instancer_is_imported_when_first_called() -> None:
    font = LocaleContext.parse("en-US").font_stack("body")[0].path  # a static face
    done = subprocess.run([sys.executable, "-c", _DEFERRED_PROBE, str(font)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    loaded, deferred_error, real_module, real_error = done.stdout.splitlines()
    assert loaded == "False False"  # WeasyPrint imported, fontTools.varLib not
    assert real_module == "module True"  # the real instancer afterwards
    # The stand-in forwarded the call: a static font gets the real function's own error.
    assert deferred_error == real_error and "fvar" in real_error
