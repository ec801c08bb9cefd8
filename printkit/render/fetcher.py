"""The only way a rendered document may read anything: a guarded URL fetcher.

Served: ``data:`` URLs, and ``file:`` URLs whose real path (symlinks and
``..`` resolved) lies under one of the allowed folders (the layout, asset and
font folders). With ``allow_network``, ``http(s):`` too, without redirects.
Everything else is refused, recorded in :attr:`SafeFetcher.refused`, and the
renderer reports it; WeasyPrint carries on without the resource.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher limited to allowed folders (and, if asked, the network)."""

    def __init__(self, allowed_dirs: Sequence[Path], *, allow_network: bool = False) -> None:
        super().__init__(timeout=10, allow_redirects=False)
        self.allowed = tuple(Path(os.path.realpath(d)) for d in allowed_dirs)
        self.allow_network = allow_network
        self.refused: list[str] = []

    def is_allowed(self, url: str) -> bool:
        """Whether ``url`` may be read."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme in {"http", "https"}:
            return self.allow_network
        if scheme != "file" or parts.netloc not in {"", "localhost"}:
            return False
        real = Path(os.path.realpath(unquote(parts.path)))
        return any(real.is_relative_to(folder) for folder in self.allowed)

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if allowed, else record and refuse it."""
        if not self.is_allowed(url):
            self.refused.append(url)
            raise ValueError(f"printkit refused to fetch {url!r} (outside the allowed folders)")
        return super().fetch(url, headers)
