"""LocaleContext: everything a document needs to know about its locale.

One value, passed down (never global state): the Babel locale, the text
direction, the default paper, localised dates/times/numbers, the gettext
translations of layout strings and the font stack.

>>> ctx = LocaleContext.parse("fr_FR")
>>> ctx.tag, ctx.direction, ctx.paper
('fr-FR', 'ltr', 'A4')
>>> LocaleContext.parse("ar").tag, LocaleContext.parse("ar").direction
('ar-EG', 'rtl')
>>> LocaleContext.parse("es-MX").paper
'Letter'
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from dataclasses import dataclass
from functools import cache
from typing import Literal

import babel
from babel import dates, numbers

from . import fonts as _fonts
from . import i18n
from .digits import digit_table
from .langtag import parse_tag
from .model import FontFace
from .schedule.format import format_duration

Direction = Literal["ltr", "rtl"]
Paper = Literal["A4", "Letter"]
Role = Literal["body", "heading", "display"]

#: Territories whose default paper is US-Letter; every other territory uses A4.
#: Source: Unicode CLDR, common/supplemental/supplementalData.xml,
#: ``<measurementData><paperSize type="US-Letter" territories="..."/>`` (CLDR 44,
#: documented in UTS #35 part 6 "Supplemental", section "Measurement System Data").
#: Babel does not expose this table, so it is kept here as data.
LETTER_TERRITORIES: frozenset[str] = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)


def paper_for_territory(territory: str | None) -> Paper:
    """CLDR's default paper size for a territory (A4 when unknown).

    >>> paper_for_territory("US"), paper_for_territory("FR"), paper_for_territory(None)
    ('Letter', 'A4', 'A4')
    """
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


@dataclass(frozen=True)
class LocaleContext:
    """A parsed locale and what follows from it. Build it with :meth:`parse`."""

    tag: str
    babel: babel.Locale
    language: str
    territory: str | None
    script: str | None
    direction: Direction
    paper: Paper

    @classmethod
    def parse(cls, tag: str | LocaleContext) -> LocaleContext:
        """Parse a BCP 47 or POSIX tag (``fr-FR``, ``fr_FR.UTF-8``, ``zh-Hant-TW``, ``fr``).

        Missing script and territory come from CLDR likely subtags ("fr" is
        fr-FR, "ar" is ar-EG). Raises :class:`~printkit.errors.UnknownLocaleError`
        listing close matches.
        """
        if isinstance(tag, LocaleContext):
            return tag
        return _parse(tag)

    # ------------------------------------------------------------------ formats

    @property
    def _digits(self) -> dict[int, str]:
        """The locale's digits for ASCII ones (see :mod:`printkit.digits`)."""
        return digit_table(self.babel)

    def format_date(self, d: dt.date, format: str = "long") -> str:
        """A localised date (``format``: short, medium, long, full or a CLDR pattern)."""
        return dates.format_date(d, format=format, locale=self.babel).translate(self._digits)

    def format_time(self, t: dt.time, format: str = "short") -> str:
        """A localised time of day."""
        return dates.format_time(t, format=format, locale=self.babel).translate(self._digits)

    def format_number(self, n: float) -> str:
        """A localised decimal number."""
        return numbers.format_decimal(n, locale=self.babel).translate(self._digits)

    def format_duration_minutes(self, minutes: int) -> str:
        """A duration such as "5 min" or "1 h 5 min" in the locale's units and digits
        (the run-of-show's :func:`printkit.schedule.format.format_duration`).

        >>> LocaleContext.parse("de-DE").format_duration_minutes(45)
        '45 Min.'
        """
        return format_duration(minutes, self.tag)

    # ------------------------------------------------------------ translations

    @property
    def translations(self) -> _gettext.NullTranslations:
        """Layout-string translations (falling back to English) for jinja2.ext.i18n."""
        return i18n.translations(self.tag)

    def gettext(self, message: str) -> str:
        """Translate one layout string."""
        return self.translations.gettext(message)

    # -------------------------------------------------------------------- fonts

    def font_stack(self, role: Role = "body") -> list[FontFace]:
        """The faces for this locale, in fallback order (own script first, then Latin, …)."""
        return _fonts.font_stack(self, role)

    def font_family(self, role: Role = "body") -> str:
        """A CSS ``font-family`` value for this locale's stack (quoted names)."""
        return _fonts.css_font_family(self.font_stack(role), role)

    @property
    def hyphenate_lang(self) -> str:
        """The value for the HTML ``lang`` attribute (hyphenation, Han glyph choice)."""
        return self.tag


@cache
def _parse(text: str) -> LocaleContext:
    parsed = parse_tag(text)
    locale = babel.Locale.parse(parsed.babel_id)
    direction: Direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return LocaleContext(
        tag=parsed.tag,
        babel=locale,
        language=parsed.language,
        territory=parsed.territory,
        script=parsed.script,
        direction=direction,
        paper=paper_for_territory(parsed.territory),
    )
