"""Day-period words (AM/PM, noon, midnight) per locale, from Babel's CLDR data.

CLDR gives every locale's own words (``ص``/``م``, ``오전``/``오후``, ``π.μ.``…);
guides also contain what people really type (``a. m.``, ``π.μ``, ``p.m``), so
each language gets a few observed variants on top. Words are stored folded
(:func:`fold`): NFKC, case-folded, without bidi and joiner marks, so that the
parser compares like with like.

>>> periods = day_periods("ko-KR")
>>> periods.meaning("오후"), periods.meaning("AM"), periods.meaning("정오")
('pm', 'am', 'noon')
>>> day_periods("el").meaning("π.μ.")
'am'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from babel import Locale, localedata
from babel.core import UnknownLocaleError as BabelUnknownLocale

Meaning: TypeAlias = Literal["am", "pm", "noon", "midnight"]

#: Bidi controls, joiners and the BOM: invisible, and never part of a word.
_INVISIBLE = re.compile("[\u00ad\u061c\u070f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

#: What people write besides the CLDR words, by language (observed in guides).
OBSERVED: Mapping[str, Mapping[str, Meaning]] = {
    "": {  # any locale: English forms are used everywhere
        "am": "am",
        "a.m.": "am",
        "a. m.": "am",
        "pm": "pm",
        "p.m.": "pm",
        "p. m.": "pm",
        "noon": "noon",
        "midnight": "midnight",
    },
    "es": {"a. m.": "am", "p. m.": "pm", "mediodía": "noon", "medianoche": "midnight"},
    "fr": {"midi": "noon", "minuit": "midnight"},
    "pt": {"meio-dia": "noon", "meia-noite": "midnight"},
    "it": {"mezzogiorno": "noon", "mezzanotte": "midnight"},
    "de": {"vorm.": "am", "nachm.": "pm", "mittag": "noon", "mitternacht": "midnight"},
    "el": {"π.μ.": "am", "μ.μ.": "pm", "πμ": "am", "μμ": "pm", "μεσημέρι": "noon"},
    "ja": {"午前": "am", "午後": "pm", "正午": "noon"},
    "zh": {"上午": "am", "下午": "pm", "中午": "noon", "午夜": "midnight"},
    "ko": {"오전": "am", "오후": "pm", "정오": "noon", "자정": "midnight"},
    "ar": {"ص": "am", "م": "pm", "صباحا": "am", "مساء": "pm"},
    "fa": {"ق.ظ.": "am", "ب.ظ.": "pm", "ق.ظ": "am", "ب.ظ": "pm", "ظهر": "noon"},
    "ru": {"дп": "am", "пп": "pm", "полдень": "noon", "полночь": "midnight"},
    "uk": {"дп": "am", "пп": "pm", "полудень": "noon", "північ": "midnight"},
    "tr": {"öö": "am", "ös": "pm", "öğle": "noon", "gece yarısı": "midnight"},
    "vi": {"sa": "am", "ch": "pm"},
    "he": {"לפנה״צ": "am", "אחה״צ": "pm", 'לפנה"צ': "am", 'אחה"צ': "pm", "צהריים": "noon"},
    "hi": {"पूर्वाह्न": "am", "अपराह्न": "pm"},
    "th": {"ก่อนเที่ยง": "am", "หลังเที่ยง": "pm", "เที่ยง": "noon", "เที่ยงคืน": "midnight"},
}

#: CLDR period names with a fixed meaning; the others (``morning1``,
#: ``night1``…) mean AM or PM when the locale's rule keeps them on one side
#: of noon (zh ``凌晨`` 00:00-05:00 is AM; en "at night" 21:00-06:00 is neither).
_FIXED: Mapping[str, Meaning] = {"am": "am", "pm": "pm", "noon": "noon", "midnight": "midnight"}
_NOON_S = 12 * 3600
_DAY_S = 24 * 3600

#: Words that the time-range grammar needs for something else: never a day period.
RESERVED = frozenset(
    {"a", "à", "al", "au", "de", "do", "od", "to", "ot", "s", "v", "e", "i", "y", "o", "u"}
    | {"da", "até", "bis", "von", "van", "tot", "ab", "h"}
)


def fold(text: str) -> str:
    """The form words are compared in: NFKC, case-folded, no invisible marks.

    >>> fold("A.\u202fM.")
    'a. m.'
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def key(word: str) -> str:
    """The letters of a folded word, without dots or spaces: ``a. m.`` and ``a.m`` are ``am``.

    >>> key("A. M."), key("π.μ"), key("ق.ظ.")
    ('am', 'πμ', 'قظ')
    """
    return "".join(ch for ch in fold(word) if unicodedata.category(ch)[0] in "LNM")


