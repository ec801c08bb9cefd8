"""A user cache of rendered certificate designs: a run that hits it never imports WeasyPrint.

Rendering the design (WeasyPrint, Pango's font set-up) and importing it as a
form (pypdf) cost most of a short run. Both results are kept in
``$XDG_CACHE_HOME/printkit/designs`` (``~/.cache/printkit/designs``), one file
per design, named by a hash of everything the caller says shapes it (layout,
locale, strings, event, options) and of the versions involved.

An entry also records the files and folders the design was made from, each
with its size and modification time: the shipped and the user's layouts
(templates, CSS, translations), assets, the fonts of the stack, the folders
fontconfig reads fonts from, the source of printkit and of the libraries that
render. Any change to one of them makes the entry stale, and the design is
rendered again. Entries are written atomically (a temporary file, then a
rename), carry a checksum, and a damaged or half-read entry is simply a miss:
concurrent runs are safe. ``PRINTKIT_NO_CACHE=1`` (or ``--no-cache``) turns it
off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import __version__, usercache
from ...diagnostics import Diagnostic
from ...errors import Location
from ...model import FontFace
from .background import Background
from .fit import NameBox
from .page import Design, QrBox

#: Bump when the entry format changes.
FORMAT = 1
#: Entries kept; the least recently used beyond this are removed.
MAX_ENTRIES = 64
#: Libraries whose version shapes the rendered design.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "jinja2", "babel", "pypdf")
#: Folders fontconfig reads fonts from (a new font there can change the design).
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")

Stamp = tuple[str, int, int]  # path, size (-1: a folder), mtime_ns


@dataclass(frozen=True, slots=True)
class CachedDesign:
    """A design, its form already imported, and the warnings its rendering gave."""

    design: Design
    background: Background
    diagnostics: tuple[Diagnostic, ...] = ()


def disabled() -> bool:
    """Whether ``PRINTKIT_NO_CACHE`` turns the cache off."""
    return usercache.disabled()


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/printkit/designs`` (``~/.cache/printkit/designs``)."""
    return usercache.folder("designs")


def design_key(inputs: object) -> str:
    """The cache key of a design made from ``inputs`` (a repr-able value)."""
    env = tuple(
        os.environ.get(name, "")
        for name in ("SOURCE_DATE_EPOCH", "FONTCONFIG_FILE", "FONTCONFIG_PATH")
    )
    text = repr((FORMAT, __version__, sys.version_info[:2], env, inputs))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    size = -1 if os.path.isdir(path) else st.st_size
    return (path, size, st.st_mtime_ns)


def _tree(root: str) -> Iterable[str]:
    """``root``, and every folder and file under it (nothing when it is absent)."""
    if not os.path.isdir(root):
        if os.path.isfile(root):
            yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # Python writes there
        yield folder
        for name in sorted(files):
            if not name.endswith((".pyc", ".tmp")):
                yield os.path.join(folder, name)


def _library_roots() -> list[str]:
    roots = [str(Path(__file__).resolve().parents[2])]  # printkit's own source
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            roots.append(spec.origin)  # its __init__.py: rewritten by an upgrade
    return roots


def stamps(trees: Sequence[Path], fonts: Sequence[FontFace]) -> list[Stamp]:
    """Size and time of everything under ``trees``, of the font files, the font folders
    and the libraries: what an entry is checked against."""
    paths: list[str] = []
    for root in [*map(str, trees), *_library_roots()]:
        paths.extend(_tree(root))
    for face in fonts:
        paths.append(str(face.path))
    for root in FONT_DIRS:
        expanded = os.path.expanduser(root)
        if os.path.isdir(expanded):
            paths.extend(folder for folder, _, _ in os.walk(expanded))
    out = []
    for path in dict.fromkeys(paths):
        stamp = _stamp(path)
        if stamp is not None:
            out.append(stamp)
    return out


def _fresh(recorded: Iterable[Sequence[object]]) -> bool:
    for path, size, mtime in recorded:
        now = _stamp(str(path))
        if now is None or now[1] != size or now[2] != mtime:
            return False
    return True


