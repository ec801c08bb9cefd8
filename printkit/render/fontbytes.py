"""Each font file's bytes copied out of HarfBuzz once per process, not once per document.

WeasyPrint's ``Font`` (``weasyprint/pdf/fonts.py``) copies its face's whole file into
a ``bytes`` for every document that uses it: 8.5 MB a handout on average, 20 MB for a
CJK face, 2.9 ms of a render. The faces come from the process's font configuration
and outlive documents, and a face's data never changes. :func:`install` wraps the
``get_hb_object_data`` that ``Font.__init__`` calls: each file's bytes are kept, one
copy for all the faces of a collection, in a cache of at most :data:`MAX_BYTES` (least
recently used out first). Every other call (a subset's bytes, colour glyphs) goes to
WeasyPrint as before.

:func:`hb_face` gives uharfbuzz's ``Face`` of those bytes, kept with them: printkit's
CID subsetting and text layer read fonts through it, and building one copies the file
again. ``Font.__init__`` is WeasyPrint 70's; another is left alone, recognised by a
digest of its source.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Any

from weasyprint.pdf import fonts
from weasyprint.text.ffi import ffi, harfbuzz

from .pangoshare import source_digest

#: The digest of the ``Font.__init__`` source whose file copy is kept.
EXPECTED_SOURCE_SHA256 = "1f281166b10302a4278a04384970b914"

#: The most font data kept (a CJK collection is about 20 MB, shared by its faces).
MAX_BYTES = 128 * 1024 * 1024

#: Off: every document copies its fonts again (for comparisons).
ENABLED = True


class _File:
    """A font file's bytes, the faces that share them (several for a collection, each
    mapped by the font configuration on its own) and uharfbuzz Faces of them."""

    __slots__ = ("data", "faces", "users")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.users = 0
        self.faces: dict[int, Any] = {}


_cache: OrderedDict[tuple[int, int], tuple[_File, Any]] = OrderedDict()
_files: dict[int, _File] = {}
_lock = threading.Lock()
_state: dict[str, Any] = {"original": None, "refused": False, "caller": None, "size": 0}


def install() -> bool:
    """Keep font files' bytes between documents (once; later calls do nothing). False,
    and nothing changed, if this WeasyPrint's ``Font.__init__`` is another."""
    if _state["original"] is not None:
        return True
    if _state["refused"]:
        return False
    original = getattr(fonts, "get_hb_object_data", None)
    init = getattr(getattr(fonts, "Font", None), "__init__", None)
    if original is None or init is None or source_digest(init) != EXPECTED_SOURCE_SHA256:
        _state["refused"] = True
        return False
    _state["original"] = original
    _state["caller"] = init.__code__
    fonts.get_hb_object_data = _get_hb_object_data  # type: ignore[attr-defined]
    return True


def _get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
    """WeasyPrint's function; a face's whole file from the cache when ``Font`` asks.

    Entries are keyed by the address and length of the face's data in HarfBuzz, and
    hold a reference on it, so that the address cannot be reused by another file."""
    original = _state["original"]
    if not ENABLED or ot_color is not None or sys._getframe(1).f_code is not _state["caller"]:
        return original(hb_object, ot_color, glyph)
    blob = harfbuzz.hb_face_reference_blob(hb_object)
    length = ffi.new("unsigned int *")
    pointer = harfbuzz.hb_blob_get_data(blob, length)
    key = (int(ffi.cast("uintptr_t", pointer)), int(length[0]))
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
    if entry is not None:
        harfbuzz.hb_blob_destroy(blob)
        return entry[0].data
    if pointer == ffi.NULL or key[1] > MAX_BYTES:  # nothing to keep
        harfbuzz.hb_blob_destroy(blob)
        return original(hb_object, ot_color, glyph)
    data = ffi.unpack(ffi.cast("char *", pointer), key[1])
    with _lock:
        entry = _cache.get(key)
        if entry is not None:  # another thread kept it meanwhile
            harfbuzz.hb_blob_destroy(blob)
            return entry[0].data
        file = _same_file(data)
        if file is None:
            file = _files[id(data)] = _File(data)
            _state["size"] += len(data)
        file.users += 1
        _cache[key] = (file, blob)
        while _state["size"] > MAX_BYTES:
            _, (dropped, dropped_blob) = _cache.popitem(last=False)
            harfbuzz.hb_blob_destroy(dropped_blob)
            dropped.users -= 1
            if not dropped.users:
                del _files[id(dropped.data)]
                _state["size"] -= len(dropped.data)
        return file.data


def clear() -> None:
    """Forget every kept file (documents being rendered keep theirs)."""
    with _lock:
        for _, blob in _cache.values():
            harfbuzz.hb_blob_destroy(blob)
        _cache.clear()
        _files.clear()
        _state["size"] = 0


def _same_file(data: bytes) -> _File | None:
    """The kept file whose bytes are ``data`` (another face of the same collection)."""
    for file in _files.values():
        if len(file.data) == len(data) and file.data == data:
            return file
    return None


def hb_face(data: bytes, index: int) -> Any:
    """A uharfbuzz ``Face`` of font file ``data`` (face ``index``): the one kept with
    ``data`` when it came from the cache, else a new one."""
    import uharfbuzz as hb  # noqa: PLC0415 - loaded only where a font is read this way

    with _lock:
        file = _files.get(id(data))
        if file is not None and file.data is not data:
            file = None
        face = file.faces.get(index) if file is not None else None
    if face is not None:
        return face
    face = hb.Face(hb.Blob(data), index)
    if file is not None:
        with _lock:
            face = file.faces.setdefault(index, face)
    return face
