"""What every document shares: locale CSS, page labels, metadata, the render call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..diagnostics import Diagnostics
from ..errors import Location
from ..fonts import check_lines, css_font_family, report_missing
from ..fonts.select import faces_for_text
from ..fonts.system import fontconfig_covers
from ..layouts import Layout, page_css, paper_name, render_html
from ..locale import LocaleContext, Role
from ..model import Button, Code, Embed, Figure, Guide, Text, iter_block_inlines, iter_blocks
from ..options import CommonOptions
from ..output import creation_date
from ..render.weasy import (
    DEFAULT_SETTINGS,
    HtmlSource,
    RenderedPdf,
    RenderSettings,
    html_to_pdf_fitted,
)
from ..resources import assets_dir, fonts_dir


def css_string(text: str) -> str:
    """A CSS string literal.

    >>> css_string('Page "1"')
    '"Page \\\\"1\\\\""'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_label_content(gettext: Callable[[str], str], *, with_total: bool = True) -> str:
    """CSS ``content`` for the localised "Page N of M" (any word order).

    >>> page_label_content(lambda s: s)
    '"Page " counter(page) " of " counter(pages)'
    """
    message = gettext("Page %(page)s of %(pages)s") if with_total else gettext("Page %(page)s")
    parts: list[str] = []
    rest = message
    while rest:
        positions = [(rest.find(t), t) for t in ("%(page)s", "%(pages)s") if t in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, token = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append("counter(pages)" if token == "%(pages)s" else "counter(page)")
        rest = rest[index + len(token) :]
    return " ".join(parts)


def locale_css(
    locale: LocaleContext, paper: str, orientation: str = "portrait", text: str | None = None
) -> Markup:
    """Page size, page label and the locale's font stacks as CSS.

    With ``text``, each stack keeps only the faces that text needs (see
    :func:`printkit.fonts.select.faces_for_text`), which keeps Pango fast.
    """

    def family(role: Role) -> str:
        stack = locale.font_stack(role)
        if text is not None:
            stack = faces_for_text(stack, text)
        return css_font_family(stack, role)

    body, heading, display = family("body"), family("heading"), family("display")
    # The running title sits where reading starts: top left, or top right in RTL.
    side = "right" if locale.direction == "rtl" else "left"
    header = f"@top-{side} {{ content: string(doctitle); font-family: {body}; }}"
    label = page_label_content(locale.gettext)
    return Markup(
        f"{page_css(paper, orientation)}\n"
        f"@page {{ @bottom-center {{ content: {label}; font-family: {body}; }}"
        f" {header} }}\n"
        f"html {{ font-family: {body}; }}\n"
        f"h1, h2, h3, h4, h5, h6, th, .heading {{ font-family: {heading}; }}\n"
        f".display {{ font-family: {display}; }}\n"
    )


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """PDF metadata, written into the HTML head for WeasyPrint."""

    title: str
    subject: str = ""
    author: str = ""
    keywords: str = ""

    def as_context(self) -> dict[str, str]:
        stamp = creation_date()
        created = stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if stamp else ""
        return {
            "title": self.title,
            "subject": self.subject,
            "author": self.author,
            "keywords": self.keywords,
            "version": __version__,
            "created": created,
        }


def resolve_paper(locale: LocaleContext, paper: str | None) -> str:
    """The paper to use: the user's choice, else the locale's default."""
    return paper_name(paper) if paper else locale.paper


def document_html(
    layout: Layout,
    context: Mapping[str, Any],
    *,
    locale: LocaleContext,
    paper: str,
    meta: DocumentMeta,
) -> HtmlSource:
    """``layout`` rendered with ``context`` for ``locale`` and ``paper``: its HTML, then
    the locale CSS (font stacks trimmed to the HTML's text) and the layout's CSS."""
    full_context = {**context, "locale": locale, "meta": meta.as_context()}
    html = render_html(layout, full_context, locale.translations)
    css = locale_css(locale, paper, layout.orientation, text=html)
    return HtmlSource(html, (str(css), str(layout.css())))


def render_settings(options: CommonOptions, *, dpi: int | None = None) -> RenderSettings:
    """What a document built with ``options`` may read and how its PDF is written."""
    return RenderSettings(
        allowed_dirs=options.asset_dirs,
        allow_network=options.allow_network,
        variant=options.pdf_variant,
        dpi=dpi,
        optimize_images=dpi is not None,
    )


def render_document(
    layout: Layout,
    context: Mapping[str, Any],
    *,
    locale: LocaleContext,
    paper: str,
    meta: DocumentMeta,
    diagnostics: Diagnostics,
    settings: RenderSettings = DEFAULT_SETTINGS,
    source: str = "<document>",
) -> RenderedPdf:
    """Render ``layout`` with ``context`` for ``locale`` to PDF bytes."""
    return render_document_fitted(
        layout,
        [context],
        lambda _document: True,
        locale=locale,
        paper=paper,
        meta=meta,
        diagnostics=diagnostics,
        settings=settings,
        source=source,
    )


def render_document_fitted(
    layout: Layout,
    contexts: Iterable[Mapping[str, Any]],
    fits: Callable[[Any], bool],
    *,
    locale: LocaleContext,
    paper: str,
    meta: DocumentMeta,
    diagnostics: Diagnostics,
    settings: RenderSettings = DEFAULT_SETTINGS,
    source: str = "<document>",
) -> RenderedPdf:
    """Render the first of ``contexts`` whose laid-out document ``fits`` (e.g. smaller type).

    Besides ``settings.allowed_dirs``, the document may read the layouts, and
    printkit's own assets and fonts.
    """
    candidates = (
        document_html(layout, context, locale=locale, paper=paper, meta=meta)
        for context in contexts
    )
    shipped = (layout.folder.parent, assets_dir(), fonts_dir())
    return html_to_pdf_fitted(
        candidates,
        fits,
        base_dir=layout.folder,
        diagnostics=diagnostics,
        settings=replace(settings, allowed_dirs=(*shipped, *settings.allowed_dirs)),
        source=source,
    )


def guide_lines(guide: Guide) -> Iterator[tuple[str, Location | None]]:
    """The text of a guide block by block, with where each block was written."""
    source = Location.of(guide.source) if guide.source else None
    yield guide.title, source
    for block in iter_blocks(guide.blocks):
        leaves = [i.text for i in iter_block_inlines(block) if isinstance(i, Text | Code)]
        if isinstance(block, Button):
            leaves.append(block.label)
        elif isinstance(block, Embed | Figure):
            leaves.append(block.title if isinstance(block, Embed) else block.image.alt)
        yield " ".join(leaves), block.location or source


def check_glyphs(
    lines: Iterable[tuple[str, Location | None]],
    locale: LocaleContext,
    diagnostics: Diagnostics,
    *,
    strict: bool = False,
    role: Role = "body",
) -> None:
    """Warn (or, strict, fail) for every character no font can set.

    For documents WeasyPrint renders, a character outside the locale's stack that
    some installed font has still prints (Pango falls back to it): only characters
    no installed font covers are reported.
    """
    missing = [m for m in check_lines(lines, locale, role) if not fontconfig_covers(m.char)]
    report_missing(missing, diagnostics, strict=strict)
