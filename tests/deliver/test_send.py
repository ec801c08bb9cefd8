"""Sending to a real SMTP server on 127.0.0.1: retries, refusals, drops, a kill, a resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from printkit.cli import main
from printkit.deliver.send import Sender, Server, find_password
from printkit.errors import DeliveryError, UsageError
from tests.pdfcheck import text as pdf_text

from .conftest import BAD, Handler, Kit, Received, address_of
from .test_outbox import report

ROOT = Path(__file__).resolve().parents[2]
SENDER = "Robot Garden <hello@example.org>"


def args(listed: Kit, outbox: Path, port: int, *extra: str) -> list[str]:
    return [
        "mail", str(listed.people), "--from", SENDER, "--subject", "Your certificate",
        "--certificates", str(listed.certificates), "--event", "Robot Garden",
        "--outbox", str(outbox), "--smtp", f"smtp://127.0.0.1:{port}", "--rate", "0",
        "--retry-delay", "0.05", "--timeout", "5", "--send", *extra,
    ]


def valid(listed: Kit) -> dict[str, str]:
    """Address -> name of every row with a good address."""
    return {address_of(i, n): n for i, n in enumerate(listed.names) if n not in BAD}


def holds_own_certificate(item: Received, name: str) -> bool:
    attachments = list(item.message.iter_attachments())
    if len(attachments) != 1:
        return False
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(attachments[0].get_content())
        handle.flush()
        text = pdf_text(Path(handle.name)).replace("\u202b", "").replace("\u202c", "")
    return " ".join(name.split()) in text


def test_451_once_then_success_and_550_reported(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    handler.temp_once = {"p001@example.org", "p004@example.org"}
    handler.reject = {"p002@example.org"}
    code = main(args(listed, tmp_path / "o", port, "--report", str(tmp_path / "r.csv")))
    assert code == 1
    rows = {r["address"]: r for r in report(tmp_path / "r.csv")}
    assert len(rows) == len(listed.names)
    assert rows["p001@example.org"]["status"] == "sent"
    assert handler.answered_451 == {"p001@example.org", "p004@example.org"}
    assert rows["p002@example.org"]["status"] == "failed"
    assert rows["p002@example.org"]["reason"].startswith("550 5.1.1")
    assert Counter(r["status"] for r in rows.values()) == {
        "sent": len(valid(listed)) - 1, "failed": 1, "refused": 2}
    received = handler.by_recipient()
    assert set(received) == set(valid(listed)) - {"p002@example.org"}
    assert all(len(v) == 1 for v in received.values())
    # A second run sends nothing new (the journal) and tries the 550 row again.
    before = len(handler.received)
    assert main(args(listed, tmp_path / "o", port)) == 1
    assert len(handler.received) == before


def test_dropped_connection_is_retried(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    handler.drop_at = 5
    assert main(args(listed, tmp_path / "o", port)) == 1  # the two bad addresses
    received = handler.by_recipient()
    assert set(received) == set(valid(listed))
    assert all(len(v) == 1 for v in received.values())
    assert handler.data_count == len(valid(listed)) + 1


def test_killed_then_resumed_everyone_gets_their_own_certificate_once(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    handler.stall_at = 8  # stored, then no answer: the client dies waiting for it
    command = [sys.executable, "-m", "printkit", *args(listed, tmp_path / "o", port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    try:
        assert handler.stalled.wait(60), child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert len(handler.received) == 8
    journal = (tmp_path / "o" / "journal.jsonl").read_text().splitlines()
    assert len(journal) == 7  # the 8th was accepted by the server, not yet journalled
    handler.stall_at = None
    # The same command again (in this process: faster, and the journal is all it shares).
    assert main([*args(listed, tmp_path / "o", port), "--report", str(tmp_path / "r.csv")]) == 1
    received = handler.by_recipient()
    want = valid(listed)
    assert set(received) == set(want)
    copies = {a: len(v) for a, v in received.items() if len(v) > 1}
    assert len(copies) <= 1 and all(n == 2 for n in copies.values())
    for address in copies:
        assert len({i.message["Message-ID"] for i in received[address]}) == 1, address
    for address, items in received.items():
        assert holds_own_certificate(items[0], want[address]), want[address]
    rows = report(tmp_path / "r.csv")
    assert len(rows) == len(listed.names)
    assert Counter(r["status"] for r in rows) == {"sent": len(want), "refused": 2}


def test_a_changed_list_after_sending_is_refused(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handler, port = smtp
    people = tmp_path / "people.csv"
    people.write_bytes(listed.people.read_bytes())
    changed = Kit(people, listed.certificates, listed.names)
    main(args(changed, tmp_path / "o", port))
    sent = len(handler.received)
    people.write_text(people.read_text(encoding="utf-8").replace("Grace", "Gracie"),
                      encoding="utf-8")
    capsys.readouterr()
    assert main(args(changed, tmp_path / "o", port)) == 1
    assert len(handler.received) == sent
    err = capsys.readouterr().err
    assert f"changed since {sent} message(s) were sent from this outbox: list" in err


def test_no_password_over_plain_text(smtp: tuple[Handler, int]) -> None:
    _handler, port = smtp
    sender = Sender(Server.parse(f"smtp://ada@127.0.0.1:{port}"), "secret", retries=0)
    with pytest.raises(DeliveryError, match="never sends a password over plain text"):
        sender.send("hello@example.org", "p000@example.org", b"Subject: x\r\n\r\nx\r\n")
    with pytest.raises(UsageError, match="must not hold the password"):
        Server.parse("smtp://ada:secret@127.0.0.1:25")


def test_password_file_must_be_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text('["mail.example.org"]\npassword = "s3cret"\n')
    monkeypatch.delenv("PRINTKIT_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("PRINTKIT_SMTP_CONFIG", str(config))
    server = Server.parse("smtps://ada@mail.example.org")
    config.chmod(0o644)
    with pytest.raises(UsageError, match="can be read by others"):
        find_password(server)
    config.chmod(0o600)
    assert find_password(server) == "s3cret"
    monkeypatch.setenv("PRINTKIT_SMTP_PASSWORD", "from-env")
    assert find_password(server) == "from-env"


def test_unreachable_server_fails_the_rows_and_keeps_going(
    listed: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import free_port  # noqa: PLC0415

    port = free_port()  # nothing listens there: refused at once, reported once
    code = main(args(listed, tmp_path / "o", port, "--report", str(tmp_path / "r.csv")))
    assert code == 1
    rows = report(tmp_path / "r.csv")
    assert len(rows) == len(listed.names)
    assert {r["status"] for r in rows} == {"failed", "refused"}
    assert all("not sent" in r["reason"] for r in rows if r["status"] == "failed")
    err = capsys.readouterr().err
    assert err.count("cannot connect") == 1 and "stopped:" in err


def test_rate_and_back_off_waits(smtp: tuple[Handler, int]) -> None:
    handler, port = smtp
    handler.temp_once = {"b@example.org"}
    waits: list[float] = []
    sender = Sender(Server.parse(f"smtp://127.0.0.1:{port}"), rate=30, retry_delay=0.5,
                    sleep=waits.append)
    data = b"Subject: x\r\nMessage-ID: <1@example.org>\r\n\r\nx\r\n"
    for rcpt in ("a@example.org", "b@example.org", "c@example.org"):
        assert sender.send("hello@example.org", rcpt, data).ok
    sender.close()
    # 30 a minute: about 2 s between sends; the 451 costs one back-off of 0.5 s.
    assert len(waits) == 4
    assert 0.5 in waits
    assert all(1.0 < w <= 2.0 for w in waits if w != 0.5)
    assert [r.rcpt for r in handler.received] == [["a@example.org"], ["b@example.org"],
                                                  ["c@example.org"]]


def test_non_ascii_address_goes_as_smtputf8(smtp: tuple[Handler, int], tmp_path: Path) -> None:
    handler, port = smtp
    people = tmp_path / "people.csv"
    people.write_text("Nom,Courriel\nZoë Ångström,zoë@exämple.org\n", encoding="utf-8")
    code = main(["mail", str(people), "--from", "Jardin <bonjour@example.org>", "--subject",
                 "Bonjour {{ name }}", "--outbox", str(tmp_path / "o"), "--send", "--smtp",
                 f"smtp://127.0.0.1:{port}"])
    assert code == 0
    (item,) = handler.received
    assert item.rcpt == ["zoë@xn--exmple-cua.org"]
    assert "To: Zoë Ångström <zoë@xn--exmple-cua.org>".encode() in item.data  # RFC 6532
    assert item.message["Subject"] == "Bonjour Zoë Ångström"


def test_one_sender_per_outbox(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fcntl  # noqa: PLC0415

    handler, port = smtp
    outbox = tmp_path / "o"
    outbox.mkdir()
    with open(outbox / "journal.jsonl", "a") as other:  # as a run still sending
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        assert main(args(listed, outbox, port)) == 1
    assert not handler.received
    assert "another printkit mail is sending from this outbox" in capsys.readouterr().err
    assert main(args(listed, outbox, port)) == 1  # the lock went with its holder
    assert len(handler.received) == len(valid(listed))


def test_allow_changes_sends_only_to_the_people_not_sent_to(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    people = tmp_path / "people.csv"
    lines = listed.people.read_text(encoding="utf-8").splitlines()
    people.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    short = Kit(people, listed.certificates, listed.names[:5])
    assert main(args(short, tmp_path / "o", port)) == 0
    assert len(handler.received) == 5
    # Late registrations: the rest of the list, after the first five were sent.
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(args(short, tmp_path / "o", port)) == 1  # refused: the list changed
    assert len(handler.received) == 5
    assert main([*args(short, tmp_path / "o", port, "--report", str(tmp_path / "r.csv")),
                 "--allow-changes"]) == 1  # the two bad addresses
    received = handler.by_recipient()
    assert set(received) == set(valid(listed)) and all(len(v) == 1 for v in received.values())
    rows = report(tmp_path / "r.csv")
    assert Counter(r["status"] for r in rows) == {"sent": len(valid(listed)), "refused": 2}
    assert main(args(short, tmp_path / "o", port)) == 1  # unchanged now: nothing more
    assert len(handler.received) == len(valid(listed))


def test_a_time_out_is_retried_and_the_copy_keeps_its_message_id(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    handler.stall_at, handler.stall_seconds = 3, 5.0  # stored, then no answer in time
    command = args(listed, tmp_path / "o", port, "--report", str(tmp_path / "r.csv"))
    command[command.index("--timeout") + 1] = "1"
    assert main(command) == 1  # the two bad addresses
    received = handler.by_recipient()
    assert set(received) == set(valid(listed))
    copies = {a: v for a, v in received.items() if len(v) > 1}
    assert len(copies) == 1  # the one in flight at the time-out, sent again
    (items,) = copies.values()
    assert len(items) == 2 and items[0].message["Message-ID"] == items[1].message["Message-ID"]
    assert {r["status"] for r in report(tmp_path / "r.csv")} == {"sent", "refused"}


def test_ctrl_c_writes_the_report_and_a_rerun_finishes(
    listed: Kit, smtp: tuple[Handler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    handler.stall_at = 4
    # The child waits for the stalled answer as long as the server stalls: on a loaded
    # machine the signal may come seconds after the stall, and it must still find the
    # child waiting (with the usual 5 s, a late signal found it done, exit status 1).
    command = [sys.executable, "-m", "printkit",
               *args(listed, tmp_path / "o", port, "--report", str(tmp_path / "r.csv"),
                     "--timeout", str(handler.stall_seconds))]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert handler.stalled.wait(60)
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=20)
    finally:
        child.kill()
    assert child.returncode == 130 and "interrupted" in err
    rows = report(tmp_path / "r.csv")
    assert len(rows) == len(listed.names)
    assert Counter(r["status"] for r in rows) == {
        "sent": 3, "skipped": len(valid(listed)) - 3, "refused": 2}
    handler.stall_at = None
    assert main(args(listed, tmp_path / "o", port, "--report", str(tmp_path / "r.csv"))) == 1
    assert {r["status"] for r in report(tmp_path / "r.csv")} == {"sent", "refused"}
    received = handler.by_recipient()
    assert set(received) == set(valid(listed))
    assert sum(len(v) - 1 for v in received.values()) == 1  # the one in flight
