"""WeasyPrint's C declarations parsed once per machine, not at every start.

WeasyPrint declares the Pango, HarfBuzz and fontconfig API it uses with one
``ffi.cdef()`` of 16 KB of C, which cffi hands to pycparser at every import
(25–40 ms). Each new type string WeasyPrint later gives ``ffi.new()``
(``'PangoRectangle *'``, ``'hb_codepoint_t[1968]'``…) is parsed the same way,
behind a prelude of every typedef seen so far: 3–20 ms each, about 70 ms in a
``printkit handout`` run and 10–15 ms per document after that, since each
subset font has an array of its own length.

:func:`cached_cdef` (used by :mod:`.native` while ``weasyprint.text.ffi``
loads) wraps ``cffi.FFI.cdef`` for that import only:

- the parsed declarations (cffi's model objects) and the types of
  :data:`KNOWN_TYPES` are kept in ``$XDG_CACHE_HOME/printkit/cffi``, in a file
  named by a hash of the C source, the cdef options and the versions of
  Python, cffi, pycparser and WeasyPrint; written atomically with a checksum.
  A missing, damaged or unreadable entry is a miss: the source is parsed as
  usual (and the entry written again);
- the FFI's parser then answers ``T[N]`` as an array of the (cached) type
  ``T`` and the known types from the entry, exactly the objects pycparser's
  parse would give; any other string is parsed as usual.

``PRINTKIT_NO_CACHE=1`` turns the file off (the in-memory shortcuts stay).
"""

from __future__ import annotations

import hashlib
import importlib
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from .. import usercache

#: Bumped when the entry's layout changes.
FORMAT = 1

#: Type strings WeasyPrint (and :mod:`.clusters`) give ``ffi.new``/``cast``/``sizeof``.
KNOWN_TYPES = (
    "PangoRectangle *",
    "PangoFcFontMap *",
    "PangoLogAttr[]",
    "PangoGlyphInfo",
    "unsigned int *",
    "hb_codepoint_t",
    "hb_tag_t[100]",
    "char[]",
    "char[4]",
    "FcResult *",
    "FcChar8 **",
)

_ARRAY = re.compile(r"\s*([A-Za-z_][A-Za-z_0-9 ]*?)\s*\[\s*([0-9]*)\s*\]\s*")

#: What the last cdef of this process did: "hit", "miss" (parsed, entry written), "parsed"
#: (parsed, not cached: turned off, options or an FFI that already had declarations).
STATS: dict[str, str] = {}


def _disabled() -> bool:
    """Whether ``PRINTKIT_NO_CACHE`` turns the cache off."""
    return usercache.disabled()


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/printkit/cffi`` (``~/.cache/printkit/cffi``)."""
    return usercache.folder("cffi")


def entry_path(csource: str) -> Path:
    """Where the parse of ``csource`` is kept (the name hashes it with the versions)."""
    # Loaded by now (this runs inside cdef); untyped, hence import_module.
    cffi, pycparser = (importlib.import_module(name) for name in ("cffi", "pycparser"))
    weasyprint = sys.modules.get("weasyprint")
    versions = (
        FORMAT,
        sys.version_info[:2],
        cffi.__version__,
        pycparser.__version__,
        getattr(weasyprint, "__version__", None),
    )
    digest = hashlib.sha256(repr(versions).encode() + b"\0" + csource.encode()).hexdigest()
    return cache_dir() / f"{digest[:40]}.cdef"


def _load(path: Path) -> dict[str, Any] | None:
    entry = usercache.load_pickle(path)
    keys = {"declarations", "int_constants", "types"}
    if not isinstance(entry, dict) or set(entry) != keys:
        return None
    if not all(isinstance(entry[k], dict) for k in keys):
        return None
    return entry


def _store(path: Path, entry: dict[str, Any]) -> None:
    """Write ``entry`` atomically; a cache that cannot be written is no error."""
    usercache.store_pickle(path, entry)


class _TypeParser:
    """Stands in for an FFI parser's ``parse_type``: known types and ``T[N]`` without
    pycparser, anything else through the parser's own method."""

    def __init__(self, parse: Callable[[str], Any], known: dict[str, Any]) -> None:
        self.parse = parse
        self.known = dict(known)

    def __call__(self, cdecl: str) -> Any:
        found = self.known.get(cdecl)
        if found is not None:
            return found
        match = _ARRAY.fullmatch(cdecl)
        if match is not None:
            model = importlib.import_module("cffi.model")
            item = self(match.group(1))
            length = int(match.group(2)) if match.group(2) else None
            found = model.ArrayType(item, length)
        else:
            found = self.parse(cdecl)
        self.known[cdecl] = found
        return found


def _known_types(parser: Any) -> dict[str, Any]:
    types = {}
    for cdecl in KNOWN_TYPES:
        with suppress(Exception):  # a type this WeasyPrint does not declare
            types[cdecl] = parser.parse_type(cdecl)
    return types


def _cdef(original: Callable[..., None]) -> Callable[..., None]:
    def cdef(
        self: Any, csource: str, override: bool = False, packed: bool = False, pack: Any = None
    ) -> None:
        parser = self._parser
        if (
            override or packed or pack or not isinstance(csource, str)
            or parser._declarations or self._cdefsources
        ):
            STATS["outcome"] = "parsed"
            original(self, csource, override=override, packed=packed, pack=pack)
            return
        path = None if _disabled() else entry_path(csource)
        entry = _load(path) if path is not None else None
        if entry is not None:
            with self._lock:
                # What FFI._cdef does after its parse (nothing to complete: see below).
                self._cdef_version = object()
                parser._declarations.update(entry["declarations"])
                parser._int_constants.update(entry["int_constants"])
                self._cdefsources.append(csource)
            STATS["outcome"] = "hit"
            types = entry["types"]
        else:
            original(self, csource)
            types = _known_types(parser)
            cacheable = not (
                parser._recomplete or parser._included_declarations or parser._anonymous_counter
                or parser._uses_new_feature
            )
            if path is not None and cacheable:
                entry = {
                    "declarations": dict(parser._declarations),
                    "int_constants": dict(parser._int_constants),
                    "types": types,
                }
                _store(path, entry)
                STATS["outcome"] = "miss"
            else:
                STATS["outcome"] = "parsed"
        parser.parse_type = _TypeParser(parser.parse_type, types)

    return cdef


@contextmanager
def cached_cdef() -> Iterator[None]:
    """``cffi.FFI.cdef`` uses the cache inside the block (see the module docstring)."""
    try:
        cffi = importlib.import_module("cffi")  # WeasyPrint's, imported by it next anyway
    except ImportError:  # pragma: no cover - WeasyPrint cannot import either
        yield
        return
    original = cffi.FFI.cdef
    cffi.FFI.cdef = _cdef(original)
    try:
        yield
    finally:
        cffi.FFI.cdef = original
