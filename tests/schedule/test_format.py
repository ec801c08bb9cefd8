"""Times and durations the locale's way, and format-then-parse identity for every shipped locale."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from babel import localedata
from babel.dates import format_time as babel_format_time
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.digits import digit_table
from printkit.errors import UnknownLocaleError
from printkit.schedule import format_duration, format_range, format_time, parse_time
from printkit.schedule.daypart import babel_locale

SHIPPED_LOCALES = (
    "en", "fr", "es", "pt-BR", "de", "it", "nl", "pl", "tr", "ru", "uk", "el", "ar", "he", "fa",
    "hi", "bn", "ta", "th", "vi", "id", "zh-CN", "zh-TW", "ja", "ko",
    "en-US", "es-MX", "ko-KR", "th-TH", "el-GR", "de-DE", "ar-SA",
)  # fmt: skip


# What printkit decides for a time of day, stated without freezing one CLDR release: the
# locale's *short* time pattern (12- or 24-hour, day period where it puts it), written in the
# digits of the locale's default numbering system, hours before minutes.
@pytest.mark.parametrize(
    ("minutes", "locale", "clock", "digits"),
    [
        (870, "fr", (14, 30), "DIGIT"),
        (870, "en-US", (2, 30), "DIGIT"),
        (870, "de-DE", (14, 30), "DIGIT"),
        (870, "ko-KR", (2, 30), "DIGIT"),
        (870, "ar", (2, 30), "DIGIT"),
        (870, "ar-SA", (2, 30), "ARABIC-INDIC DIGIT"),  # CLDR: Saudi Arabia's digits
        (870, "fa", (14, 30), "EXTENDED ARABIC-INDIC DIGIT"),
        (870, "bn", (2, 30), "BENGALI DIGIT"),
        (605, "fr", (10, 5), "DIGIT"),
        (24 * 60 + 5, "fr", (0, 5), "DIGIT"),  # wrapped to one day
    ],
)
def test_format_time(minutes: int, locale: str, clock: tuple[int, int], digits: str) -> None:
    text = format_time(minutes, locale)
    babel = babel_locale(locale)
    assert babel is not None
    hours, mins = divmod(minutes % (24 * 60), 60)
    # Babel's own answer for the locale's short pattern, in the locale's digits
    own = babel_format_time(dt.time(hours, mins), babel.time_formats["short"], locale=babel)
    assert text == own.translate(digit_table(babel))
    # the numbers, their order, and the digits they are written in
    numbers = re.findall(r"\d+", text)
    assert [int(n) for n in numbers] == list(clock)
    assert {unicodedata.name(c).rsplit(" ", 1)[0] for c in "".join(numbers)} == {digits}
    # a 12-hour locale prints its own afternoon marker; a 24-hour one prints none
    pm = babel.day_periods["format"]["abbreviated"]["pm"]
    assert (pm in text) == (clock[0] != hours)


@pytest.mark.parametrize(
    ("minutes", "locale", "expected"),
    [
        (5, "en", "5 min"),
        (5, "fr", "5\u00a0min"),
        (20, "de", "20 Min."),
        (90, "en", "1 hr, 30 min"),
        (60, "en", "1 hr"),
        (5, "ar-SA", "٥ د"),
    ],
)
def test_format_duration(minutes: int, locale: str, expected: str) -> None:
    assert format_duration(minutes, locale) == expected


def test_format_range() -> None:
    assert format_range(600, 605, "fr") == "10:00\u201310:05"


def test_unknown_locale() -> None:
    with pytest.raises(UnknownLocaleError):
        format_time(600, "xx-XX")


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
@settings(max_examples=40, deadline=None)
@given(minutes=st.integers(0, 24 * 60 - 1))
def test_format_then_parse(locale: str, minutes: int) -> None:
    assert parse_time(format_time(minutes, locale), locale) == minutes


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_format_long_duration_everywhere(locale: str) -> None:
    text = format_duration(65, locale)
    assert parse_digits(text) == ["1", "5"]


def parse_digits(text: str) -> list[str]:
    return [str(unicodedata.decimal(d)) for d in re.findall(r"\d", text)]


#: CLDR time patterns with literal words the grammar does not know (Ewe "ŋdi ga",
#: Dzongkha hour/minute words, Bodo's particle after the day period).
UNREAD_PATTERNS = frozenset({"ee", "dz", "brx"})


@pytest.mark.slow
def test_format_then_parse_every_babel_locale() -> None:
    """Every locale Babel knows, at 00:05 and 14:30: the few exceptions are listed above."""
    failures = []
    for ident in localedata.locale_identifiers():
        if ident.split("_")[0] in UNREAD_PATTERNS:
            continue
        tag = ident.replace("_", "-")
        for minutes in (5, 14 * 60 + 30):
            written = format_time(minutes, tag)
            if parse_time(written, tag) != minutes:
                failures.append((tag, written))
    assert failures == []
