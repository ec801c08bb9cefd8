"""The handout: a guide laid out for paper, every link numbered with its QR code."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..errors import Location
from ..layouts import find_layout
from ..locale import LocaleContext
from ..markup import MarkupContext, guide_sections
from ..model import Block, Event, Guide, ListBlock, ScheduleBlock, Table, iter_blocks
from ..options import HandoutOptions
from ..output import atomic_write
from ..references import Reference, References
from ..schedule import extract_schedule, format_duration, format_time, retime
from ..sources import load_catalog, load_profile, read_guide
from ..sources.build import ReadReport
from .common import (
    DocumentMeta,
    check_glyphs,
    guide_lines,
    render_document,
    render_settings,
    resolve_paper,
)

if TYPE_CHECKING:
    from ..sources.align import Overrides


@dataclass(frozen=True)
class HandoutResult:
    """What a handout build produced."""

    pdf: bytes
    pages: int
    paper: str
    guide: Guide
    references: tuple[Reference, ...]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def event_line(event: Event, locale: LocaleContext) -> str:
    """ "12 December 2026 · 14:30 · Town hall" for the title block."""
    parts = []
    if event.date:
        parts.append(locale.format_date(event.date, "long"))
    if event.start:
        parts.append(locale.format_time(event.start))
    if event.place:
        parts.append(event.place)
    return " · ".join(parts)


def load_guide(options: HandoutOptions, locale: LocaleContext, diagnostics: Diagnostics) -> Guide:
    """Read the guide of ``options`` with its catalog and site profile (and its source guide)."""
    catalog = load_catalog(options.strings) if options.strings else None
    profile = load_profile(options.profile)
    tag = locale.tag

    def read(path: Path, locale: str, diagnostics: Diagnostics, *,
             report: ReadReport | None = None, overrides: Overrides | None = None,
             final: bool = True) -> Guide:
        return read_guide(
            path,
            locale=locale,
            event=options.event,
            catalog=catalog,
            profile=profile,
            values=options.event.values,
            asset_dirs=options.asset_dirs,
            allow_network=options.allow_network,
            strict=options.strict and final,
            diagnostics=diagnostics,
            report=report,
            overrides=overrides,
        )

    if options.source_guide is None:
        return read(options.guide, tag, diagnostics)
    from ..sources.align import read_aligned  # noqa: PLC0415 - only with --source-guide

    return read_aligned(options.guide, options.source_guide, tag, read, diagnostics)


def retimed_blocks(guide: Guide, options: HandoutOptions, diagnostics: Diagnostics) -> Guide:
    """The guide with its run-of-show table replaced by the re-timed plan, if asked."""
    if options.start is None and options.duration is None:
        return guide

    def swap(block: Block) -> Block:
        if isinstance(block, ListBlock):  # damaged guides can leave a table inside a list
            items = tuple(tuple(swap(b) for b in item) for item in block.items)
            return replace(block, items=items)
        if not isinstance(block, Table):
            return block
        schedule = extract_schedule(
            block, source=guide.source, locale=guide.locale or "en", diagnostics=diagnostics
        )
        if schedule is None:
            return block
        new = retime(schedule, start=options.start, duration=options.duration)
        return ScheduleBlock(new, block.location)

    retimed = replace(guide, blocks=tuple(swap(b) for b in guide.blocks))
    if not any(isinstance(b, ScheduleBlock) for b in iter_blocks(retimed.blocks)):
        diagnostics.warn(
            "nothing-to-retime",
            "--start/--duration given, but the guide has no run-of-show table to re-time",
            Location.of(guide.source) if guide.source else None,
        )
    return retimed


def build_handout(options: HandoutOptions, diagnostics: Diagnostics | None = None) -> HandoutResult:
    """Read, lay out and render a handout; nothing is written."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics(strict=options.strict)
    locale = LocaleContext.parse(options.locale)
    guide = load_guide(options, locale, diagnostics)
    check_glyphs(guide_lines(guide), locale, diagnostics, strict=options.strict)
    guide = retimed_blocks(guide, options, diagnostics)
    references = References()
    ctx = MarkupContext(
        references=references,
        gettext=locale.gettext,
        format_time=lambda m: format_time(m, locale.tag),
        format_duration=lambda m: format_duration(m, locale.tag),
        allow_network=options.allow_network,
    )
    sections = guide_sections(guide, ctx)
    layout = find_layout(options.layout, options.layout_dirs)
    paper = resolve_paper(locale, options.paper)
    meta = DocumentMeta(
        title=guide.title,
        subject=options.event.name or guide.title,
        author=options.event.organiser,
        keywords="handout",
    )
    rendered = render_document(
        layout,
        {
            "title": guide.title,
            "sections": sections,
            "event_line": event_line(options.event, locale),
        },
        locale=locale,
        paper=paper,
        meta=meta,
        diagnostics=diagnostics,
        settings=render_settings(options, dpi=options.dpi),
        source=str(options.guide),
    )
    return HandoutResult(
        rendered.data, rendered.pages, paper, guide, tuple(references.entries), diagnostics
    )


def write_handout(
    options: HandoutOptions, output: Path, diagnostics: Diagnostics | None = None
) -> HandoutResult:
    """Build a handout and write it atomically to ``output``; strict mode checked before writing."""
    result = build_handout(options, diagnostics)
    result.diagnostics.raise_if_strict()
    atomic_write(output, result.pdf)
    return result
