"""The time-range grammar: ``10h00 – 10h05``, ``오전 10:00 - 10:05``, ``10:15 Uhr bis 10:30 Uhr``…

A cell is folded (:func:`~printkit.schedule.daypart.fold`: NFKC, so full-width
digits and colons become ASCII; case-folded; bidi marks dropped), its digits
made ASCII (Arabic-Indic, Persian, Devanagari…), then cut into tokens by one
precompiled pattern per locale:

``TIME``   ``10:00``, ``10h05``, ``10h 05``, ``10.00``, ``10時5分``, ``10h``, ``10``
``MARK``   a day-period word of the locale or of English (``a. m.``, ``π.μ``, ``오전``)
``SEP``    a dash, tilde or range word (``bis``, ``to``, ``à``, ``до``, ``から``, ``至``…)
``FILL``   words around times (``Uhr``, ``de``, ``von``, ``น.``, ``まで``…) and punctuation

Anything else makes the cell unreadable (``None``): the grammar is strict, so
that a column of prices or counts is not taken for a schedule. A bare hour
(``10 - 11``) needs some evidence that it is a time (a minute part, a day
period, ``Uhr``…).

>>> parse_time_range("10h00 – 10h05")
ParsedRange(start=600, end=605)
>>> parse_time_range("11:30 - 12:15 pm")
ParsedRange(start=690, end=735)
>>> parse_time_range("오전 10:00 - 10:05", "ko-KR")
ParsedRange(start=600, end=605)
>>> parse_time_range("٢:٣٠ م", "ar")
ParsedRange(start=870, end=None)
>>> parse_time_range("Open with a video") is None
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .daypart import DayPeriods, Meaning, all_day_periods, babel_locale, day_periods, fold, key

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ParsedRange:
    """A parsed cell: minutes after midnight; ``end`` is ``None`` for a single time."""

    start: int
    end: int | None


# --------------------------------------------------------------------------
# Vocabulary (folded forms; matched case-insensitively after NFKC)

#: Words between two times that mean "until" (a dash in words).
RANGE_WORDS = (
    "to",
    "till",
    "until",
    "thru",
    "through",
    "bis",
    "à",
    "a",
    "au",
    "jusqu'à",
    "jusqu’à",
    "hasta",
    "al",
    "às",
    "as",
    "até",
    "ate",
    "alle",
    "fino alle",
    "tot",
    "do",
    "до",
    "по",
    "έως",
    "εως",
    "ως",
    "μέχρι",
    "ile",
    "から",
    "至",
    "到",
    "ถึง",
    "đến",
    "tới",
    "sampai",
    "hingga",
    "s/d",
    "s.d.",
    "sd",
    "से",
    "থেকে",
    "முதல்",
    "부터",
    "إلى",
    "الى",
    "حتى",
    "تا",
    "עד",
    "och",
    "til",
    "till",
    "–>",
    "->",
    "→",
    "⟶",
)

#: Words that say "this is a clock time" (``10 Uhr``): they make a bare hour a time.
TIME_WORDS = (
    "uhr",
    "h",
    "hs",
    "hr",
    "hrs",
    "hours",
    "horas",
    "hras",
    "heure",
    "heures",
    "o'clock",
    "o’clock",
    "oclock",
    "uur",
    "ч",
    "ч.",
    "час",
    "часов",
    "год",
    "год.",
    "godz",
    "godz.",
    "ore",
    "ora",
    "hodź.",
    "hodź",
    "kl",
    "kl.",
    "klo",
    "น.",
    "นาฬิกา",
    "giờ",
    "jam",
    "pukul",
    "बजे",
    "টা",
    "মণি",
    "மணி",
    "ساعت",
    "الساعة",
    "ساعة",
    "saat",
    "hod.",
    "óra",
    "wib",
    "wita",
    "wit",
)

#: Words around times that carry no meaning here ("from", "the", "approximately").
FILLER_WORDS = (
    "from",
    "de",
    "des",
    "du",
    "dès",
    "von",
    "vom",
    "ab",
    "um",
    "van",
    "od",
    "с",
    "со",
    "з",
    "від",
    "από",
    "απο",
    "từ",
    "desde",
    "las",
    "la",
    "los",
    "el",
    "das",
    "dos",
    "dalle",
    "dalla",
    "dal",
    "从",
    "從",
    "自",
    "از",
    "من",
    "מ-",
    "at",
    "ca.",
    "ca",
    "approx.",
    "approx",
    "env.",
    "environ",
    "около",
    "まで",
    "까지",
    "तक",
    "পর্যন্ত",
    "வரை",
    "kadar",
    "arası",
    "เวลา",
    "time",
    "uhrzeit",
)

#: Dashes, tildes and wave dashes between two times.
_DASHES = "-‐‑‒–—―−~〜～_⁓"


#: What may stand between the letters of a day-period word: dots, spaces, quotes,
#: hyphens, commas (``صبح، منجهند``), slashes (``दपेहरा/संजा``), the Tibetan tsheg.
_WORD_GAP = r"[.\s'’\"״\-،,/\u0f0b]{0,3}"


def _word_pattern(word: str) -> str:
    """A folded word as a regex, tolerant of dots and spaces between its letters."""
    letters = key(word)
    if not letters:
        return re.escape(word)
    parts: list[str] = []
    for index, ch in enumerate(letters):
        if index and unicodedata.category(ch)[0] != "M":
            parts.append(_WORD_GAP)
        parts.append(re.escape(ch))
    return "".join(parts) + r"[.\u0f0b]?"


def _literal_alternation(words: tuple[str, ...]) -> str:
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in folded)


#: A letter of a script that separates words with spaces: words must not touch one.
#: (Thai, Lao, Myanmar, Khmer, kana, Han and Hangul write words together: ``至下午``.)
_SPACED_LETTER = (
    r"[^\W\d_\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_NOT_LETTER_BEFORE = f"(?<!{_SPACED_LETTER})"
_NOT_LETTER_AFTER = f"(?!{_SPACED_LETTER})"

_TIME = (
    r"(?<!\d)(?P<h>\d{1,2})"
    r"(?:(?:\s*(?:[:.٫∶]|h)\s*|[;,])(?P<m>\d{2})(?!\d)"  # 10:00 10.00 10h00 10h 05 10;00
    r"|:(?P<m1>\d)(?!\d)"  # 10:5 (CLDR's H:m pattern, Yoruba)
    r"|\s*[時时点點시](?:\s*(?P<cm>\d{1,2})\s*[分분]?)?"  # 10時5分 10点 10시
    r"|\s*(?P<hh>h)" + _NOT_LETTER_AFTER + r")?(?!\d)"  # 10h 10 h
)


@functools.lru_cache(maxsize=64)
def _tokenizer(tag: str | None) -> re.Pattern[str]:
    """The token pattern for one locale's day periods (``None``: every locale's)."""
    periods = day_periods(tag) if tag is not None else all_day_periods()
    marks = sorted(periods.words, key=len, reverse=True)
    mark_alt = "|".join(_word_pattern(w) for w in marks)
    return re.compile(
        "|".join(
            (
                f"(?P<time>{_TIME})",
                f"{_NOT_LETTER_BEFORE}(?P<mark>{mark_alt}){_NOT_LETTER_AFTER}",
                f"{_NOT_LETTER_BEFORE}(?P<sep>{_literal_alternation(RANGE_WORDS)})"
                f"{_NOT_LETTER_AFTER}",
                f"{_NOT_LETTER_BEFORE}(?P<unit>{_literal_alternation(TIME_WORDS)})"
                f"{_NOT_LETTER_AFTER}",
                f"{_NOT_LETTER_BEFORE}(?P<fill>{_literal_alternation(FILLER_WORDS)})"
                f"{_NOT_LETTER_AFTER}",
                f"(?P<dash>[{re.escape(_DASHES)}]+)",
                r"(?P<space>[\s,;:()\[\]{}\"'«»„“”‚‘’*.!。、·•]+)",
            )
        )
    )


_ANY_DIGIT = re.compile(r"\d")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group(), 0))


def normalize(text: str) -> str:
    """Folded text with every decimal digit made ASCII.

    >>> normalize("۱۰:۰۰ ق.ظ.")
    '10:00 ق.ظ.'
    """
    return _ANY_DIGIT.sub(_ascii_digit, fold(text))


# --------------------------------------------------------------------------
# Tokens to times


@dataclass(slots=True)
class _Clock:
    """One written time before the day periods are resolved."""

    hour: int
    minute: int
    mark: Meaning | None = None
    word: bool = False  # written as a word (noon, midnight)


TokenKind = Literal["time", "mark", "sep", "unit", "fill", "dash", "space"]


def _tokens(text: str, tag: str | None) -> list[tuple[TokenKind, re.Match[str]]] | None:
    pattern = _tokenizer(tag)
    out: list[tuple[TokenKind, re.Match[str]]] = []
    pos = 0
    while pos < len(text):
        match = pattern.match(text, pos)
        if match is None or match.end() == pos:
            return None
        kind = match.lastgroup
        if kind is None or kind not in ("time", "mark", "sep", "unit", "fill", "dash", "space"):
            # ``lastgroup`` names the innermost group for a time: normalise it
            kind = "time"
        out.append((kind, match))  # type: ignore[arg-type]
        pos = match.end()
    return out


def _groups(
    tokens: list[tuple[TokenKind, re.Match[str]]], periods: DayPeriods
) -> tuple[list[_Clock], bool] | None:
    """The clocks of each side of the range, and whether the cell looks like a time."""
    sides: list[list[_Clock | Meaning]] = [[]]
    evidence = False
    for kind, match in tokens:
        if kind in ("sep", "dash"):
            if sides[-1]:
                sides.append([])
        elif kind == "unit":
            evidence = True
        elif kind == "mark":
            meaning = periods.meaning(match.group("mark"))
            if meaning is None:
                return None
            evidence = True
            sides[-1].append(meaning)
        elif kind == "time":
            hour = int(match.group("h"))
            minute_text = match.group("m") or match.group("m1") or match.group("cm")
            if minute_text is not None or match.group("hh") or match.group(0)[-1:] in "時时点點시":
                evidence = True
            sides[-1].append(_Clock(hour, int(minute_text or 0)))
    if not sides[-1]:
        sides.pop()
    if not 1 <= len(sides) <= 2:
        return None
    clocks: list[_Clock] = []
    for side in sides:
        clock = _side_clock(side)
        if clock is None:
            return None
        clocks.append(clock)
    return clocks, evidence


def _side_clock(side: list[_Clock | Meaning]) -> _Clock | None:
    """One clock from a side's time and day-period words (noon alone is a time)."""
    times = [item for item in side if isinstance(item, _Clock)]
    marks = {item for item in side if not isinstance(item, _Clock)}
    if len(times) > 1 or len(marks) > 1:
        return None
    if not times:
        if marks == {"noon"}:
            return _Clock(12, 0, "pm", word=True)
        if marks == {"midnight"}:
            return _Clock(0, 0, "am", word=True)
        return None
    clock = times[0]
    if marks:
        mark = next(iter(marks))
        clock.mark = "pm" if mark == "noon" else "am" if mark == "midnight" else mark
    return clock


