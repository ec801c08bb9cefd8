"""``printkit fonts``: the font stack of a locale, and a glyph coverage check.

- ``printkit fonts list [--locale TAG] [--role ROLE]``: the stack, in fallback order.
- ``printkit fonts check --locale TAG FILE|TEXT...``: every character no font of the
  stack covers, as ``file:line: 'c' U+XXXX NAME: why``; exit 1 when any is missing.
  A participant list (``--names``, or any .xlsx) is checked name by name, per row.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from .. import fonts
from ..errors import Location, UsageError
from ..fonts.manifest import ROLES
from ..fonts.system import fontconfig_covers
from ..locale import LocaleContext
from ..sources.participants import iter_participants

_PATH_SUFFIXES = {".md", ".txt", ".csv", ".tsv", ".yml", ".yaml", ".xlsx", ".xlsm", ".html"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("fonts", help="font stacks and glyph coverage per locale")
    commands = parser.add_subparsers(dest="fonts_command", metavar="ACTION")

    listing = commands.add_parser("list", help="the font stack of a locale, in fallback order")
    listing.add_argument("--locale", default="en-US", help="BCP 47 tag (default: en-US)")
    listing.add_argument("--role", choices=ROLES, default="body", help="body, heading or display")
    listing.set_defaults(func=run_list)

    check = commands.add_parser(
        "check", help="report characters no font covers (exit 1 if any)"
    )
    check.add_argument("inputs", nargs="+", metavar="FILE|TEXT",
                       help="files to check line by line ('-' = standard input), or text")
    check.add_argument("--locale", required=True, help="BCP 47 tag, e.g. ja-JP")
    check.add_argument("--role", choices=ROLES, default="body", help="body, heading or display")
    check.add_argument("--names", action="store_true",
                       help="the files are participant lists: check each name, per row")
    check.add_argument("--text", action="store_true", help="the arguments are text, not files")
    check.add_argument("--stack-only", action="store_true",
                       help="only the locale's stack counts (no fallback to other installed fonts)")
    check.set_defaults(func=run_check)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_list(args: argparse.Namespace) -> int:
    ctx = LocaleContext.parse(args.locale)
    stack = ctx.font_stack(args.role)
    print(f"{ctx.tag} ({ctx.babel.english_name}), {ctx.direction}, {ctx.paper}, {args.role}:")
    for number, face in enumerate(stack, start=1):
        index = f" #{face.index}" if face.path.suffix.lower() in {".ttc", ".otc"} else ""
        print(f"  {number:>2}. {face.family:<32} {face.weight} {face.path}{index}")
    print(f"font-family: {ctx.font_family(args.role)}")
    return 0


def _lines(args: argparse.Namespace) -> Iterator[tuple[str, Location | None]]:
    for item in args.inputs:
        if args.text:
            yield item, None
            continue
        if item == "-":
            for number, line in enumerate(sys.stdin, start=1):
                yield line, Location("<stdin>", number)
            continue
        path = Path(item)
        if path.is_file():
            if args.names or path.suffix.lower() in {".xlsx", ".xlsm"}:
                for person in iter_participants(path):
                    yield person.name, Location(str(path), row=person.row)
            else:
                yield from fonts.file_lines(path)
        elif path.suffix.lower() in _PATH_SUFFIXES or "/" in item:
            raise UsageError(f"no such file: {item}", hint="to check text, add --text")
        else:
            yield item, None


def run_check(args: argparse.Namespace) -> int:
    ctx = LocaleContext.parse(args.locale)
    missing = fonts.checker(ctx, args.role).check_lines(_lines(args))
    if not args.names and not args.stack_only:
        # Guides are set by WeasyPrint, which falls back to any installed font; names on
        # certificates are set by the bulk engine from the stack alone (--names).
        missing = [g for g in missing if not fontconfig_covers(g.char)]
    for glyph in missing:
        where = _where(glyph.location)
        print(f"{where}{glyph.char!r} {glyph.codepoint} {glyph.name}: {glyph.reason}")
    if missing:
        chars = len({g.char for g in missing})
        print(
            f"printkit: {chars} character(s) not covered by the {ctx.tag} font stack "
            f"({len(missing)} occurrence(s))",
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        print(f"{ctx.tag}: every character is covered", file=sys.stderr)
    return 0


def _where(location: Location | None) -> str:
    if location is None:
        return "<text>: "
    if location.row is not None:
        return f"{location.file}: row {location.row}: "
    return f"{location.file}:{location.line}: "
