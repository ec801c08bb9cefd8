"""``printkit mail``: every participant gets their message (and certificate) by e-mail."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..deliver.message import SIZE_LIMIT
from ..deliver.run import MailOptions, MailResult, RowResult, mail
from ..deliver.send import CONFIG_ENV, PASSWORD_ENV
from ..errors import UsageError
from .options import add_event, event_from_args

#: Addresses listed by the dry run's summary; more are counted.
SHOWN = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "mail",
        help="e-mail every participant (dry run unless --send)",
        description="Write one message per participant to the outbox; with --send, deliver "
        "them. The password comes from " + PASSWORD_ENV + " or an owner-only file named by "
        + CONFIG_ENV + " (default ~/.config/printkit/smtp.toml), never the command line.",
    )
    parser.add_argument("people", type=Path, nargs="?",
                        help="participant list (CSV, XLSX); omit to send a prepared --outbox")
    parser.add_argument("--from", dest="sender", default="",
                        help='sender, e.g. "Robot Garden <hello@example.org>"')
    parser.add_argument("--subject", default="", help="subject ({{ name }} and any column)")
    parser.add_argument("--body", type=Path, help="Markdown body template (default: built-in)")
    parser.add_argument("--certificates", type=Path, metavar="DIR",
                        help="folder of printkit certificates --split: each gets their own")
    parser.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE",
                        help="a file attached to every message (repeatable)")
    parser.add_argument("--locale", help="locale of the wording, date and direction, e.g. ar-EG")
    parser.add_argument("--smtp", default="smtp://127.0.0.1:25",
                        help="smtp://user@host:587 (STARTTLS) or smtps://host:465")
    parser.add_argument("--rate", type=float, default=0.0, metavar="PER_MINUTE",
                        help="messages per minute (default 0: no limit)")
    parser.add_argument("--outbox", type=Path, default=Path("outbox"), metavar="DIR",
                        help="where the .eml files and the journal go (default: outbox)")
    parser.add_argument("--send", action="store_true", help="really send (default: dry run)")
    parser.add_argument("--report", type=Path, help="CSV with one line per input row")
    parser.add_argument("--allow-changes", action="store_true",
                        help="the list, body or files changed after some were sent: send the "
                        "new version only to those (address and name) not sent to yet")
    parser.add_argument("--email-column", help="column with the addresses (default: by header)")
    parser.add_argument("--name-column", help="column with the names ('First + Last' for two)")
    parser.add_argument("--sheet", help="XLSX sheet (default: the first)")
    parser.add_argument("--encoding", help="encoding of a CSV list (default: detected)")
    parser.add_argument("--size-limit", type=float, default=SIZE_LIMIT / 1e6, metavar="MB",
                        help="largest message (default 10 MB)")
    parser.add_argument("--retries", type=int, default=5,
                        help="attempts after a temporary failure (default 5)")
    parser.add_argument("--retry-delay", type=float, default=2.0, metavar="SECONDS",
                        help="first wait before a retry, doubled each time (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="network time-out (default 30)")
    add_event(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.rate < 0 or args.retries < 0 or args.retry_delay < 0 or args.size_limit <= 0:
        raise UsageError("--rate, --retries and --retry-delay must be >= 0, --size-limit > 0")
    if args.people is not None and not args.sender:
        raise UsageError("--from is needed", hint='e.g. --from "Robot Garden <hello@example.org>"')
    options = MailOptions(
        people=args.people,
        sender=args.sender,
        subject=args.subject,
        body=args.body,
        certificates=args.certificates,
        attach=tuple(args.attach),
        locale=args.locale,
        event=event_from_args(args),
        outbox=args.outbox,
        send=args.send,
        smtp=args.smtp,
        rate=args.rate,
        report=args.report,
        email_column=args.email_column,
        name_column=args.name_column,
        sheet=args.sheet,
        encoding=args.encoding,
        size_limit=int(args.size_limit * 1e6),
        retries=args.retries,
        retry_delay=args.retry_delay,
        timeout=args.timeout,
        allow_changes=args.allow_changes,
    )

    with _bar(args.send and sys.stderr.isatty() and not args.quiet) as advance:

        def progress(row: RowResult) -> None:
            advance()
            if row.status == "failed" and not args.quiet and not row.reason.startswith("not"):
                print(f"row {row.row}: {row.address}: failed: {row.reason}", file=sys.stderr)

        result = mail(options, progress)
    if not args.quiet:
        print(summary(result), file=sys.stderr)
    return 0 if result.ok else 1


@contextmanager
def _bar(enabled: bool) -> Iterator[Callable[[], None]]:
    """A count of messages sent on a terminal (rich, transient); nothing in pipes."""
    if not enabled:
        yield lambda: None
        return
    from rich.progress import Progress  # noqa: PLC0415 - only on a terminal

    with Progress(transient=True) as bar:
        task = bar.add_task("sending", total=None)
        yield lambda: bar.advance(task, 1)


def summary(result: MailResult) -> str:
    """What the run did: counts, recipients (dry run), size, the first message's text."""
    counts = result.counts
    lines: list[str] = []
    ready = [r for r in result.rows if r.status != "refused"]
    if not result.sent:
        lines.append(f"dry run: nothing sent. {len(ready)} message(s) in {result.outbox}, "
                     f"{result.total_size / 1e6:.2f} MB in all; to:")
        lines += [f"  {r.name} <{r.address}>" for r in ready[:SHOWN]]
        if len(ready) > SHOWN:
            lines.append(f"  … and {len(ready) - SHOWN} more")
        if result.first_text:
            lines.append("first message:")
            lines += ["  | " + line for line in result.first_text.rstrip().splitlines()]
        lines.append("send them with the same command and --send")
    else:
        rate = result.sent_now / result.seconds if result.seconds else 0.0
        lines.append(f"{counts['sent']} sent ({result.sent_now} now, in {result.seconds:.2f} s: "
                     f"{rate:.0f} messages/s), {counts['failed']} failed, {counts['refused']} "
                     f"refused, of {len(result.rows)} row(s)")
    unsent = [r for r in result.rows if r.status == "failed" and r.reason.startswith("not sent")]
    if result.error:
        lines.append(f"stopped: {result.error}")
        lines.append(f"  {len(unsent)} row(s) not sent; the same command sends them later")
    skip = {r.row for r in unsent}
    bad = [r for r in result.rows if r.status in ("refused", "failed") and r.row not in skip]
    lines += [f"  row {r.row} {r.status}: {r.address or r.name}: {r.reason}" for r in bad[:SHOWN]]
    if len(bad) > SHOWN:
        lines.append(f"  … and {len(bad) - SHOWN} more failed or refused (see --report)")
    return "\n".join(lines)
