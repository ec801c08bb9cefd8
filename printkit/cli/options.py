"""Command-line flags shared by several sub-commands, and their parsing into options."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import LayoutError, UsageError
from ..layouts import paper_name
from ..model import Event
from ..render.variants import PDF_VARIANTS


def add_common(parser: argparse.ArgumentParser) -> None:
    """Flags every document command has."""
    parser.add_argument("--locale", default="en-US", help="locale tag, e.g. fr-FR (default en-US)")
    parser.add_argument(
        "--paper", type=_paper, help="paper size (A4, Letter, A5…); default: the locale's"
    )
    parser.add_argument("--strict", action="store_true", help="fail when anything was warned")
    parser.add_argument(
        "--assets",
        type=_folder,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder images may come from (repeatable)",
    )
    parser.add_argument(
        "--layouts",
        type=_folder,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of extra layouts (repeatable)",
    )
    parser.add_argument(
        "--allow-network", action="store_true", help="allow images over http(s); off by default"
    )
    parser.add_argument("--pdf-variant", choices=PDF_VARIANTS, help="archival/accessible PDF")


def _paper(value: str) -> str:
    try:
        return paper_name(value)
    except LayoutError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message} ({exc.hint})") from None


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
    return path


def _site_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a web address like https://example.org")
    return value


def parse_timezone(value: str | None, flag: str = "--tz") -> str | None:
    """An IANA time zone name, checked (``Europe/Paris``)."""
    if not value:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"{flag}: unknown time zone {value!r}", hint="use an IANA name such as Europe/Paris"
        ) from None
    return value


def add_guide(parser: argparse.ArgumentParser, *, layout: str) -> None:
    """Flags of the commands that read a guide (handout, agenda)."""
    parser.add_argument("guide", type=Path, help="the guide (Markdown with front matter)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--strings", type=Path, help="strings catalog (YAML) for placeholders")
    parser.add_argument("--profile", type=Path, help="site profile file (default: shipped)")
    parser.add_argument("--layout", default=layout, help="layout name or folder")
    parser.add_argument("--start", help="re-time the run-of-show to start at HH:MM")
    parser.add_argument("--duration", help="re-time the run-of-show to last e.g. 45m or 1h30")
    parser.add_argument("--tz", help="time zone of the event, e.g. Europe/Paris")
    parser.add_argument(
        "--source-guide",
        type=Path,
        metavar="EN.md",
        help="the English guide this one translates: restores the links, placeholders and "
        "schedule times the translation broke",
    )


def guide_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for :class:`printkit.options.HandoutOptions` from the guide flags."""
    return {
        **common_kwargs(args),
        "guide": args.guide,
        "strings": args.strings,
        "profile": args.profile,
        "layout": args.layout,
        "start": parse_clock(args.start, "--start"),
        "duration": parse_minutes(args.duration, "--duration"),
        "source_guide": args.source_guide,
    }


def add_event(parser: argparse.ArgumentParser) -> None:
    """Flags that describe the event."""
    parser.add_argument("--event", dest="event_name", default="", help="the event's name")
    parser.add_argument("--date", help="event date, YYYY-MM-DD")
    parser.add_argument("--end-date", help="last day, YYYY-MM-DD")
    parser.add_argument("--place", default="", help="where the event happens")
    parser.add_argument("--organiser", default="", help="who organises it")
    parser.add_argument(
        "--site-url",
        type=_site_url,
        default="https://hourofcode.com",
        help="base URL for the programme's relative links",
    )
    parser.add_argument(
        "--set",
        dest="values",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a placeholder value (repeatable)",
    )


def parse_date(value: str | None, flag: str) -> dt.date | None:
    """``YYYY-MM-DD`` → date, or a usage error naming the flag."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None


def parse_clock(value: str | None, flag: str) -> int | None:
    """``14:30`` → minutes after midnight.

    >>> parse_clock("14:30", "--start")
    870
    """
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d{1,2})[:hH.](\d{2})\s*", value)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise UsageError(f"{flag}: {value!r} is not a time", hint="write it as HH:MM, e.g. 14:30")
    return int(m[1]) * 60 + int(m[2])


def parse_minutes(value: str | None, flag: str) -> int | None:
    """``45m``, ``1h30``, ``1h``, ``90`` → minutes.

    >>> [parse_minutes(v, "--duration") for v in ("45m", "1h30", "2h", "90")]
    [45, 90, 120, 90]
    """
    if not value:
        return None
    m = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(\d+)?\s*(?:m|min)?\s*", value.lower())
    if not m or not (m[1] or m[2]):
        raise UsageError(f"{flag}: {value!r} is not a duration", hint="e.g. 45m, 1h30 or 90")
    minutes = int(m[1] or 0) * 60 + int(m[2] or 0)
    if minutes <= 0:
        raise UsageError(f"{flag}: the duration must be positive")
    return minutes


def parse_values(pairs: list[str]) -> dict[str, str]:
    """``key=value`` pairs → dict."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    return values


def event_from_args(args: argparse.Namespace) -> Event:
    """The Event described by the event flags."""
    start = parse_clock(getattr(args, "start", None), "--start")
    return Event(
        name=args.event_name,
        date=parse_date(args.date, "--date"),
        end_date=parse_date(args.end_date, "--end-date"),
        start=dt.time(start // 60, start % 60) if start is not None else None,
        duration=parse_minutes(getattr(args, "duration", None), "--duration"),
        timezone=parse_timezone(getattr(args, "tz", None)),
        place=args.place,
        organiser=args.organiser,
        site_url=args.site_url.rstrip("/"),
        values=parse_values(args.values),
    )


def common_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for :class:`printkit.options.CommonOptions` from the flags."""
    return {
        "locale": args.locale,
        "paper": args.paper,
        "event": event_from_args(args),
        "asset_dirs": tuple(args.assets),
        "layout_dirs": tuple(args.layouts),
        "allow_network": args.allow_network,
        "strict": args.strict,
        "pdf_variant": args.pdf_variant,
    }
