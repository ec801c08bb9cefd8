"""Hyphenation dictionaries parsed once per machine, not once per process.

WeasyPrint hyphenates (``hyphens: auto``) with pyphen, which parses a language's
``hyph_*.dic`` the first time a process needs it: 12 ms for French, 49 ms for
English, 600 ms for German. :func:`install` makes pyphen's dictionary cache
(``pyphen.hdcache``) read and write parsed patterns in
``$XDG_CACHE_HOME/printkit/pyphen``: one file per dictionary, named by a hash of
its path, size and modification time and of the Python and pyphen versions,
written atomically with a checksum. A missing, damaged or unreadable entry is a
miss: pyphen parses the file as usual, and the entry is written again.
``PRINTKIT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from .. import usercache

#: WeasyPrint's hyphenation library (untyped, hence import_module).
pyphen: Any = importlib.import_module("pyphen")

#: Bumped when the entry's layout changes.
FORMAT = 1
#: What a HyphDict of this pyphen holds (anything else is not cached).
_ATTRIBUTES = frozenset({"patterns", "cache", "maxlen"})

#: What this process's dictionaries did, by file name: "hit", "miss" (parsed, entry written).
STATS: dict[str, str] = {}


def _disabled() -> bool:
    """Whether ``PRINTKIT_NO_CACHE`` turns the cache off."""
    return usercache.disabled()


def entry_path(dictionary: Path) -> Path | None:
    """Where the parse of ``dictionary`` is kept, or None if the file cannot be read (or
    the cache is off)."""
    inputs = (FORMAT, sys.version_info[:2], getattr(pyphen, "__version__", None))
    return usercache.entry(
        "pyphen", inputs, [dictionary], prefix=f"{Path(dictionary).stem}-", suffix=".pyphen"
    )


def load(dictionary: Path) -> Any | None:
    """The parsed dictionary from the cache, or None (no entry, damaged, or turned off)."""
    path = None if _disabled() else entry_path(dictionary)
    if path is None:
        return None
    entry = usercache.load_pickle(path)
    if not isinstance(entry, tuple) or len(entry) != 2:
        return None
    patterns, maxlen = entry
    if not isinstance(patterns, dict) or not isinstance(maxlen, int):
        return None
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed


def store(dictionary: Path, parsed: Any) -> None:
    """Keep ``parsed`` (a fresh ``pyphen.HyphDict``) for ``dictionary``; a cache that cannot
    be written is no error."""
    path = None if _disabled() else entry_path(dictionary)
    if path is None or set(vars(parsed)) != _ATTRIBUTES:
        return
    usercache.store_pickle(path, (parsed.patterns, parsed.maxlen))


class _Dictionaries(dict[Any, Any]):
    """``pyphen.hdcache`` backed by the cache folder.

    ``Pyphen.__init__`` asks ``path in hdcache``, parses the file when it is not, and
    stores the result with ``hdcache[path] = …``: the first reads an entry, the
    second writes one.
    """

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        parsed = load(Path(str(key)))
        if parsed is None:
            return False
        dict.__setitem__(self, key, parsed)
        STATS[Path(str(key)).name] = "hit"
        return True

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, key, value)
        if isinstance(value, pyphen.HyphDict):
            store(Path(str(key)), value)
            STATS[Path(str(key)).name] = "miss"


def install() -> None:
    """Back pyphen's dictionary cache with the cache folder (once; later calls do nothing)."""
    current = getattr(pyphen, "hdcache", None)
    if isinstance(current, dict) and not isinstance(current, _Dictionaries):
        pyphen.hdcache = _Dictionaries(current)
