"""Participant lists: CSV, XLSX or plain text, to :class:`~printkit.model.Participant` rows.

Every input row gives one participant with a status: ``ok``, or ``refused``
with a reason (empty, control characters, over-long, unreadable, merged
cell). Duplicates are flagged (``duplicate_of``), never removed. Files that
cannot be read as a list at all raise :class:`~printkit.errors.ParticipantsError`
naming the file and row.

CSV files are decoded whatever their encoding (UTF-8 with or without BOM,
UTF-16, Windows-1252/Latin-1 from spreadsheet exports) and their delimiter
(``,`` ``;`` tab) is sniffed. The name column is found by its header in many
languages, or as first + last name columns, or given (``name_column``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Location, ParticipantsError
from ..model import Participant
from ..output import write_csv

#: Longest name accepted (characters, after normalisation).
MAX_NAME_LENGTH = 200

_FULL = {
    "name", "names", "fullname", "participant", "participantname", "student", "studentname",
    "nom", "nomcomplet", "nombre", "nombrecompleto", "nome", "nomecompleto", "namn",
    "navn", "naam", "volledigenaam", "imię", "imieinazwisko", "isim", "adsoyad", "ad",
    "имя", "фио", "полноеимя", "名前", "氏名", "姓名", "名字", "이름", "성명", "الاسم",
    "اسم", "الاسمالكامل", "نام", "שם", "שםמלא", "नाम", "पूरानाम", "பெயர்", "ชื่อ",
    "ชื่อนามสกุล", "ឈ្មោះ", "tên", "họtên", "jina", "nama", "namalengkap",
}
_FIRST = {
    "firstname", "givenname", "forename", "first", "prénom", "prenom", "vorname", "nombre",
    "primeironome", "förnamn", "fornavn", "voornaam", "imię", "имя", "名", "이름",
    "الاسمالأول", "שםפרטי",
}
_LAST = {
    "lastname", "surname", "familyname", "last", "nom", "nomdefamille", "nachname",
    "apellido", "apellidos", "sobrenome", "efternamn", "etternavn", "achternaam",
    "nazwisko", "фамилия", "姓", "성", "اسمالعائلة", "שםמשפחה",
}

#: Code pages of other scripts: when detected, trusted over Windows-1252.
_OTHER_SCRIPT_CODEPAGES = frozenset({
    "cp1251", "cp1253", "cp1255", "cp1256", "cp1258", "koi8_r", "koi8_u", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_11", "mac_cyrillic", "mac_greek", "cp866",
    "cp855", "cp737", "cp862", "cp864", "tis_620", "cp874", "shift_jis", "euc_jp", "gb2312",
    "gb18030", "gbk", "big5", "big5hkscs", "euc_kr", "cp932", "cp949", "cp950", "johab",
})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class ParticipantList:
    """A read list: where from, which column gave the names, every row."""

    source: Path
    columns: tuple[str, ...]
    name_column: str
    participants: tuple[Participant, ...]

    @property
    def ok(self) -> tuple[Participant, ...]:
        """Rows that get a certificate."""
        return tuple(p for p in self.participants if p.status == "ok")

    @property
    def refused(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.status == "refused")


def _key(header: str) -> str:
    text = unicodedata.normalize("NFC", header).casefold()
    return re.sub(r"[\s_\-.:*]+", "", text)


def clean_name(raw: str) -> tuple[str, str]:
    """Normalise a name (NFC, whitespace folded); return it and a refusal reason or "".

    >>> clean_name("  Ada   Lovelace ")
    ('Ada Lovelace', '')
    >>> clean_name("bad\\x07name")[1]
    'control characters'
    >>> clean_name("")[1]
    'empty'
    """
    name = unicodedata.normalize("NFC", raw)
    if any(c in _BIDI_CONTROLS for c in name):
        return name, "bidi control characters (they could disguise the name)"
    if "\ufffd" in name:
        return name, "unreadable characters (wrong encoding?)"
    if any(unicodedata.category(c) == "Cc" and c not in " \t" for c in name):
        return " ".join(name.split()), "control characters"
    name = " ".join(name.split())
    if not name:
        return name, "empty"
    if len(name) > MAX_NAME_LENGTH:
        return name, f"over-long ({len(name)} characters, at most {MAX_NAME_LENGTH})"
    return name, ""


# --------------------------------------------------------------------------
# Decoding


def decode_text(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode a text file: BOMs, UTF-16 without BOM, UTF-8, then a detected 8-bit code page."""
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ParticipantsError(
                f"not valid {encoding}", Location(source, line=line),
                "save the file as UTF-8, or give the right --encoding",
            ) from exc
        except LookupError as exc:
            raise ParticipantsError(f"unknown encoding {encoding!r}", Location(source)) from exc
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return data.decode("utf-16-le", errors="replace")
        if even > len(sample) // 4 and odd == 0:
            return data.decode("utf-16-be", errors="replace")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ParticipantsError(
            "binary data, not a text or CSV file", Location(source, line=line),
            "export the list as CSV (UTF-8) or XLSX",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for non-UTF-8 files

    best = from_bytes(data).best()
    name = best.encoding if best is not None else "cp1252"
    # Short Latin-script samples are ambiguous between code pages; spreadsheet
    # exports are Windows-1252 far more often than anything else.
    if name not in _OTHER_SCRIPT_CODEPAGES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode(name, errors="replace")


def _check_text(text: str, source: str) -> None:
    bad = sum(1 for c in text[:20000] if unicodedata.category(c) == "Cc" and c not in "\t\r\n")
    if bad > max(3, len(text[:20000]) // 100):
        first = next(i for i, c in enumerate(text) if unicodedata.category(c) == "Cc"
                     and c not in "\t\r\n")
        raise ParticipantsError(
            "binary data, not a text or CSV file",
            Location(source, line=text[:first].count("\n") + 1),
            "export the list as CSV (UTF-8) or XLSX",
        )


# --------------------------------------------------------------------------
# Columns


def find_name_columns(header: Sequence[str], name_column: str | None = None) -> list[int]:
    """Indices of the column(s) giving the name: one full-name column, or first + last.

    >>> find_name_columns(["Email", "Full name"])
    [1]
    >>> find_name_columns(["Prénom", "Nom", "Classe"])
    [0, 1]
    >>> find_name_columns(["a", "b"])
    []
    """
    keys = [_key(h) for h in header]
    if name_column is not None:
        parts = [p.strip() for p in name_column.split("+")]
        found = [keys.index(_key(p)) for p in parts if _key(p) in keys]
        return found if len(found) == len(parts) else []
    first = next((i for i, k in enumerate(keys) if k in _FIRST), None)
    last = next((i for i, k in enumerate(keys) if k in _LAST and i != first), None)
    if first is not None and last is not None:
        return [first, last]
    full = next((i for i, k in enumerate(keys) if k in _FULL), None)
    return [full] if full is not None else []


def _sniff(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(",;\t", key=first.count)


# --------------------------------------------------------------------------
# Readers: each yields (row number, cells, refusal reason)

Row = tuple[int, list[str], str]


def _csv_rows(path: Path, encoding: str | None) -> tuple[list[str], Iterator[Row], bool]:
    text = decode_text(path.read_bytes(), str(path), encoding)
    _check_text(text, str(path))
    if not text.strip():
        raise ParticipantsError("the file is empty", Location(str(path)),
                                "put one participant per row, with a header row")
    delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ParticipantsError(f"unreadable CSV: {exc}", Location(str(path), row=1)) from exc

    def rows() -> Iterator[Row]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ParticipantsError(
                    f"unreadable CSV: {exc}", Location(str(path), row=reader.line_num)
                ) from exc
            number += 1
            yield number, cells, ""

    return header, rows(), len(header) > 1


def _text_rows(path: Path, encoding: str | None) -> Iterator[Row]:
    text = decode_text(path.read_bytes(), str(path), encoding)
    _check_text(text, str(path))
    if not text.strip():
        raise ParticipantsError("the file is empty", Location(str(path)),
                                "write one name per line")
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    for number, line in enumerate(lines, 1):
        yield number, [line], ""


def _merged_ranges(path: Path, sheet_index: int) -> Ranges:
    """Merged ranges (min_col, min_row, max_col, max_row) read from the sheet XML."""
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415

    try:
        with zipfile.ZipFile(path) as archive:
            name = f"xl/worksheets/sheet{sheet_index + 1}.xml"
            xml = archive.read(name).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return []
    out = []
    for ref in re.findall(r'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
        out.append(tuple(range_boundaries(ref)))
    return out  # type: ignore[return-value]


Ranges = list[tuple[int, int, int, int]]


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], Iterator[Row], Ranges]:
    import openpyxl  # noqa: PLC0415 - heavy, only for XLSX

    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ParticipantsError(f"not a readable XLSX workbook: {exc}", Location(str(path)),
                                "save it again as .xlsx, or export it as CSV") from exc
    names = values.sheetnames
    if sheet is not None and sheet not in names:
        raise ParticipantsError(f"no sheet {sheet!r}", Location(str(path), key=sheet),
                                "sheets are: " + ", ".join(names))
    title = sheet or names[0]
    merged = _merged_ranges(path, names.index(title))
    value_rows = values[title].iter_rows(values_only=True)
    formula_rows = formulas[title].iter_rows(values_only=True)

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    try:
        first = next(value_rows)
        next(formula_rows)
    except StopIteration:
        raise ParticipantsError("the sheet is empty", Location(str(path), key=title)) from None
    header = [cell(v) for v in first]

    def rows() -> Iterator[Row]:
        for number, (vals, forms) in enumerate(zip(value_rows, formula_rows, strict=False), 2):
            cells = [cell(v) for v in vals]
            reason = ""
            for v, f in zip(vals, forms, strict=False):
                if v is None and isinstance(f, str) and f.startswith("="):
                    reason = "unreadable: a formula without a saved value (open and save the file)"
                elif isinstance(v, str) and v.startswith("#") and v.endswith(("!", "?", "A")):
                    reason = f"unreadable: spreadsheet error {v}"
            yield number, cells, reason

    return header, rows(), merged


# --------------------------------------------------------------------------
# The list


def iter_participants(
    path: Path,
    *,
    name_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> Iterator[Participant]:
    """Read ``path`` row by row (streamed); every input row yields one participant."""
    path = Path(path)
    if not path.is_file():
        raise ParticipantsError("no such file", Location(str(path)), "check the path")
    suffix = path.suffix.lower()
    merged: Ranges = []
    if suffix in (".xlsx", ".xlsm"):
        header, rows, merged = _xlsx_rows(path, sheet)
        has_header = True
    elif suffix == ".txt":
        header, rows, has_header = [], _text_rows(path, encoding), False
    else:
        header, rows, multi = _csv_rows(path, encoding)
        columns = find_name_columns(header, name_column)
        has_header = bool(columns) or multi or name_column is not None
        if not has_header:
            rows = _prepend((1, header, ""), rows)
    if has_header:
        columns = find_name_columns(header, name_column)
        if not columns:
            what = f"no column {name_column!r}" if name_column else "no name column found"
            raise ParticipantsError(
                what, Location(str(path), row=1),
                "columns are: " + ", ".join(repr(h) for h in header)
                + "; choose one with --name-column (or 'First + Last')",
            )
    else:
        columns = [0]
    header_names = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
    name_cols = {columns[0] + 1} if len(columns) == 1 else {c + 1 for c in columns}
    seen: dict[str, int] = {}
    count = 0
    for number, cells, reason in rows:
        count += 1
        raw = " ".join(cells[c] if c < len(cells) else "" for c in columns)
        name, refusal = clean_name(raw)
        refusal = reason or refusal
        if refusal == "empty" and merged:
            for c0, r0, c1, r1 in merged:
                if r0 < number <= r1 and any(c0 <= c <= c1 for c in name_cols):
                    refusal = f"merged cell (merged with row {r0})"
        fields = {
            header_names[i]: value
            for i, value in enumerate(cells)
            if i < len(header_names) and i not in columns
        } if has_header else {}
        participant = Participant(row=number, name=name, fields=fields)
        if refusal:
            participant = replace(participant, status="refused", reason=refusal)
        else:
            key = name.casefold()
            if key in seen:
                participant = replace(participant, duplicate_of=seen[key])
            else:
                seen[key] = number
        yield participant
    if count == 0:
        raise ParticipantsError(
            "no participants: the file has only a header row", Location(str(path), row=1),
            "add one participant per row under the header",
        )


def _prepend(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


def read_participants(
    path: Path,
    *,
    name_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> ParticipantList:
    """Read a whole list (see :func:`iter_participants`)."""
    path = Path(path)
    rows = tuple(iter_participants(path, name_column=name_column, sheet=sheet, encoding=encoding))
    columns = tuple(rows[0].fields) if rows else ()
    return ParticipantList(path, columns, name_column or "", rows)


def write_report(path: Path, participants: Iterable[Participant]) -> None:
    """``--report``: one CSV line per input row (row, name, status, reason, duplicate_of).

    Cells are spreadsheet-safe (:func:`printkit.output.spreadsheet_safe`).
    """
    write_csv(
        Path(path),
        ["row", "name", "status", "reason", "duplicate_of"],
        ([p.row, p.name, p.status, p.reason, p.duplicate_of or ""] for p in participants),
    )
