"""Fewer young-generation collections during renders, and the thresholds put back."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint import document as weasy_document

from printkit.diagnostics import Diagnostics
from printkit.render import gcpace, qrstamp, weasy
from printkit.render.weasy import html_to_pdf

ITEMS = "".join(f"<li>Table {n}: two laptops, one mentor</li>" for n in range(120))
HTML = f"<html lang='en'><body><h1>Room plan</h1><ul>{ITEMS}</ul></body></html>"


@pytest.fixture(autouse=True)
def default_thresholds() -> Iterator[None]:
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*found)


def _young_collections() -> int:
    return int(gc.get_stats()[0]["collections"])


def test_a_render_runs_with_the_raised_threshold_and_puts_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []
    install = weasy.qrstamp.install

    def spying(document: object) -> None:
        seen.append(gc.get_threshold())
        install(document)

    monkeypatch.setattr(weasy.qrstamp, "install", spying)
    html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics())  # warm: imports, fonts
    before = _young_collections()
    pdf = html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data
    paced = _young_collections() - before
    assert seen[-1] == (gcpace.YOUNG, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)
    monkeypatch.setattr(gcpace, "YOUNG", 700)  # CPython's default pace, for comparison
    before = _young_collections()
    assert html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics()).data == pdf
    default = _young_collections() - before
    assert default >= 5 and paced * 5 <= default


def test_concurrent_renders_put_it_back_when_the_last_ends() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    inside: list[tuple[int, int, int]] = []

    def first() -> None:
        with gcpace.fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with gcpace.fewer_collections():
            second_in.set()
            first_out.wait(5)
            inside.append(gc.get_threshold())  # the first has ended, this one still runs

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert inside == [(gcpace.YOUNG, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("threshold", [(0, 10, 10), (50_000, 10, 10)])
def test_a_programs_own_threshold_is_left_alone(threshold: tuple[int, int, int]) -> None:
    gc.set_threshold(*threshold)
    with gcpace.fewer_collections():
        assert gc.get_threshold() == threshold
    assert gc.get_threshold() == threshold


def test_a_change_made_during_the_render_is_kept() -> None:
    with gcpace.fewer_collections():
        gc.set_threshold(1_000, 5, 5)
    assert gc.get_threshold() == (1_000, 5, 5)


def _render_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[Any]]:
    """Render a page with a QR code (a painted page) and watch its document and context."""
    watched: list[weakref.ref[Any]] = []
    install = weasy.qrstamp.install

    def spying(document: Any) -> int:
        watched.append(weakref.ref(document))
        return install(document)

    assert gcpace.install()
    lay_out = gcpace._state["original"]

    def watching(html: Any, root_box: Any, context: Any, *args: Any) -> Any:
        watched.append(weakref.ref(context))
        return lay_out(html, root_box, context, *args)

    monkeypatch.setattr(weasy.qrstamp, "install", spying)
    monkeypatch.setitem(gcpace._state, "original", watching)
    card = f"<div {qrstamp.host('https://example.org/room', '20mm')}>Room plan</div>"
    html = f"<html lang='en'><body>{card}<ul>{ITEMS}</ul></body></html>"
    pdf = html_to_pdf(html, base_dir=tmp_path, diagnostics=Diagnostics()).data
    assert pdf.startswith(b"%PDF-")
    assert len(watched) == 2
    return watched


def test_a_written_document_is_freed_without_the_cycle_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html_to_pdf(HTML, base_dir=tmp_path, diagnostics=Diagnostics())  # warm: imports, fonts
    gc.disable()
    try:
        watched = _render_watched(tmp_path, monkeypatch)
        assert [ref() for ref in watched] == [None, None]
        # Without the cycles broken, the painted document and the layout context
        # wait for a collection.
        monkeypatch.setattr(gcpace, "ENABLED", False)
        watched = _render_watched(tmp_path, monkeypatch)
        assert all(ref() is not None for ref in watched)
    finally:
        gc.enable()
    gc.collect()
    assert [ref() for ref in watched] == [None, None]


def test_another_render_function_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gcpace.install()
    original = gcpace._state["original"]
    monkeypatch.setattr(weasy_document, "layout_document", original)
    monkeypatch.setitem(gcpace._state, "original", None)
    monkeypatch.setitem(gcpace._state, "refused", False)
    monkeypatch.setattr(gcpace, "EXPECTED_RENDER_SHA256", "0" * 32)
    assert not gcpace.install()  # a function it does not know: left alone
    assert not gcpace.install()  # and not read again
    assert weasy_document.layout_document is original
