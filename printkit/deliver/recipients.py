"""Recipients: the participant list's rows with an e-mail address, checked, and their PDF.

The list is read by :mod:`printkit.sources.participants` (CSV, XLSX, text;
any encoding and delimiter). The e-mail column is found by its header in many
languages or given (``email_column``). Addresses are checked with
``email-validator`` (syntax, internationalised domains; no DNS look-up). With
the folder written by ``printkit certificates --split DIR``, its manifest maps
each row to that person's PDF. Every input row gives one recipient: ``ok``,
or ``refused`` with a reason; none is dropped.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..errors import Location, ParticipantsError, UsageError
from ..output import spreadsheet_value
from ..sources.participants import iter_participants

#: Headers of an e-mail column (compared without case, spaces, dashes, dots, underscores).
#: Never a bare "address": that may be a postal one.
EMAIL_HEADERS = frozenset({
    "email", "emails", "mail", "emailaddress", "mailaddress", "emailadresse",
    "adresseemail", "adressemail", "courriel", "adressecourriel", "adresseélectronique",
    "correo", "correoelectrónico", "correoelectronico", "emailadres", "epost", "epostadress",
    "epostadresse", "sähköposti", "eposta", "epostaadresi", "postaelettronica", "indirizzoemail",
    "emailadresa", "adresemail", "почта", "электроннаяпочта", "email адрес", "пошта",
    "електроннапошта", "ηλεκτρονικόταχυδρομείο", "メール", "メールアドレス", "電子メール",
    "邮箱", "电子邮件", "电子邮箱", "郵箱", "電子郵件", "이메일", "전자우편", "البريد",
    "البريدالإلكتروني", "البريدالالكتروني", "ايميل", "إيميل", "ایمیل", "پستالکترونیک",
    "דואל", 'דוא"ל', "דואראלקטרוני", "ईमेल", "ईमेलपता", "ইমেইল", "மின்னஞ்சல்", "อีเมล",
    "thưđiệntử", "surel", "suratelektronik", "barupepe", "emel",
})

Status = Literal["ok", "refused"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One input row: who, where to, with which certificate; ``ok`` or ``refused``."""

    row: int
    name: str
    address: str
    fields: Mapping[str, str] = field(default_factory=dict)
    status: Status = "ok"
    reason: str = ""
    #: Whether the address needs SMTPUTF8 (a non-ASCII local part).
    smtputf8: bool = False
    certificate: Path | None = None


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.:*]+", "", unicodedata.normalize("NFC", header).casefold())


def find_email_column(columns: Sequence[str], email_column: str | None = None) -> str | None:
    """The column holding addresses: ``email_column`` when given, else by header.

    >>> find_email_column(["Nom", "Courriel"]), find_email_column(["Name", "E-Mail"])
    ('Courriel', 'E-Mail')
    >>> find_email_column(["الاسم", "البريد الإلكتروني"]), find_email_column(["a"])
    ('البريد الإلكتروني', None)
    """
    keys = {_key(c): c for c in columns}
    if email_column is not None:
        return keys.get(_key(email_column))
    return next((c for k, c in keys.items() if k in EMAIL_HEADERS), None)


def check_address(raw: str) -> tuple[str, bool, str]:
    """An address as it will be sent, whether it needs SMTPUTF8, and a refusal reason or "".

    Internationalised domains are sent in their ASCII (IDNA) form.

    >>> check_address(" ada@Example.ORG ")
    ('ada@example.org', False, '')
    >>> check_address("josé@exämple.org")[:2]
    ('josé@xn--exmple-cua.org', True)
    >>> check_address("not an address")[2]
    'bad e-mail address: An email address must have an @-sign.'
    >>> check_address("")[2]
    'no e-mail address'
    """
    try:
        from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415
    except ImportError:
        raise UsageError("printkit mail needs email-validator",
                         hint="pip install 'printkit[mail]'") from None
    text = raw.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not text:
        return "", False, "no e-mail address"
    try:
        valid = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        return text, False, f"bad e-mail address: {exc}"
    if valid.ascii_email:
        return valid.ascii_email, False, ""
    local = valid.local_part
    domain = valid.ascii_domain or valid.domain
    return f"{local}@{domain}", True, ""


def read_manifest(folder: Path) -> dict[int, tuple[str, Path]]:
    """Row -> (name, PDF) from ``folder/manifest.csv`` (``printkit certificates --split``)."""
    path = Path(folder) / "manifest.csv"
    if not path.is_file():
        raise UsageError(
            f"{folder}: no manifest.csv",
            hint="give the folder written by: printkit certificates LIST --split DIR",
        )
    out: dict[int, tuple[str, Path]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, rec in enumerate(csv.DictReader(handle), 2):
            try:
                row = int(spreadsheet_value(rec["row"]))
                out[row] = (spreadsheet_value(rec["name"]), path.parent / rec["file"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ParticipantsError(
                    f"not a certificates manifest ({exc})", Location(str(path), row=number),
                    "write it again with printkit certificates --split",
                ) from exc
    return out


def iter_recipients(
    path: Path,
    *,
    email_column: str | None = None,
    name_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    certificates: Path | None = None,
) -> Iterator[Recipient]:
    """Every row of the list as a :class:`Recipient` (see the module docstring)."""
    manifest = read_manifest(certificates) if certificates is not None else None
    column: str | None = None
    for index, p in enumerate(
        iter_participants(path, name_column=name_column, sheet=sheet, encoding=encoding)
    ):
        if index == 0:
            column = find_email_column(list(p.fields), email_column)
            if column is None:
                what = f"no column {email_column!r}" if email_column else "no e-mail column"
                raise ParticipantsError(
                    what, Location(str(path), row=1),
                    "columns are: " + ", ".join(repr(c) for c in p.fields)
                    + "; choose one with --email-column",
                )
        assert column is not None
        address, utf8, reason = check_address(p.fields.get(column, ""))
        recipient = Recipient(p.row, p.name, address, p.fields, smtputf8=utf8)
        if p.status != "ok":
            reason = p.reason
        if not reason and manifest is not None:
            recipient, reason = _with_certificate(recipient, manifest)
        yield replace(recipient, status="refused", reason=reason) if reason else recipient


def _with_certificate(
    recipient: Recipient, manifest: Mapping[int, tuple[str, Path]]
) -> tuple[Recipient, str]:
    entry = manifest.get(recipient.row)
    if entry is None:
        return recipient, "no certificate for this row in the manifest"
    name, pdf = entry
    if name != recipient.name:
        return recipient, (
            f"the certificate of row {recipient.row} is for {name!r}: the list changed since "
            "the certificates were made (run printkit certificates --split again)"
        )
    if not pdf.is_file():
        return recipient, f"certificate {pdf.name} is missing"
    return replace(recipient, certificate=pdf), ""
