"""``printkit certificates``: one certificate per participant, merged or one file each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..documents.certificates import CertificateOptions, write_certificates
from ..errors import UsageError
from ..executors import scheduler_address
from .options import add_common, add_event, common_kwargs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("certificates", help="certificates in bulk from a list")
    parser.add_argument("people", type=Path, help="participant list (CSV, XLSX or .txt)")
    parser.add_argument("-o", "--output", type=Path, help="the merged PDF to write")
    parser.add_argument("--layout", default="certificate", help="layout name or folder")
    parser.add_argument("--verify-url", help='URL with {id}, e.g. "https://x.org/verify/{id}"')
    parser.add_argument("--id-key", help="secret key for the certificate ids (HMAC)")
    parser.add_argument("--split", type=Path, metavar="DIR", help="one PDF per participant")
    parser.add_argument("--zip", action="store_true", help="also write DIR.zip (with --split)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="worker processes (default 0: one per usable core, at most 8, for lists long "
        "enough to gain from them; 1 for a short list)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="make the pages on a Dask cluster, e.g. tcp://host:8786 "
        "(default: $DASK_SCHEDULER_ADDRESS; needs printkit[cluster])",
    )
    parser.add_argument("--report", type=Path, help="CSV with one line per input row")
    parser.add_argument("--name-column", help="column with the names ('First + Last' for two)")
    parser.add_argument("--sheet", help="XLSX sheet (default: the first)")
    parser.add_argument(
        "--encoding", help="encoding of a CSV or text list, e.g. cp1252 (default: detected)"
    )
    parser.add_argument("--signatory", default="", help="name on the signature line")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="render the design again instead of using the design cache "
        "($XDG_CACHE_HOME/printkit; or set PRINTKIT_NO_CACHE=1)",
    )
    add_common(parser)
    add_event(parser)
    parser.set_defaults(func=run)


class _Bar:
    """A rich progress bar (transient: it disappears when done)."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.task = bar.add_task("certificates", total=None)

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def advance(self, count: int) -> None:
        self.bar.advance(self.task, count)


@contextmanager
def _progress(enabled: bool) -> Iterator[_Bar | None]:
    """A progress bar on a terminal; nothing in pipes."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress  # noqa: PLC0415 - only on a terminal

    with Progress(transient=True) as bar:
        yield _Bar(bar)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    options = CertificateOptions(
        **common_kwargs(args),
        people=args.people,
        layout=args.layout,
        verify_url=args.verify_url,
        id_key=args.id_key,
        name_column=args.name_column,
        sheet=args.sheet,
        encoding=args.encoding,
        split=args.split,
        zip=args.zip,
        jobs=args.jobs,
        report=args.report,
        signatory=args.signatory,
        scheduler=scheduler_address(args.scheduler),
        cache=not args.no_cache,
    )
    with _progress(sys.stderr.isatty() and not args.quiet) as progress:
        result = write_certificates(options, args.output, progress=progress)
    if not args.quiet:
        where = ", ".join(str(p) for p in result.outputs)
        print(
            f"{where}: {result.pages} certificate(s), {len(result.refused)} row(s) refused, "
            f"{len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
