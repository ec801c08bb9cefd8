"""Whole-process timings: what a user waits for, from `printkit …` to the prompt.

* ``printkit certificates`` for 30 names with QR codes, the design already in
  the cache (target ≤ 0.6 s), and the same with ``--no-cache`` for reference;
* ``printkit handout`` of a 2-page guide (target ≤ 1.0 s);
* ``printkit certificates`` against Typst (one document of N pages, QR codes
  from segno, in one Python process) for 2,000 and 20,000 mixed-script names
  (targets ≥ 10× and ≥ 30×). Both outputs are checked: every name on its page
  as pdftotext reads it, the first five QR codes decode.

Each figure is the median of ``--repeat`` runs; CPU time (user + system of the
child process) is printed beside wall time, since the machine's cores are
shared with other work.

The children run with Python's bytecode cache, as an installed printkit has it
(pip compiles on install): ``PYTHONDONTWRITEBYTECODE`` is dropped for them and
``PYTHONPYCACHEPREFIX`` points to the work folder, which the first (unmeasured)
run fills. ``--no-bytecode`` keeps the caller's environment instead (with
``PYTHONDONTWRITEBYTECODE=1`` every module of printkit is compiled at every start).

    python benchmarks/startup.py [--repeat 5] [--sizes 2000,20000] [--skip-typst]
                                 [--handout-only] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from certificates import mixed_names  # noqa: E402

PRINTKIT = [sys.executable, "-m", "printkit", "-q"]
URL = "https://example.org/verify/{id}"

TYPST_JOB = r'''
import csv, sys, segno, typst
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from printkit.render.bulk.ids import certificate_id
people, out = Path(sys.argv[1]), Path(sys.argv[2])
work = out.parent / "typst-qr"
work.mkdir(exist_ok=True)
pages = []
rows = list(csv.reader(people.open(encoding="utf-8")))[1:]
for row, (name,) in enumerate(rows, 2):
    url = "https://example.org/verify/" + certificate_id("Robot Garden", row, name)
    segno.make(url, error="m", boost_error=False).save(str(work / f"q{row}.svg"), border=4)
    text = name.replace("\\", "\\\\").replace('"', '\\"')
    pages.append(
        f'#place(center + horizon, text(size: 36pt, "{text}"))\n'
        f'#place(bottom + right, dx: -20mm, dy: -20mm, image("typst-qr/q{row}.svg", width: 35mm))'
    )
source = (
    '#set page(paper: "a4", flipped: true)\n#set text(font: ("Noto Sans", "Noto Sans Arabic",'
    ' "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Tamil", "Noto Sans Thai",'
    ' "Noto Sans Khmer", "Noto Sans CJK JP"))\n' + "\n#pagebreak()\n".join(pages)
)
(out.parent / "doc.typ").write_text(source, encoding="utf-8")
typst.compile(str(out.parent / "doc.typ"), output=str(out))
'''


def timed(cmd: list[str], **kw: object) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:6]}… failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def show(label: str, wall: float, cpu: float, target: str) -> None:
    print(f"{label:<52} {wall:6.2f} s wall  {cpu:6.2f} s CPU   target {target}", flush=True)


def names_file(folder: Path, n: int) -> Path:
    path = folder / f"people-{n}.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name\n")
        for name in mixed_names(n):
            handle.write(name + "\n")
    return path


def certificates_cmd(people: Path, out: Path, *extra: str) -> list[str]:
    return [*PRINTKIT, "certificates", str(people), "--event", "Robot Garden", "--date",
            "2026-12-09", "--locale", "en-US", "--verify-url", URL, "-o", str(out), *extra]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def names_on_pages(pdf: Path, names: list[str]) -> int:
    """How many pages carry their own name, as pdftotext reads them."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    return sum(_norm(name) in _norm(page) for name, page in zip(names, pages, strict=False))


def first_codes_decode(pdf: Path, count: int = 5) -> int:
    import zxingcpp  # noqa: PLC0415 - only for the check
    from PIL import Image  # noqa: PLC0415 - only for the check

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-f", "1", "-l", str(count), str(pdf),
                        f"{tmp}/p"], check=True)
        return sum(
            bool(zxingcpp.read_barcodes(Image.open(page)))
            for page in sorted(Path(tmp).glob("p*.pgm"))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--skip-typst", action="store_true")
    parser.add_argument("--handout-only", action="store_true", help="only the handout case")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="the caller's bytecode setting (see above)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="printkit-startup-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    env.pop("PRINTKIT_NO_CACHE", None)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    bytecode = "without" if env.get("PYTHONDONTWRITEBYTECODE") else "with"
    print(f"children run {bytecode} Python's bytecode cache", flush=True)
    try:
        people = names_file(work, 30)
        out = work / "c.pdf"
        timed(certificates_cmd(people, out), env=env)  # fills the design and bytecode caches
        if not args.handout_only:
            hit = median_of([timed(certificates_cmd(people, out), env=env)
                             for _ in range(args.repeat)])
            show("certificates, 30 names, QR, design cached", *hit, "<= 0.6 s")
            cold = median_of([timed(certificates_cmd(people, out, "--no-cache"), env=env)
                              for _ in range(args.repeat)])
            show("certificates, 30 names, QR, --no-cache", *cold, "(reference)")
        guide = ROOT / "examples" / "guides" / "fr.md"
        handout = [*PRINTKIT, "handout", str(guide), "--strings",
                   str(ROOT / "examples" / "strings" / "fr.yml"), "--locale", "fr-FR",
                   "-o", str(work / "h.pdf")]
        timed(handout, env=env)
        pages = subprocess.run(["pdfinfo", str(work / "h.pdf")], capture_output=True,
                               text=True, check=True).stdout
        count = next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))
        runs = median_of([timed(handout, env=env) for _ in range(args.repeat)])
        show(f"handout, {guide.name} ({count} pages)", *runs, "<= 1.0 s")
        if args.skip_typst or args.handout_only:
            return
        script = work / "typst_job.py"
        script.write_text(TYPST_JOB, encoding="utf-8")
        for n, target in zip([int(s) for s in args.sizes.split(",")], ("10x", "30x"),
                             strict=False):
            people = names_file(work, n)
            names = list(mixed_names(n))
            ours = timed(certificates_cmd(people, work / f"p{n}.pdf"), env=env)
            typst_out = work / f"t{n}.pdf"
            theirs = timed([sys.executable, str(script), str(people), str(typst_out), str(ROOT)],
                           env=env, cwd=work)
            show(f"printkit certificates, {n} names (whole process)", *ours, "")
            show(f"Typst + segno, {n} names (whole process)", *theirs, "")
            print(f"  printkit / Typst: {theirs[0] / ours[0]:.1f}x wall, "
                  f"{theirs[1] / ours[1]:.1f}x CPU   target >= {target}")
            for label, pdf in (("printkit", work / f"p{n}.pdf"), ("Typst", typst_out)):
                print(f"  {label}: {names_on_pages(pdf, names)}/{n} names on their page "
                      f"(pdftotext), first five QR codes decode: {first_codes_decode(pdf)}/5")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
