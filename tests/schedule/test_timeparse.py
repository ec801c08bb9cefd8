"""The time-range grammar: every corpus form, other locales' forms, and no crash on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.schedule import ParsedRange, parse_time, parse_time_range

from .test_format import SHIPPED_LOCALES


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# (cell, locale, start, end) — the forms met in translated guides, and more
FORMS = [
    ("10h00 – 10h05", "fr-FR", "10:00", "10:05"),
    ("11h00 – 11h 05", "fr-FR", "11:00", "11:05"),
    ("11h00 – 11h\u202f05", "fr-FR", "11:00", "11:05"),
    ("10:00 - 10:05 am", "ar-SA", "10:00", "10:05"),
    ("10:00 - 10:05 a. m.", "es-MX", "10:00", "10:05"),
    ("10:00-10:05 π.μ", "el-GR", "10:00", "10:05"),
    ("10:00 Uhr - 10:05 Uhr", "de-DE", "10:00", "10:05"),
    ("10:15 Uhr bis 10:30 Uhr", "de-DE", "10:15", "10:30"),
    ("오전 10:00 - 10:05", "ko-KR", "10:00", "10:05"),
    ("10:00 - 10:05 น.", "th-TH", "10:00", "10:05"),
    ("10.00 - 10.05", "tr-TR", "10:00", "10:05"),
    ("10:00-10:05", "ja-JP", "10:00", "10:05"),
    # 12-hour clocks: a marker written once applies to both times
    ("1:00 - 2:30 pm", "en-US", "13:00", "14:30"),
    ("11:30 - 12:15 pm", "en-US", "11:30", "12:15"),
    ("10 - 2 pm", "en-US", "10:00", "14:00"),
    ("11:30 am - 1 pm", "en-US", "11:30", "13:00"),
    ("12:00 - 12:45 PM", "en", "12:00", "12:45"),
    ("12:30 - 1:00 a.m.", "en", "00:30", "01:00"),
    ("오후 11:30 - 12:15", "ko", "23:30", "24:15"),
    ("오전 11:30 - 12:15", "ko", "11:30", "12:15"),
    ("11 pm - 1 am", "en", "23:00", "25:00"),
    ("10 - 2 am", "en", "22:00", "26:00"),
    ("10:30 - 10:15", None, "10:30", "10:15"),  # 24-hour: kept as written, checks report it
    ("下午2:30至下午3:00", "zh-TW", "14:30", "15:00"),
    ("上午 9:00 ~ 10:00", "zh-CN", "09:00", "10:00"),
    ("午後2時～午後3時30分", "ja", "14:00", "15:30"),
    ("10:00から10:05まで", "ja", "10:00", "10:05"),
    ("2:00 - 3:15 μ.μ.", "el", "14:00", "15:15"),
    ("2:00 - 3:15 p. m.", "es", "14:00", "15:15"),
    ("٢:٠٠ - ٣:١٥ م", "ar", "14:00", "15:15"),
    ("۱۴:۰۰ تا ۱۵:۱۵", "fa", "14:00", "15:15"),
    ("۲:۰۰ - ۳:۱۵ ب.ظ.", "fa", "14:00", "15:15"),
    ("२:०० - ३:१५ अपराह्न", "hi", "14:00", "15:15"),
    ("１４：００－１５：１５", "ja", "14:00", "15:15"),
    ("14:00 — 15:15", "ru", "14:00", "15:15"),
    ("с 14:00 до 15:15", "ru", "14:00", "15:15"),
    ("de 14h à 15h15", "fr", "14:00", "15:15"),
    ("14 h - 15 h", "fr", "14:00", "15:00"),
    ("von 14 bis 15 Uhr", "de", "14:00", "15:00"),
    ("14:00 a 15:15", "es", "14:00", "15:15"),
    ("dalle 14 alle 15 ore", "it", "14:00", "15:00"),
    ("14:00 ถึง 15:15 น.", "th", "14:00", "15:15"),
    ("14.00 - 15.15 WIB", "id", "14:00", "15:15"),
    ("14:00 đến 15:15", "vi", "14:00", "15:15"),
    ("2 to 3:15 pm", None, "14:00", "15:15"),
    ("noon - 1 pm", "en", "12:00", "13:00"),
    ("11 am - noon", "en", "11:00", "12:00"),
    ("12 noon - 12:30", "en", "12:00", "12:30"),
    ("midi - 14h", "fr", "12:00", "14:00"),
    ("22h - minuit", "fr", "22:00", "24:00"),
    ("10 pm - midnight", "en", "22:00", "24:00"),
    ("23:00 - 00:00", None, "23:00", "24:00"),
    ("\u200f10:00 - 10:05\u200f", "he", "10:00", "10:05"),
]


@pytest.mark.parametrize(("text", "locale", "start", "end"), FORMS)
def test_time_ranges(text: str, locale: str | None, start: str, end: str) -> None:
    assert parse_time_range(text, locale) == ParsedRange(hm(start), hm(end))


@pytest.mark.parametrize(("text", "locale", "start", "end"), FORMS[:12])
def test_corpus_forms_need_no_locale(text: str, locale: str | None, start: str, end: str) -> None:
    assert parse_time_range(text) == ParsedRange(hm(start), hm(end))


@pytest.mark.parametrize(
    ("text", "locale", "minutes"),
    [
        ("10:00", None, 600),
        ("14h30", "fr", 870),
        ("2:30\u202fPM", "en-US", 870),
        ("PM 2:30", "ko", 870),
        ("오후 2:30", "ko", 870),
        ("凌晨12:05", "zh-TW", 5),
        ("12:05 AM", "en", 5),
        ("10 Uhr", "de", 600),
        ("10 h", "fr", 600),
        ("10.15 Uhr", "de", 615),
    ],
)
def test_single_time(text: str, locale: str | None, minutes: int) -> None:
    assert parse_time(text, locale) == minutes
    assert parse_time_range(text, locale) == ParsedRange(minutes, None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Time",
        "Open with a video",
        "10 - 11",  # bare numbers: nothing says they are times
        "3",
        "10:75 - 11:00",
        "25:00",
        "10:00 10:05",  # two times without anything between them
        "10:00 - 10:05 - 10:10",
        "2024-10-01",
        "10:00 - 10:05 pm am",
        "Room 10:00",
        "10:00 - 10:05 xyz",
    ],
)
def test_not_a_time(text: str) -> None:
    assert parse_time_range(text, "en") is None


def test_locale_words_do_not_leak() -> None:
    # Korean words are read in any locale (they are unambiguous), English ones too
    assert parse_time_range("오후 2:30", "fr") == ParsedRange(870, None)
    assert parse_time_range("2:30 pm", "ko") == ParsedRange(870, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, *SHIPPED_LOCALES]))
def test_never_crashes(text: str, locale: str | None) -> None:
    parsed = parse_time_range(text, locale)
    if parsed is not None:
        assert 0 <= parsed.start < 24 * 60
        assert parsed.end is None or 0 <= parsed.end <= 2 * 24 * 60


_PIECES = st.sampled_from(
    ["10", ":", "h", "00", " ", "-", "–", "am", "pm", "a. m.", "π.μ", "오전", "Uhr", "bis",
     "から", "まで", "noon", "٣", "۱", "..", "~", "24", "99", "à", "12"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join), st.sampled_from([None, "en", "fr", "ko"]))
def test_never_crashes_on_near_misses(text: str, locale: str | None) -> None:
    parse_time_range(text, locale)
