"""``printkit build --scheduler``: the documents of a kit as tasks on a Dask cluster.

Each job (a document variant in a locale) runs on a worker in a private
temporary folder laid out like the output folder; the worker returns its
outcome and the bytes of its files, and the client writes them atomically
into the output folder, so ``kit.json`` and the files are those of a local
build. A worker reads the kit's sources under the same paths as the client
(a shared folder): before rendering it hashes them again, and a worker that
sees other inputs, another printkit or other fonts reports the job as failed,
naming itself and what differs, rather than making other bytes.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import WorkerRefused
from ..kit.build import EMAIL_LIMIT, job_outcome, run_job
from ..kit.registry import Job
from ..kit.state import Hasher, Outcome, job_inputs
from ..locale import LocaleContext
from ..model import FontFace
from ..output import atomic_write
from .base import Executor
from .checks import FontNeed, build_epoch, check_local, code_digest, font_needs, use_epoch

#: What the client hands a worker for one job: the job, its input hash and input files.
Todo = tuple[Job, str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class KitShared:
    """What every job of a build shares."""

    previews: bool = False
    email_limit: int = EMAIL_LIMIT
    needs: tuple[FontNeed, ...] = ()
    #: The client's ``SOURCE_DATE_EPOCH``: the date stamped into the outputs.
    epoch: str | None = None
    #: The client's :func:`~printkit.executors.checks.code_digest`.
    code: str = field(default_factory=code_digest)


@dataclass(frozen=True, slots=True)
class Made:
    """A job's outcome and its files' bytes (paths relative to the output folder)."""

    outcome: Outcome
    files: tuple[tuple[str, bytes], ...]
    #: The worker's temporary folder, as it appears in messages.
    root: str


def _refused(job: Job, digest: str, inputs: dict[str, str], why: str) -> Made:
    return Made(job_outcome(job, "failed", digest, inputs, why), (), "")


def _differences(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    names = sorted(set(mine) | set(theirs))
    return [n for n in names if mine.get(n) != theirs.get(n)]


def run_kit_job(shared: KitShared, todo: Todo) -> Made:
    """A task: check this worker, render the job in a temporary folder, return the bytes."""
    job, digest, inputs = todo
    where = f"worker {socket.gethostname()} (pid {os.getpid()})"
    try:
        check_local(shared.needs, shared.code)
        use_epoch(shared.epoch)
        seen, seen_inputs = job_inputs(job, Hasher())
    except (WorkerRefused, OSError) as exc:
        return _refused(job, digest, inputs, f"{where}: {exc}")
    if seen != digest:
        differ = _differences(seen_inputs, inputs)
        what = ", ".join(differ[:5]) if differ else "the printkit version or kit settings"
        return _refused(
            job,
            digest,
            inputs,
            f"{where} sees other inputs than the client ({what}): share the kit folder "
            "with the workers under the same path, with the same printkit",
        )
    with tempfile.TemporaryDirectory(prefix="printkit-kit-") as tmp:
        root = Path(tmp)
        local = replace(job, folder=root / job.folder.name)
        local.folder.mkdir(parents=True, exist_ok=True)
        outcome = run_job(local, digest, inputs, shared.previews, shared.email_limit)
        files = tuple((f.path, (root / f.path).read_bytes()) for f in outcome.files)
    return Made(outcome, files, tmp)


def kit_needs(jobs: Sequence[Job]) -> tuple[FontNeed, ...]:
    """Every face of the font stacks (body, heading, display) of the jobs' locales."""
    faces: list[FontFace] = []
    for tag in dict.fromkeys(job.locale for job in jobs):
        locale = LocaleContext.parse(tag)
        for role in ("body", "heading", "display"):
            faces += locale.font_stack(role)
    return font_needs(faces)


def run_on(executor: Executor, todo: Sequence[Todo], output: Path, shared: KitShared
           ) -> Iterator[Outcome]:
    """The outcomes of ``todo`` made by ``executor``, their files written under ``output``."""
    items = ((f"kit-{digest}", (job, digest, inputs)) for job, digest, inputs in todo)
    for made in executor.map(run_kit_job, shared, items):
        outcome = made.outcome
        for path, data in made.files:
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data)
        if made.root:  # messages name the files where they are now
            outcome.warnings = [w.replace(made.root, str(output)) for w in outcome.warnings]
            if outcome.error:
                outcome.error = outcome.error.replace(made.root, str(output))
        yield outcome


def run_on_cluster(
    address: str, todo: Sequence[Todo], output: Path, previews: bool, email_limit: int
) -> Iterator[Outcome]:
    """The hook of :func:`printkit.kit.build.build_kit`: ``todo`` on the scheduler at
    ``address``, after checking its workers."""
    from . import connect  # noqa: PLC0415 - optional extra

    if not todo:
        return
    needs = kit_needs([job for job, _, _ in todo])
    with connect(address) as executor:
        check = getattr(executor, "check", None)
        if check is not None:
            check(needs)
        shared = KitShared(previews, email_limit, needs, build_epoch(), code_digest())
        yield from run_on(executor, todo, output, shared)
