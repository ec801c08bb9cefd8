"""Font files as fontconfig finds them, for tests that need a particular face."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def font_file(family: str) -> Path:
    """The file fontconfig serves for ``family`` (skips without ``fc-match``)."""
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig's fc-match is not installed")
    found = subprocess.run(["fc-match", "-f", "%{file}", family],
                           capture_output=True, text=True, check=False).stdout
    return Path(found)


def cjk_font() -> Path:
    """Noto Sans CJK's file; the test is skipped when it is not installed."""
    found = font_file("Noto Sans CJK JP")
    if "CJK" not in found.name:
        pytest.skip("Noto Sans CJK is not installed")
    return found
