"""Checks that a worker makes the same bytes as this machine: same printkit, same fonts.

A font is *the same* when the worker's printkit finds it the way this machine
did (bundled, or through fontconfig, by family and weight) and its file has
the same SHA-256. A worker may keep it under another path: its pages then use
its own copy. The check runs on every worker at the start of a run
(:func:`check_workers`) and again, once per process, inside the tasks
(:func:`local_faces`), so a worker that joins or restarts mid-run is checked too.
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from .. import __version__
from ..errors import WorkerRefused
from ..fonts.coverage import cmap, is_ignored
from ..fonts.stack import resolve_family
from ..model import FontFace


@dataclass(frozen=True, slots=True)
class FontNeed:
    """A face a run needs, as this machine has it."""

    family: str
    weight: int
    style: Literal["normal", "italic"]
    index: int
    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class WorkerReport:
    """What a worker answers to :func:`worker_report`."""

    host: str
    pid: int
    version: str
    code: str
    #: Faces it lacks or has in another version: (family, why).
    problems: tuple[tuple[str, str], ...] = ()


@functools.cache
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file (cached per process while its size and mtime stay)."""
    stat = os.stat(path)
    return _sha256(str(path), stat.st_size, stat.st_mtime_ns)


@functools.cache
def code_digest() -> str:
    """A hash of printkit's own code (every ``.py`` file): two installs with the same
    version but different code (a patched checkout) are told apart."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def needed_faces(stack: Sequence[FontFace], texts: Iterable[str]) -> list[FontFace]:
    """The faces of ``stack`` that setting ``texts`` may open: the stack up to the last
    face that covers a character no earlier face covers (the shaper tries faces in
    order, so every face before one that is used is read too)."""
    needed = {ord(c) for text in texts for c in set(text) if not is_ignored(c)}
    needed |= set(map(ord, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))  # certificate ids
    last = 0
    for position, face in enumerate(stack):
        if not needed:
            break
        covered = cmap(face.path, face.index)
        if needed & covered:
            last = position
            needed -= covered
    return list(stack[: last + 1])


def font_needs(faces: Iterable[FontFace]) -> tuple[FontNeed, ...]:
    """``faces`` as this machine has them (with their files' SHA-256)."""
    return tuple(
        FontNeed(f.family, f.weight, f.style, f.index, str(f.path), file_sha256(f.path))
        for f in dict.fromkeys(faces)
    )


def _resolve(need: FontNeed) -> tuple[FontFace | None, str]:
    """This process's face for ``need``, or None and why not."""
    face = resolve_family(need.family, need.weight)
    if face is None:
        return None, f"font {need.family!r} is not installed (this machine: {need.path})"
    try:
        same = file_sha256(face.path) == need.sha256 and face.index == need.index
    except OSError as exc:
        return None, f"font {need.family!r} cannot be read: {exc}"
    if not same:
        return None, f"font {need.family!r} is another version ({face.path})"
    return face, ""


def worker_report(needs: Sequence[FontNeed]) -> WorkerReport:
    """Run on a worker: its printkit version and code, and the needed faces it lacks."""
    resolved = [(n.family, _resolve(n)) for n in needs]
    problems = tuple((family, why) for family, (face, why) in resolved if face is None)
    return WorkerReport(socket.gethostname(), os.getpid(), __version__, code_digest(), problems)


def refusals(reports: Mapping[str, WorkerReport]) -> list[str]:
    """One line per worker that would make other bytes than this machine."""
    lines = []
    for address, report in sorted(reports.items()):
        where = f"worker {address} ({report.host}, pid {report.pid})"
        if report.version != __version__ or report.code != code_digest():
            lines.append(
                f"{where} runs printkit {report.version} (code {report.code}), "
                f"this machine {__version__} (code {code_digest()})"
            )
        lines.extend(f"{where}: {why}" for _family, why in report.problems)
    return lines


def refuse(lines: Sequence[str]) -> WorkerRefused:
    """The error for workers that would make other bytes."""
    return WorkerRefused(
        "refused: " + "; ".join(lines),
        hint="install the same printkit and fonts on every worker (see README, 'On a Dask "
        "cluster'), or stop that worker",
    )


def build_epoch() -> str | None:
    """This process's ``SOURCE_DATE_EPOCH`` (the date stamped into outputs)."""
    return os.environ.get("SOURCE_DATE_EPOCH")


def use_epoch(epoch: str | None) -> None:
    """Stamp outputs made in this worker process with the client's date, ``epoch``."""
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch


@functools.cache
def _local(needs: tuple[FontNeed, ...]) -> dict[tuple[str, int], FontFace]:
    mapping: dict[tuple[str, int], FontFace] = {}
    problems = []
    for need in needs:
        face, why = _resolve(need)
        if face is None:
            problems.append(f"worker {socket.gethostname()} (pid {os.getpid()}): {why}")
        else:
            mapping[(need.path, need.index)] = face
    if problems:
        raise refuse(problems)
    return mapping


def check_local(needs: tuple[FontNeed, ...], code: str) -> None:
    """Raise :class:`WorkerRefused` when this process runs other printkit code than the
    client's (``code``, its :func:`code_digest`) or lacks a needed face."""
    if code != code_digest():
        where = f"worker {socket.gethostname()} (pid {os.getpid()})"
        raise refuse([f"{where} runs printkit {__version__} (code {code_digest()}), "
                      f"the client code {code}"])
    _local(needs)


def local_faces(faces: Sequence[FontFace], needs: tuple[FontNeed, ...]) -> tuple[FontFace, ...]:
    """``faces`` (the client's) as this process has them: a needed face that is missing
    or different raises :class:`WorkerRefused`; faces not needed are kept as they are."""
    mapping = _local(needs)
    out = []
    for face in faces:
        mine = mapping.get((str(face.path), face.index))
        out.append(face if mine is None else replace(face, path=mine.path, index=mine.index))
    return tuple(out)

