"""``printkit handout``: a guide laid out for paper."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..documents.handout import write_handout
from ..options import HandoutOptions
from .options import add_common, add_event, common_kwargs, parse_clock, parse_minutes


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("handout", help="a guide as a printable handout")
    parser.add_argument("guide", type=Path, help="the guide (Markdown with front matter)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--strings", type=Path, help="strings catalog (YAML) for placeholders")
    parser.add_argument("--profile", type=Path, help="site profile file (default: shipped)")
    parser.add_argument("--layout", default="handout", help="layout name or folder")
    parser.add_argument("--start", help="re-time the run-of-show to start at HH:MM")
    parser.add_argument("--duration", help="re-time the run-of-show to last e.g. 45m")
    parser.add_argument("--tz", help="time zone of the event, e.g. Europe/Paris")
    add_common(parser)
    add_event(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = HandoutOptions(
        **common_kwargs(args),
        guide=args.guide,
        strings=args.strings,
        profile=args.profile,
        layout=args.layout,
        start=parse_clock(args.start, "--start"),
        duration=parse_minutes(args.duration, "--duration"),
    )
    result = write_handout(options, args.output)
    if not args.quiet:
        print(
            f"{args.output}: {result.pages} page(s), {result.paper}, "
            f"{len(result.references)} link(s), {len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
