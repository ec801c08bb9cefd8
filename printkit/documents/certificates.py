"""Certificates in bulk: a participant list and a layout to one PDF, or one PDF each.

The layout (``layouts/certificate`` by default) is rendered once with
WeasyPrint for the locale; its ``layout.toml`` declares the name box and the
QR box. The bulk engine (:mod:`printkit.render.bulk`) then writes one small
page per participant on that shared background.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from ..diagnostics import Diagnostics
from ..errors import LayoutError, Location, UsageError
from ..executors.local import usable_cores
from ..layouts import PAPER_SIZES_MM, Layout, find_layout
from ..model import Participant
from ..options import CommonOptions
from ..output import sha256_file, write_csv
from ..render.bulk import designcache
from ..render.bulk.background import import_background, remember
from ..render.bulk.engine import BACKGROUND_BASE, CHUNK, write_merged
from ..render.bulk.fit import NameBox
from ..render.bulk.ids import certificate_id
from ..render.bulk.page import Certificate, Design, QrBox
from ..render.bulk.split import BATCH as SPLIT_BATCH
from ..render.bulk.split import safe_filename, write_split, write_zip
from ..resources import assets_dir, fonts_dir, layouts_dir
from ..sources.participants import iter_participants, write_report

if TYPE_CHECKING:
    from ..executors.certificates import CertificateCluster
    from ..locale import LocaleContext

MM = 72 / 25.4
#: Refused or duplicate rows warned one by one; more are summed up (see ``--report``).
MAX_ROW_WARNINGS = 20


@dataclass(frozen=True)
class CertificateOptions(CommonOptions):
    """Options of :func:`write_certificates` (the CLI builds the same object)."""

    #: The participant list (CSV, XLSX or text).
    people: Path = Path("people.csv")
    #: Layout name or folder.
    layout: str = "certificate"
    #: URL template with ``{id}``: gives every certificate an id and a QR code.
    verify_url: str | None = None
    #: Secret key for the ids (HMAC); without it ids are a plain hash.
    id_key: str | None = None
    #: Column holding names (``"First + Last"`` for two columns); found by header if absent.
    name_column: str | None = None
    #: XLSX sheet name (first sheet if absent).
    sheet: str | None = None
    #: Encoding of a CSV/text list (detected when absent).
    encoding: str | None = None
    #: Folder for one PDF per participant.
    split: Path | None = None
    #: Also write ``<split>.zip``.
    zip: bool = False
    #: Worker processes (0: one per usable core, for lists long enough to gain from them).
    jobs: int = 1
    #: Per-row report CSV.
    report: Path | None = None
    #: Name printed on the signature line.
    signatory: str = ""
    #: Dask scheduler (``tcp://host:8786``): make the pages on its workers (printkit.executors).
    scheduler: str | None = None
    #: Keep the rendered design in the user cache (``$XDG_CACHE_HOME/printkit``): a
    #: second run with the same design starts without WeasyPrint.
    cache: bool = True


class Progress(Protocol):
    """Where progress goes (the CLI's progress bar)."""

    def start(self, total: int) -> None:
        """The number of certificates to make, once known."""

    def advance(self, count: int) -> None:
        """``count`` more certificates are done."""


@dataclass(frozen=True)
class CertificatesResult:
    """What a run produced."""

    pages: int
    refused: tuple[Participant, ...]
    manifest: Path | None
    outputs: tuple[Path, ...]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def _colour(value: object, where: Location) -> tuple[float, float, float]:
    text = str(value).lstrip("#")
    if len(text) != 6:
        raise LayoutError(f"colour {value!r} is not #rrggbb", where)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


def page_size_mm(layout: Layout, paper: str) -> tuple[float, float]:
    """Width and height of the layout's page for ``paper`` (its orientation applied)."""
    w, h = PAPER_SIZES_MM[paper]
    return (max(w, h), min(w, h)) if layout.orientation == "landscape" else (w, h)


def layout_boxes(
    layout: Layout, page_mm: tuple[float, float]
) -> tuple[dict[str, float], dict[str, float] | None, Mapping[str, Any]]:
    """The name box and QR box declared by ``layout.toml``, in mm from the top-left."""
    where = Location.of(layout.folder / "layout.toml")
    spec = layout.config.get("name_box")
    if not isinstance(spec, dict):
        raise LayoutError("a certificate layout needs a [name_box] table", where)
    w, h = page_mm
    try:
        name = {
            "x": float(spec["x"]) * w,
            "y": float(spec["y"]) * h,
            "width": float(spec["width"]) * w,
            "height": float(spec["height"]) * h,
        }
        qr_spec = layout.config.get("qr_box")
        qr = None
        if isinstance(qr_spec, dict):
            qr = {
                "x": float(qr_spec["x"]) * w,
                "y": float(qr_spec["y"]) * h,
                "size": float(qr_spec["size"]) * w,
            }
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutError(f"bad box in layout.toml: {exc}", where) from exc
    return name, qr, spec


def build_design(
    options: CertificateOptions, diagnostics: Diagnostics
) -> tuple[Design, LocaleContext]:
    """Render the layout once and describe the boxes for the bulk engine."""
    # WeasyPrint, Babel and the font tools: only when the design is rendered.
    from ..locale import LocaleContext  # noqa: PLC0415
    from ..render.weasy import RenderSettings  # noqa: PLC0415
    from .common import DocumentMeta, render_document, resolve_paper  # noqa: PLC0415

    locale = LocaleContext.parse(options.locale)
    layout = find_layout(options.layout, options.layout_dirs)
    paper = resolve_paper(locale, options.paper)
    if layout.papers and paper not in layout.papers:
        paper = layout.papers[0]
    page_mm = page_size_mm(layout, paper)
    name_mm, qr_mm, spec = layout_boxes(layout, page_mm)
    event = options.event
    if not event.name:
        raise UsageError("certificates need an event name", hint="pass --event 'Name'")
    with_qr = options.verify_url is not None and qr_mm is not None
    context = {
        "event": event.name,
        "organiser": event.organiser,
        "date": locale.format_date(event.date, "long") if event.date else "",
        "signatory": options.signatory,
        "name_box": name_mm,
        "qr_box": qr_mm if with_qr else None,
        "page_w": page_mm[0],
        "page_h": page_mm[1],
    }
    meta = DocumentMeta(title=event.name, author=event.organiser, keywords="certificate")
    rendered = render_document(
        layout,
        context,
        locale=locale,
        paper=paper,
        meta=meta,
        diagnostics=diagnostics,
        # The design becomes the background of every page: no PDF variant, no network.
        settings=RenderSettings(allowed_dirs=options.asset_dirs),
        source=f"certificate {layout.name} {paper}",
    )
    where = Location.of(layout.folder / "layout.toml")
    align = str(spec.get("align", "center"))
    if align not in ("center", "left", "right", "start"):
        raise LayoutError(f"name_box align {align!r} is not center/left/right/start", where)
    box = NameBox(
        x=name_mm["x"] * MM,
        y=name_mm["y"] * MM,
        width=name_mm["width"] * MM,
        height=name_mm["height"] * MM,
        align=cast(Literal["center", "left", "right", "start"], align),
        min_size=float(spec.get("min_size", 14)),
        max_size=float(spec.get("max_size", 40)),
        colour=_colour(spec.get("colour", "#000000"), where),
    )
    qr_box = None
    if with_qr and qr_mm is not None:
        qr_spec = layout.config["qr_box"]
        qr_box = QrBox(
            qr_mm["x"] * MM, qr_mm["y"] * MM, qr_mm["size"] * MM, float(qr_spec.get("id_size", 7))
        )
    fonts = tuple(locale.font_stack("display"))
    design = Design(
        rendered.data, box, fonts, qr_box, lang=locale.tag, author=event.organiser
    )
    return design, locale


def certificate_design(options: CertificateOptions, diagnostics: Diagnostics) -> Design:
    """The design of ``options``: from the design cache when it is there and fresh
    (nothing is rendered, WeasyPrint is not imported), else rendered and cached.

    The warnings its rendering gave are given again on a cache hit.
    """
    layout = find_layout(options.layout, options.layout_dirs)
    event = options.event
    inputs = (
        "certificate",
        str(layout.folder),
        options.locale,
        options.paper,
        (event.name, event.organiser, event.date, event.end_date, event.start, event.duration,
         event.timezone, event.place, event.site_url, sorted(event.values.items())),
        options.signatory,
        options.verify_url is not None,
        tuple(map(str, options.layout_dirs)),
        tuple(map(str, options.asset_dirs)),
    )
    trees = (layouts_dir(), assets_dir(), fonts_dir(), layout.folder, *options.layout_dirs,
             *options.asset_dirs)
    made = Diagnostics(strict=diagnostics.strict)

    def make() -> designcache.CachedDesign:
        design, _locale = build_design(options, made)
        background = import_background(design.background_pdf, BACKGROUND_BASE)
        return designcache.CachedDesign(design, background, tuple(made))

    entry, hit = designcache.cached(
        designcache.design_key(inputs), trees, make, enabled=options.cache
    )
    if hit:
        remember(entry.design.background_pdf, entry.background)
        for d in entry.diagnostics:
            diagnostics.warn(d.code, d.message, d.location)
    else:
        diagnostics.extend(made)
    return entry.design


def _certificates(
    options: CertificateOptions, rows: Iterable[Participant]
) -> Iterator[Certificate]:
    for p in rows:
        if p.status != "ok":
            continue
        qr_text = None
        ident = ""
        if options.verify_url:
            ident = certificate_id(options.event.name, p.row, p.name, options.id_key)
            qr_text = options.verify_url.replace("{id}", ident)
        yield Certificate(p.row, p.name, qr_text, ident)


def _jobs(asked: int, count: int, per_task: int) -> int:
    """Worker processes for ``count`` certificates in tasks of ``per_task``: ``asked``,
    or with 0 one per usable core, but only as many as there are tasks (a list shorter
    than two tasks is made here: starting workers would cost more than they save)."""
    if asked > 0:
        return asked
    tasks = -(-count // per_task)
    return 1 if tasks < 2 else min(usable_cores(), tasks)


def write_certificates(
    options: CertificateOptions,
    output: Path | None,
    diagnostics: Diagnostics | None = None,
    progress: Progress | None = None,
) -> CertificatesResult:
    """Read the list, render the design once, write the merged PDF and/or the split files."""
    if options.scheduler is not None:  # --scheduler: the same run, pages made on a cluster
        from ..executors import connect  # noqa: PLC0415 - optional extra
        from ..executors.certificates import CertificateCluster  # noqa: PLC0415

        with connect(options.scheduler) as executor:
            return _write(options, output, diagnostics, progress, CertificateCluster(executor))
    return _write(options, output, diagnostics, progress, None)


def _write(
    options: CertificateOptions,
    output: Path | None,
    diagnostics: Diagnostics | None,
    progress: Progress | None,
    cluster: CertificateCluster | None,
) -> CertificatesResult:
    diagnostics = diagnostics if diagnostics is not None else Diagnostics(strict=options.strict)
    if output is None and options.split is None:
        raise UsageError("nothing to write", hint="give -o OUT.pdf and/or --split DIR")
    if options.verify_url is not None and "{id}" not in options.verify_url:
        raise UsageError(
            "--verify-url needs an {id} placeholder",
            hint='e.g. --verify-url "https://example.org/verify/{id}"',
        )
    if options.zip and options.split is None:
        raise UsageError("--zip needs --split DIR")
    source = str(options.people)
    if options.pdf_variant:
        diagnostics.warn(
            "pdf-variant-ignored",
            f"--pdf-variant {options.pdf_variant} is not applied to certificates: the bulk "
            "engine writes plain PDF 1.7 (with fonts embedded, text and language tagged)",
        )

    def rows() -> Iterator[Participant]:
        return iter_participants(
            options.people,
            name_column=options.name_column,
            sheet=options.sheet,
            encoding=options.encoding,
        )

    # Pass 1: statuses, warnings and the report; nothing but refused rows is kept,
    # so a list of 100,000 names costs no memory (the list is read again below).
    listed = rows() if cluster is None else cluster.collect(rows())  # names' characters
    refused, ok = _check_rows(listed, source, diagnostics, options.report)
    if progress is not None:
        progress.start(ok * ((output is not None) + (options.split is not None)))
    design = certificate_design(options, diagnostics)
    merged, split = write_merged, write_split
    if cluster is not None:  # check the workers, then the cluster's writers
        cluster.prepare(design)
        merged, split = cluster.write_merged, cluster.write_split
    outputs: list[Path] = []
    pages = 0
    manifest: Path | None = None
    if output is not None:
        result = merged(
            design,
            _certificates(options, rows()),
            output,
            jobs=_jobs(options.jobs, ok, CHUNK),
            title=options.event.name,
            progress=progress.advance if progress else None,
        )
        for row, note in result.notes:
            diagnostics.warn("certificate-name", note, Location(source, row=row))
        pages = result.pages
        outputs.append(output)
        digest = sha256_file(output)
        manifest = output.with_name(output.stem + ".manifest.csv")
        _write_manifest(
            manifest,
            (
                [str(c.row), c.name, output.name, str(i + 1), c.id_text, digest]
                for i, c in enumerate(_certificates(options, rows()))
            ),
        )
    if options.split is not None:
        files = split(
            design,
            _certificates(options, rows()),
            options.split,
            jobs=_jobs(options.jobs, ok, SPLIT_BATCH),
            progress=progress.advance if progress else None,
        )
        for item in files:
            for note in item.notes:
                diagnostics.warn("certificate-name", note, Location(source, row=item.row))
        split_manifest = options.split / "manifest.csv"
        _write_manifest(
            split_manifest,
            (
                [str(c.row), c.name, f.file, "1", c.id_text, f.sha256]
                for c, f in zip(_certificates(options, rows()), files, strict=True)
            ),
        )
        manifest = manifest or split_manifest
        outputs.append(options.split)
        pages = pages or len(files)
        if options.zip:
            target = options.split.with_name(options.split.name + ".zip")
            write_zip(options.split, [f.file for f in files] + ["manifest.csv"], target)
            outputs.append(target)
    diagnostics.raise_if_strict()
    return CertificatesResult(pages, refused, manifest, tuple(outputs), diagnostics)


def _check_rows(
    rows: Iterable[Participant], source: str, diagnostics: Diagnostics, report: Path | None
) -> tuple[tuple[Participant, ...], int]:
    """Warn about refused and duplicate rows, write the report; return the refused rows
    and how many rows are ok."""
    refused: list[Participant] = []
    ok = 0
    counts = {"participant-refused": 0, "participant-duplicate": 0}

    def warn(code: str, message: str, row: int) -> None:
        counts[code] += 1
        if counts[code] <= MAX_ROW_WARNINGS:
            diagnostics.warn(code, message, Location(source, row=row))

    def each() -> Iterator[Participant]:
        nonlocal ok
        for p in rows:
            if p.status == "refused":
                refused.append(p)
                warn("participant-refused", f"{p.reason}: {p.name[:60]!r}", p.row)
            else:
                ok += 1
                if p.duplicate_of is not None:
                    warn("participant-duplicate", f"{p.name!r} also in row {p.duplicate_of}", p.row)
            yield p

    if report is not None:
        write_report(report, each())
    else:
        for _ in each():
            pass
    for code, count in counts.items():
        if count > MAX_ROW_WARNINGS:
            what = "refused" if code == "participant-refused" else "duplicate"
            diagnostics.warn(
                code,
                f"{count - MAX_ROW_WARNINGS} more {what} row(s) not listed here",
                Location(source),
            )
    return tuple(refused), ok


def _write_manifest(path: Path, rows: Iterable[list[str]]) -> None:
    write_csv(path, ["row", "name", "file", "page", "id", "sha256"], rows)


__all__ = [
    "CertificateOptions",
    "CertificatesResult",
    "build_design",
    "certificate_design",
    "certificate_id",
    "safe_filename",
    "write_certificates",
]
