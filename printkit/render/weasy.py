"""HTML → PDF with WeasyPrint, safely and reproducibly.

Metadata (title, language, author, subject, creator) comes from the HTML head
that layouts write; ``SOURCE_DATE_EPOCH`` sets the creation date when given
(else no date is written), so the same inputs give the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .native import import_weasyprint

import_weasyprint()  # first: its native libraries without ctypes' slow search (native.py)

# ruff: noqa: E402 - the imports below come after import_weasyprint() on purpose
import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

from ..diagnostics import Diagnostics
from ..errors import RenderError, UsageError
from ..logstate import ThreadHandler, held
from . import (
    cidsubset,
    fontbytes,
    gcpace,
    hyphcache,
    layoutkeep,
    linefloats,
    linememo,
    pangoshare,
    percentfast,
    printmarks,
    qrstamp,
    stackroom,
    strutmemo,
    stylefast,
    tagging,
    textlayer,
)
from .compress import compress_streams
from .fetcher import SafeFetcher
from .htmldoc import PrintkitHTML
from .variants import PDF_VARIANTS


@dataclass(frozen=True, slots=True)
class HtmlSource:
    """A document to render: its HTML and its stylesheets (CSS text, in cascade order).

    The stylesheets are parsed once per process and shared by every document that
    uses the same text; they cascade before any ``<style>`` of the HTML itself.
    """

    html: str
    stylesheets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """A rendered document: its bytes and page count."""

    data: bytes
    pages: int


class _Collector(ThreadHandler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasy_warnings() -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        with held("weasyprint", propagate=False):
            yield collector
    finally:
        logger.removeHandler(collector)


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """How a document is rendered, whatever its layout.

    ``allowed_dirs``: the folders it may read (besides its own layout folder);
    ``allow_network``: whether http(s) images may be fetched; ``variant``: a PDF
    variant (:data:`PDF_VARIANTS`); ``dpi`` caps the resolution of raster images
    (downsampled to it) and ``optimize_images`` recompresses them losslessly:
    both keep e-mailed PDFs small. ``print_bleed_mm`` makes a print-shop document
    (laid out with :func:`printmarks.css_bleed_mm` of CSS bleed): that bleed, a white
    slug and crop marks in it.
    """

    allowed_dirs: tuple[Path, ...] = ()
    allow_network: bool = False
    variant: str | None = None
    dpi: int | None = None
    optimize_images: bool = False
    print_bleed_mm: float | None = None


#: Nothing beyond the layout, no network, plain PDF, images as they are.
DEFAULT_SETTINGS = RenderSettings()


def html_to_pdf(
    html: str,
    *,
    stylesheets: tuple[str, ...] = (),
    base_dir: Path,
    diagnostics: Diagnostics,
    settings: RenderSettings = DEFAULT_SETTINGS,
    source: str = "<document>",
) -> RenderedPdf:
    """Render ``html`` (relative URLs resolve against ``base_dir``) to PDF bytes."""
    return html_to_pdf_fitted(
        [HtmlSource(html, stylesheets)],
        lambda _document: True,
        base_dir=base_dir,
        diagnostics=diagnostics,
        settings=settings,
        source=source,
    )


@cache
def _font_config() -> FontConfiguration:
    """One font configuration per process: Pango keeps its loaded faces and shaping caches
    between documents (a third of a handout's render time). Layouts load no web fonts of
    their own (system and bundled faces are found through fontconfig), so nothing leaks
    from one document into the next."""
    return FontConfiguration()


#: At-rules that act while a sheet is parsed: read files, or add to the document's counters.
_PARSE_TIME_RULES = ("@import", "@font-face", "@counter-style")


def _stylesheets(
    texts: tuple[str, ...], base_url: str, fetcher: SafeFetcher, counter_style: CounterStyle
) -> list[weasyprint.CSS]:
    """Parsed stylesheets: from the process cache unless they act while parsed."""
    sheets = []
    for text in texts:
        if any(rule in text for rule in _PARSE_TIME_RULES):
            # Parsed for this document: a refused file is reported for it, and its
            # counter styles are its own.
            sheets.append(
                weasyprint.CSS(
                    string=text,
                    base_url=base_url,
                    url_fetcher=fetcher,
                    font_config=_font_config(),
                    counter_style=counter_style,
                )
            )
        else:
            sheets.append(_parsed_css(text, base_url))
    return sheets


@lru_cache(maxsize=64)
def _parsed_css(text: str, base_url: str) -> weasyprint.CSS:
    """A stylesheet that fetches nothing while parsed (``url()`` values are fetched at
    layout time, by the document's own fetcher), shared between documents: parsing and
    compiling its selectors took a tenth of a handout's render time."""
    return weasyprint.CSS(string=text, base_url=base_url, font_config=_font_config())


def html_to_pdf_fitted(
    candidates: Iterable[HtmlSource],
    fits: Callable[[Any], bool],
    *,
    base_dir: Path,
    diagnostics: Diagnostics,
    settings: RenderSettings = DEFAULT_SETTINGS,
    source: str = "<document>",
) -> RenderedPdf:
    """Lay out each HTML candidate in turn; write the first whose layout ``fits``.

    ``fits`` receives the laid-out ``weasyprint.Document`` (pages and boxes), so a
    layout can try smaller type until its text fits the page. When no candidate
    fits, the last one is written and a ``does-not-fit`` warning recorded. The render
    runs with room on the frame stack (:mod:`.stackroom`).
    """
    return stackroom.call(
        _html_to_pdf_fitted,
        candidates,
        fits,
        base_dir=base_dir,
        diagnostics=diagnostics,
        settings=settings,
        source=source,
    )


def _html_to_pdf_fitted(
    candidates: Iterable[HtmlSource],
    fits: Callable[[Any], bool],
    *,
    base_dir: Path,
    diagnostics: Diagnostics,
    settings: RenderSettings,
    source: str,
) -> RenderedPdf:
    variant = settings.variant
    if variant is not None and variant not in PDF_VARIANTS:
        raise UsageError(
            f"unknown PDF variant {variant!r}", hint="one of " + ", ".join(PDF_VARIANTS)
        )
    textlayer.install()
    tagging.install()
    hyphcache.install()
    gcpace.install()
    cidsubset.install()
    fontbytes.install()
    pangoshare.install()
    linememo.install()
    linefloats.install()
    layoutkeep.install()
    strutmemo.install()
    percentfast.install()
    stylefast.install()
    fetcher = SafeFetcher([base_dir, *settings.allowed_dirs], allow_network=settings.allow_network)
    # WeasyPrint reads the image options when it loads images, at layout time.
    image_options: dict[str, Any] = {}
    if settings.dpi is not None:
        image_options["dpi"] = settings.dpi
    if settings.optimize_images:
        image_options["optimize_images"] = True
    document: Any = None
    with gcpace.fewer_collections(), _weasy_warnings() as warnings:
        try:
            base_url = str(base_dir) + "/"
            for candidate in candidates:
                warnings.messages.clear()
                html = PrintkitHTML.from_markup(
                    candidate.html,
                    base_url=base_url,
                    url_fetcher=fetcher,
                    stylesheets=candidate.stylesheets,
                )
                counters = CounterStyle()
                document = html.render(
                    font_config=_font_config(),
                    counter_style=counters,
                    stylesheets=_stylesheets(candidate.stylesheets, base_url, fetcher, counters),
                    **image_options,
                )
                if fits(document):
                    break
            else:
                if document is not None:
                    diagnostics.warn("does-not-fit", f"{source}: the content does not fit the page")
            if document is None:
                raise RenderError(f"{source}: nothing to render")
            qrstamp.install(document)
            bleed_mm = settings.print_bleed_mm
            if bleed_mm is not None:
                printmarks.install(document, bleed_mm)

            def finish(document: Any, pdf: Any) -> None:
                if bleed_mm is not None:
                    printmarks.set_bleed_boxes(pdf, bleed_mm)
                tagging.add_figures(document, pdf)
                cidsubset.bare_cff(document, pdf)
                compress_streams(document, pdf)

            data = document.write_pdf(
                pdf_variant=variant, pdf_identifier=True, finisher=finish, **image_options
            )
            pages = len(document.pages)
            gcpace.release(document)
            del document, html  # unused from here: freed before collections resume
        except (OSError, ValueError) as exc:  # pragma: no cover - WeasyPrint internals
            raise RenderError(f"{source}: rendering failed: {exc}") from exc
    for url in dict.fromkeys(fetcher.refused):
        diagnostics.warn(
            "fetch-refused", f"{source}: refused to read {url} (not an allowed folder)"
        )
    for message in warnings.messages:
        if "refused to fetch" in message or ("Failed to load" in message and fetcher.refused):
            continue
        code = "missing-glyph" if ".notdef" in message else "render"
        diagnostics.warn(code, f"{source}: {message}")
    assert isinstance(data, bytes)
    return RenderedPdf(data, pages)
