"""``printkit handout``: a guide laid out for paper."""

from __future__ import annotations

import argparse
import sys

from ..documents.handout import write_handout
from ..options import HandoutOptions
from .options import add_common, add_event, add_guide, guide_kwargs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("handout", help="a guide as a printable handout")
    add_guide(parser, layout="handout")
    add_common(parser)
    add_event(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = HandoutOptions(**guide_kwargs(args))
    result = write_handout(options, args.output)
    if not args.quiet:
        print(
            f"{args.output}: {result.pages} page(s), {result.paper}, "
            f"{len(result.references)} link(s), {len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
