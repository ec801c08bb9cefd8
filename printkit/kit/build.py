"""``printkit build``: every document of a kit, for every locale, incrementally.

Plan: each wanted document kind gives its variants per locale (a registry
entry); each variant becomes a job whose inputs are hashed. Jobs whose hash
matches ``kit.json`` and whose files are intact are skipped. The others run,
in worker processes when ``jobs > 1``; a job that fails is recorded with its
message and the others carry on. Then one ZIP per locale and ``kit.json``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Diagnostics
from ..errors import KitError, Location, PrintkitError, UsageError
from ..locale import LocaleContext
from ..output import sha256_file
from .archive import write_zip
from .config import DOCUMENT_KINDS, Kit, suggest
from .previews import write_preview
from .registry import REGISTRY, Built, Job
from .state import FileRecord, Hasher, Outcome, job_inputs, load_state, up_to_date, write_state

#: A file above this size draws a warning: too big to e-mail comfortably.
EMAIL_LIMIT = 10_000_000


@dataclass(frozen=True)
class BuildOptions:
    """Options of :func:`build_kit` (the ``printkit build`` flags)."""

    #: Output folder; ``None`` = the kit's ``[output] folder``.
    output: Path | None = None
    #: Only these document kinds (``None`` = every one the kit wants).
    only: tuple[str, ...] | None = None
    #: Only these locales (``None`` = every one of the kit).
    locales: tuple[str, ...] | None = None
    #: Worker processes.
    jobs: int = 1
    #: Fail a document that warned anything.
    strict: bool = False
    #: Write PNG previews of first pages (``None`` = the kit's setting).
    previews: bool | None = None
    #: Override the kit's PDF variant.
    pdf_variant: str | None = None
    #: Rebuild everything, whatever ``kit.json`` says.
    force: bool = False
    #: Warn when a file is larger than this (bytes): too big to e-mail comfortably.
    email_limit: int = EMAIL_LIMIT
    #: Dask scheduler (``tcp://host:8786``): build the documents on its workers.
    scheduler: str | None = None


@dataclass
class BuildReport:
    """What a build did: one outcome per document variant and locale, plus kit-wide problems."""

    output: Path
    outcomes: list[Outcome] = field(default_factory=list)
    archives: list[FileRecord] = field(default_factory=list)
    problems: list[PrintkitError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems


Progress = Callable[[Outcome, int, int], None]


def _describe(error: BaseException) -> str:
    if isinstance(error, PrintkitError):
        return error.describe()
    return f"internal error: {type(error).__name__}: {error}"


def run_job(
    job: Job,
    digest: str,
    inputs: dict[str, str],
    previews: bool = False,
    email_limit: int = EMAIL_LIMIT,
) -> Outcome:
    """Render one job; never raises (a failure is an outcome with its message)."""
    started = time.perf_counter()
    diagnostics = Diagnostics(strict=job.strict)
    outcome = job_outcome(job, "built", digest, inputs)
    try:
        built: Built = REGISTRY[job.document.kind].render(job, diagnostics)
        outcome.pages = built.pages
        for path in built.files:
            pages = built.pages if path == job.output else None
            outcome.files.append(_record(path, job.folder.parent, pages))
            if path.stat().st_size > email_limit:
                diagnostics.warn(
                    "file-size",
                    f"{path.name} is {path.stat().st_size / 1e6:.1f} MB,"
                    f" over {email_limit / 1e6:g} MB for e-mail",
                    Location.of(path),
                )
        if previews:
            preview = write_preview(job.output)
            outcome.files.append(_record(preview, job.folder.parent))
    except Exception as exc:  # one document's failure must not lose the others
        outcome.status = "failed"
        outcome.error = _describe(exc)
    outcome.warnings = [str(d) for d in diagnostics]
    outcome.codes = [d.code for d in diagnostics]
    outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome


def _record(path: Path, root: Path, pages: int | None = None) -> FileRecord:
    return FileRecord(
        path.relative_to(root).as_posix(), path.stat().st_size, sha256_file(path), pages
    )


def job_key(job: Job) -> str:
    """``poster/fr-FR/poster-bold-A3``: the job's name in ``kit.json``."""
    return f"{job.document.kind}/{job.locale}/{job.variant.name}"


def job_outcome(
    job: Job, status: str, digest: str, inputs: dict[str, str], error: str | None = None
) -> Outcome:
    """The outcome record of ``job`` (files, pages and warnings are added as it runs)."""
    return Outcome(
        key=job_key(job),
        document=job.document.kind,
        locale=job.locale,
        variant=job.variant.name,
        status=status,
        hash=digest,
        inputs=inputs,
        error=error,
    )


def _failure(kind: str, locale: str, error: PrintkitError) -> Outcome:
    return Outcome(
        key=f"{kind}/{locale}",
        document=kind,
        locale=locale,
        variant="",
        status="failed",
        error=error.describe(),
    )


def _select(names: Sequence[str] | None, known: Sequence[str], what: str) -> None:
    for name in names or ():
        if name not in known:
            raise UsageError(f"unknown {what} {name!r}", hint=suggest(name, tuple(known)))


