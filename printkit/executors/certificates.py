"""Certificates through an executor: chunks (merged) or batches of files (``--split``).

The client does what :mod:`printkit.render.bulk` does on one machine (parts
folder, in-order assembly, fonts and trailer, the split journal), from the
same pieces, so the bytes are those of ``--jobs 1``; only the making of a
chunk's pages, or of a batch of split files, runs on the executor's workers.
Workers return bytes; nothing is written on them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import RenderError
from ..model import Participant
from ..output import atomic_open, replace_write
from ..render.bulk.engine import (
    BulkResult,
    Chunk,
    _chunk_key,
    _chunks,
    _Document,
    _Pages,
    _Parts,
    design_key,
    write_single,
)
from ..render.bulk.page import Certificate, Design
from ..render.bulk.pdfwriter import PdfWriter
from ..render.bulk.split import (
    BATCH,
    JOURNAL,
    SplitFile,
    _cert_key,
    _prepare_fonts,
    resume_split,
)
from .base import Executor
from .checks import (
    FontNeed,
    build_epoch,
    check_local,
    code_digest,
    font_needs,
    local_faces,
    needed_faces,
    use_epoch,
)

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SharedDesign:
    """What every task of a run shares (sent to each worker once)."""

    design: Design
    #: :func:`design_key` on the client (font paths may differ on workers).
    key: str
    #: The faces the names need, as the client has them.
    needs: tuple[FontNeed, ...]
    #: The client's ``SOURCE_DATE_EPOCH`` (split files are finished on the workers).
    epoch: str | None = None
    #: The client's :func:`~printkit.executors.checks.code_digest`.
    code: str = field(default_factory=code_digest)


#: One page maker per worker thread (a page maker has state: a worker started with
#: several threads runs several chunks at once).
_LOCAL = threading.local()


def _pages(shared: SharedDesign) -> _Pages:
    """This worker thread's page maker for the design (made once per design)."""
    made: tuple[str, _Pages] | None = getattr(_LOCAL, "pages", None)
    if made is None or made[0] != shared.key:
        check_local(shared.needs, shared.code)
        fonts = local_faces(shared.design.fonts, shared.needs)
        made = _LOCAL.pages = (shared.key, _Pages(replace(shared.design, fonts=fonts)))
    return made[1]


def render_chunk(shared: SharedDesign, item: tuple[int, list[Certificate]]) -> bytes:
    """A task: chunk ``index`` of the merged file, serialised (:meth:`Chunk.dump`)."""
    index, certs = item
    return _pages(shared).chunk(index, certs).dump()


def render_files(
    shared: SharedDesign, batch: list[tuple[Certificate, str]]
) -> list[tuple[SplitFile, str, bytes]]:
    """A task: a batch of split files (file record, journal key, bytes)."""
    pages = _pages(shared)
    design = shared.design
    use_epoch(shared.epoch)
    _prepare_fonts(pages, [cert for cert, _ in batch])
    out = []
    for cert, name in batch:
        data, notes = write_single(design, pages, cert)
        digest = hashlib.sha256(data).hexdigest()
        item = SplitFile(cert.row, name, digest, tuple(notes))
        out.append((item, _cert_key(shared.key, cert), data))
    pages.maker.fitted.clear()
    return out


def write_merged(
    executor: Executor,
    shared: SharedDesign,
    certs: Iterable[Certificate],
    output: Path,
    *,
    title: str = "",
    progress: Progress | None = None,
) -> BulkResult:
    """:func:`printkit.render.bulk.engine.write_merged` with chunks made by ``executor``.

    Finished chunks are kept in the same parts folder, so an interrupted run
    resumes (also on one machine, and the other way round).
    """
    output = Path(output)
    design, key = shared.design, shared.key
    parts = _Parts(output, key)
    pages = _Pages(design)
    queue: deque[tuple[int, Path, int, bool]] = deque()  # every chunk not yet appended

    def todo() -> Iterator[tuple[str, tuple[int, list[Certificate]]]]:
        for index, batch in enumerate(_chunks(certs)):
            path = parts.path(index, _chunk_key(key, batch))
            done = parts.finished(path)
            queue.append((index, path, len(batch), done))
            if not done:
                yield f"chunk-{path.stem}", (index, batch)

    with atomic_open(output) as handle:
        document = _Document(PdfWriter(handle), pages, design)

        def reuse_done() -> None:
            while queue and queue[0][3]:
                index, path, size, _ = queue.popleft()
                document.add(index, path, None, reused=True)
                if progress:
                    progress(size)

        for data in executor.map(render_chunk, shared, todo()):
            reuse_done()
            index, path, size, _ = queue.popleft()
            chunk = Chunk.load(data)
            if chunk is None:
                raise RenderError(f"chunk {index} came back damaged from {executor.name}")
            replace_write(path, data)
            document.add(index, path, chunk, reused=False)
            if progress:
                progress(size)
        reuse_done()
        result = document.finish(title, key)
    parts.remove()
    return result


