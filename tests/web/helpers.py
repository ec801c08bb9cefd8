"""Helpers of the web tests: a real server in a subprocess, PDFs read back, a PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pypdfium2
import zxingcpp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of every page (pypdfium2)."""
    doc = pypdfium2.PdfDocument(data)
    try:
        out = []
        for page in doc:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
        return out
    finally:
        doc.close()


def qr_on_page(data: bytes, index: int, dpi: int = 150) -> list[str]:
    """The QR codes found on one page, rasterised."""
    doc = pypdfium2.PdfDocument(data)
    try:
        image = doc[index].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def wait_job(client: Any, job_id: str, timeout: float = 120, headers: Any = None) -> Any:
    """Poll ``GET /api/jobs/{id}`` until done or failed; the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(f"/api/jobs/{job_id}").json()
        if state["status"] in ("done", "failed"):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {state['status']} after {timeout} s")
        time.sleep(0.2)


class Server:
    """``python -m printkit serve`` on a free loopback port, started and stopped by a test."""

    def __init__(
        self, data: Path, *extra: str, port: int | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.data = data
        self.env = env or {}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra = extra
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data.parent / f"server-{self.port}.log"

    def start(self) -> Server:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        env.pop("PRINTKIT_TOKEN", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "printkit", "serve", "--host", "127.0.0.1", "--port",
             str(self.port), "--data", str(self.data), "--public-url", self.url, *self.extra],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        raise AssertionError("server did not answer /healthz in 60 s")

    def client(self, timeout: float = 30) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode


def start_postgres() -> Iterator[str | None]:
    """A PostgreSQL URL: ``PRINTKIT_TEST_POSTGRES_URL`` (``.ci/run`` starts one), else a
    throw-away cluster of Debian's binaries (as user postgres when root); None when neither."""
    url = os.environ.get("PRINTKIT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        yield None
        return
    bindir = bins[-1].parent
    root = Path(tempfile.mkdtemp(prefix="printkit-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            yield None
            return
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = root / "data"

    def run(*cmd: str) -> bool:
        done = subprocess.run([*as_user, *cmd], capture_output=True, timeout=120, check=False)
        return done.returncode == 0

    started = False
    try:
        started = run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                      "--no-sync") and run(
            str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o",
            f"-h 127.0.0.1 -p {port} -k {root} -F", "start",
        ) and run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                  "postgres", "printkit_test")
        yield f"postgresql://postgres@127.0.0.1:{port}/printkit_test" if started else None
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