def load(key: str) -> CachedDesign | None:
    """The entry for ``key`` when it is there, intact and still fresh."""
    path = cache_dir() / f"{key}.design"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if usercache.unseal(data) is None:
            return None
        size = int.from_bytes(data[32:40], "big")
        head = json.loads(data[40 : 40 + size])
        if head["format"] != FORMAT or not _fresh(head["stamps"]):
            return None
        blob = data[40 + size :]
        pdf_size, block_size = head["sizes"]
        entry = _entry(head, blob[:pdf_size], blob[pdf_size : pdf_size + block_size])
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used
    return entry


def _entry(head: dict[str, Any], pdf: bytes, block: bytes) -> CachedDesign:
    d = head["design"]
    x, y, width, height, align, min_size, max_size, colour = d["name_box"]
    qr = d["qr_box"]
    r, g, b = (float(c) for c in colour)
    design = Design(
        background_pdf=pdf,
        name_box=NameBox(
            float(x), float(y), float(width), float(height), align=align,
            min_size=float(min_size), max_size=float(max_size), colour=(r, g, b),
        ),
        fonts=tuple(FontFace(f[0], Path(f[1]), f[2], f[3], f[4]) for f in d["fonts"]),
        qr_box=QrBox(*map(float, qr)) if qr is not None else None,
        lang=str(d["lang"]),
        author=str(d["author"]),
    )
    bg = head["background"]
    background = Background(
        width=float(bg["width"]),
        height=float(bg["height"]),
        base=int(bg["base"]),
        count=int(bg["count"]),
        block=block,
        offsets=tuple((int(n), int(o)) for n, o in bg["offsets"]),
    )
    diagnostics = tuple(
        Diagnostic(str(code), str(message), Location(**where) if where is not None else None)
        for code, message, where in head["diagnostics"]
    )
    return CachedDesign(design, background, diagnostics)


def store(key: str, entry: CachedDesign, recorded: list[Stamp]) -> None:
    """Write ``entry`` for ``key`` (atomically); ``recorded`` as :func:`stamps` made them
    *before* the design was rendered. A cache that cannot be written is no error."""
    design, bg = entry.design, entry.background
    box = design.name_box
    head = {
        "format": FORMAT,
        "stamps": recorded,
        "sizes": [len(design.background_pdf), len(bg.block)],
        "design": {
            "name_box": [box.x, box.y, box.width, box.height, box.align, box.min_size,
                         box.max_size, list(box.colour)],
            "qr_box": None if design.qr_box is None else [
                design.qr_box.x, design.qr_box.y, design.qr_box.size, design.qr_box.id_size
            ],
            "fonts": [[f.family, str(f.path), f.index, f.weight, f.style] for f in design.fonts],
            "lang": design.lang,
            "author": design.author,
        },
        "background": {
            "width": bg.width, "height": bg.height, "base": bg.base, "count": bg.count,
            "offsets": [list(o) for o in bg.offsets],
        },
        "diagnostics": [
            [d.code, d.message, None if d.location is None else {
                "file": d.location.file, "line": d.location.line, "row": d.location.row,
                "key": d.location.key,
            }]
            for d in entry.diagnostics
        ],
    }
    header = json.dumps(head, ensure_ascii=False).encode()
    body = len(header).to_bytes(8, "big") + header + design.background_pdf + bg.block
    folder = cache_dir()
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(usercache.seal(body))
        os.replace(tmp, folder / f"{key}.design")
        _prune(folder)
    except OSError:
        tmp.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.design"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)


def cached(
    key: str,
    trees: Sequence[Path],
    make: Callable[[], CachedDesign],
    *,
    enabled: bool = True,
) -> tuple[CachedDesign, bool]:
    """The design for ``key``: from the cache, else made by ``make`` and stored.

    ``trees`` are the folders (and files) the design is made from, besides its
    fonts. Returns the entry and whether it came from the cache.
    """
    if not enabled or disabled():
        return make(), False
    entry = load(key)
    if entry is not None:
        return entry, True
    before = stamps(trees, ())
    entry = make()
    font_stamps = stamps((), entry.design.fonts)
    known = {s[0] for s in before}
    store(key, entry, before + [s for s in font_stamps if s[0] not in known])
    return entry, False
