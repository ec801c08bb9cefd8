"""``printkit serve``: the web pages, JSON API and verification pages (needs the ``web`` extra).

``printkit serve import MANIFEST --event …`` registers certificates a CLI run
made with ``--verify-url`` pointing at the service; ``printkit serve revoke ID``
withdraws one. Both work on the same ``--data`` / ``--database`` as the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError


def _storage(parser: argparse.ArgumentParser, *, default: object = "printkit-data") -> None:
    parser.add_argument(
        "--data", type=Path, default=default,
        help="folder of the jobs' files and the SQLite database (default ./printkit-data)",
    )
    parser.add_argument(
        "--database", default=default if default is argparse.SUPPRESS else None,
        help="postgresql://user@host/db (default: SQLite in --data)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="the web service (pages, API, verification)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    _storage(parser)
    parser.add_argument(
        "--public-url", help="where people reach the service; QR codes lead there "
        "(default http://HOST:PORT)",
    )
    parser.add_argument(
        "--token", default=None,
        help="organiser token for job creation, import and revocation (or PRINTKIT_TOKEN)",
    )
    parser.add_argument("--workers", type=int, default=1, help="jobs run at once (default 1)")
    parser.add_argument(
        "--scheduler", default="processes",
        help="where jobs run: processes (default), threads, package.module:factory; or "
        "tcp://HOST:8786, a Dask scheduler making the certificate pages (jobs run here)",
    )
    parser.add_argument("--max-upload-mb", type=float, default=10.0, help="largest upload (10)")
    parser.add_argument("--max-rows", type=int, default=100_000, help="longest list (100000)")
    parser.add_argument(
        "--rate-limit", type=int, default=30, help="job creations per minute and client (30)"
    )
    parser.add_argument(
        "--keep-days", type=float, default=0,
        help="remove a finished job's files after this many days (default: keep them); "
        "its certificates stay verifiable",
    )
    actions = parser.add_subparsers(dest="serve_action", metavar="ACTION")
    imp = actions.add_parser("import", help="register the certificates of a CLI manifest")
    imp.add_argument("manifest", type=Path, help="the .manifest.csv of a certificates run")
    imp.add_argument("--event", required=True, help="the event's name (as printed)")
    imp.add_argument("--date", help="event date, YYYY-MM-DD")
    imp.add_argument("--organiser", default="", help="who organised it")
    imp.add_argument("--locale", default="en-US", help="the certificates' locale")
    _storage(imp, default=argparse.SUPPRESS)
    rev = actions.add_parser("revoke", help="withdraw a certificate")
    rev.add_argument("id", help="the certificate id")
    rev.add_argument("--reason", default="", help="why (shown on its page)")
    _storage(rev, default=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def _store(args: argparse.Namespace) -> object:
    from ..web.store import Store, database_url, migrate  # noqa: PLC0415

    args.data.mkdir(parents=True, exist_ok=True)
    store = Store(database_url(args.data, args.database))
    migrate(store.engine)
    return store


def run(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401, PLC0415
        import uvicorn  # noqa: PLC0415
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"printkit serve needs the web extra ({exc.name} is missing)",
            hint="pip install 'printkit[web]'",
        ) from None
    if args.serve_action == "import":
        return _import(args)
    if args.serve_action == "revoke":
        return _revoke(args)
    from ..web.app import create_app  # noqa: PLC0415
    from ..web.config import Settings  # noqa: PLC0415

    public_url = args.public_url or f"http://{args.host}:{args.port}"
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--public-url {public_url!r} is not a web address",
                         hint="e.g. --public-url https://certificates.example.org")
    settings = Settings(
        data_dir=args.data, database=args.database, public_url=public_url.rstrip("/"),
        token=args.token or os.environ.get("PRINTKIT_TOKEN") or None,
        max_upload_bytes=int(args.max_upload_mb * 1_000_000), max_rows=args.max_rows,
        rate_limit=args.rate_limit, workers=args.workers, keep_days=args.keep_days,
        scheduler="processes" if "://" in args.scheduler else args.scheduler,
        cluster=args.scheduler if "://" in args.scheduler else None,
    )
    if not args.quiet:
        print(f"printkit: serving on http://{args.host}:{args.port} (QR codes lead to "
              f"{settings.public_url}/verify/…)", file=sys.stderr, flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port,
                log_level="error" if args.quiet else "warning", timeout_graceful_shutdown=10)
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..web.manifests import read_manifest  # noqa: PLC0415
    from ..web.store import Store  # noqa: PLC0415
    from .options import parse_date  # noqa: PLC0415

    date: dt.date | None = parse_date(args.date, "--date")
    store = _store(args)
    assert isinstance(store, Store)
    records = read_manifest(args.manifest, event=args.event, date=date,
                            organiser=args.organiser, locale=args.locale)
    added, skipped = store.register(records)
    if not args.quiet:
        print(f"{args.manifest}: {added} certificate(s) registered, {skipped} already known",
              file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ..web.store import Store  # noqa: PLC0415

    store = _store(args)
    assert isinstance(store, Store)
    if not store.revoke(args.id, args.reason):
        raise UsageError(f"no certificate {args.id!r}", hint="check the id on its page")
    if not args.quiet:
        print(f"{args.id}: withdrawn", file=sys.stderr)
    return 0
