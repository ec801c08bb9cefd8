"""Templates compiled once per process, shared by the environments of every catalog."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from printkit.layouts import find_layout, render_html


def _translations(locale: str, greeting: str) -> gettext.GNUTranslations:
    catalog = Catalog(locale=locale)
    catalog.add("Welcome", greeting)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _layout(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.toml").write_text(
        'name = "sign"\ntemplate = "sign.html.j2"\nstylesheets = []\npapers = ["A4"]\n',
        encoding="utf-8",
    )
    (folder / "sign.html.j2").write_text(body, encoding="utf-8")
    return folder


def test_each_catalog_renders_its_text_from_one_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str | None] = []
    compile_source = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return compile_source(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    layout = find_layout(_layout(tmp_path / "sign", "<p>{{ _('Welcome') }}, {{ who }}</p>"))
    french = render_html(layout, {"who": "Ada"}, _translations("fr", "Bienvenue"))
    german = render_html(layout, {"who": "Ada"}, _translations("de", "Willkommen"))
    assert french == "<p>Bienvenue, Ada</p>"
    assert german == "<p>Willkommen, Ada</p>"
    assert len(compiled) == 1  # the second catalog's environment reused the code
    # Names are data: escaped as before, whichever environment compiled the code.
    assert render_html(layout, {"who": "<b>"}, _translations("de", "Hallo")) == (
        "<p>Hallo, &lt;b&gt;</p>"
    )


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    folder = _layout(tmp_path / "sign", "<p>{{ who }}</p>")
    layout = find_layout(folder)
    assert render_html(layout, {"who": "Ada"}) == "<p>Ada</p>"
    (folder / "sign.html.j2").write_text("<h1>{{ who }}</h1>", encoding="utf-8")
    # another catalog's environment: only the shared compiled code could be stale
    assert render_html(layout, {"who": "Ada"}, _translations("fr", "Bienvenue")) == (
        "<h1>Ada</h1>"
    )
