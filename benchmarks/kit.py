"""Kit build: the example kit from scratch, then a no-change re-run; sizes per document.

Prints the cold build time (with ``--jobs`` workers), the incremental re-run time,
and the size of every file and ZIP, the figures the issue's closing note asks for.

    python benchmarks/kit.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from printkit.kit.build import BuildOptions, build_kit  # noqa: E402
from printkit.kit.config import load_kit  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (the cores are shared)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--kit", type=Path, default=ROOT / "examples" / "kit.toml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        # Cold: a new output folder and an empty design cache (certificates render theirs).
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        kit = load_kit(args.kit)
        started, started_cpu = time.perf_counter(), _cpu()
        report = build_kit(kit, BuildOptions(output=out, jobs=args.jobs, force=True))
        cold, cold_cpu = time.perf_counter() - started, _cpu() - started_cpu
        # A new output folder again, the design cache now filled (a second kit, same designs).
        started, started_cpu = time.perf_counter(), _cpu()
        build_kit(load_kit(args.kit), BuildOptions(output=Path(tmp) / "out2", jobs=args.jobs,
                                                   force=True))
        cached, cached_cpu = time.perf_counter() - started, _cpu() - started_cpu
        started = time.perf_counter()
        again = build_kit(load_kit(args.kit), BuildOptions(output=out, jobs=args.jobs))
        warm = time.perf_counter() - started
        print(f"{'document':28} {'locale':7} {'pages':>5} {'size':>9} {'seconds':>8}")
        for o in report.outcomes:
            name = o.variant or o.document
            status = "" if o.ok else f"  FAILED: {(o.error or '').splitlines()[0]}"
            print(
                f"{name:28} {o.locale:7} {o.pages:5} {o.size / 1e3:7.0f}kB {o.seconds:8.2f}{status}"
            )
        for a in report.archives:
            print(f"{a.path:36} {a.bytes / 1e3:15.0f}kB")
        total = sum(o.size for o in report.outcomes)
        rebuilt = sum(o.status == "built" for o in again.outcomes)
        print(
            f"\n{len(report.outcomes)} documents, {sum(o.pages for o in report.outcomes)} pages,"
            f" {total / 1e6:.2f} MB; cold build {cold:.1f} s ({cold_cpu:.1f} s CPU) with"
            f" {args.jobs} job(s), target <= 3 s; cold output, designs cached {cached:.1f} s"
            f" ({cached_cpu:.1f} s CPU); re-run {warm:.2f} s ({rebuilt} rebuilt)"
        )


if __name__ == "__main__":
    main()
