"""``printkit build kit.toml``: every document of an event, in every locale, incrementally."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..executors import scheduler_address
from ..executors.local import usable_cores
from ..kit.build import BuildOptions, BuildReport, build_kit
from ..kit.config import load_kit
from ..kit.state import Outcome
from ..render.variants import PDF_VARIANTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("build", help="build every document of a kit.toml")
    parser.add_argument("kit", type=Path, help="the kit file (kit.toml)")
    parser.add_argument("-o", "--output", type=Path, help="output folder (default: the kit's)")
    parser.add_argument("--only", help="only these documents, e.g. poster,certificates")
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="worker processes (default 0: one per usable core, at most 8; 1: in this process)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build the documents on a Dask cluster, e.g. tcp://host:8786 "
        "(default: $DASK_SCHEDULER_ADDRESS; needs printkit[cluster])",
    )
    parser.add_argument("--strict", action="store_true", help="a document that warns fails")
    parser.add_argument("--previews", action="store_true", help="PNG of each first page")
    parser.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    parser.add_argument("--pdf-variant", choices=PDF_VARIANTS, help="archival/accessible PDF")
    parser.set_defaults(func=run)


def _size(n: int) -> str:
    """``1.2 MB``, ``84 kB``.

    >>> _size(1234567), _size(84000), _size(0)
    ('1.2 MB', '84 kB', '0 kB')
    """
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def summary_table(report: BuildReport) -> Table:
    """The end-of-build table: document, locale, pages, size, warnings, status."""
    table = Table(title=f"printkit build → {report.output}", show_lines=False)
    for column in ("document", "locale", "pages", "size", "warnings", "status"):
        justify = "right" if column in ("pages", "size", "warnings") else "left"
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for o in report.outcomes:
        name = o.variant if o.variant and o.variant != o.document else o.document
        status = {"built": "[green]built", "up-to-date": "[dim]up to date"}.get(
            o.status, "[red]failed"
        )
        table.add_row(
            name,
            o.locale,
            str(o.pages) if o.ok else "",
            _size(o.size) if o.ok else "",
            str(len(o.warnings)) if o.warnings else "",
            status,
        )
    return table


def _print_report(report: BuildReport, console: Console, quiet: bool) -> None:
    if not quiet:
        console.print(summary_table(report))
    for outcome in report.outcomes:
        if outcome.warnings and not quiet:
            console.print(f"[yellow]{outcome.key}[/]: {len(outcome.warnings)} warning(s)")
            for warning in outcome.warnings[:5]:
                console.print(f"  {warning}", markup=False, highlight=False, soft_wrap=True)
    # Messages name files: never wrapped inside a path, never read as rich markup.
    for problem in report.problems:
        console.print(
            f"[red]error[/]: {escape(problem.describe())}", highlight=False, soft_wrap=True
        )
    for outcome in report.failed:
        console.print(
            f"[red]failed[/] {escape(outcome.key)}: {escape(str(outcome.error))}",
            highlight=False,
            soft_wrap=True,
        )
    if not quiet:
        built = sum(o.status == "built" for o in report.outcomes)
        kept = sum(o.status == "up-to-date" for o in report.outcomes)
        console.print(
            f"{built} built, {kept} up to date, {len(report.failed)} failed,"
            f" {len(report.archives)} archive(s), {report.seconds:.1f} s"
        )


def run(args: argparse.Namespace) -> int:
    kit = load_kit(args.kit)
    options = BuildOptions(
        output=args.output,
        only=tuple(s.strip() for s in args.only.split(",") if s.strip()) if args.only else None,
        locales=tuple(args.locale) if args.locale else None,
        jobs=args.jobs if args.jobs > 0 else usable_cores(),  # each holds a WeasyPrint
        strict=args.strict,
        previews=True if args.previews else None,
        pdf_variant=args.pdf_variant,
        force=args.force,
        scheduler=scheduler_address(args.scheduler),
    )
    console = Console(stderr=True)
    # Warnings are listed per document in the summary; don't also log them as they come.
    logging.getLogger("printkit").setLevel(logging.ERROR)
    if console.is_terminal and not args.quiet:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("building", total=None)

            def step(outcome: Outcome, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=outcome.key)

            report = build_kit(kit, options, step)
    else:

        def line(outcome: Outcome, done: int, total: int) -> None:
            if not args.quiet:
                print(f"[{done}/{total}] {outcome.key}: {outcome.status}", file=sys.stderr)

        report = build_kit(kit, options, line)
    _print_report(report, console, args.quiet)
    return 0 if report.ok else 1
