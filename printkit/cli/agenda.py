"""``printkit agenda``: the guide's run-of-show as a one-page agenda (and .ics/.json/.csv)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..documents.agenda import AgendaExports, AgendaOptions, write_agenda
from .options import add_common, add_event, common_kwargs, parse_clock, parse_minutes


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("agenda", help="the run-of-show as a one-page agenda")
    parser.add_argument("guide", type=Path, help="the guide (Markdown with front matter)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--strings", type=Path, help="strings catalog (YAML) for placeholders")
    parser.add_argument("--profile", type=Path, help="site profile file (default: shipped)")
    parser.add_argument("--layout", default="agenda", help="layout name or folder")
    parser.add_argument("--start", help="re-time the plan to start at HH:MM")
    parser.add_argument("--duration", help="re-time the plan to last e.g. 45m or 1h30")
    parser.add_argument("--tz", help="time zone of the event for --ics, e.g. Europe/Paris")
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
        **common_kwargs(args),
        guide=args.guide,
        strings=args.strings,
        profile=args.profile,
        layout=args.layout,
        start=parse_clock(args.start, "--start"),
        duration=parse_minutes(args.duration, "--duration"),
        card=args.card,
        schedule_index=args.schedule - 1,
    )
    exports = AgendaExports(ics=args.ics, json=args.json, csv=args.csv, tz=args.tz)
    result = write_agenda(options, args.output, exports)
    if not args.quiet:
        slots = result.schedule.slots
        print(
            f"{args.output}: {result.pages} page(s), {result.paper}, {len(slots)} slot(s), "
            f"{result.report.total} min planned, {len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
