"""Handout speed: render every corpus guide (and the examples) in-process.

Prints, per guide, its median time, then over every run of every round
(guides taken round robin, as a kit build renders them): the median wall-clock
time per guide (target: ≤ 0.15 s on the project machine), the median CPU time
(steadier on a shared machine) and the 90th percentile.

    python benchmarks/handout.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from printkit.documents.handout import build_handout  # noqa: E402
from printkit.options import HandoutOptions  # noqa: E402


def guides() -> list[tuple[Path, str, Path | None]]:
    """(guide, locale, strings) for the corpus when present, else the examples."""
    corpus = ROOT.parent / "shared" / "corpus"
    found: list[tuple[Path, str, Path | None]] = []
    for path in sorted((corpus / "seeds").glob("*.txt")):
        found.append((path, "fr-FR", None))
    for path in sorted((corpus / "hourofcode").glob("*/*.md")):
        strings = path.parent / "strings.yml"
        found.append((path, path.parent.name, strings if strings.is_file() else None))
    for lang, locale in (("en", "en-US"), ("fr", "fr-FR")):
        found.append(
            (
                ROOT / "examples/guides" / f"{lang}.md",
                locale,
                ROOT / "examples/strings" / f"{lang}.yml",
            )
        )
    return found


def reference_loop() -> float:
    """Seconds this machine takes right now for a fixed loop of pure Python (on the project
    machine at its quickest, about 0.03 s with Debian's Python, 0.04 s with a pyenv build):
    a shared machine's speed drifts, so the figures below are printed with the range this
    took around them."""
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="rounds over all the guides")
    args = parser.parse_args()
    items = guides()
    # One warm-up render: imports, fontconfig and Pango start-up are paid once per process.
    build_handout(HandoutOptions(guide=items[-1][0], locale=items[-1][1], strings=items[-1][2]))
    times: dict[Path, list[float]] = {guide: [] for guide, _, _ in items}
    cpu: list[float] = []
    pages: dict[Path, int] = {}
    # Round robin, as a kit build renders them: every guide once per round, every run counted.
    loops = [reference_loop()]
    for _ in range(args.repeat):
        for guide, locale, strings in items:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = build_handout(HandoutOptions(guide=guide, locale=locale, strings=strings))
            times[guide].append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            pages[guide] = result.pages
        loops.append(reference_loop())
    for guide, locale, _ in items:
        median = statistics.median(times[guide])
        print(f"{locale:>6} {guide.name:<28} {pages[guide]:>2} pages  {median * 1000:7.1f} ms")
    every = [t for runs in times.values() for t in runs]
    total_pages = sum(pages[g] * len(times[g]) for g in times)
    p90 = statistics.quantiles(every, n=10)[-1] if len(every) > 1 else every[0]
    print(
        f"\nguides: {len(items)} x {args.repeat} rounds  median: "
        f"{statistics.median(every) * 1000:.1f} ms/guide (target: <= 150 ms)  "
        f"CPU median: {statistics.median(cpu) * 1000:.1f} ms  p90: {p90 * 1000:.1f} ms  "
        f"pages/s: {total_pages / sum(every):.1f}"
    )
    print(
        f"machine: the reference loop took {min(loops) * 1000:.0f}-{max(loops) * 1000:.0f} ms"
        " around the rounds (the same loop, the same code: a wider range, a noisier window)"
    )


if __name__ == "__main__":
    main()
