"""Glyph coverage speed: 100,000 mixed-script participant names against one locale's stack.

Run: .venv/bin/python benchmarks/bench_coverage.py  (prints figures; no assertion)
"""

from __future__ import annotations

import time

from printkit.errors import Location
from printkit.fonts import checker, font_stack
from printkit.fonts.coverage import cmap

# Written for this benchmark: one name per script, varied by a number.
NAMES = [
    "Zoë Ñúñez", "Nguyễn Thị Ánh", "محمد عبد الله", "דוד כהן", "राहुल शर्मा", "தமிழ்செல்வி",
    "สมชาย ใจดี", "សុខា ចាន់", "ნინო ბერიძე", "Արամ Պետրոսյան", "Αλέξανδρος", "Дмитрий",
    "王小明", "山田 さくら", "김민준", "Ana 🦄",
]
COUNT = 100_000


def main() -> None:
    cmap.cache_clear()
    start = time.perf_counter()
    stack = font_stack("fr-FR")
    check = checker("fr-FR")
    warm = time.perf_counter() - start
    rows = [
        (f"{NAMES[i % len(NAMES)]} {i}", Location("names.csv", row=i + 2)) for i in range(COUNT)
    ]
    start = time.perf_counter()
    missing = check.check_lines(rows)
    elapsed = time.perf_counter() - start
    print(f"stack: {len(stack)} faces, resolved in {warm:.2f} s (cmaps are read lazily)")
    print(
        f"checked {COUNT:,} names (first use, cmaps included) in {elapsed:.2f} s "
        f"({COUNT / elapsed:,.0f} names/s), {len(missing):,} missing-glyph records"
    )


if __name__ == "__main__":
    main()
