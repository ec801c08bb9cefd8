"""Layout-string catalogs: every shipped locale loads, is complete and translates."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po

from printkit import i18n
from printkit.locale import LocaleContext

#: The locales the project promises (issue 3); the catalogs may hold more.
REQUIRED = (
    "en", "fr", "es", "pt-BR", "de", "it", "nl", "pl", "tr", "ru", "uk", "el", "ar", "he", "fa",
    "hi", "bn", "ta", "th", "vi", "id", "zh-CN", "zh-TW", "ja", "ko",
)
SHIPPED = sorted(i18n.catalogs())
US_SPELLING = {
    "Organiser": "Organizer",
    "Organised by %(organiser)s": "Organized by %(organiser)s",
}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def every_catalog(func):  # type: ignore[no-untyped-def]
    """Run a test once per shipped catalog (as Babel's ``all_locales`` marker does)."""
    return pytest.mark.parametrize("catalog_id", SHIPPED)(func)


def test_required_locales_are_shipped() -> None:
    assert set(REQUIRED) <= {i18n.catalog_tag(c) for c in SHIPPED}


def test_completeness_is_reported_for_every_catalog() -> None:
    completeness = i18n.locale_completeness()
    assert set(completeness) == {i18n.catalog_tag(c) for c in SHIPPED}
    assert {tag: completeness[tag] for tag in REQUIRED} == dict.fromkeys(REQUIRED, 1.0)


def test_template_holds_the_layout_messages() -> None:
    assert set(i18n.LAYOUT_MESSAGES) <= set(i18n.template_ids())


@every_catalog
def test_catalog_loads_and_translates(catalog_id: str) -> None:
    ctx = LocaleContext.parse(i18n.catalog_tag(catalog_id))
    translations = i18n.catalog_translations(catalog_id)
    assert isinstance(translations, gettext.GNUTranslations)
    # The locale the catalog is named after uses it, unless a more specific catalog
    # exists for it ("en" is en-US by likely subtags, which has its own en_US).
    chosen = i18n.catalog_for(ctx.tag)
    assert chosen == catalog_id or (chosen and chosen.startswith(catalog_id + "_"))
    if chosen == catalog_id:
        assert ctx.translations is translations
    translated = {m: translations.gettext(m) for m in i18n.template_ids()}
    assert all(translated.values())
    if ctx.language == "en":
        changed = {m: t for m, t in translated.items() if t != m}
        # en is British English as written in the message ids; en_US only respells.
        assert changed == (US_SPELLING if catalog_id == "en_US" else {})
    else:
        changed = [m for m, t in translated.items() if t != m]
        # Short words may legitimately stay ("Video", "Total"); most must change.
        assert len(changed) >= 0.75 * len(translated), sorted(set(translated) - set(changed))
        for message in ("Scan to open", "Certificate of achievement", "Page %(page)s of %(pages)s"):
            assert translated[message] != message


@every_catalog
def test_placeholders_survive_translation(catalog_id: str) -> None:
    with i18n.catalogs()[catalog_id].open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(str(message.string))) == sorted(
                PLACEHOLDER.findall(str(message.id))
            ), (catalog_id, message.id)
            values = {"page": 2, "pages": 3, "number": 4, "minutes": 5, "organiser": "Ada",
                      "event": "Hour of Code", "name": "Ada"}
            str(message.string) % values  # formats without KeyError/ValueError


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("fr-FR", "Page 2 sur 3"),
        ("de", "Seite 2 von 3"),
        ("ja", "2 / 3 ページ"),
        ("ar-SA", "الصفحة 2 من 3"),
        ("zh-HK", "第 2 頁，共 3 頁"),  # Traditional script: zh_TW, never zh_CN
        ("pt-PT", "Página 2 de 3"),  # same language and script: pt_BR
        ("sw-KE", "Page 2 of 3"),  # no catalog: English
        ("en-GB", "Page 2 of 3"),
    ],
)
def test_jinja_newstyle_gettext(tag: str, expected: str) -> None:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(  # type: ignore[attr-defined]
        LocaleContext.parse(tag).translations, newstyle=True
    )
    template = env.from_string('{{ _("Page %(page)s of %(pages)s", page=2, pages=3) }}')
    assert template.render() == expected


def test_untranslated_message_falls_back_to_english() -> None:
    assert LocaleContext.parse("fr").gettext("A message no catalog has") == (
        "A message no catalog has"
    )


def test_compiled_mo_round_trips(tmp_path: Path) -> None:
    """``pybabel compile`` output and the in-memory compile agree, message by message."""
    source = i18n.catalog_dir()
    for catalog_id in ("fr", "ja", "ar", "zh_TW"):
        target = tmp_path / catalog_id / "LC_MESSAGES"
        target.mkdir(parents=True)
        po = source / catalog_id / "LC_MESSAGES" / "printkit.po"
        mo = target / "printkit.mo"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "-i", str(po),
             "-o", str(mo), "-D", "printkit"],
            check=True, capture_output=True,
        )
        from_file = gettext.translation("printkit", tmp_path, languages=[catalog_id])
        in_memory = i18n.translations(i18n.catalog_tag(catalog_id))
        ids = i18n.template_ids()
        assert [from_file.gettext(m) for m in ids] == [in_memory.gettext(m) for m in ids]
        assert from_file.gettext("Scan to open") != "Scan to open"


def test_stale_mo_is_ignored(tmp_path: Path) -> None:
    """A ``.mo`` older than its ``.po`` is not used: the ``.po`` is compiled instead."""
    po = tmp_path / "printkit.po"
    po.write_bytes((i18n.catalog_dir() / "fr" / "LC_MESSAGES" / "printkit.po").read_bytes())
    mo = tmp_path / "printkit.mo"
    mo.write_bytes(b"not a mo file")
    os.utime(mo, (1, 1))
    assert i18n._load(po).gettext("Links") == "Liens"
    os.utime(mo, None)
    with pytest.raises(OSError):
        i18n._load(po)
