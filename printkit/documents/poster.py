"""The poster: event, date, place and a QR code big enough to scan from across the hall.

Type is sized from the page width (a unit of 1/100 of it, passed to the
template), so one design serves A4 to 18×24 in. Before writing, the laid-out
page is checked: the title may take at most ``title_max_lines`` lines, no line
may stick out of its box, and everything must fit one page. If not, the title
(then everything) is set smaller, step by step, until it fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..diagnostics import Diagnostics
from ..errors import InputError, Location, UsageError
from ..layouts import PAPER_SIZES_MM, find_layout, paper_name
from ..locale import LocaleContext
from ..options import CommonOptions
from ..output import atomic_write
from ..qr import encode, short_url, side_for_distance
from ..render import printmarks, qrstamp
from .common import DocumentMeta, css_string, render_document_fitted, render_settings

#: Designs shipped with printkit (``--design``); any layout folder works too.
DESIGNS = ("poster", "poster-bold")
#: Bleed added for print shops (mm).
BLEED_MM = 3.0
#: Title sizes tried in turn, then everything smaller, until the page fits.
TITLE_STEPS = (1.0, 0.88, 0.77, 0.68, 0.6, 0.52, 0.45, 0.39, 0.34, 0.3)
#: (text, QR code) scales tried once the title fits its lines but the page overflows.
SHRINK_STEPS = ((0.95, 0.92), (0.9, 0.85), (0.85, 0.78), (0.8, 0.7), (0.7, 0.62), (0.6, 0.55))
#: Free space (mm) below which a poster is not spread out.
MIN_SPREAD_MM = 4.0
#: Largest share of the page width the QR code may take.
QR_MAX_WIDTH_SHARE = 0.62
#: Largest share of the page height the QR code may take.
QR_MAX_HEIGHT_SHARE = 0.36


@dataclass(frozen=True)
class PosterOptions(CommonOptions):
    """Options of :func:`build_poster` (event facts come from ``event``)."""

    #: A line under the title.
    tagline: str = ""
    #: Where the QR code leads; empty = the event's site URL.
    url: str = ""
    #: The call to action above the code; empty = "Scan to sign up" (translated).
    call_to_action: str = ""
    #: An optional picture (its folder becomes readable for this document only).
    image: Path | None = None
    #: What the picture shows, for screen readers and PDF/UA; empty = the poster's title.
    image_alt: str = ""
    #: Layout name or folder: ``poster`` or ``poster-bold``.
    design: str = "poster"
    #: Scanning distance in millimetres; ``None`` = as large as the design allows.
    scan_distance_mm: float | None = None
    #: Add 3 mm bleed, crop marks, TrimBox and BleedBox for a print shop.
    print_shop: bool = False
    #: Print resolution for raster images (downsampled to it).
    dpi: int = 300
    #: Recompress images losslessly.
    optimize_images: bool = True


@dataclass(frozen=True)
class PosterResult:
    """What a poster build produced."""

    pdf: bytes
    pages: int
    paper: str
    url: str
    qr_side_mm: float
    title_scale: float
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def scan_distance_mm(self) -> float:
        """How far away the printed code still scans (side × 10)."""
        return self.qr_side_mm * 10


def poster_paper(locale: LocaleContext, paper: str | None) -> str:
    """The paper: the user's choice, else A3 (Tabloid where Letter is the norm).

    >>> us, fr = LocaleContext.parse("en-US"), LocaleContext.parse("fr")
    >>> poster_paper(us, None), poster_paper(fr, None), poster_paper(fr, "a2")
    ('Tabloid', 'A3', 'A2')
    """
    if paper:
        return paper_name(paper)
    return "Tabloid" if locale.paper == "Letter" else "A3"


def parse_distance(value: str | float | None, where: str = "--scan-distance") -> float | None:
    """``2m``, ``150cm``, ``800mm`` or a number of metres → millimetres.

    >>> parse_distance("2m"), parse_distance("150 cm"), parse_distance(1.5)
    (2000.0, 1500.0, 1500.0)
    """
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        metres = float(value)
    else:
        text = value.strip().lower().replace(" ", "")
        for suffix, factor in (("mm", 0.001), ("cm", 0.01), ("m", 1.0)):
            if text.endswith(suffix):
                text, scale = text[: -len(suffix)], factor
                break
        else:
            scale = 1.0
        try:
            metres = float(text.replace(",", ".")) * scale
        except ValueError:
            raise UsageError(
                f"{where}: {value!r} is not a distance", hint="e.g. 2m, 150cm or 800mm"
            ) from None
    if not 0 < metres <= 50:
        raise UsageError(f"{where}: {value!r} is out of range", hint="between 0 and 50 m")
    return metres * 1000


def qr_side(
    url: str, paper: str, distance_mm: float | None, diagnostics: Diagnostics, source: str
) -> float:
    """The printed side of the code (mm, quiet zone included) for ``paper`` and distance."""
    width, height = PAPER_SIZES_MM[paper]
    code = encode(url)
    largest = min(width * QR_MAX_WIDTH_SHARE, height * QR_MAX_HEIGHT_SHARE)
    if distance_mm is None:
        return round(largest, 1)
    wanted = side_for_distance(distance_mm, code)
    if wanted > largest:
        diagnostics.warn(
            "qr-distance",
            f"{source}: a code scannable from {distance_mm / 1000:g} m needs {wanted:.0f} mm;"
            f" {paper} allows {largest:.0f} mm (scans from about {largest / 100:.1f} m)",
        )
        return round(largest, 1)
    return round(wanted, 1)


def when_lines(options: PosterOptions, locale: LocaleContext) -> tuple[str, str]:
    """The localised date, and the time (``14:00 – 16:00`` when a duration is known)."""
    event = options.event
    date = locale.format_date(event.date, "full") if event.date else ""
    if event.end_date and event.date and event.end_date != event.date:
        date += " – " + locale.format_date(event.end_date, "full")
    time = ""
    if event.start:
        time = locale.format_time(event.start)
        if event.duration:
            start = dt.datetime.combine(event.date or dt.date(2000, 1, 1), event.start)
            end = (start + dt.timedelta(minutes=event.duration)).time()
            time += " – " + locale.format_time(end)
    return date, time


def _image_uri(options: PosterOptions) -> str:
    if options.image is None:
        return ""
    path = Path(options.image)
    if not path.is_file():
        raise InputError(
            f"poster image {str(path)!r} does not exist",
            Location.of(path),
            "give an existing PNG, JPEG or SVG file",
        )
    return path.resolve().as_uri()


@dataclass
class _Fit:
    """The fit search: set the title size first (by lines), then shrink the rest to one page.

    Once a candidate fits, the free height left at the bottom of the page is
    measured and one last candidate spreads it out (``spacer`` in the
    template), so tall papers are not top-heavy.
    """

    max_lines: int
    title_ok: bool = False
    scales: tuple[float, float, float] = (1.0, 1.0, 1.0)
    #: Free height (mm) of the last fitting candidate, waiting to be spread out.
    free_mm: float | None = None
    spacer_mm: float = 0.0

    def steps(self) -> Iterator[tuple[float, float, float]]:
        title = TITLE_STEPS[-1]
        # A title too long for the layout's line limit even at the smallest size may take
        # more lines (twice the limit, then any number) rather than never fit.
        for limit in (self.max_lines, self.max_lines * 2, 99):
            self.max_lines = limit
            for title in TITLE_STEPS:
                yield self._take((title, 1.0, 1.0))
                if self.free_mm is not None:
                    yield from self._spread()
                    return
                if self.title_ok:
                    break
            if self.title_ok:
                break
        for body, qr in SHRINK_STEPS:
            yield self._take((title, body, qr))
            if self.free_mm is not None:
                yield from self._spread()
                return

    def _spread(self) -> Iterator[tuple[float, float, float]]:
        # A little less than measured: rounding must never push the poster to a second page.
        self.spacer_mm = round(max(0.0, (self.free_mm or 0.0) - 1.0) * 0.95, 1)
        yield self.scales

    def _take(self, scales: tuple[float, float, float]) -> tuple[float, float, float]:
        self.scales = scales
        return scales

    def __call__(self, document: Any) -> bool:
        boxes = [page._page_box for page in document.pages]
        lines = sum(title_lines(box) for box in boxes)
        overflow = sum(overflowing_lines(box) for box in boxes)
        self.title_ok = 0 < lines <= self.max_lines and overflow == 0
        fits = self.title_ok and len(document.pages) == 1
        if fits and self.free_mm is None:
            free = free_height_mm(boxes[0])
            if free > MIN_SPREAD_MM:
                self.free_mm = free
                return False  # ask for the spread-out candidate
        return fits


def build_poster(options: PosterOptions, diagnostics: Diagnostics | None = None) -> PosterResult:
    """Lay out and render a poster; nothing is written."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics(strict=options.strict)
    locale = LocaleContext.parse(options.locale)
    layout = find_layout(options.design, options.layout_dirs)
    paper = poster_paper(locale, options.paper)
    if layout.papers and paper not in layout.papers:
        diagnostics.warn(
            "paper",
            f"layout {layout.name!r} is not designed for {paper}",
            Location.of(layout.folder),
        )
    event = options.event
    title = event.name or options.tagline
    if not title:
        raise UsageError("a poster needs an event name", hint="pass --event 'Name'")
    url = options.url or event.site_url
    source = f"poster {layout.name} {paper} {locale.tag}"
    side = qr_side(url, paper, options.scan_distance_mm, diagnostics, source)
    width_mm = PAPER_SIZES_MM[paper][0]
    date, time = when_lines(options, locale)
    base: dict[str, Any] = {
        "title": title,
        "tagline": options.tagline if event.name else "",
        "date": date,
        "time": time,
        "place": event.place,
        "organiser": event.organiser,
        "image": _image_uri(options),
        "image_alt": options.image_alt or title,
        "url": url,
        "short_url": short_url(url),
        "call_to_action": options.call_to_action,
        "u": round(width_mm / 100, 3),
        "page_w": width_mm,
        "page_h": PAPER_SIZES_MM[paper][1],
        "bleed": BLEED_MM,
        "footer_css": Markup(
            css_string(
                " · ".join(locale.gettext(s) for s in ("Free event", "All welcome"))
            ).replace("<", "\\3C ")
        ),
        "print_css": Markup(
            f"@page {{ bleed: {printmarks.css_bleed_mm(BLEED_MM)}mm; }}"
            if options.print_shop
            else ""
        ),
        "rtl": locale.direction == "rtl",
        "max_lines": int(layout.config.get("title_max_lines", 3)),
    }
    meta = DocumentMeta(
        title=title,
        subject=" · ".join(p for p in (options.tagline, date, event.place) if p),
        author=event.organiser,
        keywords="poster",
    )
    fit = _Fit(max_lines=base["max_lines"])

    def contexts() -> Iterator[dict[str, Any]]:
        for title_scale, body_scale, qr_scale in fit.steps():
            final = round(side * qr_scale, 1)
            yield {
                **base,
                "title_scale": title_scale,
                "spacer": fit.spacer_mm,
                "body_scale": body_scale,
                "qr": qrstamp.slot(url, side=f"{final}mm"),
                "qr_side": f"{final}mm",
                # Monospace: about 0.6 em a character; the URL stays on one line under the code.
                "url_font": round(final * 0.95 / (0.6 * max(len(base["short_url"]), 1)), 2),
            }

    asset_dirs = options.asset_dirs
    if options.image is not None:
        asset_dirs = (*asset_dirs, Path(options.image).resolve().parent)
    rendered = render_document_fitted(
        layout,
        contexts(),
        fit,
        locale=locale,
        paper=paper,
        meta=meta,
        diagnostics=diagnostics,
        settings=replace(
            render_settings(options, dpi=options.dpi),
            allowed_dirs=asset_dirs,
            optimize_images=options.optimize_images,
            print_bleed_mm=BLEED_MM if options.print_shop else None,
        ),
        source=source,
    )
    title_scale, _body, qr_scale = fit.scales
    final_side = round(side * qr_scale, 1)
    shrunk = final_side < side - 0.05
    if shrunk and options.scan_distance_mm and final_side * 10 < options.scan_distance_mm * 0.999:
        diagnostics.warn(
            "qr-distance",
            f"{source}: the code had to shrink to {final_side:.0f} mm to fit the page;"
            f" it scans from about {final_side / 100:.1f} m,"
            f" not {options.scan_distance_mm / 1000:g} m",
        )
    return PosterResult(
        rendered.data, rendered.pages, paper, url, final_side, title_scale, diagnostics
    )