@dataclass(frozen=True, slots=True)
class DayPeriods:
    """Day-period words of one locale (by :func:`key`) and what each means."""

    words: Mapping[str, Meaning]

    def meaning(self, word: str) -> Meaning | None:
        """What ``word`` means (``am``, ``pm``, ``noon``, ``midnight``), if anything."""
        return self.words.get(key(word))


def babel_locale(tag: str | None) -> Locale | None:
    """The Babel locale for a BCP 47 or POSIX tag, ``None`` when unknown.

    >>> str(babel_locale("zh-TW")), babel_locale("xx-YY") is None
    ('zh_Hant_TW', True)
    """
    if not tag:
        return None
    return _babel_locale(tag.replace("_", "-"))


@functools.lru_cache(maxsize=256)
def _babel_locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag, sep="-")
    except (BabelUnknownLocale, ValueError, TypeError):
        return None


def _rule_meaning(locale: Locale, name: str) -> Meaning | None:
    """AM or PM for a flexible period (``morning1``…) from the locale's rules."""
    try:
        ranges = locale.day_period_rules[None][name]
    except (KeyError, TypeError):
        return None
    sides: set[Meaning] = set()
    for rule in ranges:
        start, before = rule.get("from"), rule.get("before")
        if start is None or before is None or start >= before:
            return None
        if before <= _NOON_S:
            sides.add("am")
        elif start >= _NOON_S and before <= _DAY_S:
            sides.add("pm")
        else:
            return None
    return next(iter(sides)) if len(sides) == 1 else None


def _cldr_words(locale: Locale, flexible: bool) -> dict[str, set[Meaning]]:
    """Folded word -> meanings, for every day period name of ``locale``."""
    found: dict[str, set[Meaning]] = {}
    for widths in locale.day_periods.values():
        for periods in widths.values():
            for name, word in periods.items():
                meaning = _FIXED.get(name)
                if meaning is None and flexible:
                    meaning = _rule_meaning(locale, name)
                if meaning is not None:
                    found.setdefault(key(word), set()).add(meaning)
    return found


def _usable(word: str) -> bool:
    if not word or word in RESERVED:
        return False
    # one Latin/Cyrillic/Greek letter is too easily part of other words
    return not (len(word) == 1 and word.isascii())


@functools.lru_cache(maxsize=64)
def day_periods(tag: str | None) -> DayPeriods:
    """The day-period words for a locale: its CLDR words, observed variants, English.

    With ``tag=None`` (or an unknown tag) this is :func:`all_day_periods`.
    """
    locale = babel_locale(tag)
    if locale is None:
        return all_day_periods()
    found = _cldr_words(locale, flexible=True)
    merged: dict[str, Meaning] = {}
    for word, meanings in found.items():
        if len(meanings) == 1 and _usable(word):
            merged[word] = next(iter(meanings))
    for lang in ("", locale.language):
        for word, meaning in OBSERVED.get(lang, {}).items():
            merged.setdefault(key(word), meaning)
    return DayPeriods(merged)


@functools.lru_cache(maxsize=1)
def all_day_periods() -> DayPeriods:
    """AM/PM/noon/midnight words of every locale Babel knows, minus ambiguous ones.

    A word that means AM in one language and PM in another (``ب``) is left out,
    as are one-letter words; morning/evening names are left to the locale's
    own table. Loading every locale takes about a second, once per process.
    """
    found: dict[str, set[Meaning]] = {}
    for ident in localedata.locale_identifiers():
        for word, meanings in _cldr_words(Locale.parse(ident), flexible=False).items():
            found.setdefault(word, set()).update(meanings)
    for table in OBSERVED.values():
        for word, meaning in table.items():
            found.setdefault(key(word), set()).add(meaning)
    merged = {
        word: next(iter(meanings))
        for word, meanings in found.items()
        if len(meanings) == 1 and _usable(word)
    }
    return DayPeriods(merged)
