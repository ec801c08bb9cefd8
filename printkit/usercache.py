"""printkit's user cache folder (``$XDG_CACHE_HOME/printkit``) and its entries' seal.

Every cache (designs, WeasyPrint's C declarations, hyphenation dictionaries) keeps
its entries as ``sha256(body) + body``: a damaged or cut entry is a miss, never an
error. ``PRINTKIT_NO_CACHE=1`` turns them all off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any


def disabled() -> bool:
    """Whether ``PRINTKIT_NO_CACHE`` turns the caches off."""
    return os.environ.get("PRINTKIT_NO_CACHE", "") not in ("", "0")


def folder(name: str) -> Path:
    """``$XDG_CACHE_HOME/printkit/<name>`` (``~/.cache/printkit/<name>``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "printkit" / name


def entry(
    name: str, inputs: object, files: Iterable[str | os.PathLike[str]] = (), *,
    prefix: str = "", suffix: str = "",
) -> Path | None:
    """Where an entry of the cache ``name`` is kept: a file named by a hash of ``inputs``
    (a repr-able value: a format number, versions) and of each of ``files``' path, size
    and modification time, so that a changed file is a miss. None when the caches are
    off or one of ``files`` cannot be read.

    >>> entry("x", 1, ["/nowhere/at/all"]) is None
    True
    """
    if disabled():
        return None
    stamps = []
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    digest = hashlib.sha256(repr((inputs, stamps)).encode()).hexdigest()[:40]
    return folder(name) / f"{prefix}{digest}{suffix}"


def seal(body: bytes) -> bytes:
    """``body`` with its checksum in front, as an entry is stored."""
    return hashlib.sha256(body).digest() + body


def unseal(data: bytes) -> bytes | None:
    """The body of a stored entry, or None when it is damaged or cut.

    >>> unseal(seal(b"x")), unseal(seal(b"x")[:-1])
    (b'x', None)
    """
    if len(data) < 32 or hashlib.sha256(data[32:]).digest() != data[:32]:
        return None
    return data[32:]


def load_pickle(path: Path) -> Any | None:
    """The value kept at ``path`` by :func:`store_pickle`, or None (absent, damaged,
    or not unpicklable here). The folder is the user's own, under their home."""
    try:
        body = unseal(path.read_bytes())
    except OSError:
        return None
    if body is None:
        return None
    try:
        return pickle.loads(body)  # our own file, checksum verified
    except Exception:  # any unpickling failure is a miss
        return None


def store_pickle(path: Path, value: object) -> None:
    """Keep ``value`` at ``path``, atomically (a temporary file renamed); a cache that
    cannot be written is no error."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(seal(body))
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with suppress(OSError):
            tmp.unlink()
