"""``printkit poster``: the event on one page, with a QR code big enough for the hallway."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..documents.poster import DESIGNS, PosterOptions, parse_distance, write_poster
from .options import add_common, add_event, common_kwargs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("poster", help="an event poster with a large QR code")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--start", help="start time, HH:MM")
    parser.add_argument("--duration", help="how long, e.g. 1h50 (shows the end time)")
    parser.add_argument("--tz", help="time zone of the event, e.g. Europe/Paris")
    parser.add_argument("--tagline", default="", help="a line under the title")
    parser.add_argument("--url", default="", help="where the QR code leads (default: --site-url)")
    parser.add_argument("--call-to-action", default="", help='text above the code ("Scan me")')
    parser.add_argument("--image", type=Path, help="a picture for the poster")
    parser.add_argument(
        "--image-alt",
        default="",
        help="what the picture shows, for screen readers (default: the title)",
    )
    parser.add_argument(
        "--design", default="poster", help=f"layout name or folder ({', '.join(DESIGNS)})"
    )
    parser.add_argument(
        "--scan-distance", help="scan the code from this far, e.g. 2m (default: as large as fits)"
    )
    parser.add_argument(
        "--print-shop", action="store_true", help="3 mm bleed, crop marks, TrimBox/BleedBox"
    )
    parser.add_argument("--dpi", type=int, default=300, help="print resolution for images")
    add_common(parser)
    add_event(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = PosterOptions(
        **common_kwargs(args),
        tagline=args.tagline,
        url=args.url,
        call_to_action=args.call_to_action,
        image=args.image,
        image_alt=args.image_alt,
        design=args.design,
        scan_distance_mm=parse_distance(args.scan_distance),
        print_shop=args.print_shop,
        dpi=args.dpi,
    )
    result = write_poster(options, args.output)
    if not args.quiet:
        print(
            f"{args.output}: {result.paper}, QR code {result.qr_side_mm:.0f} mm"
            f" (scans from about {result.scan_distance_mm / 1000:.1f} m),"
            f" {len(result.diagnostics)} warning(s)",
            file=sys.stderr,
        )
    return 0