def _minutes(clock: _Clock, mark: Meaning | None) -> int | None:
    hour, minute = clock.hour, clock.minute
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        return None
    if mark == "am" and 1 <= hour <= 12:
        hour %= 12
    elif mark == "pm" and 1 <= hour <= 12:
        hour = hour % 12 + 12
    return hour * 60 + minute


def _flip(mark: Meaning | None) -> Meaning | None:
    return "pm" if mark == "am" else "am" if mark == "pm" else mark


def _resolve(clocks: list[_Clock]) -> ParsedRange | None:
    first = clocks[0]
    if len(clocks) == 1:
        start = _minutes(first, first.mark)
        return None if start is None or start >= MINUTES_PER_DAY else ParsedRange(start, None)
    second = clocks[1]
    start_mark, end_mark = first.mark, second.mark
    # a 12-hour marker written once applies to both times…
    inherited: Literal["start", "end"] | None = None
    if start_mark is None and end_mark is not None and not first.word:
        start_mark, inherited = end_mark, "start"
    elif end_mark is None and start_mark is not None and not second.word:
        end_mark, inherited = start_mark, "end"
    start, end = _minutes(first, start_mark), _minutes(second, end_mark)
    if start is None or end is None:
        return None
    # …unless that makes the range run backwards: 11:30 - 12:15 pm crosses noon,
    # 오후 11:30 - 12:15 and 11 pm - 1 am cross midnight (the end is on the next day)
    if end < start and inherited == "start" and first.hour <= 12:
        flipped = _minutes(first, _flip(start_mark))
        if flipped is not None and flipped <= end:
            start = flipped
        elif flipped is not None and end_mark == "am":
            start, end = flipped, end + MINUTES_PER_DAY
    elif end < start and inherited == "end" and second.hour <= 12:
        flipped = _minutes(second, _flip(end_mark))
        if flipped is not None and flipped >= start:
            end = flipped
        elif flipped is not None and start_mark == "pm":
            end = flipped + MINUTES_PER_DAY
    elif end < start and start_mark == "pm" and end_mark == "am":
        end += MINUTES_PER_DAY
    if end == 0 and start > 0:
        end = MINUTES_PER_DAY  # "until midnight"
    if start >= MINUTES_PER_DAY:
        return None
    return ParsedRange(start, end)


