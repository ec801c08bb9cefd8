"""Time cells the strict grammar refuses, read anyway when the table is a schedule.

:func:`~.timeparse.parse_time_range` is strict so that a column of prices is
never taken for a plan. Once a table *is* a plan (most rows read strictly),
its other time cells are read in three more tries, each reported by the
caller with what was read:

1. a misspelt day-period word is taken for the locale's closest one (``amm``,
   ``오잔``);
2. a bare hour counts as a time (``10 - 11``);
3. the times found anywhere in the cell are taken, whatever surrounds them.

A cell that still gives nothing is inferred from its neighbours by the
caller (:mod:`.detect`).

    >>> read_cell("10:00 - 10:05 amm", "en-US")
    (ParsedRange(start=600, end=605), "read '10:00 - 10:05 amm' as '10:00 - 10:05 am'")
    >>> read_cell("10 - 11", "en-US")[0], read_cell("vers 10h40 ~~ 11h!", "fr-FR")[0]
    (ParsedRange(start=600, end=660), ParsedRange(start=640, end=660))
    >>> read_cell("à voir", "fr-FR")
    (None, None)
"""

from __future__ import annotations

import difflib
import re

from .daypart import day_periods, key
from .timeparse import (
    FILLER_WORDS,
    RANGE_WORDS,
    TIME_WORDS,
    ParsedRange,
    normalize,
    parse_time_range,
)

_WORD = re.compile(r"[^\W\d_]+(?:[.’'][^\W\d_]+)*\.?")
_LOOSE_TIME = re.compile(r"(?<!\d)(\d{1,2})(?:\s*[:.;,h٫∶]\s*(\d{2}))?(?!\d)")
_KNOWN = frozenset(key(w) for w in (*FILLER_WORDS, *RANGE_WORDS, *TIME_WORDS))
_CUTOFF = 0.6
_DIGIT = re.compile(r"\d")


def fix_day_period_words(text: str, locale: str | None) -> str:
    """``text`` with each unknown word near a day-period word of ``locale`` replaced by it."""
    periods = day_periods(locale)
    words = [w for w in periods.words if len(w) >= 2]

    def sub(match: re.Match[str]) -> str:
        word = match.group(0)
        letters = key(word)
        if not letters or letters in periods.words or letters in _KNOWN:
            return word
        near = difflib.get_close_matches(letters, words, n=1, cutoff=_CUTOFF)
        if not near and len(letters) == 2:  # ``pn`` for ``pm``: first letter kept
            near = [w for w in words if len(w) == 2 and w[0] == letters[0]][:1]
        return near[0] if near else word

    return _WORD.sub(sub, text)


def salvage(text: str) -> ParsedRange | None:
    """The first one or two times written anywhere in ``text`` (hours 0-23)."""
    found: list[int] = []
    for match in _LOOSE_TIME.finditer(normalize(text)):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            continue
        found.append(hour * 60 + minute)
        if len(found) == 2:
            break
    if not found:
        return None
    return ParsedRange(found[0], found[1] if len(found) > 1 else None)


#: How a cell was read: as written, a day-period word repaired, bare hours, times picked out.
STRICT, WORDS, BARE, PICKED = 0, 1, 2, 3


def read_cell(text: str, locale: str | None) -> tuple[ParsedRange | None, str | None]:
    """A time cell read by the tries above: (times, what was read) or (None, None)."""
    parsed, how, _ = read_cell_tier(text, locale)
    return parsed, how


def read_cell_tier(text: str, locale: str | None
                   ) -> tuple[ParsedRange | None, str | None, int | None]:
    """:func:`read_cell`, with which try read it (:data:`STRICT` … :data:`PICKED`)."""
    if not text.strip():
        return None, None, None
    parsed = parse_time_range(text, locale)
    if parsed is not None:
        return parsed, None, STRICT
    if not _DIGIT.search(text):
        return None, None, None  # a word alone ("soon") is never taken for a time
    fixed = fix_day_period_words(text, locale)
    if fixed != text:
        parsed = parse_time_range(fixed, locale, relaxed=True)
        if parsed is not None:
            return parsed, f"read {text!r} as {fixed!r}", WORDS
    parsed = parse_time_range(text, locale, relaxed=True)
    if parsed is not None:
        return parsed, f"read the bare hours of {text!r} as times", BARE
    parsed = salvage(text)
    if parsed is not None:
        return parsed, f"took the times written in {text!r}", PICKED
    return None, None, None
