"""``[documents.mail]``: printkit build prepares each locale's outbox; sending stays explicit."""

from __future__ import annotations

from pathlib import Path

from printkit.cli import main
from printkit.kit import BuildOptions, build_kit, load_kit

from .conftest import Handler
from .test_outbox import emls, report

KIT = """
locales = ["en-US", "ar-EG"]
[event]
name = { en-US = "Robot Garden", ar-EG = "حديقة الروبوتات" }
date = 2026-12-09
[sources]
participants = "people.csv"
[documents.certificates]
signatory = "Amal Haddad"
[documents.mail]
from = "Robot Garden <hello@example.org>"
subject = { en-US = "Your certificate, {{ name }}", ar-EG = "شهادتك يا {{ name }}" }
body = { ar-EG = "ar.md" }
attach = ["certificates", "handout.txt"]
"""


def test_build_prepares_every_locale_and_mail_sends_one(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    (tmp_path / "kit.toml").write_text(KIT, encoding="utf-8")
    (tmp_path / "people.csv").write_text(
        "name,email\nAda Lovelace,ada@example.org\nمريم أحمد,maryam@example.org\n"
        "Nobody,nobody-at-example.org\n", encoding="utf-8")
    (tmp_path / "ar.md").write_text("مرحبا {{ name }}، شهادتك من {{ event }} مرفقة.\n",
                                    encoding="utf-8")
    (tmp_path / "handout.txt").write_text("Bring a laptop.\n")
    result = build_kit(load_kit(tmp_path / "kit.toml"),
                       BuildOptions(output=tmp_path / "out", only=("mail",)))
    assert [o.status for o in result.outcomes] == ["built", "built"], result.outcomes
    assert [o.pages for o in result.outcomes] == [2, 2]  # messages; the bad address warned
    assert any("row 4" in w and "@-sign" in w
               for w in result.outcomes[0].warnings)
    en, ar = (emls(tmp_path / "out" / tag / "mail" / "outbox") for tag in ("en-US", "ar-EG"))
    assert en[0]["Subject"] == "Your certificate, Ada Lovelace"
    assert [a.get_filename() for a in en[0].iter_attachments()][1] == "handout.txt"
    html = ar[1].get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "شهادتك من حديقة الروبوتات مرفقة" in html
    assert not list((tmp_path / "out").glob("*.zip")) or all(
        "outbox" not in n for n in _zip_names(tmp_path / "out"))
    handler, port = smtp
    outbox = tmp_path / "out" / "ar-EG" / "mail" / "outbox"
    code = main(["mail", "--outbox", str(outbox), "--send", "--smtp",
                 f"smtp://127.0.0.1:{port}", "--report", str(tmp_path / "r.csv")])
    assert code == 1  # the bad address
    assert sorted(r for item in handler.received for r in item.rcpt) == [
        "ada@example.org", "maryam@example.org"]
    assert [r["status"] for r in report(tmp_path / "r.csv")] == ["sent", "sent", "refused"]


def _zip_names(out: Path) -> list[str]:
    import zipfile  # noqa: PLC0415

    names: list[str] = []
    for path in out.glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            names += archive.namelist()
    return names
