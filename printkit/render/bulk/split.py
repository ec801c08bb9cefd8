"""``--split``: one small PDF per certificate, with safe names, resumable, in parallel.

Each file holds the shared background, its own page and fonts subset to that
name's glyphs. A journal in the folder (``.printkit-journal``: file, key,
sha256 per line) lets a re-run skip files that are done and unchanged, and
tells which files printkit wrote: those of rows no longer in the list are
removed at the end of a run, so the folder always matches its manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ...executors.forked import forked_map
from ...output import atomic_open, build_time, replace_write_in
from .engine import _Pages, design_key, new_pages, write_single
from .page import Certificate, Design

JOURNAL = ".printkit-journal"
#: Files per task: a batch's large fonts are subset once for all of them.
BATCH = 200
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True, slots=True)
class SplitFile:
    """One written (or already present) file of a split run."""

    row: int
    file: str
    sha256: str
    notes: tuple[str, ...] = ()


def safe_filename(name: str, row: int, limit: int = 60) -> str:
    """A readable, unique, safe file name for a certificate: row, then the name.

    >>> safe_filename("Ada Lovelace", 2)
    '00002-Ada_Lovelace.pdf'
    >>> safe_filename("../../etc/passwd", 7)
    '00007-etc_passwd.pdf'
    >>> safe_filename("محمد علي", 12)
    '00012-محمد_علي.pdf'
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", "_", text).strip("._-")
    text = re.sub(r"_+", "_", re.sub(r"\.{2,}", "", text))
    text = text[:limit]
    while text and unicodedata.category(text[-1]).startswith("M") and len(text) == limit:
        text = text[:-1]
    text = text.strip("._-")
    return f"{row:05d}-{text}.pdf" if text else f"{row:05d}.pdf"


def _cert_key(key: str, cert: Certificate) -> str:
    return hashlib.sha256(repr((key, cert.row, cert.name, cert.qr_text, cert.id_text)).encode()
                          ).hexdigest()[:32]


def _read_journal(folder: Path) -> dict[str, tuple[str, str]]:
    done: dict[str, tuple[str, str]] = {}
    path = folder / JOURNAL
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                done[entry["file"]] = (entry["key"], entry["sha256"])
            except (ValueError, KeyError, TypeError):
                continue  # a line cut by an interruption
    return done


_STATE: tuple[Design, _Pages, str, int] | None = None

#: A file to make, as sent to a worker: row, name, QR text, id, file name (tuples
#: pickle many times faster than certificates).
Item = tuple[int, str, str | None, str, str]
#: What a worker says of a file: row, file name, SHA-256, notes, journal key.
Made = tuple[int, str, str, tuple[str, ...], str]


def _init(design: Design, folder: Path) -> None:
    global _STATE  # noqa: PLW0603 - one page maker per worker process
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    _STATE = (design, new_pages(design), design_key(design), fd)


def _write_batch(batch: list[Item]) -> list[Made]:
    assert _STATE is not None
    design, pages, key, folder = _STATE
    certs = [Certificate(row, name, text, ident) for row, name, text, ident, _ in batch]
    _prepare_fonts(pages, certs)
    out = []
    for cert, item in zip(certs, batch, strict=True):
        data, notes = write_single(design, pages, cert)
        replace_write_in(folder, item[4], data)
        digest = hashlib.sha256(data).hexdigest()
        out.append((cert.row, item[4], digest, tuple(notes), _cert_key(key, cert)))
    pages.maker.fitted.clear()
    return out


def _prepare_fonts(pages: _Pages, certs: list[Certificate]) -> None:
    """Subset large fonts once to every glyph of the batch (see ``EmbeddableFont.prepare``)."""
    maker = pages.maker
    used: dict[int, set[int]] = {}
    maker.fitted.clear()
    for cert in certs:
        fitted = maker.fitted[cert.name] = maker.fit(cert.name)
        for placed in fitted.lines:
            for run in placed.line.runs:
                used.setdefault(run.face, set()).update(run.gids)
    for face, gids in used.items():
        maker.embeddable(face).prepare(gids)


