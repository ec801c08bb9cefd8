"""The document kinds a kit can build: one :class:`DocumentKind` entry each.

An entry says which files a document of that kind produces for a locale
(:attr:`DocumentKind.variants`: the poster gives one file per size and design)
and how to render one (:attr:`DocumentKind.render`). Adding a document kind
is one entry in :data:`REGISTRY` plus its options table in
:data:`printkit.kit.config.SCHEMA`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..documents.agenda import AgendaExports, AgendaOptions, write_agenda
from ..documents.certificates import CertificateOptions, write_certificates
from ..documents.handout import write_handout
from ..documents.poster import PosterOptions, parse_distance, write_poster
from ..errors import KitError, LayoutError, UsageError
from ..layouts import paper_name
from ..options import HandoutOptions
from .config import DocumentConfig, Kit, pick
from .mail import mail_variants, render_mail


@dataclass(frozen=True)
class Variant:
    """One file of one document kind for one locale, and what it is made from."""

    name: str
    filename: str
    #: Input files (guide, strings, participants, image…) whose content is hashed.
    inputs: tuple[Path, ...] = ()
    #: Layout names (their folders are hashed).
    layouts: tuple[str, ...] = ()
    #: The kit settings that shape this file (hashed).
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """What rendering one variant wrote."""

    pages: int
    files: tuple[Path, ...]


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one variant (picklable)."""

    kit: Kit
    document: DocumentConfig
    locale: str
    variant: Variant
    folder: Path
    strict: bool = False

    @property
    def output(self) -> Path:
        return self.folder / self.variant.filename


VariantsFn = Callable[[Kit, DocumentConfig, str], list[Variant]]
RenderFn = Callable[[Job, Diagnostics], Built]


@dataclass(frozen=True)
class DocumentKind:
    """A document a kit can ask for."""

    name: str
    variants: VariantsFn
    render: RenderFn


# --------------------------------------------------------------------------
# Sources


def guide_for(kit: Kit, locale: str) -> tuple[Path, Path | None]:
    """The guide (and strings catalog) of ``locale``, checked to exist."""
    found = pick(kit.guides, locale)
    if found is None:
        raise KitError(
            f"no guide for {locale}",
            kit.where("sources.guides"),
            f"add {locale} = 'guides/<file>.md' under sources.guides",
        )
    key, guide = found
    kit.existing(guide, "guide", f"sources.guides.{key}")
    strings = pick(kit.strings, locale)
    if strings is not None:
        kit.existing(strings[1], "strings file", f"sources.strings.{strings[0]}")
    return guide, strings[1] if strings else None


def source_guide_for(kit: Kit, locale: str) -> Path | None:
    """The English original of ``locale``'s guide (``sources.source_guides``), if any."""
    found = pick(kit.source_guides, locale)
    if found is None:
        return None
    key, path = found
    kit.existing(path, "source guide", f"sources.source_guides.{key}")
    guide, _ = guide_for(kit, locale)
    return None if path.resolve() == guide.resolve() else path


def _common(job: Job) -> dict[str, Any]:
    kit = job.kit
    return {
        "locale": job.locale,
        "event": kit.event_for(job.locale),
        "asset_dirs": kit.assets,
        "layout_dirs": kit.layouts,
        "strict": job.strict,
        "pdf_variant": kit.pdf_variant,
    }


def _paper(settings: Mapping[str, Any], kit: Kit, key: str) -> str | None:
    value = settings.get("paper")
    if value is None:
        return None
    try:
        return paper_name(str(value))
    except LayoutError as exc:
        raise KitError(f"unknown paper {value!r}", kit.where(key), exc.hint) from None


def _text(value: Any, locale: str) -> str:
    """A setting that is text, or a per-locale table of text."""
    if isinstance(value, dict):
        found = pick(value, locale)
        return str(found[1]) if found else ""
    return str(value or "")


# --------------------------------------------------------------------------
# Handout


def _guide_variant(
    kit: Kit, doc: DocumentConfig, locale: str, default_layout: str
) -> list[Variant]:
    guide, strings = guide_for(kit, locale)
    source = source_guide_for(kit, locale)
    inputs = tuple(p for p in (guide, strings, kit.profile, source) if p is not None)
    settings = dict(doc.settings)
    _paper(settings, kit, f"documents.{doc.kind}.paper")
    layout = str(settings.get("layout", default_layout))
    return [Variant(doc.kind, f"{doc.kind}.pdf", inputs, (layout,), settings)]


def _retime(job: Job, default: bool) -> dict[str, Any]:
    event = job.kit.event_for(job.locale)
    if not job.variant.settings.get("retime", default):
        return {}
    start = event.start.hour * 60 + event.start.minute if event.start else None
    return {"start": start, "duration": event.duration}


def _handout_variants(kit: Kit, doc: DocumentConfig, locale: str) -> list[Variant]:
    return _guide_variant(kit, doc, locale, "handout")


def _render_handout(job: Job, diagnostics: Diagnostics) -> Built:
    guide, strings = guide_for(job.kit, job.locale)
    settings = job.variant.settings
    options = HandoutOptions(
        **_common(job),
        paper=_paper(settings, job.kit, "documents.handout.paper"),
        guide=guide,
        strings=strings,
        profile=job.kit.profile,
        layout=str(settings.get("layout", "handout")),
        dpi=job.kit.dpi,
        source_guide=source_guide_for(job.kit, job.locale),
        **_retime(job, True),
    )
    result = write_handout(options, job.output, diagnostics)
    return Built(result.pages, (job.output,))


