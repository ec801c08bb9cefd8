"""Images: found in the allowed asset folders, never outside them, never fetched.

A site path (``/images/fit-600/Marketing/x.jpg``) or an absolute URL is
looked up by file name in the asset folders; a relative path is resolved
inside each folder (``../`` escapes are refused). Nothing is downloaded:
with ``allow_network`` an image not found locally keeps its absolute URL for
the renderer to fetch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Literal, TypeAlias
from urllib.parse import unquote, urlsplit

from .links import absolute_url

ImageProblem: TypeAlias = Literal["", "missing", "outside", "scheme", "network"]


@lru_cache(maxsize=64)
def _index(folder: Path, stamp: int) -> dict[str, Path]:
    """File name (and its casefolded form) → path, for every file under ``folder``."""
    del stamp  # part of the cache key only
    found: dict[str, Path] = {}
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            found.setdefault(name, path)
            found.setdefault(name.casefold(), path)
    return found


@dataclass(frozen=True, slots=True)
class AssetFinder:
    """Looks image sources up in allowed folders (resolved, existing ones only)."""

    folders: tuple[Path, ...]
    site_url: str
    allow_network: bool = False

    @classmethod
    def create(
        cls, folders: Sequence[Path], site_url: str, allow_network: bool = False
    ) -> AssetFinder:
        resolved = []
        for folder in folders:
            try:
                real = Path(folder).resolve()
            except OSError:
                continue
            if real.is_dir() and real not in resolved:
                resolved.append(real)
        return cls(tuple(resolved), site_url, allow_network)

    def find(self, src: str) -> tuple[str, Path | None, ImageProblem]:
        """``(src to keep, local file or None, problem)`` for an image source."""
        src = src.strip()
        url, problem = absolute_url(src, self.site_url)
        if problem == "scheme":
            return src.split(":", 1)[0] + ":…", None, "scheme"
        parts = urlsplit(src)
        is_remote = bool(parts.scheme) or src.startswith("//")
        path_part = unquote(parts.path)
        if not is_remote and not path_part.startswith("/"):
            local, outside = self._relative(path_part)
            if local is not None:
                return src, local, ""
            if outside:
                return src, None, "outside"
        name = PurePosixPath(path_part).name
        local = self._by_name(name) if name else None
        kept = url or src
        if local is not None:
            return kept, local, ""
        if self.allow_network and url is not None:
            return url, None, "network"
        return kept, None, "missing"

    def _relative(self, rel: str) -> tuple[Path | None, bool]:
        outside = False
        for folder in self.folders:
            try:
                candidate = (folder / rel).resolve()
            except OSError:
                continue
            if not candidate.is_relative_to(folder):
                outside = True
                continue
            if candidate.is_file():
                return candidate, False
        return None, outside

    def _by_name(self, name: str) -> Path | None:
        for folder in self.folders:
            try:
                stamp = folder.stat().st_mtime_ns
            except OSError:
                continue
            index = _index(folder, stamp)
            path = index.get(name) or index.get(name.casefold())
            if path is not None:
                real = path.resolve()
                if real.is_relative_to(folder) and real.is_file():
                    return real
        return None
