"""printkit mail: messages per second to a loopback SMTP server, with --rate 0.

Makes N certificates (mixed scripts, ``printkit certificates --split``), then
times the dry run (rendering every ``.eml`` into the outbox) and the sending
run (``--send`` over one connection to aiosmtpd on 127.0.0.1, in this
process; printkit runs as its own process, as a user would run it).

    python benchmarks/mail.py [--count 300]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from certificates import mixed_names  # noqa: E402  (benchmarks/certificates.py)

SENDER = "Robot Garden <hello@example.org>"


class Handler:
    """Keeps what it accepts; 451 once for ``temp_once``, 550 for ``reject``; calls
    ``on_accept(count)`` after each accepted message."""

    def __init__(self, temp_once: set[str] = frozenset(), reject: set[str] = frozenset(),
                 on_accept: Any = None) -> None:
        self.temp_once, self.reject, self.on_accept = set(temp_once), set(reject), on_accept
        self.answered: set[str] = set()
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: list[str]) -> str:
        if address in self.reject:
            return "550 5.1.1 no such mailbox here"
        if address in self.temp_once and address not in self.answered:
            self.answered.add(address)
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
            count = len(self.received)
        if self.on_accept is not None:
            self.on_accept(count)
        await asyncio.sleep(0)
        return "250 2.0.0 queued"


def start_server(handler: Handler) -> tuple[Any, int]:
    from aiosmtpd.controller import Controller  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, decode_data=False,
                            enable_SMTPUTF8=True, ready_timeout=10)
    controller.start()
    return controller, port


def printkit(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "printkit", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout, check=False)


def make_list(folder: Path, count: int, bad: dict[int, str] | None = None) -> Path:
    """``count`` rows (mixed scripts); ``bad`` maps a row index to a bad address."""
    bad = bad or {}
    people = folder / "people.csv"
    lines = ["name,email"]
    for i, name in enumerate(mixed_names(count)):
        lines.append(f'"{name}",{bad.get(i, f"p{i:04d}@example.org")}')
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return people


def mail_args(people: Path, certs: Path, outbox: Path, port: int) -> list[str]:
    return ["mail", str(people), "--from", SENDER, "--subject", "Your certificate, {{ name }}",
            "--certificates", str(certs), "--event", "Robot Garden", "--date", "2026-12-09",
            "--outbox", str(outbox), "--smtp", f"smtp://127.0.0.1:{port}", "--rate", "0"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        people = make_list(folder, args.count)
        certs = folder / "certs"
        started = time.perf_counter()
        done = printkit("certificates", str(people), "--event", "Robot Garden", "--split",
                        str(certs))
        assert done.returncode == 0, done.stderr
        print(f"certificates: {args.count} in {time.perf_counter() - started:.1f} s")
        handler = Handler()
        controller, port = start_server(handler)
        try:
            outbox = folder / "outbox"
            started = time.perf_counter()
            dry = printkit(*mail_args(people, certs, outbox, port))
            prepare = time.perf_counter() - started
            assert dry.returncode == 0, dry.stderr
            assert not handler.received
            size = sum(p.stat().st_size for p in (outbox / "messages").glob("*.eml"))
            started = time.perf_counter()
            sent = printkit(*mail_args(people, certs, outbox, port), "--send")
            elapsed = time.perf_counter() - started
            assert sent.returncode == 0, sent.stderr
            assert len(handler.received) == args.count
        finally:
            controller.stop()
    print(f"prepare (dry run, {args.count} .eml, {size / 1e6:.1f} MB): {prepare:.2f} s, "
          f"{args.count / prepare:.0f} messages/s (process start included)")
    loop = re.search(r"in ([0-9.]+) s: ([0-9]+) messages/s", sent.stderr)
    print(f"send --rate 0 to loopback aiosmtpd: {elapsed:.2f} s, "
          f"{args.count / elapsed:.0f} messages/s (process start included); the sending loop "
          f"alone: {loop[1] if loop else '?'} s, {loop[2] if loop else '?'} messages/s")


if __name__ == "__main__":
    main()