def write_poster(
    options: PosterOptions, output: Path, diagnostics: Diagnostics | None = None
) -> PosterResult:
    """Build a poster and write it atomically to ``output``; strict mode checked before."""
    result = build_poster(options, diagnostics)
    result.diagnostics.raise_if_strict()
    atomic_write(output, result.pdf)
    return result


# --------------------------------------------------------------------------
# Fit check on WeasyPrint's layout boxes


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return set()
    return set(str(element.get("class") or "").split())


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def overflowing_lines(box: Any, tolerance: float = 0.5) -> int:
    """How many line boxes under ``box`` stick out of their containing block."""
    count = 0
    for block in _walk(box):
        lines = [c for c in getattr(block, "children", None) or () if type(c).__name__ == "LineBox"]
        if not lines:
            continue
        left = block.content_box_x()
        right = left + block.width
        for line in lines:
            for child in _walk(line):
                if type(child).__name__ != "TextBox" or not child.text.strip():
                    continue
                if child.position_x < left - tolerance or (
                    child.position_x + child.margin_width() > right + tolerance
                ):
                    count += 1
    return count


def title_lines(page_box: Any) -> int:
    """Line boxes of the element with class ``poster-title`` (0 when absent)."""
    for box in _walk(page_box):
        if "poster-title" in _classes(box):
            return sum(1 for b in _walk(box) if type(b).__name__ == "LineBox")
    return 0


def free_height_mm(page_box: Any) -> float:
    """Height left between the end of the content and the bottom of the page area."""
    bottom = page_box.content_box_y() + page_box.height
    roots = [b for b in page_box.children if getattr(b, "element_tag", None) == "html"]
    if not roots:
        return 0.0
    content = roots[0]
    end = max(
        (b.position_y + b.margin_height() for b in _walk(content) if b.position_y is not None),
        default=bottom,
    )
    return max(0.0, float(bottom - end) * 25.4 / 96)
