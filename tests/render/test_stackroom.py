"""A deep call's frames in a chunk of their own: no map and unmap at each call."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from printkit.diagnostics import Diagnostics
from printkit.render import stackroom
from printkit.render.weasy import html_to_pdf

#: Deep enough to cross at least two 16 KiB chunks of CPython's frame stack.
DEPTH = 400
ROUNDS = 2_000


def _down(n: int) -> int:
    return 0 if n == 0 else _down(n - 1) + 1


def _oscillate() -> int:
    """Go down DEPTH frames and back up ROUNDS times, as a layout does."""
    return sum(_down(DEPTH) for _ in range(ROUNDS))


def _minor_faults(fn: Callable[[], Any]) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    fn()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_call_passes_arguments_results_and_exceptions() -> None:
    assert stackroom.call(divmod, 17, 5) == (3, 2)
    assert stackroom.call(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        stackroom.call(divmod, 1, 0)


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_frames_inside_the_call_do_not_map_new_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), DEPTH + 200))
    assert stackroom.call(_oscillate) == DEPTH * ROUNDS
    monkeypatch.setattr(stackroom, "ENABLED", False)
    ordinary = _minor_faults(lambda: stackroom.call(_oscillate))
    if ordinary < ROUNDS:
        pytest.skip(f"this interpreter keeps its frame chunks ({ordinary} page faults)")
    monkeypatch.setattr(stackroom, "ENABLED", True)
    roomy = _minor_faults(lambda: stackroom.call(_oscillate))
    # Ordinarily each round maps (and faults in) the chunks past the first boundary.
    assert roomy * 20 < ordinary, (roomy, ordinary)


def test_a_render_runs_inside_the_roomy_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered: list[str] = []
    through = stackroom.call

    def spying(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        entered.append(fn.__name__)
        return through(fn, *args, **kwargs)

    monkeypatch.setattr(stackroom, "call", spying)
    html = "<html lang='en'><body><p>Doors open at nine.</p></body></html>"
    pdf = html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data
    assert entered == ["_html_to_pdf_fitted"]
    assert pdf.startswith(b"%PDF-")
