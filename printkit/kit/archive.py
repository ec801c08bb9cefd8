"""One ZIP per locale, for e-mailing: reproducible (fixed dates, sorted names)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..output import atomic_write, build_time

#: ZIP cannot store dates before 1980.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_bytes(files: Iterable[tuple[str, Path]]) -> bytes:
    """A ZIP of ``(name in archive, file)`` pairs, the same bytes for the same files."""
    stamp = build_time()
    date_time = max(_ZIP_EPOCH, stamp.timetuple()[:6])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_zip(target: Path, files: Iterable[tuple[str, Path]]) -> bool:
    """Write the ZIP unless an identical one is already there; return whether it was written."""
    data = zip_bytes(files)
    if target.is_file() and target.read_bytes() == data:
        return False
    atomic_write(target, data)
    return True
