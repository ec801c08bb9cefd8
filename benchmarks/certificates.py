"""Certificates in bulk: certificates/s, peak RSS and bytes per certificate.

Runs the bulk engine on a mixed-script list (Latin, Arabic, Hebrew,
Devanagari, Tamil, Thai, Khmer, CJK, Cyrillic, Greek) of 1k, 10k and 100k
names, merged and split, with and without a unique QR code per certificate,
then the same certificate through Typst (one document of N pages) and
WeasyPrint (one HTML document of N pages) for ratios. Each case runs in its
own process, so peak RSS is that case's own. One core unless ``--jobs``.

    python benchmarks/certificates.py [--sizes 1000,10000] [--skip-others]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Own example names, combined at random into full names.
GIVEN = {
    "latin": ["Ada", "José", "Amélie", "Søren", "Zoë", "Łukasz", "Nguyễn", "Chiara", "Mateo",
              "Fatoumata", "Björn", "Inês", "Kwame", "Aoife", "Dmitri", "Leïla"],
    "arabic": ["مريم", "أحمد", "يوسف", "فاطمة", "علي", "نور", "خالد", "سلمى"],
    "hebrew": ["דוד", "שרה", "יונתן", "מיכל", "אורי", "נועה"],
    "devanagari": ["किरण", "निधि", "अर्जुन", "प्रिया", "राहुल", "स्नेहा"],
    "tamil": ["கொடி", "செல்வி", "முருகன்", "பிரியா", "கார்த்திக்"],
    "thai": ["สมชาย", "สุดา", "ปรีชา", "มาลี", "วิชัย"],
    "khmer": ["សុខ", "សំណាង", "ចាន់", "ស្រីពៅ"],
    "cjk": ["太郎", "花子", "伟", "芳", "지민", "서연"],
    "cyrillic": ["Иван", "Мария", "Ольга", "Алексей"],
    "greek": ["Νίκος", "Ελένη", "Γιώργος"],
}
FAMILY = {
    "latin": ["Lovelace", "Núñez", "Østergaard", "Müller", "Kowalski", "Traoré", "O'Brien",
              "García-Márquez", "Dubois", "Rossi", "Mensah", "Virtanen"],
    "arabic": ["بن أحمد", "العلي", "حداد", "منصور", "الخطيب"],
    "hebrew": ["כהן", "לוי", "בן שמעון", "פרידמן"],
    "devanagari": ["शर्मा", "वर्मा", "गुप्ता", "पटेल"],
    "tamil": ["கோபால்", "சுப்பிரமணியம்", "ராஜா"],
    "thai": ["ใจดี", "สุขสันต์", "ศรีสวัสดิ์"],
    "khmer": ["ហេង", "សុខា", "គីម"],
    "cjk": ["山田", "李", "王", "김", "박"],
    "cyrillic": ["Петрова", "Смирнов", "Иванова"],
    "greek": ["Παπαδόπουλος", "Οικονόμου"],
}
WEIGHTS = {"latin": 50, "arabic": 8, "hebrew": 4, "devanagari": 8, "tamil": 4, "thai": 4,
           "khmer": 2, "cjk": 10, "cyrillic": 6, "greek": 4}


def mixed_names(n: int, seed: int = 1) -> Iterator[str]:
    """``n`` full names, mixed scripts, deterministic."""
    rng = random.Random(seed)
    scripts = list(WEIGHTS)
    weights = [WEIGHTS[s] for s in scripts]
    for _ in range(n):
        script = rng.choices(scripts, weights)[0]
        given, family = rng.choice(GIVEN[script]), rng.choice(FAMILY[script])
        yield f"{family} {given}" if script == "cjk" else f"{given} {family}"


BACKGROUND = Path(tempfile.gettempdir()) / "printkit-bench-background.pdf"


def design(qr: bool) -> object:
    from printkit.locale import LocaleContext  # noqa: PLC0415 - per case, keeps RSS honest
    from printkit.render.bulk.fit import NameBox  # noqa: PLC0415 - per case, keeps RSS honest
    from printkit.render.bulk.page import Design, QrBox  # noqa: PLC0415 - per case, keeps RSS honest

    fonts = tuple(LocaleContext.parse("en-US").font_stack("display"))
    return Design(
        BACKGROUND.read_bytes(),
        NameBox(120, 230, 602, 80, min_size=18, max_size=44),
        fonts,
        QrBox(690, 440, 100) if qr else None,
    )


def certificates(n: int, qr: bool) -> Iterator[object]:
    from printkit.render.bulk.ids import certificate_id  # noqa: PLC0415 - per case, keeps RSS honest
    from printkit.render.bulk.page import Certificate  # noqa: PLC0415 - per case, keeps RSS honest

    for row, name in enumerate(mixed_names(n), 2):
        if qr:
            ident = certificate_id("Benchmark", row, name)
            yield Certificate(row, name, f"https://example.org/verify/{ident}", ident)
        else:
            yield Certificate(row, name)


# --------------------------------------------------------------------------
# One case, in its own process


def run_case(kind: str, n: int, qr: bool, jobs: int, out: Path) -> dict[str, float]:
    from printkit.render.bulk.engine import write_merged  # noqa: PLC0415 - per case, keeps RSS honest
    from printkit.render.bulk.split import write_split  # noqa: PLC0415 - per case, keeps RSS honest

    d = design(qr)
    start = time.perf_counter()
    cpu = time.process_time()
    if kind == "merged":
        merged = write_merged(d, certificates(n, qr), out / "all.pdf", jobs=jobs)  # type: ignore[arg-type]
        size = merged.size
    elif kind == "split":
        files = write_split(d, certificates(n, qr), out / "split", jobs=jobs)  # type: ignore[arg-type]
        size = sum((out / "split" / f.file).stat().st_size for f in files)
    elif kind == "typst":
        size = typst_case(n, qr, out)
    else:
        size = weasy_case(n, qr, out)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += children.ru_utime + children.ru_stime  # --jobs workers (joined by now)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if jobs > 1:
        rss = max(rss, children.ru_maxrss / 1024)
    result = {"n": n, "seconds": seconds, "per_s": n / seconds, "per_cpu_s": n / cpu,
              "rss_mb": rss, "bytes": size / n}
    if kind == "split":
        sizes = sorted((out / "split" / f.file).stat().st_size for f in files)
        result["max_bytes"] = sizes[-1]
        result["qpdf_ok"] = _qpdf_ok([out / "split" / f.file for f in files[:: max(1, n // 20)]])
    elif kind == "merged" and qr:
        result["qpdf_ok"] = _qpdf_ok([out / "all.pdf"])
        result["decoded"], result["checked"] = _decode_pages(out / "all.pdf", d, min(n, 2000))
    return result


def _qpdf_ok(paths: list[Path]) -> int:
    """1 when ``qpdf --check`` finds every file valid."""
    for path in paths:
        proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
        if proc.returncode != 0:
            return 0
    return 1


def _decode_pages(pdf: Path, d: object, count: int) -> tuple[int, int]:
    """How many of the first ``count`` QR codes decode at 150 dpi: the first ten pages
    rasterised by poppler, then every code as the page shows it at 150 dpi (its box in
    pixels, the quiet zone, nearest-neighbour modules), decoded by zxing-cpp."""
    import zxingcpp  # noqa: PLC0415 - only for the check
    from PIL import Image  # noqa: PLC0415 - only for the check

    from printkit.render.bulk.qrmask import QUIET_ZONE, qr_mask  # noqa: PLC0415

    decoded = checked = 0
    certs = list(certificates(count, True))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-f", "1", "-l", "10", str(pdf),
                        f"{tmp}/p"], check=True)
        for page, cert in zip(sorted(Path(tmp).glob("p*.pgm")), certs, strict=False):
            found = [r.text for r in zxingcpp.read_barcodes(Image.open(page))]
            decoded += found == [cert.qr_text]  # type: ignore[attr-defined]
            checked += 1
    side = round(d.qr_box.size / 72 * 150)  # type: ignore[attr-defined]
    for cert in certs:
        mask = qr_mask(cert.qr_text)  # type: ignore[attr-defined]
        stride = (mask.size + 7) // 8 * 8
        image = Image.frombytes("1", (stride, mask.size), mask.rows)
        framed = Image.new("L", (mask.size + 2 * QUIET_ZONE,) * 2, 255)
        framed.paste(image.crop((0, 0, mask.size, mask.size)).convert("L"),
                     (QUIET_ZONE, QUIET_ZONE))
        found = [r.text for r in zxingcpp.read_barcodes(
            framed.resize((side, side), Image.Resampling.NEAREST))]
        decoded += found == [cert.qr_text]  # type: ignore[attr-defined]
        checked += 1
    return decoded, checked


def _qr_svg(text: str) -> str:
    import zxingcpp  # noqa: PLC0415 - per case, keeps RSS honest

    return str(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_svg())


def typst_case(n: int, qr: bool, out: Path) -> int:
    import typst  # noqa: PLC0415 - per case, keeps RSS honest

    pages = []
    for i, cert in enumerate(certificates(n, qr)):
        name = cert.name.replace("\\", "\\\\").replace('"', '\\"')  # type: ignore[attr-defined]
        page = f'#place(center + horizon, text(size: 36pt, "{name}"))'
        if qr:
            (out / f"q{i}.svg").write_text(_qr_svg(cert.qr_text))  # type: ignore[attr-defined]
            page += (
                f'\n#place(bottom + right, dx: -20mm, dy: -20mm, image("q{i}.svg", width: 30mm))'
            )
        pages.append(page)
    source = (
        '#set page(paper: "a4", flipped: true)\n#set text(font: ("Noto Sans", "Noto Sans Arabic",'
        ' "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Tamil", "Noto Sans Thai",'
        ' "Noto Sans Khmer", "Noto Sans CJK JP"))\n'
        + "\n#pagebreak()\n".join(pages)
    )
    (out / "doc.typ").write_text(source, encoding="utf-8")
    typst.compile(str(out / "doc.typ"), output=str(out / "typst.pdf"))
    return (out / "typst.pdf").stat().st_size


def weasy_case(n: int, qr: bool, out: Path) -> int:
    import html  # noqa: PLC0415 - per case, keeps RSS honest

    import weasyprint  # noqa: PLC0415 - per case, keeps RSS honest

    parts = []
    for cert in certificates(n, qr):
        qr_html = _qr_svg(cert.qr_text) if qr else ""  # type: ignore[attr-defined]
        parts.append(
            f'<section><h1>Certificate of achievement</h1><p class="name">'
            f"{html.escape(cert.name)}</p>"  # type: ignore[attr-defined]
            f'<div class="qr">{qr_html}</div></section>'
        )
    doc = (
        "<style>@page { size: A4 landscape; margin: 10mm } section { page-break-after: always;"
        " text-align: center } .name { font-size: 36pt; font-family: Noto Sans }"
        " .qr svg { width: 30mm; height: 30mm }</style>" + "".join(parts)
    )
    weasyprint.HTML(string=doc).write_pdf(out / "weasy.pdf")
    return (out / "weasy.pdf").stat().st_size


#: Cores this process may use (the CLI's default --jobs for long lists, at most 8).
CORES = min(len(os.sched_getaffinity(0)), 8) if hasattr(os, "sched_getaffinity") else 1
#: Where cases write (``--dir``; default the system's temporary folder).
WORK_DIR: str | None = None
#: Folders of many files, deleted only when every case has run. On ext4 without a
#: journal (this machine's disk) the inode allocator skips inodes freed in the last
#: minutes, reading each one's table block (``recently_deleted()``): after a case
#: deletes 10,000 files, creating a file in the same block group costs 400-650 us of
#: kernel time instead of 20-40 us, so a case must not pay for the clean-up of the last.
KEEP: list[Path] = []


def subprocess_case(kind: str, n: int, qr: bool, jobs: int = 1) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="printkit-bench-", dir=WORK_DIR))
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--case", kind, "--n", str(n), "--qr", str(int(qr)),
             "--jobs", str(jobs), "--out", str(work)],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result
    finally:
        if kind == "split":
            KEEP.append(work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _spin(_: int) -> int:
    total = 0
    for i in range(3_000_000):
        total += i
    return total


def parallel_capacity() -> float:
    """How much faster 2 processes of pure Python run than 1 right now (2.0 on an idle
    2-core machine; less when other work shares the cores)."""
    import multiprocessing  # noqa: PLC0415 - only here

    start = time.perf_counter()
    for i in range(4):
        _spin(i)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, range(4))
    return one / (time.perf_counter() - start)


def file_creation_floor(count: int = 2000) -> float:
    """Microseconds of kernel time to create one empty file where the cases write: what
    any program writing one file per certificate pays there, before it writes a byte."""
    work = Path(tempfile.mkdtemp(prefix="printkit-bench-floor-", dir=WORK_DIR))
    KEEP.append(work)
    before = os.times()
    start = time.perf_counter()
    for i in range(count):
        os.close(os.open(work / f"{i:05d}.pdf", os.O_WRONLY | os.O_CREAT, 0o644))
    wall = time.perf_counter() - start
    after = os.times()
    kernel = after.system - before.system
    return max(wall, kernel) / count * 1e6


def show(label: str, r: dict[str, float], target: str = "") -> None:
    extra = ""
    if "max_bytes" in r:
        extra += f"  largest {r['max_bytes'] / 1024:.1f} KB"
    if "qpdf_ok" in r:
        extra += "  qpdf --check " + ("ok" if r["qpdf_ok"] else "FAILED")
    if "checked" in r:
        extra += f"  QR decoded {int(r['decoded'])}/{int(r['checked'])}"
    print(
        f"{label:<34} {int(r['n']):>7}  {r['per_s']:>9,.0f}/s  ({r['per_cpu_s']:>7,.0f}/cpu-s)  "
        f"{r['seconds']:>7.2f} s  "
        f"peak {r['rss_mb']:>6.0f} MB  {r['bytes']:>8,.0f} B/cert{extra}",
        flush=True,
    )
    if target:
        print(f"{'':<36}target: {target}", flush=True)


#: The issue's targets, printed under each figure (per core = certificates per CPU second).
TARGETS = {
    ("merged", True): ">= 10,000/cpu-s at 100k, peak <= 150 MB, <= 1,126 B/cert, every QR decodes",
    ("split", True): ">= 3,000/s, each file <= 15 KB, qpdf --check valid",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--split-max", type=int, default=10000, help="largest split run")
    parser.add_argument("--others", type=int, default=10000, help="N for Typst")
    parser.add_argument("--weasy", type=int, default=200, help="N for WeasyPrint")
    parser.add_argument("--skip-others", action="store_true")
    parser.add_argument(
        "--pairs", type=int, default=3, help="interleaved --jobs 1/2 runs at the largest size"
    )
    parser.add_argument("--dir", help="folder the cases write in (e.g. /dev/shm: no disk)")
    parser.add_argument("--kinds", default="merged,split", help="merged, split or both")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--qr", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.n, bool(args.qr), args.jobs, args.out)))
        return
    global WORK_DIR  # noqa: PLW0603 - set once from the command line
    WORK_DIR = args.dir
    try:
        run_all(args)
    finally:
        for folder in KEEP:
            shutil.rmtree(folder, ignore_errors=True)


def run_all(args: argparse.Namespace) -> None:
    """Every case the command line asks for, with its figures."""
    kinds = args.kinds.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    from tests.certificates.helpers import background  # noqa: PLC0415 - parent only

    BACKGROUND.write_bytes(background())
    print(f"printkit bulk certificates, {os.cpu_count()} CPUs available; one core unless noted")
    results: dict[str, dict[str, float]] = {}
    for n in sizes:
        for kind, qr in (("merged", True), ("merged", False), ("split", True), ("split", False)):
            if (kind == "split" and n > args.split_max) or kind not in kinds:
                continue
            label = f"printkit {kind} {'QR' if qr else 'no QR'}"
            results[f"{label} {n}"] = r = subprocess_case(kind, n, qr)
            show(label, r, TARGETS.get((kind, qr), ""))
            if kind == "split" and qr and CORES > 1:  # what `printkit certificates` does
                label = f"printkit split QR --jobs {CORES}"
                results[f"{label} {n}"] = r = subprocess_case(kind, n, qr, jobs=CORES)
                show(label, r, f"(the CLI's default here) {TARGETS[(kind, qr)]}")
                print(f"{'':<36}creating one empty file in {WORK_DIR or tempfile.gettempdir()}"
                      f" costs {file_creation_floor():,.0f} us here (kernel), before any byte")
    n = max(sizes)
    if "merged" not in kinds:
        return
    # Interleaved pairs: this machine's speed drifts within seconds (shared cores), so one
    # pair says little; every pair is printed, then the median of their ratios.
    ratios = []
    for pair in range(1, args.pairs + 1):
        capacity = parallel_capacity()
        one = subprocess_case("merged", n, True)  # measured again, next to --jobs 2
        two = subprocess_case("merged", n, True, jobs=2)
        show(f"printkit merged QR --jobs 1 (pair {pair})", one)
        show(f"printkit merged QR --jobs 2 (pair {pair})", two)
        ratios.append(two["per_s"] / one["per_s"])
        print(
            f"--jobs 2 speed-up, pair {pair}: {ratios[-1]:.2f}x (this machine, now: 2 processes"
            f" of pure Python run {capacity:.2f}x faster than 1)"
        )
    print(
        f"--jobs 2 speed-up: median {statistics.median(ratios):.2f}x of {len(ratios)} pairs"
        f" ({', '.join(f'{r:.2f}' for r in ratios)}; target >= 1.8x)"
    )
    if args.skip_others:
        return
    ours = subprocess_case("merged", args.others, True)
    typst_r = subprocess_case("typst", args.others, True)
    show("Typst, one document, QR (SVG)", typst_r)
    weasy_r = subprocess_case("weasy", args.weasy, True)
    show("WeasyPrint, one document, QR (SVG)", weasy_r)
    print(f"ratio printkit/Typst at {args.others}: {ours['per_s'] / typst_r['per_s']:.1f}x faster"
          " (in-process; whole-process ratios: benchmarks/startup.py)")
    ours_w = subprocess_case("merged", args.weasy, True)
    print(f"ratio printkit/WeasyPrint at {args.weasy}: "
          f"{ours_w['per_s'] / weasy_r['per_s']:.1f}x faster")


if __name__ == "__main__":
    main()
