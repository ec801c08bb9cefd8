"""String catalogs: one YAML file of translated strings per locale.

A catalog is nested YAML, usually under a single top-level language key
(``en:``, ``'fr':``) which is removed. Keys are looked up with ``/`` paths::

    >>> cat = Catalog.from_mapping({"fr": {"promote": {"title": "Promouvoir"}, "n": 3}})
    >>> cat.language, cat.get("promote/title"), cat.get("n"), cat.get("promote")
    ('fr', 'Promouvoir', '3', None)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import CatalogError, Location

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LANGUAGE_KEY = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Catalog:
    """Translated strings, addressed by ``/``-separated key paths.

    :param strings: the nested mapping (top-level language key already removed).
    :param language: that language key (``fr``), when the file had one.
    :param source: the file it was read from.
    """

    strings: Mapping[str, object] = field(default_factory=dict)
    language: str | None = None
    source: Path | None = None

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, object], source: Path | None = None
    ) -> Catalog:
        """Build a catalog, unwrapping a single top-level language key."""
        language: str | None = None
        if len(data) == 1:
            (key, value), = data.items()
            if isinstance(value, Mapping) and _LANGUAGE_KEY.match(str(key)):
                language, data = str(key), value
        return cls({str(k): v for k, v in data.items()}, language, source)

    def get(self, key: str) -> str | None:
        """The string at ``key`` (``a/b/c``), or None when absent or not a scalar."""
        node: object = self.strings
        for part in key.strip("/").split("/"):
            if not isinstance(node, Mapping):
                return None
            if part in node:
                node = node[part]
            elif part.replace("-", "_") in node:
                node = node[part.replace("-", "_")]
            else:
                return None
        if isinstance(node, str):
            return node
        if isinstance(node, bool | int | float):
            return str(node)
        return None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None


def load_catalog(path: Path) -> Catalog:
    """Read a YAML strings file.

    :raises CatalogError: unreadable file, bad encoding or bad YAML (with its line).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(
            f"cannot read strings file: {exc.strerror or exc}",
            Location.of(path),
            "check the path given with --strings",
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CatalogError(
            "strings file is not valid UTF-8",
            Location.of(path, line),
            "save the file as UTF-8",
        ) from exc
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        bad_line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogError(
            f"bad YAML in strings file: {problem}",
            Location.of(path, bad_line),
            "fix the YAML syntax (quote values that contain ':' or start with '%' or '{')",
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CatalogError(
            "a strings file must be a mapping of keys to strings",
            Location.of(path, 1),
            "write `key: text` lines, optionally under a language key such as `fr:`",
        )
    return Catalog.from_mapping(data, path)
