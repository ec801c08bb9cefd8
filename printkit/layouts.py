"""Layouts: folders of ``layout.toml`` + Jinja template + CSS, rendered to HTML.

A layout is data. ``layouts/<name>/layout.toml`` declares what it is::

    name = "handout"
    template = "template.html.j2"
    stylesheets = ["style.css"]          # relative to the layout folder
    papers = ["A4", "Letter", "A5"]      # sizes it is designed for
    orientation = "portrait"

Templates run in Jinja's sandbox with autoescaping; they may ``{% extends %}``
or ``{% import %}`` the shared templates of ``layouts/_base/``. Guide text
reaches them only as values (already escaped markup), never as template
source. Users add layouts with ``--layouts DIR`` without touching Python.

The declared stylesheets are not written into the HTML: the renderer gives
them to WeasyPrint already parsed (once per process), after the locale's page
and font CSS. A ``<style>`` element of a template comes after both.
"""

from __future__ import annotations

import gettext
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .errors import LayoutError, Location
from .resources import layouts_dir

if TYPE_CHECKING:
    import jinja2

#: Paper sizes in millimetres (portrait).
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A5": (148, 210),
    "A4": (210, 297),
    "A3": (297, 420),
    "A2": (420, 594),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
    "Tabloid": (279.4, 431.8),
    "18x24in": (457.2, 609.6),
}


def paper_name(value: str) -> str:
    """Normalise a paper name given by a user (``a4``, ``letter``, ``us-letter``).

    >>> paper_name("us-letter"), paper_name("a3")
    ('Letter', 'A3')
    """
    key = value.strip().lower().replace("us-", "").replace("_", "").replace(" ", "")
    for name in PAPER_SIZES_MM:
        if name.lower() == key:
            return name
    raise LayoutError(f"unknown paper size {value!r}", hint="one of " + ", ".join(PAPER_SIZES_MM))


@dataclass(frozen=True, slots=True)
class Layout:
    """A layout folder and its declaration."""

    name: str
    folder: Path
    template: str
    stylesheets: tuple[str, ...]
    papers: tuple[str, ...]
    orientation: str = "portrait"
    config: Mapping[str, Any] = field(default_factory=dict)

    def css(self) -> Markup:
        """The layout's stylesheets, concatenated (trusted: layout files, not input)."""
        parts = []
        for name in self.stylesheets:
            path = _inside(self.folder, name, self.folder / "layout.toml")
            parts.append(path.read_text(encoding="utf-8"))
        return Markup("\n".join(parts))


def _inside(folder: Path, name: str, where: Path) -> Path:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve().parent) or not path.is_file():
        raise LayoutError(f"layout file {name!r} is missing", Location.of(where))
    return path


def search_path(extra: Sequence[Path] = ()) -> list[Path]:
    """Where layouts are looked for: the user's folders first, then the shipped ones."""
    return [*map(Path, extra), layouts_dir()]


def find_layout(name_or_dir: str | Path, extra_dirs: Sequence[Path] = ()) -> Layout:
    """Load a layout by name (searched in :func:`search_path`) or from a folder."""
    candidates = [Path(name_or_dir)] if Path(name_or_dir).is_dir() else []
    candidates += [base / str(name_or_dir) for base in search_path(extra_dirs)]
    for folder in candidates:
        toml_path = folder / "layout.toml"
        if toml_path.is_file():
            return _load(folder, toml_path)
    names = sorted(
        p.parent.name for base in search_path(extra_dirs) for p in base.glob("*/layout.toml")
    )
    raise LayoutError(f"no layout {str(name_or_dir)!r}", hint="available: " + ", ".join(names))


def _load(folder: Path, toml_path: Path) -> Layout:
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"cannot read layout: {exc}", Location.of(toml_path)) from exc
    try:
        return Layout(
            name=str(data.get("name", folder.name)),
            folder=folder.resolve(),
            template=str(data.get("template", "template.html.j2")),
            stylesheets=tuple(str(s) for s in data.get("stylesheets", ["style.css"])),
            papers=tuple(paper_name(str(p)) for p in data.get("papers", ["A4", "Letter"])),
            orientation=str(data.get("orientation", "portrait")),
            config=data,
        )
    except LayoutError as exc:
        raise LayoutError(exc.message, Location.of(toml_path), exc.hint) from exc


def environment(
    layout: Layout, translations: gettext.NullTranslations | None = None
) -> jinja2.Environment:
    """A sandboxed, autoescaping Jinja environment for ``layout`` with gettext installed.

    Environments are kept per layout folder and catalog, so templates are compiled
    once per process (Jinja still reloads a template whose file changed).
    """
    from .i18n import ENGLISH  # noqa: PLC0415 - Babel's catalogs only when rendering

    return _environment(layout.folder, translations or ENGLISH)


@lru_cache(maxsize=1)
def _shared_bytecode() -> jinja2.BytecodeCache:
    """Compiled templates shared by the environments of every catalog.

    They are all made with the same settings (below) and differ only in the
    translations installed at run time, so a template compiles to the same code in
    each: compiling it once per process, not once per locale, saves 3-5 ms a template
    (a kit in three locales compiled each template three times). Jinja checks each
    entry against a checksum of the template's source, so a changed file is compiled
    again."""
    import jinja2  # noqa: PLC0415 - only when a template is rendered (start-up)

    class SharedBytecode(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            found = self.code.get(bucket.key)
            if found is not None:
                bucket.bytecode_from_string(found)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    return SharedBytecode()


@lru_cache(maxsize=64)
def _environment(folder: Path, translations: gettext.NullTranslations) -> jinja2.Environment:
    import jinja2  # noqa: PLC0415 - only when a template is rendered (start-up)
    from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415 - as above

    base = layouts_dir() / "_base"
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(folder), str(base)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_shared_bytecode(),
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(
    layout: Layout,
    context: Mapping[str, Any],
    translations: gettext.NullTranslations | None = None,
) -> str:
    """Render the layout's template with ``context`` to an HTML string."""
    import jinja2  # noqa: PLC0415 - only when a template is rendered (start-up)

    env = environment(layout, translations)
    try:
        template = env.get_template(layout.template)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(
            f"template syntax error: {exc.message}", Location.of(exc.filename, exc.lineno)
        ) from exc
    except jinja2.TemplateError as exc:
        raise LayoutError(
            f"template error: {exc}", Location.of(layout.folder / layout.template)
        ) from exc


def page_css(paper: str, orientation: str = "portrait") -> Markup:
    """``@page`` size for a paper name: ``A4``, ``Letter``…"""
    width, height = PAPER_SIZES_MM[paper_name(paper)]
    if orientation == "landscape":
        width, height = height, width
    return Markup(f"@page {{ size: {width}mm {height}mm; }}")
