"""Uploaded files: stored under names the service chooses, their type sniffed from content.

A list is XLSX (a ZIP holding ``xl/workbook.xml``) or text (CSV or one name a
line, any encoding); a guide or strings file is text; an image is PNG, JPEG,
GIF or WebP by its first bytes. Anything else is refused with a message
saying what it looks like, before a job is made.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from starlette.datastructures import UploadFile

from ..errors import PrintkitError
from ..sources.participants import iter_participants

#: First bytes of files that are certainly not a list or a guide.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


class RequestError(Exception):
    """A request the service refuses: the status and a message for ``{"error": …}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def save(upload: UploadFile, target: Path) -> None:
    """Copy an upload (already size-limited while it streamed in) to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        while chunk := await upload.read(1 << 20):
            handle.write(chunk)


def _head(path: Path, size: int = 8192) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _binary_kind(head: bytes) -> str | None:
    for magic, what in BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head[:4096] and head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        # NUL bytes: UTF-16 without BOM has them on every other byte, junk anywhere
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if not (min(even, odd) == 0 and max(even, odd) > len(head) // 4):
            return "binary data"
    # C0 controls other than tab and line ends (C1 bytes are legal in UTF-8 and code pages)
    controls = sum(1 for b in head if (b < 32 and b not in (0, 9, 10, 13)) or b == 127)
    if controls > max(3, len(head) // 50) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


def list_kind(path: Path, what: str, filename: str) -> str:
    """The stored name for an uploaded list: ``list.xlsx``, ``list.txt`` or ``list.csv``."""
    head = _head(path)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "xl/workbook.xml" in names:
            return "list.xlsx"
        raise RequestError(415, f"{what}: a ZIP archive, not an XLSX workbook; "
                                "upload a CSV, XLSX or text file with one name per line")
    kind = _binary_kind(head)
    if kind is not None:
        raise RequestError(415, f"{what}: {kind}, not a list; "
                                "upload a CSV, XLSX or text file with one name per line")
    return "list.txt" if filename.lower().endswith(".txt") else "list.csv"


def text_kind(path: Path, what: str) -> None:
    """Refuse a guide or strings file that is not text."""
    kind = _binary_kind(_head(path))
    if kind is not None:
        raise RequestError(415, f"{what}: {kind}, not a text file")
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(
            415, f"{what}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


def image_kind(path: Path, what: str) -> str:
    """The extension of an uploaded image, from its first bytes."""
    head = _head(path, 16)
    for magic, ext in IMAGE_MAGIC:
        if head.startswith(magic):
            return ext
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    raise RequestError(415, f"{what}: not a PNG, JPEG, GIF or WebP image")


def check_list(path: Path, display: str, max_rows: int) -> tuple[int, int]:
    """Read the whole list once, as the job will: (rows, refused rows).

    The CLI's errors come back with the upload's own name in place of the
    server's file (``people.csv, row 7: unreadable CSV…``).
    """
    rows = refused = 0
    first = ""
    try:
        for participant in iter_participants(path):
            rows += 1
            if participant.status == "refused":
                refused += 1
                first = first or f"row {participant.row}: {participant.reason}"
            if rows > max_rows:
                raise RequestError(413, f"{display}: more than {max_rows:,} rows; "
                                        "split the list into several jobs")
    except PrintkitError as exc:
        message = exc.describe().replace(str(path), display)
        status = 415 if "binary data" in message else 400
        raise RequestError(status, message) from None
    if refused == rows:
        raise RequestError(400, f"{display}: none of the {rows} row(s) can get a certificate "
                                f"(first: {first}); fix the list and send it again")
    return rows, refused
