"""Run-of-show speed: time-range parsing, first-use table builds, re-timing, agenda render.

Run: .venv/bin/python benchmarks/schedule.py  (prints figures; no assertion)
"""

from __future__ import annotations

import time
from pathlib import Path

from printkit.documents.agenda import AgendaOptions, build_agenda
from printkit.model import Schedule, Slot
from printkit.schedule import parse_time_range, retime
from printkit.schedule.daypart import all_day_periods, day_periods

ROOT = Path(__file__).resolve().parent.parent
# Written for this benchmark: the forms the parser must read, in several locales.
CELLS = [
    ("9h00 – 9h20", "fr-FR"), ("14:00 Uhr bis 14:45 Uhr", "de-DE"), ("오후 2:00 - 2:40", "ko-KR"),
    ("2:00 - 2:40 p. m.", "es-MX"), ("14.00 - 14.40", "tr-TR"), ("下午2:00至下午2:40", "zh-TW"),
    ("٢:٠٠ - ٢:٤٠ م", "ar"), ("14:00 - 14:40 น.", "th-TH"), ("2:00-2:40 μ.μ.", "el-GR"),
    ("Bring snacks", "en-US"),
]  # fmt: skip
ROUNDS = 5_000


def main() -> None:
    start = time.perf_counter()
    day_periods("fr-FR")
    parse_time_range("10:00 - 10:05", "fr-FR")
    one = time.perf_counter() - start
    start = time.perf_counter()
    all_day_periods()
    parse_time_range("10 - 11 Uhr")
    every = time.perf_counter() - start
    for text, locale in CELLS:
        parse_time_range(text, locale)  # warm each locale's pattern
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for text, locale in CELLS:
            parse_time_range(text, locale)
    elapsed = time.perf_counter() - start
    cells = ROUNDS * len(CELLS)
    print(f"first use, one locale:     {one * 1000:8.1f} ms (CLDR words + pattern)")
    print(f"first use, every locale:   {every * 1000:8.1f} ms (1,082 Babel locales)")
    print(f"parse_time_range:          {cells / elapsed:8.0f} cells/s ({cells} cells)")

    plan = Schedule(tuple(Slot(600 + 5 * i, 605 + 5 * i, ()) for i in range(200)))
    start = time.perf_counter()
    for _ in range(200):
        retime(plan, start=870, duration=997)
    print(f"retime, 200 slots:         {(time.perf_counter() - start) / 200 * 1000:8.2f} ms")

    guide = ROOT / "examples" / "guides" / "en.md"
    strings = ROOT / "examples" / "strings" / "en.yml"
    start = time.perf_counter()
    result = build_agenda(AgendaOptions(guide=guide, strings=strings, locale="en-US"))
    took = time.perf_counter() - start
    size = len(result.pdf)
    print(f"agenda PDF (example guide):{took * 1000:8.0f} ms, {result.pages} page, {size} bytes")


if __name__ == "__main__":
    main()
