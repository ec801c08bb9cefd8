"""LocaleContext: tag parsing, likely subtags, direction, paper, formatting."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from babel import dates as babel_dates
from babel.numbers import format_decimal

from printkit.errors import UnknownLocaleError
from printkit.locale import LocaleContext


@pytest.mark.parametrize(
    ("raw", "tag", "language", "script", "territory"),
    [
        ("fr_FR", "fr-FR", "fr", "Latn", "FR"),
        ("fr-FR", "fr-FR", "fr", "Latn", "FR"),
        ("fr_FR.UTF-8", "fr-FR", "fr", "Latn", "FR"),
        ("FR-fr", "fr-FR", "fr", "Latn", "FR"),
        ("fr", "fr-FR", "fr", "Latn", "FR"),  # likely subtags
        ("zh-TW", "zh-TW", "zh", "Hant", "TW"),
        ("zh-Hant-TW", "zh-TW", "zh", "Hant", "TW"),
        ("zh_Hant", "zh-TW", "zh", "Hant", "TW"),
        ("zh", "zh-CN", "zh", "Hans", "CN"),
        ("pt-BR", "pt-BR", "pt", "Latn", "BR"),
        ("pt", "pt-BR", "pt", "Latn", "BR"),
        ("sr-Latn", "sr-Latn-RS", "sr", "Latn", "RS"),
        ("sr_RS@latin", "sr-Latn-RS", "sr", "Latn", "RS"),
        ("sr", "sr-RS", "sr", "Cyrl", "RS"),
        ("ar", "ar-EG", "ar", "Arab", "EG"),
        ("ja", "ja-JP", "ja", "Jpan", "JP"),
        ("ko", "ko-KR", "ko", "Kore", "KR"),
        ("iw", "he-IL", "he", "Hebr", "IL"),  # deprecated code, CLDR alias
        ("deu-DE", "de-DE", "de", "Latn", "DE"),  # ISO 639-2 code, CLDR alias
        ("ca-ES-valencia", "ca-ES", "ca", "Latn", "ES"),  # variant ignored
        ("en-US-u-ca-gregory", "en-US", "en", "Latn", "US"),  # extension ignored
        ("es-419", "es-419", "es", "Latn", "419"),
        ("fr-US", "fr-US", "fr", "Latn", "US"),  # no CLDR fr_US: French data, US paper
    ],
)
def test_parse_normalises(raw: str, tag: str, language: str, script: str, territory: str) -> None:
    ctx = LocaleContext.parse(raw)
    assert (ctx.tag, ctx.language, ctx.script, ctx.territory) == (tag, language, script, territory)
    assert ctx.babel.language == language


def test_posix_and_bcp47_spellings_are_equal() -> None:
    assert LocaleContext.parse("fr_FR") == LocaleContext.parse("fr-FR")
    assert LocaleContext.parse("zh_TW") == LocaleContext.parse("zh-Hant-TW")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("fr-XX", "fr-FR"), ("French", "fr"), ("en_USA", "en-US"), ("de-GER", "de-DE")],
)
def test_unknown_tag_suggests(raw: str, expected: str) -> None:
    with pytest.raises(UnknownLocaleError) as info:
        LocaleContext.parse(raw)
    assert info.value.identifier == raw
    assert expected in info.value.suggestions
    assert expected in info.value.describe()


@pytest.mark.parametrize("raw", ["", "x", "12-34", "qq-QQ"])
def test_garbage_is_unknown(raw: str) -> None:
    with pytest.raises(UnknownLocaleError):
        LocaleContext.parse(raw)


@pytest.mark.parametrize(
    ("raw", "direction"),
    [
        ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ps", "rtl"),
        ("yi", "rtl"), ("dv", "rtl"), ("ckb", "rtl"), ("ar-SA", "rtl"),
        ("fr", "ltr"), ("ja", "ltr"), ("hi", "ltr"), ("el", "ltr"), ("ru", "ltr"),
    ],
)
def test_direction_from_cldr_character_order(raw: str, direction: str) -> None:
    assert LocaleContext.parse(raw).direction == direction


# CLDR supplementalData.xml <paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX NI
# PA PH PR SV US VE"/>; A4 for "001" (the world). One row per territory, checked by locale.
PAPER = [
    ("en-US", "Letter"), ("en-CA", "Letter"), ("fr-CA", "Letter"), ("es-MX", "Letter"),
    ("es-CL", "Letter"), ("es-CO", "Letter"), ("es-CR", "Letter"), ("es-GT", "Letter"),
    ("es-NI", "Letter"), ("es-PA", "Letter"), ("es-SV", "Letter"), ("es-VE", "Letter"),
    ("es-PR", "Letter"), ("en-PH", "Letter"), ("en-BZ", "Letter"),
    ("fr-FR", "A4"), ("de-DE", "A4"), ("ja-JP", "A4"), ("en-GB", "A4"), ("es-ES", "A4"),
    ("es-AR", "A4"), ("pt-BR", "A4"), ("ar-SA", "A4"), ("hi-IN", "A4"), ("zh-CN", "A4"),
    ("en", "Letter"), ("es", "A4"), ("ar", "A4"),
]


@pytest.mark.parametrize(("raw", "paper"), PAPER)
def test_paper_per_territory(raw: str, paper: str) -> None:
    assert LocaleContext.parse(raw).paper == paper


def test_formats_are_localised() -> None:
    """Babel's own answer, in the locale's digits (no string copied from one CLDR release)."""
    day, time = dt.date(2026, 3, 4), dt.time(14, 5)
    for tag, babel_tag, digits in (("fr-FR", "fr_FR", "0"), ("en-US", "en_US", "0"),
                                   ("ar-EG", "ar_EG", "\u0660"), ("fa", "fa", "\u06f0")):
        ctx = LocaleContext.parse(tag)
        loc = Locale.parse(babel_tag)
        table = {ord(str(d)): chr(ord(digits) + d) for d in range(10)}
        long_date = babel_dates.format_date(day, "long", locale=loc)
        short_time = babel_dates.format_time(time, "short", locale=loc)
        assert ctx.format_date(day) == long_date.translate(table)
        assert ctx.format_time(time) == short_time.translate(table)
        assert ctx.format_number(1234.5) == format_decimal(1234.5, locale=loc).translate(table)
        assert (ctx.format_date(day).count(digits) > 0) == (digits != "0" or "0" in str(day.year))
    # the decisions themselves: 24-hour French, 12-hour US English with its PM marker
    assert "14" in LocaleContext.parse("fr-FR").format_time(time)
    us = LocaleContext.parse("en-US").format_time(time)
    assert us.startswith("2:05") and Locale.parse("en_US").day_periods["format"]["abbreviated"][
        "pm"] in us
    assert LocaleContext.parse("en-US").format_duration_minutes(5) == "5 min"
    assert LocaleContext.parse("ja").format_duration_minutes(45).startswith("45")
def test_hyphenate_lang_is_the_tag() -> None:
    assert LocaleContext.parse("zh_Hant_TW").hyphenate_lang == "zh-TW"
    assert LocaleContext.parse("ja").hyphenate_lang == "ja-JP"
