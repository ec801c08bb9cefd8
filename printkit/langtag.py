"""Language tags: parse BCP 47 or POSIX tags and fill missing subtags from CLDR.

Pure helpers with no I/O beyond Babel's CLDR data, used by :mod:`printkit.locale`
and :mod:`printkit.fonts` (which cannot import each other).

>>> parse_tag("fr_FR.UTF-8").tag
'fr-FR'
>>> parse_tag("fr").tag, parse_tag("ja").script
('fr-FR', 'Jpan')
>>> parse_tag("zh-Hant-TW").tag, parse_tag("sr-Latn").tag
('zh-TW', 'sr-Latn-RS')
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, localedata
from babel.core import get_global

from .errors import UnknownLocaleError

_POSIX_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva", "arabic": "Arab"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SCRIPT = re.compile(r"^[a-z]{4}$")
_TERRITORY = re.compile(r"^([a-z]{2}|[0-9]{3})$")
_VARIANT = re.compile(r"^([a-z0-9]{5,8}|[0-9][a-z0-9]{3})$")


@dataclass(frozen=True, slots=True)
class LanguageTag:
    """A tag with every subtag resolved (``script`` and ``territory`` from likely subtags)."""

    language: str
    script: str
    territory: str
    babel_id: str  # the CLDR locale Babel formats with, e.g. "zh_Hant_TW" or "fr" for fr-US

    @property
    def tag(self) -> str:
        """The normalised BCP 47 tag: the script only when it is not the usual one."""
        usual = likely_subtags(self.language, None, self.territory)
        if usual is not None and usual[1] == self.script:
            return f"{self.language}-{self.territory}"
        return f"{self.language}-{self.script}-{self.territory}"


@cache
def _likely() -> dict[str, str]:
    return dict(get_global("likely_subtags"))


def likely_subtags(
    language: str, script: str | None, territory: str | None
) -> tuple[str, str, str] | None:
    """CLDR "add likely subtags": ``(language, script, territory)`` or ``None``.

    >>> likely_subtags("ar", None, None)
    ('ar', 'Arab', 'EG')
    >>> likely_subtags("zh", None, "TW")
    ('zh', 'Hant', 'TW')
    """
    table = _likely()
    keys = []
    if script and territory:
        keys.append(f"{language}_{script}_{territory}")
    if territory:
        keys.append(f"{language}_{territory}")
    if script:
        keys.append(f"{language}_{script}")
    keys.append(language)
    if script:
        keys.append(f"und_{script}")
    for key in keys:
        found = table.get(key)
        if found:
            lang, scr, terr = [*found.split("_"), "", ""][:3]
            return (
                language if language != "und" else lang,
                script or scr,
                territory or terr,
            )
    return None


def _split(text: str) -> tuple[str, str | None, str | None]:
    raw = text.strip()
    modifier = None
    if "@" in raw:
        raw, modifier = raw.split("@", 1)
    raw = raw.split(".", 1)[0]  # POSIX encoding: fr_FR.UTF-8
    parts = [p for p in re.split(r"[-_]", raw.lower()) if p]
    if not parts or not _LANGUAGE.match(parts[0]):
        raise UnknownLocaleError(text, suggest(text))
    language = parts[0]
    script = territory = None
    for part in parts[1:]:
        if len(part) == 1:
            break  # an extension (-u-…, -x-…): ignored with everything after it
        if script is None and territory is None and _SCRIPT.match(part):
            script = part.title()
        elif territory is None and _TERRITORY.match(part):
            territory = part.upper()
        elif not _VARIANT.match(part):  # variants (1996, valencia) are ignored
            raise UnknownLocaleError(text, suggest(text))
    if modifier and script is None:
        script = _POSIX_MODIFIERS.get(modifier.lower())
    language = get_global("language_aliases").get(language, language)
    if territory:
        aliases = get_global("territory_aliases").get(territory)
        if aliases:
            territory = aliases[0]
    return language, script, territory


@cache
def _territories() -> frozenset[str]:
    names = Locale("en").territories
    return frozenset(str(t) for t in names if t not in {"ZZ", "QO", "EU", "EZ", "UN"})


def parse_tag(text: str) -> LanguageTag:
    """Parse and complete a tag; :class:`UnknownLocaleError` with suggestions if unknown."""
    language, script, territory = _split(text)
    full = likely_subtags(language, script, territory)
    if full is None or (territory is not None and territory not in _territories()):
        raise UnknownLocaleError(text, suggest(text))
    lang, scr, terr = full
    default_script = (likely_subtags(lang, None, terr) or full)[1]
    candidates = [f"{lang}_{scr}_{terr}", f"{lang}_{scr}"]
    if scr == default_script:
        candidates[1:1] = [f"{lang}_{terr}"]
        candidates.append(lang)
    for candidate in candidates:
        if localedata.exists(candidate):
            return LanguageTag(lang, scr, terr, candidate)
    raise UnknownLocaleError(text, suggest(text))


@cache
def _known() -> dict[str, str]:
    """Normalised lowercase key -> display tag, for suggestions."""
    out: dict[str, str] = {}
    for ident in localedata.locale_identifiers():
        if ident == "root":
            continue
        out[str(ident).replace("_", "-").lower()] = str(ident).replace("_", "-")
    for code, name in Locale("en").languages.items():
        if str(code) in out:
            out.setdefault(str(name).lower(), str(code))
    return out


def suggest(text: str, limit: int = 5) -> list[str]:
    """Close matches for a bad tag, best first.

    >>> suggest("fr-XX")[:1]
    ['fr-FR']
    >>> suggest("French")
    ['fr']
    """
    key = text.strip().split("@")[0].split(".")[0].replace("_", "-").lower()
    known = _known()
    out: list[str] = []
    language = key.split("-", 1)[0]
    if key in known and known[key] != text:
        out.append(known[key])
    if "-" in key and language in known:
        usual = likely_subtags(language, None, None)
        if usual:
            out.append(f"{language}-{usual[2]}")
        prefix = language + "-"
        out.extend(v for k, v in known.items() if k.startswith(prefix) and k.count("-") == 1)
    out.extend(known[m] for m in difflib.get_close_matches(key, list(known), n=limit, cutoff=0.75))
    seen: list[str] = []
    for item in out:
        if item not in seen and item.lower() != key:
            seen.append(item)
    return seen[:limit]
