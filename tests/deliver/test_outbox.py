"""Dry runs: the outbox's .eml files as a mail client would read them; refusals; changes."""

from __future__ import annotations

import csv
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.dates import format_date

from printkit.cli import main
from printkit.deliver.recipients import check_address, find_email_column

from .conftest import BAD, Kit

SENDER = "Jardin des Robots — Équipe <hello@example.org>"


def emls(outbox: Path) -> list[EmailMessage]:
    out = []
    for path in sorted((outbox / "messages").glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        out.append(msg)
    return out


def report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(listed: Kit, outbox: Path, *extra: str) -> int:
    return main([
        "mail", str(listed.people), "--from", SENDER, "--subject", "Votre certificat, {{ name }}",
        "--certificates", str(listed.certificates), "--event", "Robot Garden",
        "--outbox", str(outbox), *extra,
    ])


def test_dry_run_writes_one_message_per_valid_row_and_sends_nothing(
    listed: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox"
    code = run(listed, outbox, "--report", str(tmp_path / "r.csv"))
    assert code == 1  # two rows refused
    messages = emls(outbox)
    valid = [n for n in listed.names if n not in BAD]
    assert len(messages) == len(valid)
    rows = report(tmp_path / "r.csv")
    assert len(rows) == len(listed.names)
    assert {r["status"] for r in rows if r["name"] not in BAD} == {"skipped"}
    refused = {r["name"]: r["reason"] for r in rows if r["status"] == "refused"}
    assert set(refused) == set(BAD)
    assert "must have an @-sign" in refused["Bad Address"]
    assert refused["No Address"] == "no e-mail address"
    err = capsys.readouterr().err
    assert f"dry run: nothing sent. {len(valid)} message(s)" in err
    assert "Ada Lovelace <p000@example.org>" in err and "first message:" in err
    # Non-ASCII display names and subject: RFC 2047 on the wire, decoded back intact.
    by_to = {m["To"].addresses[0].display_name: m for m in messages}
    msg = by_to["José Núñez-Øster"]
    assert msg["Subject"] == "Votre certificat, José Núñez-Øster"
    assert msg["From"].addresses[0].display_name == "Jardin des Robots — Équipe"
    raw = (outbox / "messages").glob("*.eml")
    assert all(p.read_bytes().isascii() for p in raw)  # every header encoded (RFC 2047)
    # multipart/alternative (text and HTML) and the person's own certificate.
    assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
    files = [a.get_filename() for a in msg.iter_attachments()]
    assert len(files) == 1 and files[0].endswith(".pdf") and "Jos" in files[0]


def test_hostile_names_stay_data(listed: Kit, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_text("Hello {{ name }}, team {{ Team }}.\n\n[site](https://example.org)\n")
    run(listed, tmp_path / "o", "--body", str(body))
    by_to = {m["To"].addresses[0].display_name: m for m in emls(tmp_path / "o")}
    msg = by_to["{{ 7*7 }}"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Hello {{ 7*7 }}, team t1." in text and "49" not in text
    assert "{{ 7*7 }}" in html and "49" not in html
    assert msg["Subject"] == "Votre certificat, {{ 7*7 }}"
    formula = by_to['=HYPERLINK("http://evil.example","x")']
    html = formula.get_body(("html",)).get_content()
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in html
    assert 'href="http://evil.example"' not in html  # the name is text, not a link
    assert '<a href="https://example.org">site</a>' in html  # the template's own link


def test_arabic_body_is_right_to_left(listed: Kit, tmp_path: Path) -> None:
    body = tmp_path / "ar.md"
    body.write_text("مرحبا **{{ name }}**،\n\nشهادتك مرفقة.\n", encoding="utf-8")
    code = run(listed, tmp_path / "o", "--body", str(body), "--locale", "ar-EG")
    assert code == 1
    msg = emls(tmp_path / "o")[0]
    html = msg.get_body(("html",)).get_content()
    assert '<html lang="ar-EG" dir="rtl">' in html and '<body dir="rtl"' in html
    assert "شهادتك مرفقة." in html and "<strong>Ada Lovelace</strong>" in html
    assert msg["Content-Language"] == "ar-EG"


def test_built_in_body_follows_the_locale(listed: Kit, tmp_path: Path) -> None:
    run(listed, tmp_path / "o", "--locale", "fr-FR", "--date", "2026-12-09")
    text = emls(tmp_path / "o")[0].get_body(("plain",)).get_content()
    # The locale's long date, as Babel's CLDR writes it (not a string of one release).
    long_date = format_date(date(2026, 12, 9), format="long", locale="fr_FR")
    assert "Ada Lovelace" in text and long_date in text
    assert text.lstrip().startswith("Bonjour Ada Lovelace,")
    assert "Ce certificat est décerné à" in text or "décerné" in text


@pytest.mark.parametrize("locale", ["ar-EG", "hi-IN", "ja-JP"])
def test_built_in_body_greets_in_every_script(listed: Kit, tmp_path: Path, locale: str) -> None:
    from printkit.locale import LocaleContext  # noqa: PLC0415

    run(listed, tmp_path / "o", "--locale", locale)
    msg = emls(tmp_path / "o")[0]
    text = msg.get_body(("plain",)).get_content()
    greeting = LocaleContext.parse(locale).translations.gettext("Hello %(name)s,")
    assert greeting != "Hello %(name)s,"  # translated in the shipped catalog
    assert greeting % {"name": "Ada Lovelace"} in text
    assert msg["Content-Language"] == locale


def test_a_12_mb_attachment_is_refused_with_its_reason(listed: Kit, tmp_path: Path) -> None:
    big = tmp_path / "video.bin"
    big.write_bytes(b"\0" * 12_000_000)
    code = run(listed, tmp_path / "o", "--attach", str(big), "--report", str(tmp_path / "r.csv"))
    assert code == 1
    rows = report(tmp_path / "r.csv")
    assert len(rows) == len(listed.names)
    assert {r["status"] for r in rows} == {"refused"}
    ok_rows = [r for r in rows if r["name"] not in BAD]
    assert all("message too large" in r["reason"] and "video.bin 12.0 MB" in r["reason"]
               and "10 MB" in r["reason"] for r in ok_rows)
    assert not list((tmp_path / "o" / "messages").glob("*.eml"))


def test_a_missing_certificate_is_reported(listed: Kit, tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    for path in listed.certificates.iterdir():
        if path.suffix == ".csv" or "Grace" not in path.name:
            (certs / path.name).write_bytes(path.read_bytes())
    main(["mail", str(listed.people), "--from", SENDER, "--subject", "x", "--certificates",
          str(certs), "--outbox", str(tmp_path / "o"), "--report", str(tmp_path / "r.csv")])
    rows = {r["name"]: r for r in report(tmp_path / "r.csv")}
    assert rows["Grace Hopper"]["status"] == "refused"
    assert "missing" in rows["Grace Hopper"]["reason"]
    assert rows["Alan Turing"]["status"] == "skipped"


def test_header_in_many_languages_and_addresses() -> None:
    assert find_email_column(["Nom", "Adresse e-mail"]) == "Adresse e-mail"
    assert find_email_column(["Nombre", "Correo electrónico"]) == "Correo electrónico"
    assert find_email_column(["姓名", "电子邮件"]) == "电子邮件"
    assert find_email_column(["a", "b"], "B") == "b"
    assert check_address("ada@example..org")[2].startswith("bad e-mail address")
    assert check_address("ada@bücher.example")[0] == "ada@xn--bcher-kva.example"


def test_report_cells_are_spreadsheet_safe(listed: Kit, tmp_path: Path) -> None:
    run(listed, tmp_path / "o", "--report", str(tmp_path / "r.csv"))
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert not any(line.startswith("=") for line in text.splitlines())


def test_template_mistakes_name_the_file_and_line(
    listed: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.md"
    body.write_text("Hello {{ name }},\n\nYour phone: {{ phone }}\n")
    assert run(listed, tmp_path / "o", "--body", str(body)) == 1
    err = capsys.readouterr().err
    assert f"{body}: body template: 'phone' is undefined" in err
    assert "placeholders available:" in err and "team" in err
    body.write_text("Hello {{ name }},\n\n{% if %}\n")
    assert run(listed, tmp_path / "o", "--body", str(body)) == 1
    assert f"{body}, line 3: template syntax" in capsys.readouterr().err
    assert not (tmp_path / "o" / "outbox.json").exists()


def test_lists_as_certificates_read_them(tmp_path: Path) -> None:
    """XLSX, and a Windows-1252 CSV with semicolons: the reader of printkit certificates."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nom", "Prénom", "Courriel"])
    sheet.append(["Núñez", "José", "jose@example.org"])
    book.save(tmp_path / "people.xlsx")
    (tmp_path / "people.csv").write_bytes("Name;E-Mail\nZoë Ångström;zoe@example.org\n"
                                          .encode("cp1252"))
    for name in ("people.xlsx", "people.csv"):
        outbox = tmp_path / f"outbox-{name}"
        assert main(["mail", str(tmp_path / name), "--from", SENDER, "--subject",
                     "Hi {{ name }}", "--outbox", str(outbox)]) == 0
        (msg,) = emls(outbox)
        assert msg["To"].addresses[0].display_name in ("José Núñez", "Zoë Ångström")
        assert msg["Subject"] == "Hi " + msg["To"].addresses[0].display_name


def test_python_api(listed: Kit, tmp_path: Path) -> None:
    import printkit  # noqa: PLC0415

    result = printkit.mail(printkit.MailOptions(
        people=listed.people, sender=SENDER, subject="{{ name }}", certificates=listed.certificates,
        body_text="Dear {{ name }} ({{ Team }})\n", outbox=tmp_path / "o",
    ))
    assert not result.ok and result.counts == {"skipped": len(listed.names) - 2, "refused": 2}
    assert result.first_text.strip() == "Dear Ada Lovelace (t0)"
    assert result.total_size == sum(p.stat().st_size for p in (tmp_path / "o/messages").iterdir())
