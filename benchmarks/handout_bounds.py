"""Handout cost bounds: what each part of a handout costs to render, by leaving it out.

For every variant, renders each guide (the corpus, else the examples) as printed and
as the variant, alternating which goes first, ``--rounds`` times, in one process:
this machine's speed drifts by several per cent within minutes, so only a paired
measurement says anything. Prints, per variant, the mean over the guides of each
guide's fastest CPU time, both ways, and their ratio. A variant's ratio is the upper
bound of what drawing that part another way could save; none of them is a handout
anyone should print.

    python benchmarks/handout_bounds.py [--rounds 2] [--variants refs,tiny]
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint.layout.page as weasy_page  # noqa: E402

from benchmarks.handout import guides  # noqa: E402
from printkit.documents.handout import build_handout  # noqa: E402
from printkit.options import HandoutOptions  # noqa: E402
from printkit.render.htmldoc import PrintkitHTML  # noqa: E402


def _css(rule: str) -> Callable[[str], str]:
    return lambda html: html.replace("</head>", f"<style>{rule}</style></head>", 1)


def _cut(pattern: str, keep: str = "") -> Callable[[str], str]:
    compiled = re.compile(pattern, re.S)
    return lambda html: compiled.sub(keep, html)


#: name -> (what is left out, markup transform); ``None`` for the margin boxes' patch.
VARIANTS: dict[str, tuple[str, Callable[[str], str] | None]] = {
    "tiny": (
        "all of the content: one short paragraph (the fixed cost of a render)",
        _cut(r"(<body[^>]*>).*(</body>)", r"\1<p>Hello.</p>\2"),
    ),
    "refs": (
        "the reference cards: codes, numbers, labels and URLs",
        _cut(r'<aside class="refs">.*?</aside>'),
    ),
    "ref-text": (
        "the cards' text (number, label, URL)",
        _cut(r'<div class="ref-text">.*?</div>', '<div class="ref-text"></div>'),
    ),
    "ref-qr": ("the cards' QR codes", _cut(r' data-qr="[^"]*" data-qr-side="[^"]*"')),
    "margin-boxes": ("the running header and footer", None),
    "fixed-tables": (
        "automatic table layout (table-layout: fixed)",
        _css("table.table{table-layout:fixed}"),
    ),
    "wrap-anywhere": (
        "overflow-wrap: anywhere",
        _css("p,li,figcaption,.callout,.ref-text{overflow-wrap:normal!important}"),
    ),
    "hyphens": ("automatic hyphenation", _css("p{hyphens:manual!important}")),
}


@contextmanager
def variant(name: str) -> Iterator[None]:
    """Render with ``name``'s part left out, inside the block."""
    transform = VARIANTS[name][1]
    if transform is None:
        original_boxes = weasy_page.make_margin_boxes
        weasy_page.make_margin_boxes = lambda context, page, state: iter(())
        try:
            yield
        finally:
            weasy_page.make_margin_boxes = original_boxes
        return
    descriptor = PrintkitHTML.__dict__["from_markup"]  # the classmethod itself, put back after
    original = PrintkitHTML.from_markup

    def from_markup(cls: type[PrintkitHTML], markup: str, /, **kwargs: Any) -> PrintkitHTML:
        return original(transform(markup), **kwargs)

    setattr(PrintkitHTML, "from_markup", classmethod(from_markup))  # noqa: B010 - a test patch
    try:
        yield
    finally:
        setattr(PrintkitHTML, "from_markup", descriptor)  # noqa: B010


def measure(
    name: str, items: list[tuple[Path, str, Path | None]], rounds: int
) -> tuple[float, float]:
    """Mean over guides of the fastest CPU time: (as printed, without the part), in seconds."""
    best: dict[str, dict[Path, float]] = {"full": {}, "cut": {}}
    for round_ in range(rounds):
        for index, (guide, locale, strings) in enumerate(items):
            order = ("full", "cut") if (round_ + index) % 2 == 0 else ("cut", "full")
            for which in order:
                options = HandoutOptions(guide=guide, locale=locale, strings=strings)
                start = time.process_time()
                if which == "cut":
                    with variant(name):
                        build_handout(options)
                else:
                    build_handout(options)
                elapsed = time.process_time() - start
                best[which][guide] = min(best[which].get(guide, elapsed), elapsed)
    full, cut = (sum(best[w].values()) / len(items) for w in ("full", "cut"))
    return full, cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="paired renders per guide")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names")
    args = parser.parse_args()
    names = [n for n in args.variants.split(",") if n]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    logging.disable(logging.WARNING)  # the corpus's damaged guides warn on every render
    items = guides()
    build_handout(HandoutOptions(guide=items[-1][0], locale=items[-1][1], strings=items[-1][2]))
    print(
        f"{len(items)} guides x {args.rounds} paired rounds; mean of each guide's fastest CPU time"
    )
    print(f"{'left out':<14} {'printed':>9} {'without':>9} {'ratio':>7}  what")
    for name in names:
        full, cut = measure(name, items, args.rounds)
        figures = f"{full * 1000:7.1f}ms {cut * 1000:7.1f}ms {cut / full:7.3f}"
        print(f"{name:<14} {figures}  {VARIANTS[name][0]}")


if __name__ == "__main__":
    main()
