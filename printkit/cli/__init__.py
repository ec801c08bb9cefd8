"""The ``printkit`` command: a thin shell over the public API.

Each sub-command lives in its own module of this package, exposing
``register(subparsers)``; the module sets ``func`` on its parser. Exit codes:
0 success, 1 input error, 2 usage error. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PrintkitError, UsageError

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = ("handout", "agenda", "poster", "certificates", "mail", "build", "serve", "fonts",
            "info")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"see '{self.prog} --help'")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with every available sub-command, or only ``command``'s
    (then only that sub-command's module is imported: start-up stays short)."""
    parser = _Parser(
        prog="printkit",
        description="Print-ready handouts, agendas, posters and certificates from event guides.",
    )
    parser.add_argument("--version", action="version", version=f"printkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (command,) if command in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``: the first word that is not an option (the
    options before it take no value)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args: argparse.Namespace | None = None
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        parser = build_parser(_command(words))
        args = parser.parse_args(words)
        level = logging.DEBUG if args.debug else logging.ERROR if args.quiet else logging.WARNING
        logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
        # Each run sets printkit's own level: an earlier main() in the same process
        # (a script, a test) must not leave its --quiet or build's muting behind.
        logging.getLogger("printkit").setLevel(level)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        result: int = args.func(args)
        return result
    except UsageError as exc:
        print(f"printkit: {exc.describe()}", file=sys.stderr)
        return 2
    except PrintkitError as exc:
        if args is not None and args.debug:
            raise
        print(f"printkit: error: {exc.describe()}", file=sys.stderr)
        return 1
    except OSError as exc:
        if args is not None and args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"printkit: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("printkit: interrupted", file=sys.stderr)
        return 130