def plan(
    kit: Kit, options: BuildOptions, output: Path
) -> tuple[list[Job], list[Outcome], list[PrintkitError]]:
    """The jobs to consider, the documents that cannot be built, and kit-wide problems."""
    _select(options.only, DOCUMENT_KINDS, "document")
    tags = [loc.tag for loc in kit.locales]
    if options.locales:
        wanted = {LocaleContext.parse(t).tag for t in options.locales}
        tags = [t for t in tags if t in options.locales or _tag(t) in wanted]
        if not tags:
            raise UsageError(
                f"the kit has no locale {', '.join(options.locales)}",
                hint="the kit's locales: " + ", ".join(loc.tag for loc in kit.locales),
            )
    jobs: list[Job] = []
    failures: list[Outcome] = []
    problems: list[PrintkitError] = list(kit.problems)
    # A table that names no known document is reported whatever --only says.
    documents = [
        d
        for d in kit.documents
        if options.only is None or d.kind in options.only or d.kind not in REGISTRY
    ]
    if not documents:
        raise UsageError(
            "the kit wants none of " + ", ".join(options.only or ()),
            hint="it has: " + ", ".join(d.kind for d in kit.documents),
        )
    for locale in kit.locales:
        if locale.tag not in tags:
            continue
        if locale.error is not None:
            problems.append(locale.error)
            continue
        tag = _tag(locale.tag)
        for doc in documents:
            if doc.error is not None:
                continue
            kind = REGISTRY[doc.kind]
            try:
                variants = kind.variants(kit, doc, tag)
            except PrintkitError as exc:
                failures.append(_failure(doc.kind, tag, exc))
                continue
            folder = output / tag
            jobs += [Job(kit, doc, tag, v, folder, options.strict) for v in variants]
    problems += [d.error for d in documents if d.error is not None]
    return jobs, failures, problems


def _tag(tag: str) -> str:
    return LocaleContext.parse(tag).tag


def _safe_tag(tag: str) -> str:
    try:
        return _tag(tag)
    except PrintkitError:
        return tag


def _for_workers(kit: Kit, options: BuildOptions) -> Kit:
    """The kit without its error objects, with the build's overrides."""
    return replace(
        kit,
        documents=tuple(d for d in kit.documents if d.error is None),
        locales=tuple(loc for loc in kit.locales if loc.error is None),
        pdf_variant=options.pdf_variant or kit.pdf_variant,
    )


def build_kit(
    kit: Kit, options: BuildOptions | None = None, progress: Progress | None = None
) -> BuildReport:
    """Build every wanted document of ``kit`` (see the module docstring); nothing raises
    for a single document: its failure is in the report."""
    options = options or BuildOptions()
    started = time.perf_counter()
    output = (options.output or kit.output).resolve()
    output.mkdir(parents=True, exist_ok=True)
    jobs, failures, problems = plan(kit, options, output)
    worker_kit = _for_workers(kit, options)
    jobs = [replace(j, kit=worker_kit) for j in jobs]
    previous = load_state(output)
    previews = kit.previews if options.previews is None else options.previews
    hasher = Hasher()
    outcomes: list[Outcome] = list(failures)
    todo: list[tuple[Job, str, dict[str, str]]] = []
    total = len(jobs)
    for job in jobs:
        try:
            digest, inputs = job_inputs(job, hasher)
        except (PrintkitError, OSError) as exc:
            outcomes.append(_failure(job.document.kind, job.locale, _as_error(exc)))
            continue
        old = previous.get(job_key(job))
        if not options.force and up_to_date(old, digest, output):
            assert old is not None
            kept = replace(old, status="up-to-date", seconds=0.0)
            if previews and not job.output.with_suffix(".png").is_file():
                write_preview(job.output)
                kept.files = [*kept.files, _record(job.output.with_suffix(".png"), output)]
            outcomes.append(kept)
            if progress:
                progress(kept, len(outcomes), total)
            continue
        todo.append((job, digest, inputs))
    made = _run(todo, options.jobs, previews, options.email_limit)
    if options.scheduler is not None:  # --scheduler: the same jobs on a Dask cluster
        from ..executors.kit import run_on_cluster  # noqa: PLC0415 - optional extra

        made = run_on_cluster(options.scheduler, todo, output, previews, options.email_limit)
    for outcome in made:
        outcomes.append(outcome)
        if progress:
            progress(outcome, len(outcomes), total)
    order = {name: i for i, name in enumerate(REGISTRY)}
    locale_order = {_safe_tag(loc.tag): i for i, loc in enumerate(kit.locales)}
    outcomes.sort(
        key=lambda o: (locale_order.get(o.locale, 99), order.get(o.document, 99), o.variant)
    )
    archives = _archives(kit, output, outcomes) if kit.zip else []
    problem_list = [
        {"message": p.describe(), "key": (p.location.key or "") if p.location else ""}
        for p in problems
    ]
    write_state(output, kit.path, outcomes, archives, problem_list)
    return BuildReport(output, outcomes, archives, problems, time.perf_counter() - started)


def _as_error(exc: Exception) -> PrintkitError:
    return exc if isinstance(exc, PrintkitError) else KitError(str(exc))


def _run(
    todo: list[tuple[Job, str, dict[str, str]]], jobs: int, previews: bool, email_limit: int
) -> Iterable[Outcome]:
    if jobs <= 1 or len(todo) <= 1:
        for job, digest, inputs in todo:
            yield run_job(job, digest, inputs, previews, email_limit)
        return
    workers = min(jobs, len(todo), os.cpu_count() or 1)
    # Import the renderer once here: forked workers share it instead of each importing it.
    from ..render import weasy  # noqa: F401, PLC0415
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_job, job, d, i, previews, email_limit) for job, d, i in todo]
        for future in as_completed(futures):
            yield future.result()


def _archives(kit: Kit, output: Path, outcomes: list[Outcome]) -> list[FileRecord]:
    records = []
    for locale in dict.fromkeys(o.locale for o in outcomes):
        files = [
            (f.path.split("/", 1)[-1], output / f.path)
            for o in outcomes
            if o.locale == locale and o.ok and o.document != "mail"  # an outbox is not handed out
            for f in o.files
            if not f.path.endswith(".png")
        ]
        if not files:
            continue
        target = output / f"{kit.slug}-{locale}.zip"
        write_zip(target, files)
        records.append(_record(target, output))
    return records
