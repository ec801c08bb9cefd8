"""``printkit info``: versions, fonts per script, and (``--locales``) translation completeness."""

from __future__ import annotations

import argparse

from .. import fonts, i18n
from ..info import versions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("info", help="versions and fonts, for bug reports")
    parser.add_argument("--locales", action="store_true", help="list translation completeness")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for name, version in versions().items():
        print(f"{name + ':':<18} {version}")
    print("\nFonts per script:")
    for script, families in sorted(fonts.fonts_by_script().items()):
        print(f"  {script + ':':<16} {', '.join(families) or 'MISSING'}")
    if args.locales:
        print("\nLayout strings translated:")
        for tag, ratio in sorted(i18n.locale_completeness().items()):
            print(f"  {tag:<8} {ratio:6.1%}")
    return 0
