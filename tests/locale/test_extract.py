"""Interop: ``pybabel extract`` with the project's babel.cfg finds the layout strings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from printkit import i18n

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures"
# A literal first argument of _(), gettext() or ngettext() in a template.
CALL = re.compile(r"""\b(?:_|gettext|ngettext)\(\s*(["'])((?:(?!\1).)+)\1""")
UPDATE_HINT = (
    "layout strings missing from layouts/locale/printkit.pot: run the translator workflow "
    "(pybabel extract, pybabel update, translate, see README 'Translating printkit')"
)


def extract(cwd: Path, out: Path) -> list[str]:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(ROOT / "babel.cfg"), "-o", str(out), "."],
        cwd=cwd, check=True, capture_output=True,
    )
    with out.open("rb") as handle:
        catalog = read_po(handle)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id]


def test_fixture_template_strings_are_extracted(tmp_path: Path) -> None:
    ids = extract(FIXTURE, tmp_path / "fixture.pot")
    assert set(ids) == {
        "Page %(page)s of %(pages)s",
        "Tiny fixture sentence",
        "Scan to open",
        "%(num)s tiny item",
    }


def test_layouts_strings_are_extracted_and_in_the_template(tmp_path: Path) -> None:
    ids = set(extract(ROOT, tmp_path / "all.pot"))
    in_layouts = {
        match.group(2)
        for path in (ROOT / "layouts").rglob("*.j2")
        for match in CALL.finditer(path.read_text(encoding="utf-8"))
    }
    assert in_layouts <= ids
    assert set(i18n.LAYOUT_MESSAGES) <= ids  # the N_() marks in printkit/i18n.py
    assert in_layouts, "the shipped layouts print no translated string"
    not_in_template = sorted(in_layouts - set(i18n.template_ids()))
    assert not not_in_template, (not_in_template, UPDATE_HINT)
