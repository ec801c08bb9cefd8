"""The "Done when" check of printkit mail, end to end, against a real loopback server.

300 participants (mixed scripts, two bad addresses) get certificates with
``printkit certificates --split``; a dry run sends nothing and writes one
``.eml`` per valid row; then ``printkit mail … --rate 0 --send --report`` runs
against aiosmtpd on 127.0.0.1 that answers 451 once for some recipients and
550 for others, is killed with SIGKILL after 100 accepted messages, and is run
again unchanged. Checked: every valid recipient (but the 550 ones) received
their own certificate (the attached PDF's text holds their name), at most one
message is duplicated (same Message-ID), the 550 rows are failed, the bad
addresses refused, one report row per input row. Prints what it found; exit 1
when a check fails.

    python benchmarks/mail_scenario.py
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mail import ROOT, Handler, mail_args, make_list, printkit, start_server

sys.path.insert(0, str(ROOT))
from tests.pdfcheck import text as pdf_text

COUNT = 300
BAD = {41: "not-an-address", 207: "two@@example.org"}
TEMP_ONCE = {f"p{i:04d}@example.org" for i in range(6, COUNT, 23)}
REJECT = {"p0120@example.org", "p0250@example.org"}
KILL_AFTER = 100


def check(ok: bool, what: str, failures: list[str]) -> None:
    print(("  ok    " if ok else "  FAIL  ") + what)
    if not ok:
        failures.append(what)


def main() -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        people = make_list(folder, COUNT, BAD)
        names = {}
        with people.open(encoding="utf-8", newline="") as handle:
            for i, rec in enumerate(csv.DictReader(handle)):
                names[rec["email"]] = (i + 2, rec["name"])
        certs = folder / "certs"
        made = printkit("certificates", str(people), "--event", "Robot Garden", "--split",
                        str(certs))
        print(f"certificates --split: exit {made.returncode}, "
              f"{len(list(certs.glob('*.pdf')))} PDFs")
        reached = threading.Event()
        handler = Handler(TEMP_ONCE, REJECT,
                          on_accept=lambda n: reached.set() if n >= KILL_AFTER else None)
        controller, port = start_server(handler)
        try:
            print("dry run:")
            dry = printkit(*mail_args(people, certs, folder / "dry", port))
            emls = list((folder / "dry" / "messages").glob("*.eml"))
            check(not handler.received, "the dry run sent nothing", failures)
            check(len(emls) == COUNT - len(BAD),
                  f"one .eml per valid row ({len(emls)} for {COUNT - len(BAD)})", failures)
            check(dry.returncode == 1, "the dry run exits 1 (two rows refused)", failures)
            outbox, report = folder / "outbox", folder / "r.csv"
            command = [sys.executable, "-m", "printkit",
                       *mail_args(people, certs, outbox, port), "--send", "--report",
                       str(report), "--retry-delay", "0.2"]
            child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            if reached.wait(300):
                os.kill(child.pid, signal.SIGKILL)
            child.wait(60)
            journal = (outbox / "journal.jsonl").read_text().splitlines()
            print(f"send: killed with SIGKILL (exit {child.returncode}) after "
                  f"{len(handler.received)} accepted; journal holds {len(journal)}")
            check(child.returncode == -signal.SIGKILL, "the first send was killed", failures)
            started = time.perf_counter()
            rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                   timeout=600, check=False)
            print(f"rerun: exit {rerun.returncode} in {time.perf_counter() - started:.1f} s")
            print("  " + "\n  ".join(rerun.stderr.strip().splitlines()[:3]))
        finally:
            controller.stop()
        by_rcpt: dict[str, list[EmailMessage]] = {}
        for rcpt, data in handler.received:
            msg = message_from_bytes(data, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            for address in rcpt:
                by_rcpt.setdefault(address, []).append(msg)
        valid = {a for a in names if a not in BAD.values()}
        want = valid - REJECT
        print("checks:")
        check(set(by_rcpt) == want, f"every valid recipient but the 550 ones received "
              f"({len(set(by_rcpt) & want)} of {len(want)}; extra {len(set(by_rcpt) - want)})",
              failures)
        copies = {a: m for a, m in by_rcpt.items() if len(m) > 1}
        check(len(copies) <= 1 and all(len(m) == 2 for m in copies.values()),
              f"at most one message duplicated ({len(copies)}: {sorted(copies)})", failures)
        check(all(len({x["Message-ID"] for x in m}) == 1 for m in copies.values()),
              "a duplicate carries the same Message-ID", failures)
        wrong = []
        for address in sorted(by_rcpt):
            attachments = list(by_rcpt[address][0].iter_attachments())
            pdf = folder / "received.pdf"
            pdf.write_bytes(attachments[0].get_content() if attachments else b"")
            text = pdf_text(pdf).replace("\u202b", "").replace("\u202c", "")
            if len(attachments) != 1 or " ".join(names[address][1].split()) not in text:
                wrong.append(address)
        check(not wrong, f"each attached PDF's text holds its recipient's name "
              f"({len(by_rcpt) - len(wrong)} of {len(by_rcpt)})", failures)
        rows = list(csv.DictReader(report.open(encoding="utf-8", newline="")))
        status = {r["address"]: r["status"] for r in rows}
        check(len(rows) == COUNT, f"the report has one row per input row ({len(rows)})",
              failures)
        check(all(status[a] == "failed" for a in REJECT), "the 550 rows are failed", failures)
        refused = [r for r in rows if r["status"] == "refused"]
        check(sorted(int(r["row"]) for r in refused) == sorted(i + 2 for i in BAD),
              "the bad addresses are refused", failures)
        check(handler.answered == TEMP_ONCE and
              all(status[a] == "sent" for a in TEMP_ONCE),
              f"the {len(TEMP_ONCE)} rows answered 451 once are sent", failures)
        print("report:", dict(Counter(r["status"] for r in rows)))
    print("PASS" if not failures else f"FAIL: {len(failures)} check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
