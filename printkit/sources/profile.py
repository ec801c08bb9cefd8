"""Site profiles: what a programme's own placeholders mean (TOML data).

The shipped default (``profiles/hourofcode.toml``) documents the format. A
user profile has the same format; with ``extends = "hourofcode"`` it only
overrides the entries it names.

    >>> p = load_profile()
    >>> p.lookup("urls/learn")[0].href, p.lookup("urls/learn")[1]
    ('/{name}', 'learn')
    >>> p.lookup("promote/videos")[0].href
    '/promote/resources#videos'
    >>> p.erb_key("campaign_date", "start-short")
    'campaign_date/start_short'
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal, TypeAlias, cast

from ..errors import CatalogError, Location

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "hourofcode"

EntryKind: TypeAlias = Literal["button", "link", "file", "date", "text"]
DateField: TypeAlias = Literal["start", "end", "range"]
_KINDS = ("button", "link", "file", "date", "text")
_DATE_FIELDS = ("start", "end", "range")
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    """One placeholder of the site profile (see the shipped TOML for the fields)."""

    key: str
    kind: EntryKind
    href: str = ""
    fallback: str = ""
    languages: tuple[str, ...] | None = None
    label: str = ""
    label_key: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    date: DateField = "start"
    skeleton: str = "yMMMMd"

    def label_for(self, language: str) -> str:
        """The profile's own label for a language (``fr``), else the default one."""
        return self.labels.get(language, self.label)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """A programme's placeholders, ERB helpers, site URL and default dates."""

    name: str = ""
    site_url: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    entries: Mapping[str, ProfileEntry] = field(default_factory=dict)
    erb: Mapping[str, str] = field(default_factory=dict)
    source: Path | None = None

    def lookup(self, key: str) -> tuple[ProfileEntry, str] | None:
        """The entry for ``key`` and the part matched by a wildcard (``""`` if exact).

        Dashes and underscores are the same in keys (``start-short``).
        """
        written = key.strip().strip("/")
        key = _norm(key)  # same length as `written`: only '-' became '_'
        entry = self.entries.get(key)
        if entry is not None:
            return entry, ""
        best: tuple[ProfileEntry, str] | None = None
        for pattern, candidate in self.entries.items():
            if pattern.endswith("/*"):
                prefix = pattern[:-1]
                rest = written[len(prefix):]
                if key.startswith(prefix) and rest and (
                    best is None or len(prefix) > len(best[0].key) - 1
                ):
                    best = candidate, rest
        return best

    def erb_key(self, helper: str, arg: str) -> str | None:
        """The placeholder key an ERB helper call stands for, or None if unknown."""
        template = self.erb.get(helper)
        if template is None:
            return None
        stem = PurePosixPath(arg).stem if arg else ""
        key = template.replace("{arg}", arg).replace("{stem}", stem)
        return key if key.startswith("path:") else _norm(key)

    def merged(self, other: SiteProfile) -> SiteProfile:
        """This profile with ``other``'s settings and entries on top."""
        return replace(
            self,
            name=other.name or self.name,
            site_url=other.site_url or self.site_url,
            start=other.start or self.start,
            end=other.end or self.end,
            entries={**self.entries, **other.entries},
            erb={**self.erb, **other.erb},
            source=other.source,
        )


def _norm(key: str) -> str:
    return key.strip().strip("/").replace("-", "_")


def load_profile(path: Path | None = None) -> SiteProfile:
    """Read a site profile; ``None`` gives the shipped default profile.

    :raises CatalogError: unreadable file, bad TOML or an invalid entry.
    """
    if path is None:
        return _shipped(DEFAULT_PROFILE)
    return _read(path)


@cache
def _shipped(name: str) -> SiteProfile:
    path = PROFILES_DIR / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.toml")))
        raise CatalogError(
            f"no shipped site profile called {name!r}", None, f"use one of: {known}"
        )
    return _read(path)


def _read(path: Path) -> SiteProfile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(
            f"cannot read site profile: {exc.strerror or exc}",
            Location.of(path),
            "check the path of the profile file",
        ) from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(
            "site profile is not valid UTF-8", Location.of(path), "save it as UTF-8"
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        raise CatalogError(
            f"bad TOML in site profile: {exc}",
            Location.of(path, int(match.group(1)) if match else None),
            "fix the TOML syntax; see printkit/sources/profiles/hourofcode.toml",
        ) from exc
    profile = _from_data(data, path)
    base = data.get("extends")
    if base is not None:
        if not isinstance(base, str) or base == path.stem:
            raise CatalogError(
                "`extends` must name another shipped profile",
                Location.of(path, key="extends"),
                f'write extends = "{DEFAULT_PROFILE}"',
            )
        profile = _shipped(base).merged(profile)
    return profile


def _from_data(data: Mapping[str, object], path: Path) -> SiteProfile:
    def bad(key: str, what: str) -> CatalogError:
        return CatalogError(
            what, Location.of(path, key=key), "see printkit/sources/profiles/hourofcode.toml"
        )

    dates = data.get("dates", {})
    if not isinstance(dates, Mapping):
        raise bad("dates", "`dates` must be a table with `start` and `end`")
    start, end = dates.get("start"), dates.get("end")
    for name, value in (("start", start), ("end", end)):
        if value is not None and not isinstance(value, dt.date):
            raise bad(f"dates.{name}", f"`dates.{name}` must be a date such as 2025-12-08")
    entries: dict[str, ProfileEntry] = {}
    raw_entries = data.get("placeholders", {})
    if not isinstance(raw_entries, Mapping):
        raise bad("placeholders", "`placeholders` must be a table of tables")
    for raw_key, spec in raw_entries.items():
        key = f"placeholders.{raw_key}"
        if not isinstance(spec, Mapping):
            raise bad(key, "each placeholder must be a table with a `kind`")
        kind = spec.get("kind")
        if kind not in _KINDS:
            raise bad(key, f"unknown kind {kind!r}; use one of {', '.join(_KINDS)}")
        date_field = spec.get("date", "start")
        if date_field not in _DATE_FIELDS:
            raise bad(key, "`date` must be start, end or range")
        langs = spec.get("languages")
        labels = spec.get("labels", {})
        if not isinstance(labels, Mapping):
            raise bad(key, "`labels` must be a table of language = text")
        norm = _norm(str(raw_key))
        entries[norm] = ProfileEntry(
            key=norm,
            kind=cast(EntryKind, kind),
            href=str(spec.get("href", "")),
            fallback=str(spec.get("fallback", "")),
            languages=tuple(str(x) for x in langs) if isinstance(langs, list) else None,
            label=str(spec.get("label", spec.get("text", ""))),
            label_key=str(spec.get("label_key", "")),
            labels={str(k): str(v) for k, v in labels.items()},
            date=cast(DateField, date_field),
            skeleton=str(spec.get("skeleton", "yMMMMd")),
        )
    erb = data.get("erb", {})
    if not isinstance(erb, Mapping):
        raise bad("erb", "`erb` must be a table of helper = key template")
    return SiteProfile(
        name=str(data.get("name", path.stem)),
        site_url=str(data.get("site_url", "")).rstrip("/"),
        start=start if isinstance(start, dt.date) else None,
        end=end if isinstance(end, dt.date) else None,
        entries=entries,
        erb={str(k): str(v) for k, v in erb.items()},
        source=path,
    )
