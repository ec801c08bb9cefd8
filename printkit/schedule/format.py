"""Times and durations printed the locale's way, through Babel (CLDR).

Babel formats numbers in a locale's numbering system only for symbols, not
digits, so the digits of the locale's *default* numbering system (``arab`` for
ar-SA, ``arabext`` for fa, ``beng`` for bn…) are substituted here when CLDR
says the locale uses them.

>>> format_time(14 * 60 + 30, "fr"), format_time(14 * 60 + 30, "en-US")
('14:30', '2:30\u202fPM')
>>> format_time(14 * 60 + 30, "ar-SA"), format_time(14 * 60 + 30, "fa")
('٢:٣٠ م', '۱۴:۳۰')
>>> format_duration(5, "en"), format_duration(65, "fr")
('5 min', '1\u202fh et 5\xa0min')
"""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale
from babel.dates import format_time as babel_format_time
from babel.units import format_unit

from ..digits import digit_table
from ..errors import UnknownLocaleError
from .daypart import babel_locale


def _locale(tag: str) -> Locale:
    locale = babel_locale(tag)
    if locale is None:
        raise UnknownLocaleError(tag)
    return locale


@functools.lru_cache(maxsize=128)
def _digit_table(tag: str) -> dict[int, str]:
    """ASCII digit -> the locale's digit (empty when the locale uses ASCII digits)."""
    return digit_table(_locale(tag))


def localize_digits(text: str, locale: str) -> str:
    """``text`` with ASCII digits in the locale's default numbering system.

    >>> localize_digits("10:05", "bn"), localize_digits("10:05", "fr")
    ('১০:০৫', '10:05')
    """
    return text.translate(_digit_table(locale))


def clock(minutes: int) -> str:
    """Canonical 24-hour ``HH:MM`` (``24:00`` for the end of the day; used in messages, exports).

    >>> clock(605), clock(1440), clock(-5)
    ('10:05', '24:00', '-00:05')
    """
    sign = "-" if minutes < 0 else ""
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def format_time(minutes: int, locale: str) -> str:
    """A time of day (minutes after midnight, wrapped to one day) as ``locale`` writes it."""
    hours, mins = divmod(minutes % (24 * 60), 60)
    text = babel_format_time(dt.time(hours, mins), "short", locale=_locale(locale))
    return localize_digits(text, locale)


def format_duration(minutes: int, locale: str) -> str:
    """A duration in minutes, localised: ``5 min``, ``1 h 5 min`` (with the locale's words)."""
    babel = _locale(locale)
    hours, mins = divmod(abs(minutes), 60)
    parts: list[str] = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=babel))
    if mins or not hours:
        parts.append(format_unit(mins, "duration-minute", length="short", locale=babel))
    text = parts[0] if len(parts) == 1 else _join_units(parts, babel)
    return localize_digits(("-" if minutes < 0 else "") + text, locale)


def _join_units(parts: list[str], babel: Locale) -> str:
    """Two units joined with the locale's unit-list pattern for two items (``1 h, 5 min``).

    The CLDR ``2`` pattern is used directly: Babel's ``format_list`` mishandles
    some inherited unit lists (es-MX, ar in Babel 2.18).
    """
    for style in ("unit-short", "unit", "standard"):
        pattern = babel.list_patterns.get(style, {}).get("2")
        if pattern:
            return str(pattern).format(*parts)
    return " ".join(parts)


def format_range(start: int, end: int, locale: str) -> str:
    """``10:00–10:05`` in the locale's way (an en dash between the two times)."""
    return f"{format_time(start, locale)}\u2013{format_time(end, locale)}"
