"""``printkit.mail``: prepare the outbox from a list, then (with ``send``) deliver it.

1. Every input row becomes an outbox entry: a rendered ``.eml`` or a refusal
   with its reason (bad address, missing certificate, too large…).
2. With ``send``, each entry the journal does not hold yet is sent, one at a
   time over one connection; each acceptance is journalled before the next.
3. The report has one line per input row: sent, failed, refused or skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Literal

from ..errors import DeliveryError, InputError, Location, UsageError
from ..locale import LocaleContext
from ..model import Event
from ..output import sha256_file, write_csv
from .message import SIZE_LIMIT, MessageTemplate, TooLarge, default_body, parse_sender
from .outbox import Accepted, Entry, Outbox, changed_inputs
from .recipients import iter_recipients
from .send import Sender, Server, find_password

RowStatus = Literal["sent", "failed", "refused", "skipped"]
REPORT_HEADER = ("row", "name", "address", "status", "reason", "message_id", "attachment")


@dataclass(frozen=True)
class MailOptions:
    """Options of :func:`mail` (the ``printkit mail`` flags)."""

    #: The participant list; ``None`` sends an outbox prepared before (``outbox``).
    people: Path | None = None
    #: ``"Robot Garden <hello@example.org>"``.
    sender: str = ""
    #: Subject template (``{{ name }}`` and any column).
    subject: str = ""
    #: Markdown body template file; the built-in localised body when absent.
    body: Path | None = None
    #: The body template as text (overrides ``body``; for scripts and kits).
    body_text: str | None = None
    #: Folder written by ``printkit certificates --split``: each row gets its own PDF.
    certificates: Path | None = None
    #: Files attached to every message.
    attach: tuple[Path, ...] = ()
    #: Locale of the built-in wording, the date and the text direction.
    locale: str | None = None
    event: Event = field(default_factory=Event)
    outbox: Path = Path("outbox")
    #: Really send; without it nothing leaves the machine.
    send: bool = False
    smtp: str = "smtp://127.0.0.1:25"
    #: Messages per minute (0: no limit).
    rate: float = 0.0
    report: Path | None = None
    email_column: str | None = None
    name_column: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    size_limit: int = SIZE_LIMIT
    retries: int = 5
    retry_delay: float = 2.0
    timeout: float = 30.0
    #: Inputs changed after some messages were sent: prepare again, and count a row as
    #: sent when the journal holds a message to the same address and name.
    allow_changes: bool = False


@dataclass(frozen=True)
class RowResult:
    """One line of the report."""

    row: int
    name: str
    address: str
    status: RowStatus
    reason: str = ""
    message_id: str = ""
    attachment: str = ""


@dataclass
class MailResult:
    """What a run did: one result per input row, and what was sent now."""

    outbox: Path
    rows: list[RowResult]
    sent_now: int = 0
    total_size: int = 0
    first_text: str = ""
    sent: bool = False
    #: Seconds spent sending (connection, retries and waits included).
    seconds: float = 0.0
    #: Why sending stopped early (the server could not be used), or "".
    error: str = ""

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.rows)

    @property
    def ok(self) -> bool:
        """Every row was sent (with ``send``), or is ready to be (a dry run)."""
        want = "sent" if self.sent else "skipped"
        return all(r.status == want for r in self.rows)


Progress = Callable[[RowResult], None]


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _inputs(options: MailOptions, people: Path, body: str) -> dict[str, str]:
    inputs = {"list": sha256_file(people), "body": _hash_text(body)}
    for path in options.attach:
        inputs[f"attach:{path.name}"] = sha256_file(path)
    if options.certificates is not None:
        manifest = options.certificates / "manifest.csv"
        inputs["certificates"] = sha256_file(manifest) if manifest.is_file() else ""
    settings = {
        "from": options.sender, "subject": options.subject, "locale": options.locale,
        "event": asdict(options.event), "size_limit": options.size_limit,
        "email_column": options.email_column, "name_column": options.name_column,
        "sheet": options.sheet, "encoding": options.encoding,
    }
    inputs["settings"] = _hash_text(json.dumps(settings, sort_keys=True, default=str))
    return inputs


def _check_files(options: MailOptions) -> None:
    for path in (options.people, options.body, *options.attach):
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such file", hint="check the path")
    if options.certificates is not None and not options.certificates.is_dir():
        raise UsageError(f"--certificates {options.certificates}: no such folder",
                         hint="give the folder of: printkit certificates LIST --split DIR")


def prepare(options: MailOptions) -> list[Entry]:
    """Render every row into the outbox (or reuse it, unchanged); return the entries.

    Once something was sent, changed inputs are refused unless ``allow_changes``."""
    people = options.people
    if people is None:
        raise UsageError("no participant list", hint="give the list to prepare the outbox")
    _check_files(options)
    if not options.subject.strip():
        raise UsageError("a subject is needed", hint='e.g. --subject "Your certificate"')
    sender = parse_sender(options.sender)
    locale = LocaleContext.parse(options.locale) if options.locale else None
    if options.body_text is not None:
        body, source = options.body_text, "<body>"
    elif options.body is not None:
        try:
            body, source = options.body.read_text(encoding="utf-8-sig"), str(options.body)
        except UnicodeDecodeError as exc:
            raise InputError("the body is not UTF-8 text", Location.of(options.body),
                             "save it as UTF-8") from exc
    else:
        body, source = default_body(locale), "<built-in body>"
    outbox = Outbox(options.outbox)
    inputs = _inputs(options, people, body)
    previous = outbox.load()
    accepted = outbox.accepted()
    if previous is not None:
        old_inputs, entries, _ = previous
        changed = changed_inputs(old_inputs, inputs)
        if not changed and all(
            e.status == "refused" or outbox.message_path(e).is_file() for e in entries
        ):
            return entries
        if changed and accepted and not options.allow_changes:
            raise InputError(
                f"changed since {len(accepted)} message(s) were sent from this outbox: "
                + ", ".join(changed),
                Location.of(outbox.folder),
                "put the old list, body and files back; or give --allow-changes to send the "
                "new version only to the people (address and name) not sent to yet",
            )
    template = MessageTemplate(sender, options.subject, body, source, locale, options.event,
                               options.attach, options.size_limit)
    entries = []
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for r in iter_recipients(
        people, email_column=options.email_column, name_column=options.name_column,
        sheet=options.sheet, encoding=options.encoding, certificates=options.certificates,
    ):
        entry = Entry(r.row, r.name, r.address, "refused", r.reason)
        if r.status == "ok":
            try:
                rendered = template.render(r, now)
            except TooLarge as exc:
                entry.reason = str(exc)
            else:
                entry.status = "ready"
                entry.message_id = rendered.message_id
                entry.file = f"{r.row:05d}-{rendered.message_id[1:9]}.eml"
                entry.size = rendered.size
                entry.smtputf8 = rendered.smtputf8
                entry.attachments = list(rendered.attachments)
                outbox.write_message(entry, rendered.data)
        entries.append(entry)
    outbox.remove_stale({e.file for e in entries if e.file})
    by_person = bool(accepted) or bool(previous and previous[2].get("by_person"))
    settings = {"from": sender.addr_spec, "by_person": by_person}
    outbox.save(inputs, entries, settings)
    return entries


def _first_text(outbox: Outbox, entries: Iterable[Entry]) -> str:
    first = next((e for e in entries if e.status == "ready"), None)
    if first is None:
        return ""
    msg = message_from_bytes(outbox.read_message(first), policy=policy.default)
    part = msg.get_body(("plain",))
    return str(part.get_content()) if part is not None else ""


def earlier(
    entry: Entry, accepted: Mapping[str, Accepted], by_person: bool
) -> Accepted | None:
    """The journal line of the message ``entry`` already is: same Message-ID, or, for an
    outbox prepared again after a change (``by_person``), same address and name."""
    found = accepted.get(entry.message_id)
    if found is None and by_person:
        person = (entry.address.casefold(), entry.name)
        found = next((a for a in accepted.values() if a.person == person), None)
    return found


def deliver(
    outbox: Outbox,
    entries: list[Entry],
    sender: Sender,
    envelope_from: str,
    *,
    progress: Progress | None = None,
    by_person: bool = False,
) -> tuple[dict[int, RowResult], int, DeliveryError | None]:
    """Send every ready entry the journal lacks; return the results by row, the count
    sent now and what stopped the run. A server that cannot be used fails the rows left."""
    done = outbox.accepted()
    results: dict[int, RowResult] = {}
    sent_now = 0
    fatal: DeliveryError | None = None
    with outbox.open_journal() as journal:
        try:
            for e in entries:
                if e.status != "ready" or earlier(e, done, by_person) is not None:
                    continue
                if fatal is not None:
                    results[e.row] = _result(e, "failed", f"not sent: {fatal.message}")
                    continue
                try:
                    attempt = sender.send(envelope_from, e.address, outbox.read_message(e),
                                          e.smtputf8)
                except DeliveryError as exc:
                    fatal = exc
                    results[e.row] = _result(e, "failed", f"not sent: {exc.message}")
                    continue
                if attempt.ok:
                    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                    journal.record(Accepted(e.message_id, e.row, e.address, at, e.name))
                    sent_now += 1
                    results[e.row] = _result(e, "sent")
                else:
                    results[e.row] = _result(e, "failed", attempt.reason)
                if progress is not None:
                    progress(results[e.row])
        except BaseException:  # Ctrl-C: the journal holds what was accepted; no QUIT wait
            sender.abort()
            raise
        sender.close()
    return results, sent_now, fatal


def _result(e: Entry, status: RowStatus, reason: str = "") -> RowResult:
    return RowResult(e.row, e.name, e.address, status, reason or e.reason, e.message_id,
                     "; ".join(e.attachments))


def mail(options: MailOptions, progress: Progress | None = None) -> MailResult:
    """Prepare the outbox and, with ``options.send``, send what was not accepted yet."""
    if options.outbox.exists() and not options.outbox.is_dir():
        raise UsageError(f"--outbox {options.outbox} is a file", hint="give a folder")
    outbox = Outbox(options.outbox)
    if options.people is not None:
        prepare(options)
    loaded = outbox.load()
    if loaded is None:
        raise UsageError(f"{options.outbox}: no prepared outbox",
                         hint="give the participant list to prepare it")
    _, entries, settings = loaded
    envelope_from = str(settings.get("from", ""))
    by_person = bool(settings.get("by_person"))
    ready = [e for e in entries if e.status == "ready"]
    result = MailResult(options.outbox, [], total_size=sum(e.size for e in ready),
                        first_text=_first_text(outbox, ready), sent=options.send)
    by_row: dict[int, RowResult] = {}
    interrupted = False
    if options.send:
        server = Server.parse(options.smtp)
        sender = Sender(server, find_password(server), timeout=options.timeout,
                        retries=options.retries, retry_delay=options.retry_delay,
                        rate=options.rate)
        started = time.perf_counter()
        try:
            by_row, result.sent_now, fatal = deliver(outbox, entries, sender, envelope_from,
                                                     progress=progress, by_person=by_person)
        except KeyboardInterrupt:
            interrupted = True
        else:
            result.error = fatal.describe() if fatal is not None else ""
        result.seconds = time.perf_counter() - started
    accepted = outbox.accepted()
    for e in entries:
        if e.status == "refused":
            result.rows.append(_result(e, "refused"))
        elif e.row in by_row:
            result.rows.append(by_row[e.row])
        elif (found := earlier(e, accepted, by_person)) is not None:
            result.rows.append(_result(e, "sent", f"accepted {found.at}"))
        else:
            why = "interrupted: not sent yet" if interrupted else "dry run: in the outbox, not sent"
            result.rows.append(_result(e, "skipped", why))
    if options.report is not None:
        write_csv(options.report, REPORT_HEADER,
                  ([getattr(r, k) for k in REPORT_HEADER] for r in result.rows))
    if interrupted:  # the report is written; the CLI says "interrupted" (exit 130)
        raise KeyboardInterrupt
    return result
