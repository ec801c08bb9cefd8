"""QR codes: the traced outline fills exactly the dark modules; sizes follow the distance rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from printkit import qr


def _filled(loops: list[list[tuple[int, int]]], x: float, y: float) -> bool:
    """Even-odd rule: does a ray from (x, y) to the right cross the loops an odd number of times?"""
    crossings = 0
    for loop in loops:
        for (ax, ay), (bx, by) in zip(loop, loop[1:] + loop[:1], strict=True):
            if ax == bx and ax > x and min(ay, by) < y < max(ay, by):
                crossings += 1
    return crossings % 2 == 1


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=120))
def test_outline_fills_exactly_the_dark_modules(data: str) -> None:
    code = qr.encode(data)
    loops = qr.outline(code.modules)
    for y, row in enumerate(code.modules):
        for x, dark in enumerate(row):
            assert _filled(loops, x + 0.5, y + 0.5) == dark, (x, y)


def test_side_for_distance_and_module_floor() -> None:
    code = qr.encode("https://example.org/" + "x" * 300)  # a dense code
    assert qr.side_for_distance(2000, code) == 200
    assert qr.side_for_distance(100, code) >= qr.MIN_MODULE_MM * code.size_with_quiet_zone
    assert qr.module_mm(qr.side_for_distance(100, code), code) >= qr.MIN_MODULE_MM
