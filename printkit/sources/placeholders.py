"""Placeholders: ``{{ key/path }}``, leftover ERB, and what they resolve to.

Before parsing, every placeholder in the text is swapped for an inert
alphanumeric *sentinel* (so Markdown, YAML and HTML see a plain word and a
link such as ``[x]((%= resolve_url('/a b') %))`` still parses); the sentinels are
expanded while the model is built, as text, links, buttons or markers.
User text therefore never becomes markup or template code.

    >>> table = PlaceholderTable()
    >>> text = table.protect("See {{ urls/learn }} and <%= view :signup_button %>", 7)
    >>> [(p.key, p.line, p.form) for p in table.found(text)]
    [('urls/learn', 7, 'mustache'), ('view:signup_button', 7, 'erb')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from babel import Locale, UnknownLocaleError
from babel.dates import PATTERN_CHAR_ORDER, format_interval, format_skeleton, parse_pattern

from ..digits import digit_table
from .catalog import Catalog
from .links import absolute_url
from .profile import ProfileEntry, SiteProfile

Form: TypeAlias = Literal["mustache", "erb", "control", "broken", "interp"]

_PLACEHOLDER = re.compile(
    r"\{\{(?P<m>[^{}\n]*)\}\}"
    r"|<%(?P<eq>[=-]?)(?P<e>.*?)-?%>"
    r"|\(%=(?P<p>.*?)%\)"
)
_INTERP = re.compile(r"%\{(?P<i>[A-Za-z_][\w/-]*)\}")
_BROKEN = re.compile(r"\{\{|\}\}|<%|%>|\(%=")
_ERB_CALL = re.compile(r"^\s*([A-Za-z_]\w*[!?]?)\s*(?:\(\s*(.*?)\s*\)|\s+(.+?))?\s*$", re.DOTALL)
_ERB_ARG = re.compile(r"""^:(\w+)$|^'([^']*)'$|^"([^"]*)"$""")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One placeholder found in the text.

    ``key`` is the catalog/profile key (``urls/learn``), ``helper:arg`` for an
    ERB helper call (``view:signup_button``), or the cleaned expression.
    """

    index: int
    key: str
    raw: str
    form: Form
    line: int


class PlaceholderTable:
    """Sentinels handed out for one guide (and the catalog strings it pulls in)."""

    def __init__(self, prefix: str = "pkph") -> None:
        self.prefix = prefix
        self.items: list[Placeholder] = []
        self._pattern = re.compile(prefix + r"(\d+)x")

    @property
    def pattern(self) -> re.Pattern[str]:
        """Matches a sentinel; group 1 is the placeholder's index."""
        return self._pattern

    def avoid(self, text: str) -> None:
        """Pick a prefix that does not already occur in ``text``."""
        while self.prefix in text:
            self.prefix += "q"
        self._pattern = re.compile(self.prefix + r"(\d+)x")

    def _add(self, key: str, raw: str, form: Form, line: int) -> str:
        self.items.append(Placeholder(len(self.items), key, raw, form, line))
        return f"{self.prefix}{len(self.items) - 1}x"

    def protect(self, text: str, first_line: int, *, interpolation: bool = False) -> str:
        """Swap every placeholder in ``text`` (which starts at ``first_line``) for a sentinel.

        Lines are counted so each placeholder knows its line; newlines inside
        a placeholder are kept after its sentinel, so line numbers stay right.
        """
        starts = _line_starts(text)

        def line_of(pos: int) -> int:
            lo, hi = 0, len(starts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if starts[mid] <= pos:
                    lo = mid
                else:
                    hi = mid - 1
            return first_line + lo

        def sub(match: re.Match[str]) -> str:
            raw = match.group(0)
            line = line_of(match.start())
            if match.group("m") is not None:
                key, form = match.group("m").strip(), "mustache"
            elif match.group("p") is not None:
                key, form = _erb_key(match.group("p")), "erb"
            elif match.group("eq") == "" and match.group("e") is not None:
                key, form = match.group("e").strip(), "control"
            else:
                key, form = _erb_key(match.group("e") or ""), "erb"
            sentinel = self._add(key, raw, form, line) + "\n" * raw.count("\n")  # type: ignore[arg-type]
            if form == "erb" and raw.startswith("(") and match.string[match.start() - 1:
                                                                       match.start()] == "]":
                # `[text](%= url %)`: the parentheses were the Markdown link's own.
                return f"({sentinel})"
            return sentinel

        text = _PLACEHOLDER.sub(sub, text)
        if interpolation:
            text = _INTERP.sub(
                lambda m: self._add(m.group("i"), m.group(0), "interp", line_of(m.start())), text
            )
        if "{{" in text or "}}" in text or "<%" in text or "%>" in text or "(%=" in text:
            text = _BROKEN.sub(
                lambda m: self._add("", m.group(0), "broken", line_of(m.start())), text
            )
        return text

    def found(self, text: str) -> list[Placeholder]:
        """The placeholders whose sentinels occur in ``text``, in order."""
        return [self.items[int(m.group(1))] for m in self._pattern.finditer(text)]

    def split(self, text: str) -> Iterator[str | Placeholder]:
        """``text`` as plain strings and placeholders, in order."""
        pos = 0
        for match in self._pattern.finditer(text):
            index = int(match.group(1))
            if index >= len(self.items):
                continue
            if match.start() > pos:
                yield text[pos:match.start()]
            yield self.items[index]
            pos = match.end()
        if pos < len(text):
            yield text[pos:]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _erb_key(expression: str) -> str:
    """``view :signup_button`` → ``view:signup_button``; other code is returned cleaned.

    >>> _erb_key(" resolve_url('/promote/stats') "), _erb_key("hoc_s(:title)"), _erb_key("x + 1")
    ('resolve_url:/promote/stats', 'hoc_s:title', 'x + 1')
    """
    match = _ERB_CALL.match(expression.strip().rstrip("-").strip())
    if match is None:
        return " ".join(expression.split())
    helper, paren, bare = match.groups()
    arg = (paren if paren is not None else bare or "").strip()
    if not arg:
        return helper
    first = arg.split(",")[0].strip()
    arg_match = _ERB_ARG.match(first)
    if arg_match is None:
        return " ".join(expression.split())
    value = next(g for g in arg_match.groups() if g is not None)
    return f"{helper}:{value}"


# --------------------------------------------------------------------------
# Resolution

ValueKind: TypeAlias = Literal["text", "html", "url", "button"]


@dataclass(frozen=True, slots=True)
class Value:
    """What a placeholder stands for.

    ``text``: plain text; ``html``: a catalog string (may hold inline HTML or
    nested placeholders); ``url``: a link (``url``); ``button``: a call to
    action (``text`` is its label, ``url`` where it goes).
    """

    kind: ValueKind
    text: str = ""
    url: str = ""


class Resolver:
    """Looks placeholders up: user values, then the catalog, then the site profile."""

    def __init__(
        self,
        *,
        locale: str,
        values: Mapping[str, str],
        catalog: Catalog | None,
        profile: SiteProfile,
        site_url: str,
        start: dt.date | None,
        end: dt.date | None,
    ) -> None:
        self.values = {_norm(k): v for k, v in values.items()}
        self.catalog = catalog
        self.profile = profile
        self.site_url = site_url.rstrip("/")
        self.language = locale.replace("_", "-").split("-")[0].lower()
        self.start = start
        self.end = end or start
        try:
            self.babel_locale: Locale | None = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.babel_locale = None

    def key_of(self, placeholder: Placeholder) -> str | None:
        """The lookup key of a placeholder (ERB helpers mapped through the profile)."""
        if placeholder.form in ("mustache", "interp"):
            return placeholder.key or None
        if placeholder.form != "erb" or ":" not in placeholder.key:
            return placeholder.key if placeholder.form == "erb" and placeholder.key else None
        helper, arg = placeholder.key.split(":", 1)
        return self.profile.erb_key(helper, arg)

    def resolve(self, placeholder: Placeholder) -> Value | None:
        """The value of a placeholder, or None when nothing defines it."""
        key = self.key_of(placeholder)
        if key is None:
            return None
        if key.startswith("path:"):
            url, _ = absolute_url(key[5:], self.site_url)
            return Value("url", url=url) if url else None
        return self.lookup(key)

    def by_wildcard(self, key: str) -> bool:
        """Whether ``key`` gets its value only from a wildcard profile entry (``promote/*``)."""
        if _norm(key) in self.values or (self.catalog is not None and key in self.catalog):
            return False
        found = self.profile.lookup(key)
        return found is not None and found[1] != ""

    def lookup(self, key: str) -> Value | None:
        """A key (``promote/videos``) through values, catalog and profile."""
        norm = _norm(key)
        if norm in self.values:
            return Value("text", self.values[norm])
        if self.catalog is not None:
            text = self.catalog.get(key)
            if text is not None:
                return Value("html", text)
        found = self.profile.lookup(key)
        if found is None:
            return None
        return self._entry(*found)

    def _entry(self, entry: ProfileEntry, rest: str) -> Value | None:
        if entry.kind == "button":
            label = (self.catalog.get(entry.label_key) if self.catalog and entry.label_key
                     else None) or entry.label_for(self.language)
            url = self._url(entry.href, rest)
            return Value("button", label, url) if url else None
        if entry.kind == "link":
            url = self._url(entry.href, rest)
            return Value("url", url=url) if url else None
        if entry.kind == "file":
            has_own = entry.languages is None or self.language in entry.languages
            url = self._url(entry.href if has_own or not entry.fallback else entry.fallback, rest)
            return Value("url", url=url) if url else None
        if entry.kind == "date":
            text = self._date(entry)
            return Value("text", text) if text else None
        label = (self.catalog.get(entry.label_key) if self.catalog and entry.label_key
                 else None) or entry.label_for(self.language)
        return Value("text", label)

    def _url(self, template: str, rest: str) -> str | None:
        path = (template.replace("{name}", rest).replace("{dashed}", rest.replace("_", "-"))
                .replace("{lang}", self.language))
        url, _ = absolute_url(path, self.site_url)
        return url

    def _date(self, entry: ProfileEntry) -> str | None:
        start = self.start or self.profile.start
        end = (self.end if self.start else None) or self.profile.end or start
        if start is None or end is None:
            return None
        locale = self.babel_locale or Locale("en")
        if entry.date == "range" and end != start:
            text = date_interval(start, end, entry.skeleton, locale)
        else:
            day = end if entry.date == "end" else start
            text = str(format_skeleton(entry.skeleton, day, locale=locale))
        return text.translate(digit_table(locale))  # the locale's digits, as in the page header


_ABBR_MONTH = re.compile(r"(?<!M)MMM(?!M)")


def date_interval(start: dt.date, end: dt.date, skeleton: str, locale: Locale) -> str:
    """A date range for a locale; wide-month skeletons keep their wide months.

    CLDR rarely has ``MMMMd`` interval patterns, and Babel's fuzzy match then
    falls back to abbreviated months; we widen the ``MMMd`` pattern instead.

    >>> date_interval(dt.date(2025, 12, 8), dt.date(2025, 12, 14), "MMMMd", Locale("en"))
    'December 8\u2009–\u200914'
    """
    formats = locale.interval_formats
    narrow = _ABBR_MONTH.sub("MMM", skeleton.replace("MMMM", "MMM"))
    if skeleton in formats or "MMMM" not in skeleton or narrow not in formats:
        return str(format_interval(start, end, skeleton, locale=locale))
    parts = formats[narrow]
    for field in PATTERN_CHAR_ORDER:
        if field in parts and _field(start, field) != _field(end, field):
            return "".join(
                parse_pattern(_ABBR_MONTH.sub("MMMM", pattern)).apply(day, locale)
                for pattern, day in zip(parts[field], (start, end), strict=False)
            )
    return str(format_interval(start, end, skeleton, locale=locale))


def _field(day: dt.date, field: str) -> int:
    return {"y": day.year, "M": day.month, "d": day.day}.get(field, 0)


def _norm(key: str) -> str:
    return key.strip().strip("/").replace("-", "_")