# --------------------------------------------------------------------------
# Agenda


def _agenda_variants(kit: Kit, doc: DocumentConfig, locale: str) -> list[Variant]:
    return _guide_variant(kit, doc, locale, "agenda")


def _render_agenda(job: Job, diagnostics: Diagnostics) -> Built:
    guide, strings = guide_for(job.kit, job.locale)
    settings = job.variant.settings
    event = job.kit.event_for(job.locale)
    options = AgendaOptions(
        **_common(job),
        paper=_paper(settings, job.kit, "documents.agenda.paper"),
        guide=guide,
        strings=strings,
        profile=job.kit.profile,
        layout=str(settings.get("layout", "agenda")),
        card=bool(settings.get("card", False)),
        source_guide=source_guide_for(job.kit, job.locale),
        **_retime(job, True),
    )
    files = [job.output]
    exports = None
    if event.timezone and event.date:
        ics = job.output.with_suffix(".ics")
        exports = AgendaExports(ics=ics, tz=event.timezone)
        files.append(ics)
    result = write_agenda(options, job.output, exports, diagnostics)
    return Built(result.pages, tuple(files))


# --------------------------------------------------------------------------
# Poster


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _poster_variants(kit: Kit, doc: DocumentConfig, locale: str) -> list[Variant]:
    settings = doc.settings
    sizes = [
        _paper({"paper": size}, kit, "documents.poster.sizes") or "A3"
        for size in _list(settings.get("sizes", ["A3"]))
    ]
    designs = _list(settings.get("designs", ["poster"]))
    image = settings.get("image")
    inputs: tuple[Path, ...] = ()
    if image:
        path = Path(image) if Path(image).is_absolute() else kit.path.parent / image
        inputs = (kit.existing(path, "poster image", "documents.poster.image"),)
    try:
        distance = parse_distance(settings.get("scan_distance"), "documents.poster.scan_distance")
    except UsageError as exc:
        raise KitError(exc.message, kit.where("documents.poster.scan_distance"), exc.hint) from None
    common = {
        "url": settings.get("url", ""),
        "tagline": _text(settings.get("tagline"), locale),
        "call_to_action": _text(settings.get("call_to_action"), locale),
        "scan_distance_mm": distance,
        "print_shop": bool(settings.get("print_shop", False)),
        "image": str(inputs[0]) if inputs else None,
        "image_alt": _text(settings.get("image_alt"), locale),
    }
    return [
        Variant(
            f"{design}-{size}",
            f"{Path(design).name}-{size.lower()}.pdf",
            inputs,
            (design,),
            {**common, "design": design, "paper": size},
        )
        for design in designs
        for size in sizes
    ]


def _render_poster(job: Job, diagnostics: Diagnostics) -> Built:
    s = job.variant.settings
    options = PosterOptions(
        **_common(job),
        paper=s["paper"],
        tagline=s["tagline"],
        url=s["url"],
        call_to_action=s["call_to_action"],
        image=Path(s["image"]) if s["image"] else None,
        image_alt=s["image_alt"],
        design=s["design"],
        scan_distance_mm=s["scan_distance_mm"],
        print_shop=s["print_shop"],
        dpi=job.kit.dpi,
        optimize_images=job.kit.optimize_images,
    )
    result = write_poster(options, job.output, diagnostics)
    return Built(result.pages, (job.output,))


# --------------------------------------------------------------------------
# Certificates


def participants_path(kit: Kit) -> Path:
    """The kit's participant list, checked to exist."""
    if kit.participants is None:
        raise KitError(
            "certificates need a participant list",
            kit.where("sources.participants"),
            "add participants = 'participants.csv' under [sources]",
        )
    return kit.existing(kit.participants, "participant list", "sources.participants")


def _certificate_variants(kit: Kit, doc: DocumentConfig, locale: str) -> list[Variant]:
    people = participants_path(kit)
    settings = dict(doc.settings)
    _paper(settings, kit, "documents.certificates.paper")
    layout = str(settings.get("layout", "certificate"))
    return [Variant("certificates", "certificates.pdf", (people,), (layout,), settings)]


def _render_certificates(job: Job, diagnostics: Diagnostics) -> Built:
    s = job.variant.settings
    options = CertificateOptions(
        **_common(job),
        paper=_paper(s, job.kit, "documents.certificates.paper"),
        people=participants_path(job.kit),
        layout=str(s.get("layout", "certificate")),
        verify_url=s.get("verify_url"),
        name_column=s.get("name_column"),
        sheet=s.get("sheet"),
        signatory=str(s.get("signatory", "")),
    )
    result = write_certificates(options, job.output, diagnostics)
    files = [job.output]
    if result.manifest is not None:
        files.append(Path(result.manifest))
    return Built(result.pages, tuple(files))


#: Every document kind a kit can build, in build order.
REGISTRY: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("handout", _handout_variants, _render_handout),
        DocumentKind("agenda", _agenda_variants, _render_agenda),
        DocumentKind("poster", _poster_variants, _render_poster),
        DocumentKind("certificates", _certificate_variants, _render_certificates),
        DocumentKind("mail", mail_variants, render_mail),
    )
}
