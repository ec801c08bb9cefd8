"""Reading the certificate manifests the CLI writes (``row,name,file,page,id,sha256``)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, Location
from ..output import spreadsheet_value
from .store import CertificateRecord, valid_id

COLUMNS = ("row", "name", "file", "page", "id", "sha256")


def read_manifest(
    path: Path, *, event: str, date: dt.date | None, organiser: str, locale: str
) -> Iterator[CertificateRecord]:
    """The certificates listed in a manifest, for the event they were made for.

    A row without an id (the run had no ``--verify-url``) or with a malformed
    one is an error naming the row: nothing is registered half.
    """
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the manifest: {exc}", Location(where)) from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or [h.strip() for h in header[: len(COLUMNS)]] != list(COLUMNS):
        raise InputError(
            "not a printkit certificates manifest", Location(where, row=1),
            "give the .manifest.csv written next to the PDF (or DIR/manifest.csv of --split)",
        )
    records: list[CertificateRecord] = []
    for number, cells in enumerate(reader, 2):
        if not cells:
            continue
        if len(cells) < len(COLUMNS):
            raise InputError("too few columns", Location(where, row=number))
        ident = cells[4].strip()
        if not ident:
            raise InputError(
                "no certificate id", Location(where, row=number),
                "make the certificates with --verify-url 'https://…/verify/{id}'",
            )
        if not valid_id(ident):
            raise InputError(f"malformed certificate id {ident!r}", Location(where, row=number))
        try:
            row = int(cells[0])
        except ValueError:
            raise InputError(f"row {cells[0]!r} is not a number", Location(where, row=number)) \
                from None
        records.append(CertificateRecord(
            ident, spreadsheet_value(cells[1]), event, date, organiser, locale, row, "import",
        ))
    return iter(records)
