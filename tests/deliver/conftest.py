"""Fixtures for the delivery tests: a real SMTP server on 127.0.0.1, a list and its certificates.

The server is aiosmtpd, in this process (its own thread), with a handler that
keeps every message it accepted and can answer 451 once, 550, or drop the
connection, as a real server under load does.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiosmtpd")
pytest.importorskip("email_validator")

from aiosmtpd.controller import Controller

from printkit.documents.certificates import CertificateOptions, write_certificates
from printkit.model import Event

#: Names in several scripts (own examples) and two bad addresses.
NAMES = [
    "Ada Lovelace", "José Núñez-Øster", "مريم بنت أحمد", "דוד בן שמעון", "किरण शर्मा",
    "山田 太郎", "Zoë Ångström", "Иван Петров", "Σοφία Παππά", "Nguyễn Thị Hoa",
    "Kofi Mensah", "Ayşe Yılmaz", "Łukasz Żółw", "சீதா ராமன்", "Grace Hopper",
    "Alan Turing", "{{ 7*7 }}", '=HYPERLINK("http://evil.example","x")', "Emmy Noether",
    "Katherine Johnson", "Bad Address", "No Address",
]
BAD = {"Bad Address": "not an address", "No Address": ""}


def address_of(index: int, name: str) -> str:
    return BAD.get(name, f"p{index:03d}@example.org")


@dataclass
class Received:
    """One message the server accepted: envelope recipients and the parsed message."""

    rcpt: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class Handler:
    """aiosmtpd handler: 451 once for ``temp_once``, 550 for ``reject``, a dropped
    connection at the ``drop_at``-th DATA, a stall (``stall_at``-th accepted message
    is stored, then the answer waits) so a test can kill the client with it in flight."""

    temp_once: set[str] = field(default_factory=set)
    reject: set[str] = field(default_factory=set)
    drop_at: int | None = None
    stall_at: int | None = None
    stall_seconds: float = 30.0
    received: list[Received] = field(default_factory=list)
    answered_451: set[str] = field(default_factory=set)
    data_count: int = 0
    stalled: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.reject:
            return "550 5.1.1 no such mailbox here"
        if address in self.temp_once and address not in self.answered_451:
            self.answered_451.add(address)
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.data_count += 1
        if self.drop_at is not None and self.data_count == self.drop_at:
            server.transport.close()  # as a crashing server: no answer at all
            return "421 closing"
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), bytes(envelope.content)))
            count = len(self.received)
        if self.stall_at is not None and count == self.stall_at:
            self.stalled.set()
            await asyncio.sleep(self.stall_seconds)  # the client dies or times out meanwhile
        return "250 2.0.0 queued"

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for item in self.received:
            for rcpt in item.rcpt:
                out.setdefault(rcpt, []).append(item)
        return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, int]]:
    """A running server: its handler (configure it in the test) and port."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, decode_data=False,
                            enable_SMTPUTF8=True, ready_timeout=10)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@dataclass(frozen=True)
class Kit:
    """A participant list and its split certificates."""

    people: Path
    certificates: Path
    names: list[str]


@pytest.fixture(scope="session")
def listed(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """The list (mixed scripts, hostile names, two bad addresses), certificates made once."""
    folder = tmp_path_factory.mktemp("mail-list")
    people = folder / "people.csv"
    lines = ["Name,E-mail,Team"]
    for i, name in enumerate(NAMES):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"{quoted},{address_of(i, name)},t{i % 3}")
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    certificates = folder / "certs"
    write_certificates(
        CertificateOptions(people=people, event=Event(name="Robot Garden"), split=certificates),
        None,
    )
    return Kit(people, certificates, NAMES)
