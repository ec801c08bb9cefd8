"""Translations of the text layouts print themselves ("Page 1 of 3", "Scan to open"…).

Catalogs live in ``layouts/locale/<id>/LC_MESSAGES/printkit.po`` (ids such as
``fr``, ``pt_BR``, ``zh_TW``), with the template ``layouts/locale/printkit.pot``.
The build compiles them to ``.mo`` (``hatch_build.py``); when a ``.mo`` is
missing or older than its ``.po`` (a source checkout), the ``.po`` is compiled
in memory. A locale with no catalog, or a message with no translation, falls
back to English.

>>> translations("fr-FR").gettext("Scan to open")
'Scanner pour ouvrir'
>>> translations("pt-PT").gettext("Schedule")  # no pt_PT catalog: same language and script
'Programação'
>>> translations("xh-ZA").gettext("Schedule")  # no catalog at all: English
'Schedule'
"""

from __future__ import annotations

import gettext
import io
from functools import cache, lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import CatalogError, Location
from .langtag import LanguageTag, parse_tag
from .resources import layouts_dir

DOMAIN = "printkit"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for extraction without translating it."""
    return message


#: Every string the shipped layouts print, so the template holds them even before a
#: layout uses them (``pybabel extract`` finds ``N_`` by default).
LAYOUT_MESSAGES: tuple[str, ...] = (
    N_("Page %(page)s of %(pages)s"),
    N_("Page %(page)s"),
    N_("Scan to open"),
    N_("Links"),
    N_("Link %(number)s"),
    N_("Image not available"),
    N_("Video"),
    N_("Watch the video"),
    N_("Sign up"),
    N_("Schedule"),
    N_("Run of show"),
    N_("Time"),
    N_("Activity"),
    N_("Duration"),
    N_("Done"),
    N_("Start"),
    N_("End"),
    N_("Total"),
    N_("%(minutes)s min"),
    N_("Date"),
    N_("Place"),
    N_("Organiser"),
    N_("Organised by %(organiser)s"),
    N_("Certificate of achievement"),
    N_("Certificate of completion"),
    N_("This certificate is awarded to"),
    N_("awarded to"),
    N_("for completing"),
    N_("for taking part in %(event)s"),
    N_("Signature"),
    N_("Verify this certificate"),
    N_("Scan to verify"),
    N_("Scan to sign up"),
    N_("Scan me"),
    N_("Contents"),
    N_("Notes"),
    N_("Handout"),
    N_("Agenda"),
    N_("Poster"),
    N_("Certificate"),
    N_("Join us"),
    N_("Free event"),
    N_("All welcome"),
)


def catalog_dir() -> Path:
    """``layouts/locale``: the catalogs and the ``printkit.pot`` template."""
    return layouts_dir() / "locale"


def template_path() -> Path:
    return catalog_dir() / f"{DOMAIN}.pot"


def catalogs() -> dict[str, Path]:
    """Catalog id (``pt_BR``) -> its ``.po`` file, sorted by id."""
    root = catalog_dir()
    found = sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) if root.is_dir() else []
    return {po.parent.parent.name: po for po in found}


def catalog_tag(catalog_id: str) -> str:
    """The BCP 47 tag of a catalog id as written in reports (``pt_BR`` -> ``pt-BR``)."""
    return catalog_id.replace("_", "-")


@cache
def _catalog_tags() -> dict[str, LanguageTag]:
    return {cid: parse_tag(cid) for cid in catalogs()}


@lru_cache(maxsize=256)
def catalog_for(tag: str) -> str | None:
    """The catalog id serving a locale, or ``None`` (English).

    Exact language, script and territory first; then a catalog for the language
    and script without territory; then one for another territory of the same
    language and script (pt-PT gets pt_BR, zh-HK gets zh_TW, never zh_CN).

    >>> catalog_for("zh-HK"), catalog_for("fr-CA"), catalog_for("sw")
    ('zh_TW', 'fr', None)
    """
    want = parse_tag(tag)
    tags = _catalog_tags()
    same = [c for c, t in tags.items() if (t.language, t.script) == (want.language, want.script)]
    exact = [c for c in same if tags[c].territory == want.territory and "_" in c]
    bare = [c for c in same if "_" not in c]
    for group in (exact, bare, same):
        if group:
            return group[0]
    return None


def compile_po(po_path: Path) -> bytes:
    """Compile a ``.po`` file to ``.mo`` bytes (fuzzy entries left out)."""
    try:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, ignore_obsolete=True)
    except Exception as exc:  # babel raises plain errors on bad syntax
        raise CatalogError(
            f"cannot read translation catalog: {exc}", Location.of(po_path),
            "check the file with: pybabel compile -d layouts/locale -D printkit",
        ) from exc
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _load(po_path: Path) -> gettext.GNUTranslations:
    mo_path = po_path.with_suffix(".mo")
    if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        data = mo_path.read_bytes()
    else:
        data = compile_po(po_path)
    return gettext.GNUTranslations(io.BytesIO(data))


@cache
def catalog_translations(catalog_id: str) -> gettext.GNUTranslations:
    """The translations of one catalog (``pt_BR``)."""
    return _load(catalogs()[catalog_id])


#: The message ids themselves: one object, so caches keyed on translations stay small.
ENGLISH = gettext.NullTranslations()


def translations(tag: str) -> gettext.NullTranslations:
    """The translations for a locale tag, falling back to English (the message ids)."""
    catalog_id = catalog_for(tag)
    if catalog_id is None:
        return ENGLISH
    return catalog_translations(catalog_id)


def template_ids() -> list[str]:
    """The message ids of ``printkit.pot`` (the strings every catalog should translate)."""
    with template_path().open("rb") as handle:
        template = read_po(handle)
    return [str(m.id) for m in template if m.id]


def locale_completeness() -> dict[str, float]:
    """Catalog tag (``pt-BR``) -> share of the template's strings translated (0.0-1.0).

    Fuzzy and empty translations do not count; neither do strings missing from
    the catalog (run ``pybabel update`` after ``pybabel extract``).
    """
    ids = set(template_ids())
    out: dict[str, float] = {}
    for catalog_id, po_path in catalogs().items():
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        done = {
            str(m.id) for m in catalog if m.id and m.string and not m.fuzzy and str(m.id) in ids
        }
        out[catalog_tag(catalog_id)] = len(done) / len(ids) if ids else 1.0
    return out
