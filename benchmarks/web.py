"""The web service end to end: time from upload to download against the real server.

Starts ``python -m printkit serve`` on a free loopback port with a fresh
``--data`` (SQLite, one worker process, as the embedded default), then for
each size posts a CSV of mixed names to ``/api/certificates`` and measures:
the time until the 202 answer, until the merged PDF is downloaded (it is made
first, then the per-person files and their ZIP), and until the ZIP is
downloaded. The first job pays for the worker process's start (imports and
fonts); a warm-up job of 10 names runs before the measured ones.

    python benchmarks/web.py [--sizes 300,10000] [--runs 1]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Ada", "José", "Amélie", "Søren", "Zoë", "Łukasz", "Nguyễn", "مريم", "דוד", "किरण",
         "สมชาย", "Дмитрий", "Αλέξανδρος", "陈", "Kwame", "Aoife"]
FAMILY = ["Lovelace", "García", "Müller", "Kowalski", "Haddad", "Cohen", "Sharma", "Ivanova",
          "Papadopoulos", "Mensah", "O'Brien", "Tanaka", "李", "Nakamura"]


def names_csv(count: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name"])
    for _ in range(count):
        writer.writerow([f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"])
    return buffer.getvalue().encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def one_run(client: httpx.Client, count: int) -> dict[str, float]:
    body = names_csv(count)
    start = time.perf_counter()
    answer = client.post("/api/certificates",
                         data={"event": "Benchmark", "date": "2026-12-09", "locale": "en-US"},
                         files={"list": ("people.csv", body, "text/csv")})
    answer.raise_for_status()
    accepted = time.perf_counter() - start
    job = answer.json()["id"]
    pdf_at = zip_at = 0.0
    pdf_size = zip_size = 0
    while not zip_at:
        state = client.get(f"/api/jobs/{job}").json()
        if state["status"] == "failed":
            raise SystemExit(f"job failed: {state['error']}")
        files = state.get("files", [])
        if not pdf_at and any(f.endswith("certificates.pdf") for f in files):
            pdf_size = len(client.get(f"/api/jobs/{job}/certificates.pdf").content)
            pdf_at = time.perf_counter() - start
        if state["status"] == "done":
            zip_size = len(client.get(f"/api/jobs/{job}/certificates.zip").content)
            zip_at = time.perf_counter() - start
        time.sleep(0.05)
    return {"accepted": accepted, "pdf": pdf_at, "zip": zip_at, "pdf_mb": pdf_size / 1e6,
            "zip_mb": zip_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,10000")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="printkit-bench-web-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "printkit", "-q", "serve", "--port", str(port), "--data",
         str(data / "data"), "--public-url", url, "--rate-limit", "0", "--max-upload-mb", "50"],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            for _ in range(300):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            one_run(client, 10)  # warm-up: the worker process starts
            print(f"{'names':>7} {'202 in':>8} {'PDF downloaded':>15} {'ZIP downloaded':>15} "
                  f"{'PDF MB':>7} {'ZIP MB':>7}")
            for size in (int(s) for s in args.sizes.split(",")):
                for _ in range(args.runs):
                    r = one_run(client, size)
                    print(f"{size:>7} {r['accepted']:>7.2f}s {r['pdf']:>14.2f}s "
                          f"{r['zip']:>14.2f}s {r['pdf_mb']:>7.1f} {r['zip_mb']:>7.1f}",
                          flush=True)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
