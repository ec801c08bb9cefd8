"""Helpers for the damage tests: build a handout or agenda from guide text, read it back."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from printkit.diagnostics import Diagnostics
from printkit.documents.agenda import AgendaOptions, AgendaResult, write_agenda
from printkit.documents.handout import HandoutResult, write_handout
from printkit.model import Event
from printkit.options import HandoutOptions
from tests.pdfcheck import decode_qr, rasterise, text

#: Markup that must never reach the page.
RAW = ("**", "{{", "}}", "<%", "%>", "(%=", "٪", "％", "</", "<b>", "<strong", "pkph")


@dataclass
class Built:
    pdf: Path
    text: str
    diagnostics: Diagnostics


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def handout(guide: Path, locale: str = "en-US", **options: object) -> tuple[Built, HandoutResult]:
    """The handout of ``guide`` next to it, and its text."""
    pdf = guide.with_suffix(".pdf")
    diag = Diagnostics()
    opts = HandoutOptions(guide=guide, locale=locale, **options)  # type: ignore[arg-type]
    result = write_handout(opts, pdf, diag)
    return Built(pdf, text(pdf), diag), result


def agenda(guide: Path, locale: str = "en-US", **options: object) -> tuple[Built, AgendaResult]:
    """The agenda of ``guide`` next to it, and its text."""
    pdf = guide.with_suffix(".agenda.pdf")
    diag = Diagnostics()
    opts = AgendaOptions(guide=guide, locale=locale, **options)  # type: ignore[arg-type]
    result = write_agenda(opts, pdf, None, diag)
    return Built(pdf, text(pdf), diag), result


def qr_codes(pdf: Path, dpi: int = 150) -> set[str]:
    """Every QR code decoded from the rasterised pages."""
    found: set[str] = set()
    for page in rasterise(pdf, dpi=dpi):
        found.update(decode_qr(page))
    return found


def layout_lines(pdf: Path) -> list[str]:
    """The PDF's text as pdftotext lays it out (cells of a table row share a line)."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    return [" ".join(line.split()) for line in out.splitlines()]


def row_on_one_line(lines: list[str], *cells: str) -> bool:
    """Whether some laid-out line holds every cell, in order (a table row)."""
    for line in lines:
        position = 0
        for cell in cells:
            found = line.find(cell, position)
            if found < 0:
                break
            position = found + len(cell)
        else:
            return True
    return False


def no_raw_markup(content: str) -> list[str]:
    """The raw markup fragments found in ``content`` (empty when clean)."""
    return [raw for raw in RAW if raw in content]


EVENT = Event(date=None, site_url="https://hourofcode.com")
