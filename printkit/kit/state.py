"""What a kit build remembers: input hashes and results, kept in ``OUT/kit.json``.

A document is rebuilt only when the hash of what it is made from changed:
its input files (guide, strings catalog, participant list, image…), every
file of its layout folder and of the shared ``_base`` layout, the layout
translations of its language, the kit settings that shape it (event, its own
table, output options) and the printkit version. Its recorded output files
must also still be there, unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..layouts import find_layout
from ..locale import LocaleContext
from ..output import atomic_write, sha256_file
from ..resources import layouts_dir
from .registry import Job

STATE_FILE = "kit.json"
FORMAT = 1


@dataclass(frozen=True)
class FileRecord:
    """One written file: path relative to the output folder, size, hash, pages (PDFs)."""

    path: str
    bytes: int
    sha256: str
    pages: int | None = None


@dataclass
class Outcome:
    """The result of one document variant for one locale."""

    key: str
    document: str
    locale: str
    variant: str
    status: str  # "built", "up-to-date" or "failed"
    hash: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    files: list[FileRecord] = field(default_factory=list)
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    #: The warnings' codes (``missing-glyph``, ``file-size``…), in the same order.
    codes: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def size(self) -> int:
        return sum(f.bytes for f in self.files)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome:
        files = [FileRecord(**f) for f in data.get("files", [])]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "files"}
        return cls(**known, files=files)


class Hasher:
    """File hashes, computed once per build."""

    def __init__(self) -> None:
        self._cache: dict[Path, str] = {}

    def file(self, path: Path) -> str:
        path = path.resolve()
        if path not in self._cache:
            self._cache[path] = sha256_file(path)
        return self._cache[path]

    def folder(self, folder: Path) -> list[Path]:
        """The files of ``folder`` that shape output (compiled catalogs and caches left out)."""
        return [
            p
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".mo"
        ]


def label(path: Path, kit_folder: Path) -> str:
    """How ``kit.json`` names an input: relative to the kit, ``printkit:…`` for shipped
    files, else absolute (so moving a project folder does not rebuild everything).

    >>> label(Path("/p/guides/en.md"), Path("/p")), label(Path("/x/y.md"), Path("/p"))
    ('guides/en.md', '/x/y.md')
    """
    path, kit_folder = Path(path).resolve(), kit_folder.resolve()
    shipped = layouts_dir().resolve().parent
    if path.is_relative_to(kit_folder):
        return path.relative_to(kit_folder).as_posix()
    if path.is_relative_to(shipped):
        return "printkit:" + path.relative_to(shipped).as_posix()
    return str(path)


def _catalogs(language: str) -> list[Path]:
    folder = layouts_dir() / "locale"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*/LC_MESSAGES/*.po")
        if p.parts[-3].split("_")[0].lower() == language.lower()
    )


def job_inputs(job: Job, hasher: Hasher) -> tuple[str, dict[str, str]]:
    """The hash of everything ``job`` is made from, and the input files with their hashes."""
    kit = job.kit
    files = list(job.variant.inputs)
    for name in job.variant.layouts:
        files += hasher.folder(find_layout(name, kit.layouts).folder)
    files += hasher.folder(layouts_dir() / "_base")
    files += _catalogs(LocaleContext.parse(job.locale).language)
    inputs = {label(path, kit.path.parent): hasher.file(path) for path in files}
    own = {
        key: label(Path(value), kit.path.parent) if key == "image" and value else value
        for key, value in job.variant.settings.items()
    }
    settings = {
        "printkit": __version__,
        "format": FORMAT,
        "document": job.document.kind,
        "variant": job.variant.name,
        "locale": job.locale,
        "settings": own,
        "event": asdict(kit.event_for(job.locale)),
        "output": {
            "pdf_variant": kit.pdf_variant,
            "dpi": kit.dpi,
            "optimize_images": kit.optimize_images,
        },
        "strict": job.strict,
        "inputs": inputs,
    }
    blob = json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest(), inputs


def load_state(output: Path) -> dict[str, Outcome]:
    """The outcomes recorded by the previous build (empty when none or unreadable)."""
    path = output / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {o["key"]: Outcome.from_json(o) for o in data.get("documents", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def up_to_date(previous: Outcome | None, digest: str, output: Path) -> bool:
    """Whether ``previous`` was built from ``digest`` and its files are still there, unchanged."""
    if previous is None or previous.status == "failed" or previous.hash != digest:
        return False
    for record in previous.files:
        path = output / record.path
        if not path.is_file() or path.stat().st_size != record.bytes:
            return False
        if sha256_file(path) != record.sha256:
            return False
    return bool(previous.files)


def write_state(
    output: Path,
    kit_path: Path,
    outcomes: Iterable[Outcome],
    archives: Iterable[FileRecord],
    failures: Iterable[Mapping[str, str]] = (),
) -> Path:
    """Write ``kit.json``: every document, its inputs, files, pages, sizes and warnings."""
    data = {
        "printkit": __version__,
        "format": FORMAT,
        "kit": str(kit_path),
        "documents": [asdict(o) for o in outcomes],
        "archives": [asdict(a) for a in archives],
        "problems": list(failures),
    }
    path = output / STATE_FILE
    atomic_write(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    return path
