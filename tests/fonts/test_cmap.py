"""cmap() reads faces with HarfBuzz: the same code points as fontTools' best cmap."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTLibError

from printkit.fonts.coverage import cmap, fonttools_cmap
from printkit.locale import LocaleContext
from printkit.model import FontFace


def _stack_faces() -> list[FontFace]:
    """Every face of the body, heading and display stacks of a dozen scripts' locales."""
    faces: dict[tuple[str, int], FontFace] = {}
    for tag in ("fr-FR", "ja-JP", "ar-SA", "hi-IN", "th-TH", "ko-KR", "zh-CN", "ru-RU",
                "el-GR", "he-IL", "am-ET", "km-KH"):
        locale = LocaleContext.parse(tag)
        for role in ("body", "heading", "display"):
            for face in locale.font_stack(role):
                faces.setdefault((str(face.path), face.index), face)
    return list(faces.values())


def test_harfbuzz_cmaps_are_fonttools_cmaps() -> None:
    # cmap() reads faces with HarfBuzz; fontTools' best cmap is the reference.
    faces = _stack_faces()
    assert len(faces) > 30
    for face in faces:
        assert cmap(face.path, face.index) == fonttools_cmap(face.path, face.index), face.path


def test_a_file_that_is_no_font_gives_fonttools_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all")
    with pytest.raises(TTLibError):
        cmap(bogus, 0)
    with pytest.raises(FileNotFoundError):
        cmap(tmp_path / "absent.ttf", 0)
