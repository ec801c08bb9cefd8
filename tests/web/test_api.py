"""The JSON API and the pages under Starlette's TestClient: real jobs, real PDFs read back."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from printkit.cli import main

from .helpers import ROOT, pdf_pages_text, qr_on_page, wait_job

HOSTILE = ["Ada Lovelace", "<script>alert(1)</script>", "{{ 7*7 }}", "=HYPERLINK(\"x\")"]


def _make(client: Any, names: list[str], **extra: str) -> dict[str, Any]:
    data = {"names": "\n".join(names), "event": "Robot Garden", "date": "2026-12-09",
            "locale": "en-GB", "organiser": "Code Club <Lyon>", **extra}
    answer = client.post("/api/certificates", data=data)
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued"
    return dict(wait_job(client, answer.json()["id"]))


def test_healthz_and_pages_have_security_headers(app_client: Any) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}
    page = app_client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<label for="event">' in page.text and '<label for="list">' in page.text
    for path in ("/poster", "/handout"):
        assert app_client.get(path).status_code == 200


def test_certificates_job_names_escaped_and_verifiable(app_client: Any) -> None:
    state = _make(app_client, [*HOSTILE, "bad\x07name"])
    assert state["status"] == "done", state
    assert state["done"] == state["total"] == 4
    assert state["refused"] == [{"row": 5, "name": "bad\x07name", "reason": "control characters"}]
    pdf = app_client.get(f"/api/jobs/{state['id']}/certificates.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    pages = pdf_pages_text(pdf.content)
    assert len(pages) == 4
    for name, text in zip(HOSTILE, pages, strict=True):
        assert name in " ".join(text.split())
    assert "49" not in pages[2]  # {{ 7*7 }} printed as written, never run
    codes = qr_on_page(pdf.content, 1)
    assert len(codes) == 1 and codes[0].startswith("http://testserver/verify/")
    cert_id = codes[0].rsplit("/", 1)[1]
    page = app_client.get(f"/verify/{cert_id}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text
    assert "Code Club &lt;Lyon&gt;" in page.text and "9 December 2026" in page.text
    record = app_client.get(f"/api/verify/{cert_id}").json()
    assert record["name"] == "<script>alert(1)</script>" and record["valid"] is True
    zipped = app_client.get(f"/api/jobs/{state['id']}/certificates.zip")
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 4
    report = app_client.get(f"/api/jobs/{state['id']}/report.csv").text
    assert "'=HYPERLINK" in report and "refused" in report  # spreadsheet-safe, every row
    html = app_client.get(f"/jobs/{state['id']}").text
    assert "control characters" in html and "&lt;script&gt;" in html


def test_verify_page_in_the_certificates_language(app_client: Any) -> None:
    state = _make(app_client, ["Zoé Durand"], locale="fr-FR")
    pdf = app_client.get(f"/api/jobs/{state['id']}/certificates.pdf").content
    cert_id = qr_on_page(pdf, 0)[0].rsplit("/", 1)[1]
    page = app_client.get(f"/verify/{cert_id}", headers={"accept-language": "de"})
    assert '<html lang="fr-FR"' in page.text
    assert "Vérifier ce certificat" in page.text or "certificat" in page.text.lower()
    assert "9 décembre 2026" in page.text and "Zoé Durand" in page.text
    chosen = app_client.get(f"/verify/{cert_id}?lang=de").text  # the reader's own choice
    assert '<html lang="de"' in chosen and "Zoé Durand" in chosen
    assert "9. Dezember 2026" in chosen


def test_unknown_and_traversal_are_404(app_client: Any) -> None:
    assert app_client.get("/verify/AAAAAAAAAAAAAAAA").status_code == 404
    assert "Not found" in app_client.get("/verify/AAAAAAAAAAAAAAAA").text
    assert app_client.get("/api/verify/AAAAAAAAAAAAAAAA").json() == {
        "error": "no certificate with this id"
    }
    assert app_client.get("/api/jobs/nosuchjob123").status_code == 404
    for raw in ("/api/jobs/../../etc/passwd", "/api/jobs/%2e%2e/%2e%2e/etc/passwd",
                "/api/jobs/x/..%2f..%2fetc%2fpasswd"):
        assert app_client.get(raw).status_code == 404, raw


def test_bad_requests_say_what_and_where(app_client: Any) -> None:
    def post(**kw: Any) -> Any:
        data = {"event": "E", "date": "2026-12-09", "locale": "en-US", **kw.pop("data", {})}
        return app_client.post("/api/certificates", data=data, **kw)

    junk = bytes(range(256)) * 40
    answer = post(files={"list": ("people.csv", junk, "text/csv")})
    assert answer.status_code == 415 and "binary data" in answer.json()["error"]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    assert "a PNG image" in post(files={"list": ("people.csv", png)}).json()["error"]
    broken = b"Name,Class\nAda,1\n" + b"x" * 140_000 + b",2\n"
    answer = post(files={"list": ("people.csv", broken)})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("people.csv, row 3: unreadable CSV")
    no_column = post(files={"list": ("people.csv", b"Email,Class\na@x,1\nb@x,2\n")})
    assert no_column.status_code == 400
    assert "people.csv, row 1: no name column found" in no_column.json()["error"]
    assert "is not a date" in post(data={"names": "A", "date": "2026-13-40"}).json()["error"]
    assert "unknown locale" in post(data={"names": "A", "locale": "xx-Nope"}).json()["error"]
    assert "design" in post(data={"names": "A", "design": "../poster"}).json()["error"]
    assert "list: missing" in post().json()["error"]
    refused = post(data={"names": "\x07a\n\x07b"}).json()["error"]
    assert refused == ("the pasted names: none of the 2 row(s) can get a certificate (first: "
                       "row 1: control characters); fix the list and send it again")
    assert app_client.post("/api/certificates", data={"names": "A"}).json()["error"] == (
        "event: missing; give the event"
    )


def test_list_as_a_text_field(app_client: Any) -> None:
    """``curl -F "list=<people.csv"`` sends the list as a text field: read like a file."""
    answer = app_client.post("/api/certificates", data={
        "event": "E", "list": "Name\nGrace Hopper\n<script>alert(1)</script>\n",
    })
    assert answer.status_code == 202, answer.text
    state = wait_job(app_client, answer.json()["id"])
    pdf = app_client.get(f"/api/jobs/{state['id']}/certificates.pdf").content
    assert [" ".join(p.split()) for p in pdf_pages_text(pdf)][1].count("<script>") == 1
    no_header = app_client.post("/api/certificates", data={"event": "E", "list": "Ada\nBob\n"})
    assert wait_job(app_client, no_header.json()["id"])["total"] == 2


def test_cross_site_forms_are_refused(app_client: Any) -> None:
    data = {"event": "E", "names": "Ada"}
    evil = app_client.post("/api/certificates", data=data,
                           headers={"origin": "https://evil.example"})
    assert evil.status_code == 403 and "another site" in evil.json()["error"]
    same = app_client.post("/api/certificates", data=data, headers={"origin": "http://testserver"})
    assert same.status_code == 202


def test_xlsx_upload(app_client: Any) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Prénom", "Nom"])
    sheet.append(["Grace", "Hopper"])
    sheet.append(["Alan", "Turing"])
    buffer = io.BytesIO()
    book.save(buffer)
    answer = app_client.post(
        "/api/certificates", data={"event": "E", "locale": "en-US"},
        files={"list": ("list.xlsx", buffer.getvalue())},
    )
    assert answer.status_code == 202, answer.text
    state = wait_job(app_client, answer.json()["id"])
    pdf = app_client.get(f"/api/jobs/{state['id']}/certificates.pdf").content
    assert ["Grace Hopper" in p for p in pdf_pages_text(pdf)] == [True, False]


def test_row_limit_upload_limit_rate_limit_and_token(tmp_path: Path) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path, scheduler="threads", max_rows=5, rate_limit=3,
                        token="s3cret", max_upload_bytes=100_000)
    with TestClient(create_app(settings)) as client:
        auth = {"authorization": "Bearer s3cret"}
        data = {"event": "E", "names": "A\nB"}
        assert client.post("/api/certificates", data=data).status_code == 401
        assert client.post("/api/certificates", data=data,
                           headers={"authorization": "Bearer wrong"}).status_code == 401
        many = {"event": "E", "names": "\n".join(f"P{i}" for i in range(6))}
        answer = client.post("/api/certificates", data=many, headers=auth)
        assert answer.status_code == 413 and "more than 5 rows" in answer.json()["error"]
        big = client.post("/api/certificates", data={"event": "E"}, headers=auth,
                          files={"list": ("a.csv", b"Name\n" + b"x" * 200_000)})
        assert big.status_code == 413 and "limit of 0.1 MB" in big.json()["error"]
        ok = client.post("/api/certificates", data={**data, "token": "s3cret"})
        assert ok.status_code == 202
        statuses = [client.post("/api/certificates", data=data, headers=auth).status_code
                    for _ in range(3)]
        assert statuses[-1] == 429
        # verification stays public; revoking needs the token
        wait_job(client, ok.json()["id"])
        record = _first_certificate(client, ok.json()["id"])
        assert client.post(f"/api/verify/{record}/revoke").status_code == 401
        revoked = client.post(f"/api/verify/{record}/revoke", data={"reason": "a typo"},
                              headers=auth).json()
        assert revoked["revoked"] is True and revoked["valid"] is False
        page = client.get(f"/verify/{record}").text
        assert "This certificate was withdrawn" in page and "a typo" in page


def _first_certificate(client: Any, job_id: str) -> str:
    pdf = client.get(f"/api/jobs/{job_id}/certificates.pdf").content
    return qr_on_page(pdf, 0)[0].rsplit("/", 1)[1]


def test_poster_and_handout_jobs(app_client: Any, fixtures: Path) -> None:
    answer = app_client.post("/api/posters", data={
        "title": "Robot <Garden>", "date": "2026-12-09", "place": "Lyon", "locale": "fr-FR",
        "url": "https://example.org/robots", "paper": "A4",
    })
    assert answer.status_code == 202, answer.text
    state = wait_job(app_client, answer.json()["id"])
    assert state["status"] == "done", state
    pdf = app_client.get(f"/api/jobs/{state['id']}/poster.pdf").content
    assert "Robot <Garden>" in " ".join(pdf_pages_text(pdf)[0].split())
    assert qr_on_page(pdf, 0) == ["https://example.org/robots"]
    assert app_client.get(f"/api/jobs/{state['id']}/preview.png").content[:4] == b"\x89PNG"
    bad = app_client.post("/api/posters", data={"title": "T"},
                          files={"image": ("x.png", b"not an image")})
    assert bad.status_code == 415 and "not a PNG" in bad.json()["error"]
    guide = (
        "---\ntitle: Robots at the library\n---\n\n# Robots at the library\n\n"
        "Welcome, builders. Bring a laptop.\n"
    )
    answer = app_client.post("/api/handouts", data={"locale": "en-US"},
                             files={"guide": ("guide.md", guide.encode())})
    assert answer.status_code == 202, answer.text
    state = wait_job(app_client, answer.json()["id"])
    assert state["status"] == "done", state
    pdf = app_client.get(f"/api/jobs/{state['id']}/handout.pdf").content
    assert "Welcome, builders" in " ".join(pdf_pages_text(pdf)[0].split())
    junk = app_client.post("/api/handouts", files={"guide": ("g.md", b"\x7fELF\x02\x01")})
    assert junk.status_code == 415


def test_preview_png_before_generating(app_client: Any) -> None:
    answer = app_client.post("/api/certificates/preview", data={
        "event": "Robot Garden", "names": "Grace Hopper\nAlan Turing", "locale": "en-US",
    })
    assert answer.status_code == 200 and answer.content[:8] == b"\x89PNG\r\n\x1a\n"
    import PIL.Image  # noqa: PLC0415
    import zxingcpp  # noqa: PLC0415

    image = PIL.Image.open(io.BytesIO(answer.content))
    assert abs(image.width - 900) <= 1
    codes = zxingcpp.read_barcodes(image)
    assert codes and codes[0].text.startswith("http://testserver/verify/")
    page = app_client.post("/certificates/preview", data={"event": "E", "names": "Ada"})
    assert page.status_code == 200 and 'src="data:image/png;base64,' in page.text
    assert ">Ada</textarea>" in page.text  # the form keeps what was typed


def test_page_flow_without_javascript(app_client: Any) -> None:
    answer = app_client.post("/certificates", data={"event": "", "names": "A"},
                             follow_redirects=False)
    assert answer.status_code == 400 and 'role="alert"' in answer.text
    answer = app_client.post("/certificates", data={"event": "E", "names": "Ada\nBob"},
                             follow_redirects=False)
    assert answer.status_code == 303
    job_url = answer.headers["location"]
    job_id = job_url.rsplit("/", 1)[1]
    wait_job(app_client, job_id)
    page = app_client.get(job_url).text
    assert f'href="/api/jobs/{job_id}/certificates.pdf"' in page


def test_language_from_header_and_chooser(app_client: Any) -> None:
    page = app_client.get("/", headers={"accept-language": "fr-CH, en;q=0.5"}).text
    assert '<html lang="fr"' in page and "Affiche" in page  # "Poster" from the fr catalog
    chosen = app_client.get("/?lang=ja")
    assert '<html lang="ja"' in chosen.text and chosen.cookies.get("printkit_lang") == "ja"
    assert '<html lang="ar" dir="rtl"' in app_client.get("/?lang=ar").text


def test_import_cli_manifest(app_client: Any, tmp_path: Path) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415

    people = tmp_path / "people.txt"
    people.write_text("Katherine Johnson\n<b>Dorothy</b>\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["-q", "certificates", str(people), "-o", str(out), "--event", "Moonshot",
                 "--verify-url", "http://testserver/verify/{id}", "--id-key", "k3y"]) == 0
    manifest = (tmp_path / "out.manifest.csv").read_bytes()
    refused = app_client.post("/api/certificates/import", data={"event": "Moonshot"},
                              files={"manifest": ("m.csv", manifest)})
    assert refused.status_code == 403 and "no organiser token" in refused.json()["error"]
    settings = Settings(data_dir=tmp_path / "data", scheduler="threads", token="t",
                        public_url="http://testserver")
    with TestClient(create_app(settings), headers={"authorization": "Bearer t"}) as client:
        _import_and_verify(client, manifest, out)


def _import_and_verify(app_client: Any, manifest: bytes, out: Path) -> None:
    answer = app_client.post("/api/certificates/import", data={
        "event": "Moonshot", "date": "2027-01-05", "organiser": "NASA", "locale": "en-US",
    }, files={"manifest": ("out.manifest.csv", manifest)})
    assert answer.json() == {"added": 2, "skipped": 0}
    cert_id = qr_on_page(out.read_bytes(), 1)[0].rsplit("/", 1)[1]
    page = app_client.get(f"/verify/{cert_id}").text
    assert "&lt;b&gt;Dorothy&lt;/b&gt;" in page and "Moonshot" in page
    again = app_client.post("/api/certificates/import", data={"event": "Moonshot"},
                            files={"manifest": ("m.csv", manifest)})
    assert again.json() == {"added": 0, "skipped": 2}
    bad = app_client.post("/api/certificates/import", data={"event": "M"},
                          files={"manifest": ("m.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400 and "not a printkit certificates manifest" in bad.text


def test_serve_import_and_revoke_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.txt"
    people.write_text("Mary Jackson\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    assert main(["-q", "certificates", str(people), "-o", str(out), "--event", "M",
                 "--verify-url", "https://x.org/verify/{id}"]) == 0
    data = tmp_path / "data"
    assert main(["serve", "import", str(tmp_path / "out.manifest.csv"), "--event", "M",
                 "--data", str(data), "--locale", "fr-FR"]) == 0
    assert "1 certificate(s) registered" in capsys.readouterr().err
    cert_id = re.findall(r"[A-Z2-7]{16}", (tmp_path / "out.manifest.csv").read_text())[0]
    assert main(["serve", "revoke", cert_id, "--reason", "duplicate", "--data", str(data)]) == 0
    from printkit.web.store import Store, database_url  # noqa: PLC0415

    record = Store(database_url(data)).certificate(cert_id)
    assert record is not None and record.name == "Mary Jackson"
    assert record.revoked_at is not None and record.revoked_reason == "duplicate"
    assert main(["serve", "revoke", "AAAAAAAAAAAAAAAA", "--data", str(data)]) == 2
    assert "no certificate" in capsys.readouterr().err
    # the command itself runs the server: python -m printkit serve (tests/web/test_server.py)
    assert subprocess.run([sys.executable, "-m", "printkit", "serve", "--help"], cwd=ROOT,
                          capture_output=True, check=True).stdout.startswith(b"usage:")


def test_scheduler_is_pluggable(tmp_path: Path) -> None:
    """``--scheduler package.module:factory`` runs jobs on any executor with the interface."""
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.errors import UsageError  # noqa: PLC0415
    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415
    from printkit.web.jobs import make_executor  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path, scheduler=f"{__name__}:counting_executor")
    with TestClient(create_app(settings)) as client:
        answer = client.post("/api/certificates", data={"event": "E", "names": "Ada"})
        assert wait_job(client, answer.json()["id"])["status"] == "done"
    assert [answer.json()["id"]] == SUBMITTED
    with pytest.raises(UsageError, match="not available"):
        make_executor("dask", 1)
    with pytest.raises(UsageError, match="No module named"):
        make_executor("no_such_module:factory", 1)


SUBMITTED: list[str] = []


class _Counting:
    def __init__(self, workers: int) -> None:
        from printkit.web.jobs import PoolExecutor  # noqa: PLC0415

        self.pool = PoolExecutor("threads", workers)
        self.slots = workers

    def submit(self, fn: Any, /, *args: str) -> Any:
        SUBMITTED.append(args[3])  # (database, data folder, public URL, job id, cluster)
        return self.pool.submit(fn, *args)

    def shutdown(self) -> None:
        self.pool.shutdown()


def counting_executor(workers: int) -> _Counting:
    return _Counting(workers)


def test_uploaded_guide_reads_nothing_outside_the_sandbox(app_client: Any) -> None:
    secret = Path("/etc/hostname")
    guide = (
        "---\ntitle: Sandbox\n---\n\n# Sandbox\n\n![a](/etc/hostname)\n\n"
        "![b](../../../../etc/hostname)\n\n![c](https://example.org/x.png)\n\n"
        '<img src="file:///etc/hostname" alt="d">\n'
    )
    answer = app_client.post("/api/handouts", files={"guide": ("guide.md", guide.encode())})
    state = wait_job(app_client, answer.json()["id"])
    assert state["status"] == "done", state
    warnings = " ".join(state["warnings"])
    assert "outside the asset folders and was not read" in warnings
    assert "file:… URL not read" in warnings
    assert "/tmp" not in warnings and "jobs/" not in warnings  # no server paths in messages
    pdf = app_client.get(f"/api/jobs/{state['id']}/handout.pdf").content
    if secret.is_file() and secret.read_text().strip():
        assert secret.read_text().strip() not in " ".join(pdf_pages_text(pdf))


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415
    from printkit.web.store import Store  # noqa: PLC0415

    app = create_app(Settings(data_dir=tmp_path, scheduler="threads"))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        service = app.app.app.state.service  # type: ignore[attr-defined]
        healthy = service.store
        service.store = Store(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.db'}")
        answer = client.get("/healthz")
        assert answer.status_code == 503 and answer.json()["status"] == "unavailable"
        service.store = healthy


def test_keep_days_removes_files_not_verification(tmp_path: Path) -> None:
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path, scheduler="threads", public_url="http://testserver",
                        keep_days=1 / 86400)  # one second
    with TestClient(create_app(settings)) as client:
        answer = client.post("/api/certificates", data={"event": "E", "names": "Ada"})
        job_id = answer.json()["id"]
        wait_job(client, job_id)
        cert_id = _first_certificate(client, job_id)
        deadline = time.monotonic() + 30
        while not client.get(f"/api/jobs/{job_id}").json()["files_removed"]:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert not (tmp_path / "jobs" / job_id).exists()
        gone = client.get(f"/api/jobs/{job_id}/certificates.pdf")
        assert gone.status_code == 410 and "removed" in gone.json()["error"]
        assert "were removed" in client.get(f"/jobs/{job_id}").text
        assert client.get(f"/verify/{cert_id}").status_code == 200