def write_split(
    executor: Executor,
    shared: SharedDesign,
    certs: Iterable[Certificate],
    folder: Path,
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> list[SplitFile]:
    """:func:`printkit.render.bulk.split.write_split` with files made by ``executor``
    and written here (same journal, same resumption, same removal of files of rows
    that are gone)."""
    plan = resume_split(Path(folder), shared.key, certs, progress)
    todo = plan.todo
    # The same batches as on one machine: a batch's large fonts are subset once for it.
    batches = (todo[i : i + batch_size] for i in range(0, len(todo), batch_size))
    keyed = ((_batch_key(shared.key, batch), batch) for batch in batches)
    with open(plan.folder / JOURNAL, "a", encoding="utf-8") as journal:
        for written in executor.map(render_files, shared, keyed):
            for item, cert_key, data in written:
                replace_write(plan.folder / item.file, data)
                plan.record(journal, item, cert_key)
            journal.flush()
            if progress:
                progress(len(written))
    return plan.finish()


def _batch_key(key: str, batch: list[tuple[Certificate, str]]) -> str:
    digest = hashlib.sha256(key.encode())
    for cert, name in batch:
        digest.update(_cert_key(key, cert).encode() + name.encode())
    return "files-" + digest.hexdigest()[:32]


def shared_design(design: Design, needs: tuple[FontNeed, ...]) -> SharedDesign:
    """The design with its key (hashed here, where its font files are)."""
    return SharedDesign(design, design_key(design), needs, build_epoch(), code_digest())


class CertificateCluster:
    """The hooks ``printkit certificates --scheduler`` uses: :meth:`prepare` once the
    design is known, then :meth:`write_merged` / :meth:`write_split` in place of the
    bulk engine's functions of the same names (same arguments; ``jobs`` is the
    cluster's)."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.shared: SharedDesign | None = None
        self.chars: set[str] = set()

    def collect(self, rows: Iterable[Participant]) -> Iterator[Participant]:
        """``rows`` unchanged; the characters of the names printed are kept for
        :meth:`prepare` (the list is read once for both)."""
        for row in rows:
            if row.status == "ok":
                self.chars.update(row.name)
            yield row

    def prepare(self, design: Design, names: Iterable[str] = ()) -> None:
        """Find the faces the names need (those :meth:`collect` saw, and ``names``)
        and refuse workers that lack one (or run another printkit)."""
        needs = font_needs(needed_faces(design.fonts, [*names, "".join(sorted(self.chars))]))
        check = getattr(self.executor, "check", None)
        if check is not None:
            check(needs)
        self.shared = shared_design(design, needs)

    def _shared(self, design: Design) -> SharedDesign:
        if self.shared is None or self.shared.design is not design:
            self.prepare(design)
        assert self.shared is not None
        return self.shared

    def write_merged(
        self,
        design: Design,
        certs: Iterable[Certificate],
        output: Path,
        *,
        jobs: int = 1,
        title: str = "",
        progress: Progress | None = None,
    ) -> BulkResult:
        return write_merged(
            self.executor, self._shared(design), certs, output, title=title, progress=progress
        )

    def write_split(
        self,
        design: Design,
        certs: Iterable[Certificate],
        folder: Path,
        *,
        jobs: int = 1,
        progress: Progress | None = None,
        batch_size: int = BATCH,
    ) -> list[SplitFile]:
        return write_split(
            self.executor,
            self._shared(design),
            certs,
            folder,
            progress=progress,
            batch_size=batch_size,
        )
