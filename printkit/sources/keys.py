"""Misspelt placeholder keys matched to the known key they are closest to.

The known keys are the site profile's (exact keys, and the prefixes of its
wildcards such as ``urls/*``), the catalog's (every leaf path) and the user's
values. A key is taken for a known one when they are nearly the same
(:class:`difflib.SequenceMatcher` ratio, case and ``-``/``_`` ignored); the
caller warns about every such guess. Short keys are never guessed.

    >>> from .profile import load_profile
    >>> known = KnownKeys.collect(load_profile(), None, {})
    >>> known.closest("promotion/stats_url"), known.closest("Promot/press_kit_url")
    ('promote/stats_url', 'promote/press_kit_url')
    >>> known.closest("url/learn"), known.closest("kits/none"), known.closest("nope")
    ('urls/learn', None, None)
    >>> known.closest("promote/stats_ulr", wildcard=True), known.closest("promote/banner_ads", True)
    ('promote/stats_url', None)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .catalog import Catalog
from .profile import SiteProfile

#: Similarity needed to take an unknown key for a known one.
CUTOFF = 0.8
#: Similarity needed to prefer an exact key over a wildcard match (``promote/*``).
WILDCARD_CUTOFF = 0.9
_MIN_LENGTH = 4
_MAX_CATALOG_KEYS = 50_000


def _fold(key: str) -> str:
    return "/".join(p.strip() for p in key.strip().strip("/").split("/")).replace("-", "_").lower()


@dataclass(frozen=True, slots=True)
class KnownKeys:
    """Folded known key → the key as the profile or catalog writes it."""

    exact: Mapping[str, str]
    prefixes: Mapping[str, str]

    @classmethod
    def collect(cls, profile: SiteProfile, catalog: Catalog | None,
                values: Mapping[str, str]) -> KnownKeys:
        exact: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for key in profile.entries:
            if key.endswith("/*"):
                prefixes[_fold(key[:-1]) + "/"] = key[:-1]
            else:
                exact[_fold(key)] = key
        if catalog is not None:
            for count, key in enumerate(_leaves(catalog.strings, "")):
                if count >= _MAX_CATALOG_KEYS:
                    break
                exact.setdefault(_fold(key), key)
        for key in values:
            exact.setdefault(_fold(key), key)
        return cls(exact, prefixes)

    def closest(self, key: str, wildcard: bool = False) -> str | None:
        """The known key ``key`` was probably meant to be, or None.

        :param wildcard: ``key`` already resolves through a wildcard entry; only a
            very close exact key is preferred then.
        """
        folded = _fold(key)
        if len(folded) < _MIN_LENGTH:
            return None
        if folded in self.exact:
            return None if self.exact[folded] == key.strip().strip("/") else self.exact[folded]
        cutoff = WILDCARD_CUTOFF if wildcard else CUTOFF
        found = difflib.get_close_matches(folded, list(self.exact), n=1, cutoff=cutoff)
        if found:
            return self.exact[found[0]]
        if wildcard or "/" not in folded:
            return None
        head = folded.split("/", 1)[0]
        near = difflib.get_close_matches(head + "/", list(self.prefixes), n=1, cutoff=0.75)
        if not near:
            return None
        original_rest = key.strip().strip("/").split("/", 1)[1].strip()
        return self.prefixes[near[0]] + original_rest


def _leaves(node: Mapping[str, object], prefix: str) -> Iterator[str]:
    for name, value in node.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _leaves(value, path + "/")
        elif isinstance(value, str | int | float):
            yield path


class LazyKnownKeys:
    """:class:`KnownKeys` collected on the first guess only (most guides need none)."""

    def __init__(self, profile: SiteProfile, catalog: Catalog | None,
                 values: Mapping[str, str]) -> None:
        self._args = (profile, catalog, values)
        self._known: KnownKeys | None = None

    def closest(self, key: str, wildcard: bool = False) -> str | None:
        """See :meth:`KnownKeys.closest`."""
        if self._known is None:
            self._known = KnownKeys.collect(*self._args)
        return self._known.closest(key, wildcard)
