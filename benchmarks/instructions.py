"""Handout cost in instructions: a measure the shared machine's speed does not move.

On the project machine the same code's wall and CPU times drift by up to 2× within
minutes (other work on the same cores), so an A/B of a few per cent needs many paired
rounds and still misleads. The number of instructions a render executes does not
drift. This runs renders under Valgrind's callgrind, in a child process per figure,
and prints the instructions of one round over a few corpus guides:

* with everything as shipped, and with the render shortcuts named in ``--off``
  switched off (``printkit/render/<name>.py``'s ``ENABLED``), each shortcut's share;
* ``--tree DIR`` measures another checkout of printkit (an older commit in a
  ``git worktree``) with the same guides, for a before/after that does not drift.

Two figures per case, with ``PYTHONHASHSEED=0`` for the same dict orders: a guide's
first render in the process, (warm-up + one round) − (warm-up alone), which leaves
imports out but pays what each locale loads once (fontconfig's font sorting for each
new size, style and language, babel data, hyphenation dictionaries); and the same
guide rendered again, (warm-up + two rounds) − (warm-up + one round).
Instructions are not time (cache misses, memory copies), so this complements
``handout.py``; it does not replace it. Valgrind runs about 50× slower: a figure
takes one to two minutes, and the figures run on every core at once.

    python benchmarks/instructions.py [--guides 3] [--off all] [--tree DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The shortcuts ``--off all`` switches off (each module's ``ENABLED``).
SHORTCUTS = (
    "pangoshare",
    "linememo",
    "strutmemo",
    "percentfast",
    "stylefast",
    "layoutkeep",
    "linefloats",
    "gcpace",
    "fontbytes",
)

CHILD = r"""
import importlib, logging, sys
from pathlib import Path
tree, rounds, off = Path(sys.argv[1]), int(sys.argv[2]), [n for n in sys.argv[3].split(",") if n]
sys.path.insert(0, str(tree))
sys.path.insert(0, str(tree / "benchmarks"))
logging.disable(logging.WARNING)
from handout import guides
from printkit.documents.handout import build_handout
from printkit.options import HandoutOptions
for name in off:
    importlib.import_module("printkit.render." + name).ENABLED = False
items = guides()
picked = [items[int(i)] for i in sys.argv[4].split(",")]
warm = items[-1]
build_handout(HandoutOptions(guide=warm[0], locale=warm[1], strings=warm[2]))
for _ in range(rounds):
    for guide, locale, strings in picked:
        build_handout(HandoutOptions(guide=guide, locale=locale, strings=strings))
"""


def count(tree: Path, rounds: int, off: str, picked: str) -> int:
    """Instructions of one child process (callgrind's total)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", CHILD, str(tree), str(rounds), off, picked],
        capture_output=True, text=True, env=env, cwd=tree, check=False,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"instructions: the child failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guides", type=int, default=3, help="corpus guides per round")
    parser.add_argument(
        "--off", default="all", help="shortcuts to compare switched off: names, 'all' or ''"
    )
    parser.add_argument("--tree", type=Path, help="another printkit checkout to measure too")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed (apt-get install valgrind); skipped")
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from handout import guides  # noqa: PLC0415 - the benchmark's own list of guides

    items = guides()
    step = max(1, (len(items) - 1) // max(1, args.guides))
    indexes = list(range(0, len(items) - 1, step))[: args.guides]
    picked = ",".join(str(i) for i in indexes)
    off = ",".join(SHORTCUTS) if args.off == "all" else args.off
    unknown = [n for n in off.split(",") if n and n not in SHORTCUTS]
    if unknown:
        parser.error(f"unknown shortcut(s) {', '.join(unknown)}; known: {', '.join(SHORTCUTS)}")
    cases: list[tuple[str, Path, str]] = [("as shipped", ROOT, "")]
    if off:
        cases.append((f"off: {off}", ROOT, off))
    if args.tree is not None:
        cases.append((f"tree {args.tree}", args.tree.resolve(), ""))
    print(f"guides: {', '.join(f'{items[i][1]}/{items[i][0].name}' for i in indexes)}")
    runs = [(tree, rounds, case_off) for _, tree, case_off in cases for rounds in (0, 1, 2)]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        totals = list(pool.map(lambda run: count(run[0], run[1], run[2], picked), runs))
    print(f"{'M instructions per guide':<40} {'first':>8} {'ratio':>6} {'again':>8} {'ratio':>6}")
    bases: tuple[float, float] | None = None
    for index, (label, _, _) in enumerate(cases):
        zero, one, two = totals[3 * index : 3 * index + 3]
        first, again = (one - zero) / len(indexes), (two - one) / len(indexes)
        bases = bases or (first, again)
        print(
            f"{label:<40} {first / 1e6:8.1f} {first / bases[0]:6.3f}"
            f" {again / 1e6:8.1f} {again / bases[1]:6.3f}"
        )


if __name__ == "__main__":
    main()
