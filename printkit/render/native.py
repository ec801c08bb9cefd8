"""Import WeasyPrint quickly: no library search per candidate name (Linux), its C
declarations from a cache, the parts of fontTools it rarely uses left for later.

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names for
each (``libpango-1.0-0``, ``pango-1.0``, ``libpango-1.0.so.0``…); for every
name that is not a file the loader knows, cffi asks ``ctypes.util.find_library``,
which runs ``ldconfig -p`` and then ``gcc`` (WeasyPrint issue #1125): about
twenty processes, 0.2 s of CPU, at every start. While WeasyPrint loads, that
search is replaced by a look in the library folders (``LD_LIBRARY_PATH``,
``/etc/ld.so.conf``, the usual ones); the libraries loaded are the same, since
the names that work are real sonames the loader resolves.

:func:`install` puts that in place for whoever imports WeasyPrint first (an
import hook on the ``weasyprint`` package; ``printkit.render`` installs it), so no
import order can bring the slow search back. While WeasyPrint imports, the same
hook reads its parsed C declarations from :mod:`.cdefcache`, leaves the
modules of :data:`LAZY_MODULES` to load on first use, and lets the functions of
:data:`DEFERRED` import their module when first called.
"""

from __future__ import annotations

import glob
import importlib
import importlib.machinery
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import importlib.abc

_STANDARD = ("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib")


def _conf_dirs(path: str, depth: int = 0) -> list[str]:
    """Library folders listed in an ``ld.so.conf`` file (with its ``include`` lines)."""
    found: list[str] = []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return found
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("include ") and depth < 4:
            for conf in sorted(glob.glob(line.split(None, 1)[1].strip())):
                found.extend(_conf_dirs(conf, depth + 1))
        elif line.startswith("/"):
            found.append(line)
    return found


@cache
def library_dirs() -> tuple[str, ...]:
    """Where the dynamic loader looks for libraries, in order."""
    dirs = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(":") if d]
    dirs += _conf_dirs("/etc/ld.so.conf")
    machine = os.uname().machine
    for base in _STANDARD:
        dirs += [f"{base}/{machine}-linux-gnu", base]
    return tuple(d for d in dict.fromkeys(dirs) if os.path.isdir(d))


@cache
def _listing(folder: str) -> tuple[str, ...]:
    """The names in ``folder``, sorted (each folder is read once: globbing it for every
    candidate name read /usr/lib's thousand entries 22 times, 38 ms)."""
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()


def find_library(name: str) -> str | None:
    """The path of ``lib<name>.so*`` in :func:`library_dirs`, or None.

    >>> find_library("surely-no-such-library-here") is None
    True
    """
    prefix = f"lib{name}.so"
    for folder in library_dirs():
        matches = [entry for entry in _listing(folder) if entry.startswith(prefix)]
        if matches:
            return os.path.join(folder, matches[0])
    return None


@contextmanager
def quick_library_search() -> Iterator[None]:
    """ctypes' ``find_library`` replaced by :func:`find_library` inside the block."""
    import ctypes.util  # noqa: PLC0415 - only here

    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


_PACKAGE = "weasyprint"

#: Modules WeasyPrint imports and a printkit document never uses, loaded lazily (on first
#: attribute use): fontTools' subsetter is WeasyPrint's fallback for a missing
#: HarfBuzz-subset (40–100 ms of imports).
LAZY_MODULES = frozenset({"fontTools.subset"})

#: Functions WeasyPrint imports by name (``from module import name``) and calls only for
#: some fonts: while WeasyPrint loads, their module is a stand-in whose function imports
#: the real one when first called. fontTools' instancer, for variable fonts with set axes,
#: costs 50–60 ms of imports (``fontTools.varLib`` with it).
DEFERRED = {"fontTools.varLib.instancer": ("instantiateVariableFont",)}


def _deferred(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{module}.{name}``, imported when first called."
    return call


@contextmanager
def _stand_ins() -> Iterator[None]:
    """Stand-ins for :data:`DEFERRED` in ``sys.modules`` inside the block (none for a module
    already imported); the real modules import normally afterwards."""
    placed: dict[str, ModuleType] = {}
    for module, names in DEFERRED.items():
        if module in sys.modules:
            continue
        stand_in = ModuleType(module, f"Stand-in for {module} while WeasyPrint imports.")
        for name in names:
            setattr(stand_in, name, _deferred(module, name))
        sys.modules[module] = placed[module] = stand_in
    try:
        yield
    finally:
        for module, stand_in in placed.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]


class _WeasyLoader:
    """Runs WeasyPrint's package import with :func:`quick_library_search` in place (Linux),
    its C declarations from :mod:`.cdefcache`, :data:`LAZY_MODULES` made lazy and
    :data:`DEFERRED` functions standing in."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        from .cdefcache import cached_cdef  # noqa: PLC0415 - only when WeasyPrint loads

        search = quick_library_search() if sys.platform.startswith("linux") else nullcontext()
        _FINDER.loading = True
        try:
            with search, cached_cdef(), _stand_ins():
                self.loader.exec_module(module)
        finally:
            _FINDER.loading = False
            with suppress(ValueError):
                sys.meta_path.remove(_FINDER)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename… for tracebacks
        return getattr(self.loader, name)


class _WeasyFinder:
    """Finds ``weasyprint`` (and, while it loads, :data:`LAZY_MODULES`) as the path finder
    does, and wraps their loaders.

    (A meta path finder and a loader by protocol: ``importlib.abc`` costs 30 ms to import.)
    """

    loading = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == _PACKAGE and not self.loading:
            wrap: Any = _WeasyLoader
        elif fullname in LAZY_MODULES and self.loading:
            from importlib.util import LazyLoader  # noqa: PLC0415 - only here

            wrap = LazyLoader
        else:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = cast("importlib.abc.Loader", wrap(spec.loader))
        return spec


_FINDER = _WeasyFinder()


def install() -> None:
    """Make the first import of WeasyPrint, wherever it happens, go through
    :class:`_WeasyLoader` (a no-op once WeasyPrint is imported)."""
    if _PACKAGE in sys.modules:
        return
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def import_weasyprint() -> None:
    """Import WeasyPrint and its native layer through :func:`install`'s hook."""
    install()
    import weasyprint.text.ffi  # noqa: F401, PLC0415 - loads the libraries
