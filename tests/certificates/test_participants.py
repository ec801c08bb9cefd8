"""Participant lists: encodings, delimiters, name columns, statuses, bad files, XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from printkit.errors import ParticipantsError
from printkit.sources.participants import MAX_NAME_LENGTH, read_participants, write_report

ROWS = "Prénom;Nom;Classe\nAda;Lovelace;5A\nJosé;Núñez;5B\n"


def names(path: Path, **kw: str) -> list[str]:
    return [p.name for p in read_participants(path, **kw).participants]  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(ROWS.encode(encoding))
    listed = read_participants(path)
    assert [p.name for p in listed.participants] == ["Ada Lovelace", "José Núñez"]
    assert listed.participants[1].fields == {"Classe": "5B"}
    assert listed.participants[0].row == 2


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"email{delimiter}Full name\na@x{delimiter}Ada Lovelace\n", encoding="utf-8")
    assert names(path) == ["Ada Lovelace"]


@pytest.mark.parametrize("header", ["name", "Nombre", "nome", "Namn", "名前", "الاسم", "full name"])
def test_name_headers_in_many_languages(tmp_path: Path, header: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"id,{header}\n1,Grace Hopper\n", encoding="utf-8")
    assert names(path) == ["Grace Hopper"]


def test_name_column_option_and_unknown_column(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("who,what\nAlan Turing,x\n", encoding="utf-8")
    with pytest.raises(ParticipantsError) as err:
        read_participants(path)
    assert "who" in err.value.describe() and "row 1" in err.value.describe()
    assert names(path, name_column="who") == ["Alan Turing"]
    assert names(path, name_column="what + who") == ["x Alan Turing"]


def test_statuses_duplicates_and_report(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    long = "x" * (MAX_NAME_LENGTH + 1)
    rows = ["name", "Ada Lovelace", "", "bad\x07bell", long, "\u202eevil", "ada  lovelace",
            "{{ 7*7 }}", "<img src=file:///etc/passwd>", "url(http://127.0.0.1)"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    people = read_participants(path).participants
    assert [p.row for p in people] == list(range(2, 11))
    status = {p.row: (p.status, p.reason) for p in people}
    assert status[2] == ("ok", "")
    assert status[3] == ("refused", "empty")
    assert status[4] == ("refused", "control characters")
    assert status[5][0] == "refused" and "over-long" in status[5][1]
    assert status[6][0] == "refused" and "bidi" in status[6][1]
    assert people[5].duplicate_of == 2 and people[5].status == "ok"
    assert [p.name for p in people[6:]] == rows[7:]  # hostile names kept as plain text
    report = tmp_path / "report.csv"
    write_report(report, people)
    lines = list(csv.reader(report.open(encoding="utf-8")))
    assert lines[0] == ["row", "name", "status", "reason", "duplicate_of"]
    assert len(lines) == 1 + len(people)
    assert lines[6][4] == "2"


def test_plain_text_list(tmp_path: Path) -> None:
    path = tmp_path / "people.txt"
    path.write_text("Ada Lovelace\nمريم بنت أحمد\n\n", encoding="utf-16")
    assert names(path) == ["Ada Lovelace", "مريم بنت أحمد"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name\n", "only a header"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary\x00\x00data", "binary"),
    ],
)
def test_bad_files_name_file_and_row(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ParticipantsError) as err:
        read_participants(path)
    text = err.value.describe()
    assert message in text and "bad.csv" in text


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name\nAda\nJosé\n".encode("cp1252"))
    with pytest.raises(ParticipantsError) as err:
        read_participants(path, encoding="utf-8")
    assert "line 3" in err.value.describe()


def test_xlsx_formulas_merged_cells_and_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Class 5A"
    sheet.append(["First name", "Last name", "Score"])
    sheet.append(["Ada", "Lovelace", 10])
    sheet.append(["Grace", "Hopper", "=1+1"])  # a formula never calculated: no saved value
    sheet.append(["=A2", "Copy", 3])
    sheet.append(["Alan", "Turing", 4])
    sheet.append([None, None, 5])
    sheet.merge_cells("A5:A6")
    sheet.merge_cells("B5:B6")
    other = book.create_sheet("Teachers")
    other.append(["name"])
    other.append(["Katherine Johnson"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    people = read_participants(path).participants
    assert [p.name for p in people[:2]] == ["Ada Lovelace", "Grace Hopper"]
    assert people[0].fields == {"Score": "10"}
    assert people[1].status == "refused" and "formula" in people[1].reason
    assert people[2].status == "refused" and "formula" in people[2].reason
    assert people[3].name == "Alan Turing"
    assert people[4].status == "refused" and "merged" in people[4].reason
    assert names(path, sheet="Teachers") == ["Katherine Johnson"]
    with pytest.raises(ParticipantsError, match="no sheet"):
        read_participants(path, sheet="Nope")