def write_split(
    design: Design,
    certs: Iterable[Certificate],
    folder: Path,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
) -> list[SplitFile]:
    """Write one PDF per certificate into ``folder``; skip files already done and unchanged.

    Files an earlier run wrote for rows that are gone are removed (only files the
    journal lists: nothing else in the folder is touched).
    """
    key = design_key(design)
    plan = resume_split(Path(folder), key, certs, progress)
    todo: list[Item] = [(c.row, c.name, c.qr_text, c.id_text, name) for c, name in plan.todo]
    batches = [todo[i : i + batch_size] for i in range(0, len(todo), batch_size)]
    with open(plan.folder / JOURNAL, "a", encoding="utf-8") as journal:
        for written in _run(design, plan.folder, batches, jobs):
            for row, file, digest, notes, cert_key in written:
                plan.record(journal, SplitFile(row, file, digest, notes), cert_key)
            journal.flush()
            if progress:
                progress(len(written))
    return plan.finish()


@dataclass(slots=True)
class SplitPlan:
    """A split folder opened for a run: the files kept from the journal and those to make."""

    folder: Path
    done: dict[str, tuple[str, str]]
    results: dict[int, SplitFile]
    kept: dict[str, tuple[str, str]]
    order: list[int]
    todo: list[tuple[Certificate, str]]

    def record(self, journal: TextIO, item: SplitFile, cert_key: str) -> None:
        """Note a file just written (the caller flushes the journal)."""
        self.results[item.row] = item
        self.kept[item.file] = (cert_key, item.sha256)
        journal.write(_journal_line(item.file, cert_key, item.sha256))

    def finish(self) -> list[SplitFile]:
        """Remove the files of rows that are gone; the files in list order."""
        _remove_gone(self.folder, self.done, self.kept)
        return [self.results[row] for row in self.order]


def resume_split(
    folder: Path,
    key: str,
    certs: Iterable[Certificate],
    progress: Callable[[int], None] | None = None,
) -> SplitPlan:
    """Open ``folder`` for a split run of design ``key``: clear temporary files, and keep
    each file the journal lists whose certificate and bytes are unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.tmp"):
        stale.unlink()
    done = _read_journal(folder)
    plan = SplitPlan(folder, done, {}, {}, [], [])
    for cert in certs:
        name = safe_filename(cert.name, cert.row)
        plan.order.append(cert.row)
        entry = done.get(name)
        path = folder / name
        if entry and entry[0] == _cert_key(key, cert) and path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest == entry[1]:
                plan.results[cert.row] = SplitFile(cert.row, name, digest)
                plan.kept[name] = entry
                if progress:
                    progress(1)
                continue
        plan.todo.append((cert, name))
    return plan


def _journal_line(file: str, key: str, sha256: str) -> str:
    return json.dumps({"file": file, "key": key, "sha256": sha256}, ensure_ascii=False) + "\n"


def _remove_gone(
    folder: Path, journal: dict[str, tuple[str, str]], kept: dict[str, tuple[str, str]]
) -> None:
    """Delete the files of earlier runs that this run did not keep; rewrite the journal."""
    for name in journal.keys() - kept.keys():
        path = folder / name
        # Only a plain PDF of this folder, whatever an edited journal says.
        if path.name == name and path.suffix == ".pdf" and path.is_file():
            path.unlink()
    with atomic_open(folder / JOURNAL) as handle:
        handle.write("".join(_journal_line(f, k, h) for f, (k, h) in kept.items()).encode())


def _run(
    design: Design, folder: Path, batches: Sequence[list[Item]], jobs: int
) -> Iterator[list[Made]]:
    global _STATE  # noqa: PLW0603 - the folder is closed when the run ends
    _init(design, folder)
    assert _STATE is not None
    try:
        if jobs <= 1 or len(batches) <= 1:
            for batch in batches:
                yield _write_batch(batch)
            return
        _STATE[1].maker.warm()  # forked: workers inherit the warm page maker
        yield from forked_map(_write_batch, batches, jobs)
    finally:
        os.close(_STATE[3])
        _STATE = None


def write_zip(folder: Path, files: Iterable[str], target: Path) -> None:
    """Put ``files`` of ``folder`` in a ZIP at ``target`` (atomic, reproducible dates)."""
    stamp = max(build_time().timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with atomic_open(target) as handle, zipfile.ZipFile(handle, "w") as archive:
        for name in files:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_STORED
            with open(folder / name, "rb") as source, archive.open(info, "w") as dest:
                for block in iter(lambda: source.read(1 << 20), b""):
                    dest.write(block)

