"""The real server (``python -m printkit serve`` on a loopback port): the issue's Done-when
scenario, the limits over real HTTP, and restarts (SIGTERM, and a kill in the middle of a job)."""

from __future__ import annotations

import csv
import http.client
import io
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import Server, pdf_pages_text, qr_on_page, wait_job

SCRIPT = "<script>alert(1)</script>"
BRACES = "{{ 7*7 }}"
#: A crashed worker's job is resumed once its lease runs out: 2 s here, not 20.
FAST_LEASE = {"PRINTKIT_LEASE_SECONDS": "2"}


def _names(count: int) -> list[str]:
    names = [f"Participant {i:04d} Ñandú" for i in range(count)]
    names[0], names[3] = SCRIPT, BRACES
    return names


def _csv(names: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name"])
    writer.writerows([n] for n in names)
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve") / "data"


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[Server]:
    srv = Server(data, env=FAST_LEASE).start()
    yield srv
    srv.stop()


def _raw_get(server: Server, path: str) -> int:
    """A GET with the path sent exactly as written (clients would fold ``..``)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_done_when(server: Server, data: Path) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        home = client.get("/")
        assert home.status_code == 200 and "<form" in home.text
        names = _names(300)
        answer = client.post(
            "/api/certificates",
            data={"event": "Robot Garden", "date": "2026-12-09", "locale": "en-US",
                  "organiser": "Library & Co"},
            files={"list": ("people.csv", _csv(names), "text/csv")},
        )
        assert answer.status_code == 202, answer.text
        job = answer.json()
        assert job["status"] == "queued"
        state = wait_job(client, job["id"])
        assert state["status"] == "done" and state["done"] == state["total"] == 300
        pdf = client.get(f"/api/jobs/{job['id']}/certificates.pdf").content
        pages = [" ".join(p.split()) for p in pdf_pages_text(pdf)]
        assert len(pages) == 300
        for name, page in zip(names, pages, strict=True):
            assert name in page
        urls = []
        for index, name in ((0, SCRIPT), (3, BRACES)):
            codes = qr_on_page(pdf, index)
            assert len(codes) == 1 and codes[0].startswith(f"{server.url}/verify/")
            page = client.get(codes[0].removeprefix(server.url))
            assert page.status_code == 200
            escaped = name.replace("<", "&lt;").replace(">", "&gt;")
            assert f">{escaped}</dd>" in page.text
            assert "<script>alert" not in page.text and "49" not in page.text.split("<dd")[1]
            urls.append((codes[0].removeprefix(server.url), escaped))
        (data.parent / "urls.txt").write_text(
            "\n".join(f"{u}\t{e}" for u, e in urls), encoding="utf-8"
        )
        assert client.get("/verify/AAAAAAAAAAAAAAAAAAAA").status_code == 404
        assert client.get("/api/verify/AAAAAAAAAAAAAAAAAAAA").status_code == 404
        junk = os.urandom(50_000)
        bad = client.post("/api/certificates", data={"event": "E"},
                          files={"list": ("people.csv", junk)})
        assert 400 <= bad.status_code < 500 and bad.json()["error"]
        big = client.post("/api/certificates", data={"event": "E"},
                          files={"list": ("people.csv", b"Name\n" + b"A" * 30_000_000)})
        assert big.status_code == 413 and "10 MB" in big.json()["error"]
        assert client.get("/healthz").status_code == 200  # still serving
    for path in ("/api/jobs/../../etc/passwd", "/api/jobs/..%2f..%2fetc%2fpasswd",
                 "/static/../../../../etc/passwd", f"/api/jobs/{job['id']}/../../../etc/passwd"):
        assert _raw_get(server, path) == 404, path


def test_chunked_upload_over_the_limit_is_413(server: Server) -> None:
    """No Content-Length: the body is counted as it streams, and cut off at the limit."""

    def body() -> Iterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=\"list\"; filename=\"a.csv\"\r\n\r\n"
        for _ in range(300):
            yield b"x" * 100_000

    with server.client() as client:
        answer = client.post("/api/certificates", content=body(),
                             headers={"content-type": "multipart/form-data; boundary=b"})
        assert answer.status_code == 413


def test_sigterm_restart_and_kill_during_a_job(server: Server, data: Path) -> None:
    urls = [line.split("\t") for line in
            (data.parent / "urls.txt").read_text(encoding="utf-8").splitlines()]
    with server.client() as client:
        answer = client.post(
            "/api/certificates", data={"event": "Long", "locale": "en-US"},
            files={"list": ("many.csv", _csv([f"Name {i}" for i in range(500)]))},
        )
        job_id = answer.json()["id"]
        deadline = time.monotonic() + 60
        while client.get(f"/api/jobs/{job_id}").json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert server.stop(signal.SIGTERM) in (0, -signal.SIGTERM)  # uvicorn re-raises it
    again = Server(data, port=server.port, env=FAST_LEASE).start()
    try:
        with again.client() as client:
            for url, escaped in urls:
                page = client.get(url)
                assert page.status_code == 200 and f">{escaped}</dd>" in page.text
            state = wait_job(client, job_id)  # released at SIGTERM, resumed at start
            assert state["status"] == "done" and state["total"] == 500
            # a hard kill in the middle: the lease runs out and the job is resumed
            answer = client.post(
                "/api/certificates", data={"event": "Killed", "locale": "en-US"},
                files={"list": ("many.csv", _csv([f"Name {i}" for i in range(500)]))},
            )
            killed = answer.json()["id"]
            deadline = time.monotonic() + 60
            while client.get(f"/api/jobs/{killed}").json()["status"] != "running":
                assert time.monotonic() < deadline
                time.sleep(0.05)
        again.stop(signal.SIGKILL)
        third = Server(data, port=server.port, env=FAST_LEASE).start()
        try:
            with third.client() as client:
                state = wait_job(client, killed, timeout=120)
                assert state["status"] == "done" and state["done"] == 500
                assert client.get(urls[0][0]).status_code == 200
        finally:
            third.stop()
    finally:
        again.stop()