def _parse_with(text: str, tag: str | None, relaxed: bool = False) -> ParsedRange | None:
    periods = day_periods(tag) if tag is not None else all_day_periods()
    tokens = _tokens(text, tag)
    if tokens is None:
        return None
    grouped = _groups(tokens, periods)
    if grouped is None:
        return None
    clocks, evidence = grouped
    if not evidence and not relaxed and not any(c.word for c in clocks):
        return None
    return _resolve(clocks)


_MAX_CELL = 200


def parse_time_range(
    text: str, locale: str | None = None, *, relaxed: bool = False
) -> ParsedRange | None:
    """Parse a time or time range written the way ``locale`` (or anyone) writes it.

    The locale's own day-period words are tried first, then those of every
    locale Babel knows. Returns ``None`` when the text is not a time (range);
    never raises on any string. ``relaxed`` takes bare hours (``10 - 11``) for
    times: for a cell of a table already known to be a schedule.
    """
    if not text or len(text) > _MAX_CELL:
        return None
    folded = normalize(text).strip()
    if not folded:
        return None
    babel = babel_locale(locale)
    if babel is not None:
        parsed = _parse_with(folded, str(babel), relaxed)
        if parsed is not None or not _ANY_DIGIT.search(folded):
            # every-locale words only help a cell with a number in it (and their
            # table costs a second to build: not for each activity cell of a guide)
            return parsed
    return _parse_with(folded, None, relaxed)


def parse_time(text: str, locale: str | None = None) -> int | None:
    """Parse a single time of day (``14:30``, ``2:30 PM``, ``오후 2:30``) to minutes.

    >>> parse_time("2:30\u202fPM", "en-US"), parse_time("14h30"), parse_time("10 - 11 Uhr")
    (870, 870, None)
    """
    parsed = parse_time_range(text, locale)
    return parsed.start if parsed is not None and parsed.end is None else None
