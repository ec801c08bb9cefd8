"""The public API: everything in __all__ exists, and the documented example works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import printkit
from tests.conftest import ROOT
from tests.pdfcheck import text


def test_all_names_exist() -> None:
    missing = [name for name in printkit.__all__ if not hasattr(printkit, name)]
    assert missing == []


def test_docstring_example(tmp_path: Path) -> None:
    options = printkit.HandoutOptions(guide=ROOT / "examples/guides/fr.md", locale="fr-FR")
    result = printkit.write_handout(options, tmp_path / "guide.pdf")
    assert result.pages >= 1
    assert "Jardin des robots" in text(tmp_path / "guide.pdf")


def test_errors_are_standard_types_too() -> None:
    assert issubclass(printkit.UnknownLocaleError, LookupError)
    assert issubclass(printkit.UsageError, ValueError)
    assert issubclass(printkit.GuideError, printkit.PrintkitError)


def test_import_is_light() -> None:
    code = "import sys, printkit; print('weasyprint' in sys.modules, 'babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
