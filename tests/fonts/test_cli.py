"""``printkit fonts check`` and ``printkit fonts list``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from printkit.cli import main
from printkit.fonts import fonts_by_script

EMOJI_FONT = bool(fonts_by_script()["Emoji"])


def test_check_lists_missing_chars_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# Atelier\n\nMerci 🦄 et ქ\n", encoding="utf-8")
    code = main(["fonts", "check", "--locale", "fr-FR", str(guide)])
    out = capsys.readouterr().out.splitlines()
    if EMOJI_FONT:
        assert (code, out) == (0, [])
    else:
        assert code == 1
        assert out == [
            f"{guide}:3: '🦄' U+1F984 UNICORN FACE: no Emoji font is installed: "
            "looked for Noto Color Emoji (Debian package fonts-noto-color-emoji)"
        ]


def test_check_text_and_participant_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fonts", "check", "--locale", "ja", "山田 さくら", "Ελένη"]) == 0
    names = tmp_path / "names.csv"
    names.write_text("Name,Class\nZoë,4B\nPrivate \ue000 use,4C\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["fonts", "check", "--locale", "ja", "--names", str(names)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{names}: row 3: '\\ue000' U+E000 unnamed character: private-use character"
    ]


def test_check_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fonts", "check", "--locale", "fr", "missing/guide.md"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["fonts", "check", "--locale", "fr_XX", "abc"]) == 1
    assert "did you mean fr-FR" in capsys.readouterr().err


def test_list_shows_the_stack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fonts", "list", "--locale", "zh-TW", "--role", "display"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "zh-TW (Chinese (Traditional, Taiwan)), ltr, A4, display:"
    assert "Noto Serif CJK TC" in lines[1]
    assert re.search(r"\.ttc #\d+$", lines[1])
    assert lines[-1].startswith('font-family: "Noto Serif CJK TC", "Noto Serif Display"')
