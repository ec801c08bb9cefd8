"""The pages' language and templates.

The language comes from ``?lang=`` (remembered in a cookie), else from
``Accept-Language``, among the layouts' gettext catalogs. Strings those
catalogs hold ("Certificate", "Date", "Organiser", "Verify this
certificate"…) are translated; the rest of the interface is in English until
the catalogs carry it (they are marked for extraction all the same).
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from starlette.requests import Request

from ..i18n import catalog_for, catalog_tag, catalogs, translations
from ..locale import LocaleContext

COOKIE = "printkit_lang"


@cache
def languages() -> tuple[tuple[str, str], ...]:
    """(tag, name in its own language) of every language the pages can be shown in."""
    tags = sorted({"en", *(catalog_tag(c) for c in catalogs() if not c.startswith("en"))})
    out = []
    for tag in tags:
        try:
            name = Locale.parse(tag, sep="-").get_display_name(Locale.parse(tag, sep="-")) or tag
        except (UnknownLocaleError, ValueError):
            name = tag
        out.append((tag, name[:1].upper() + name[1:]))
    return tuple(out)


def _supported(tag: str) -> str | None:
    """The language tag of the pages serving ``tag``, or None."""
    tag = tag.strip().replace("_", "-")
    if not tag or tag == "*" or len(tag) > 35:
        return None
    if tag.lower().split("-")[0] == "en":
        return "en"
    try:
        found = catalog_for(tag)
    except Exception:  # a malformed tag in a header: not ours to fail on
        return None
    return catalog_tag(found) if found else None


def accept_language(header: str) -> str | None:
    """The best supported language of an ``Accept-Language`` header.

    >>> accept_language("de-CH, fr;q=0.9, en;q=0.8")
    'de'
    >>> accept_language("xx, pt-PT;q=0.5")
    'pt-BR'
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        weighted.append((-q, index, tag))
    for q, _, tag in sorted(weighted):
        if q < 0 and (found := _supported(tag)):
            return found
    return None


def request_language(request: Request) -> str:
    """The language of the pages for this request."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate and (found := _supported(candidate)):
            return found
    return accept_language(request.headers.get("accept-language", "")) or "en"


@dataclass(frozen=True)
class Language:
    """What a template needs to speak a language."""

    tag: str
    direction: str
    translations: _gettext.NullTranslations

    @classmethod
    def of(cls, tag: str) -> Language:
        try:
            direction = LocaleContext.parse(tag).direction
        except Exception:
            direction = "ltr"
        return cls(tag, direction, translations(tag))

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)


@cache
def environment() -> jinja2.Environment:
    """The pages' Jinja environment: autoescaped, templates shipped in the package only."""
    folder = str(files("printkit.web") / "templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    return env


def render(template: str, language: Language, **context: Any) -> str:
    """A page in ``language`` (its catalog's strings translated, the rest English)."""
    env = environment()
    t = language.translations
    return env.get_template(template).render(
        _=t.gettext, gettext=t.gettext, ngettext=t.ngettext,
        lang=language.tag, dir=language.direction, languages=languages(),
        chosen=_supported(language.tag) or "en", **context,
    )
