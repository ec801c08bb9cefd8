"""``printkit agenda``: the guide's run-of-show as a one-page agenda (and .ics/.json/.csv)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..documents.agenda import AgendaExports, AgendaOptions, write_agenda
from .options import add_common, add_event, add_guide, guide_kwargs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("agenda", help="the run-of-show as a one-page agenda")
    add_guide(parser, layout="agenda")
    parser.add_argument("--card", action="store_true", help="an A5 card instead of a full page")
    parser.add_argument(
        "--schedule",
        type=int,
        default=1,
        metavar="N",
        help="which schedule of the guide (1 = first)",
    )
    parser.add_argument("--ics", type=Path, metavar="OUT.ics", help="also write an iCalendar file")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="also write the plan as JSON")
    parser.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write the plan as CSV")
    add_common(parser)
    add_event(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = AgendaOptions(
        **guide_kwargs(args),
        card=args.card,
        schedule_index=args.schedule - 1,
    )
    exports = AgendaExports(ics=args.ics, json=args.json, csv=args.csv, tz=args.tz)
    result = write_agenda(options, args.output, exports)
    if not args.quiet:
        slots = result.schedule.slots
        print(
            f"{args.output}: {result.pages} page(s), {result.paper}, {len(slots)} slot(s), "
            f"{sum(slot.duration for slot in slots)} min planned, "
            f"{len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
