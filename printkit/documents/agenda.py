"""The agenda: a guide's run-of-show, re-timed if asked, printed large on one page.

The plan is found in the guide (:func:`printkit.schedule.find_schedules`),
checked (warnings name the rows), re-timed (``start``/``duration``) and laid
out by ``layouts/agenda/``: big times, the activity with its numbered links,
the duration and a tick box per slot. The layout is tried at decreasing
densities until it fits one page; ``card=True`` prints an A5 card.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..diagnostics import Diagnostics
from ..errors import Location, ScheduleError, UsageError
from ..layouts import find_layout
from ..locale import LocaleContext
from ..markup import MarkupContext, inlines_html
from ..model import Event, Guide, Schedule
from ..options import HandoutOptions
from ..output import atomic_write
from ..references import Reference, References
from ..schedule import (
    ScheduleReport,
    check_schedule,
    find_schedules,
    format_duration,
    format_time,
    localize_digits,
    retime,
    to_csv,
    to_ics,
    to_json,
)
from .common import (
    DocumentMeta,
    check_glyphs,
    guide_lines,
    render_document_fitted,
    render_settings,
    resolve_paper,
)
from .handout import load_guide

#: Densities tried in turn until the agenda fits one page (CSS classes of the layout).
DENSITIES = ("roomy", "normal", "compact", "tight", "tiny")


@dataclass(frozen=True)
class AgendaOptions(HandoutOptions):
    """Options of :func:`build_agenda` (the handout's, plus the card variant)."""

    #: Layout name or folder.
    layout: str = "agenda"
    #: Print an A5 card instead of a full page.
    card: bool = False
    #: Which schedule of the guide, when it has several (0 = the first).
    schedule_index: int = 0


@dataclass(frozen=True)
class AgendaResult:
    """What an agenda build produced."""

    pdf: bytes
    pages: int
    paper: str
    guide: Guide
    original: Schedule
    schedule: Schedule
    report: ScheduleReport
    references: tuple[Reference, ...]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One slot, ready for the template (every text already escaped)."""

    start: str
    end: str
    duration: str
    activity: Markup
    number: str
    #: The guide's time for this row was unreadable: inferred from its neighbours.
    inferred: bool = False


def choose_schedule(guide: Guide, index: int, diagnostics: Diagnostics) -> Schedule:
    """The ``index``-th schedule of ``guide``, or a :class:`ScheduleError` saying why not."""
    schedules = find_schedules(guide, diagnostics)
    if not schedules:
        raise ScheduleError(
            "the guide has no run-of-show table",
            _location(guide),
            "a schedule is a table whose first column holds times, e.g. 10:00 - 10:05",
        )
    if not 0 <= index < len(schedules):
        raise ScheduleError(
            f"the guide has {len(schedules)} schedule(s), not {index + 1}", _location(guide)
        )
    return schedules[index]


def _location(guide: Guide) -> Location | None:
    return Location.of(guide.source) if guide.source else None


#: The start times are set at most this large (pt; the roomiest density) and bold Noto
#: digits are about 0.6 em wide: the time column is sized from the longest label.
_START_PT = 22
_EM_PER_CHAR = 0.6


def time_column_width(rows: list[AgendaRow]) -> str:
    """CSS width of the time column: its longest start time, plus padding.

    >>> twelve = AgendaRow("10:00 a.m.", "10:05 a.m.", "5 min", Markup(""), "1")
    >>> twenty_four = AgendaRow("14:30", "14:35", "5 min", Markup(""), "1")
    >>> time_column_width([twelve]), time_column_width([twenty_four])
    ('52.6mm', '29.3mm')
    """
    longest = max((len(row.start) for row in rows), default=5)
    return f"{longest * _EM_PER_CHAR * _START_PT * 25.4 / 72 + 6:.1f}mm"


def agenda_rows(schedule: Schedule, locale: LocaleContext, ctx: MarkupContext) -> list[AgendaRow]:
    """The rows of the agenda: localised times and durations, activity HTML."""
    tag = locale.tag
    return [
        AgendaRow(
            start=format_time(slot.start, tag),
            end=format_time(slot.end, tag),
            duration=format_duration(slot.duration, tag),
            activity=Markup(inlines_html(slot.activity, ctx)),
            number=localize_digits(str(index), tag),
            inferred=slot.inferred,
        )
        for index, slot in enumerate(schedule.slots, 1)
    ]


def event_details(event: Event, schedule: Schedule, locale: LocaleContext) -> list[tuple[str, str]]:
    """(label, value) pairs for the header: date, time span, place, organiser."""
    gt = locale.gettext
    tag = locale.tag
    out: list[tuple[str, str]] = []
    if event.date:
        out.append((gt("Date"), localize_digits(locale.format_date(event.date, "full"), tag)))
    if schedule.start is not None and schedule.end is not None:
        span = f"{format_time(schedule.start, tag)} – {format_time(schedule.end, tag)}"
        out.append((gt("Time"), span))
    if event.place:
        out.append((gt("Place"), event.place))
    if event.organiser:
        out.append((gt("Organiser"), event.organiser))
    return out


def _contexts(base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for density in DENSITIES:
        yield {**base, "density": density}


def build_agenda(options: AgendaOptions, diagnostics: Diagnostics | None = None) -> AgendaResult:
    """Read the guide, check and re-time its plan, render the agenda; nothing is written."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics(strict=options.strict)
    locale = LocaleContext.parse(options.locale)
    guide = load_guide(options, locale, diagnostics)
    check_glyphs(guide_lines(guide), locale, diagnostics, strict=options.strict)
    original = choose_schedule(guide, options.schedule_index, diagnostics)
    report = check_schedule(original, diagnostics)
    schedule = retime(original, start=options.start, duration=options.duration)
    references = References()
    ctx = MarkupContext(
        references=references, gettext=locale.gettext, allow_network=options.allow_network
    )
    rows = agenda_rows(schedule, locale, ctx)
    title = options.event.name or guide.title
    layout = find_layout(options.layout, options.layout_dirs)
    paper = "A5" if options.card else resolve_paper(locale, options.paper)
    total = 0 if schedule.start is None or schedule.end is None else schedule.end - schedule.start
    base: dict[str, Any] = {
        "title": title,
        "guide_title": guide.title if guide.title != title else "",
        "details": event_details(options.event, schedule, locale),
        "rows": rows,
        "inferred": any(row.inferred for row in rows),
        "time_width": time_column_width(rows),
        "total": format_duration(total, locale.tag),
        "references": [
            {
                "number": localize_digits(str(r.number), locale.tag),
                "ref": r,
                "qr": r.qr_slot,
            }
            for r in references.entries
        ],
        "card": options.card,
        "body_class": "agenda-card" if options.card else "agenda-page",
    }
    meta = DocumentMeta(
        title=title,
        subject=guide.title,
        author=options.event.organiser,
        keywords="agenda, run of show",
    )
    rendered = render_document_fitted(
        layout,
        _contexts(base),
        lambda document: len(document.pages) == 1,
        locale=locale,
        paper=paper,
        meta=meta,
        diagnostics=diagnostics,
        settings=render_settings(options, dpi=options.dpi),
        source=str(options.guide),
    )
    return AgendaResult(
        rendered.data,
        rendered.pages,
        paper,
        guide,
        original,
        schedule,
        report,
        tuple(references.entries),
        diagnostics,
    )


@dataclass(frozen=True)
class AgendaExports:
    """Where to write the schedule besides the PDF (``None`` = not wanted)."""

    ics: Path | None = None
    json: Path | None = None
    csv: Path | None = None
    #: IANA time zone for the .ics (``Event.timezone`` when not given).
    tz: str | None = None


def write_agenda(
    options: AgendaOptions,
    output: Path,
    exports: AgendaExports | None = None,
    diagnostics: Diagnostics | None = None,
) -> AgendaResult:
    """Build the agenda and write it (and the exports) atomically; strict mode checked first."""
    result = build_agenda(options, diagnostics)
    result.diagnostics.raise_if_strict()
    exports = exports or AgendaExports()
    event = options.event
    title = event.name or result.guide.title
    files: list[tuple[Path, bytes]] = [(output, result.pdf)]
    if exports.ics is not None:
        tz = exports.tz or event.timezone
        if not tz or event.date is None:
            raise UsageError(
                "an .ics file needs the event's date and time zone",
                hint="give --date YYYY-MM-DD and --tz Area/City",
            )
        ics = to_ics(result.schedule, date=event.date, tz=tz, title=title, place=event.place)
        files.append((exports.ics, ics))
    if exports.json is not None:
        files.append(
            (exports.json, to_json(result.schedule, title=title, date=event.date).encode())
        )
    if exports.csv is not None:
        files.append((exports.csv, to_csv(result.schedule).encode()))
    for path, data in files:
        atomic_write(path, data)
    return result
