"""The design cache: a second run renders nothing and never imports WeasyPrint, gives the
bytes of an uncached run, and any change to what shapes the design renders it again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostic
from printkit.errors import Location
from printkit.render.bulk import designcache
from printkit.render.bulk.background import Background
from printkit.render.bulk.fit import NameBox
from printkit.render.bulk.page import Design, QrBox
from printkit.resources import layouts_dir
from tests.pdfcheck import page_texts

ROOT = Path(__file__).resolve().parents[2]

# Runs the CLI, then prints which heavy modules the run imported.
_RUN = (
    "import sys, json; from printkit.cli import main; code = main(sys.argv[1:]); "
    "print(json.dumps({'code': code, 'weasyprint': 'weasyprint' in sys.modules, "
    "'pypdf': 'pypdf' in sys.modules, 'babel': 'babel' in sys.modules}))"
)


def _run(tmp: Path, out: Path, *extra: str, event: str = "Robot Garden",
         env: dict[str, str] | None = None) -> dict[str, object]:
    people = tmp / "people.csv"
    if not people.exists():
        people.write_text("name\nAda Lovelace\nمريم عبد الله\n山田 太郎\n", encoding="utf-8")
    full_env = dict(os.environ)
    full_env.pop("PRINTKIT_NO_CACHE", None)
    full_env.update({"XDG_CACHE_HOME": str(tmp / "cache"), "SOURCE_DATE_EPOCH": "0"}, **(env or {}))
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, "-q", "certificates", str(people), "--event", event,
         "--date", "2026-12-09", "--locale", "en-US",
         "--verify-url", "https://example.org/verify/{id}", "-o", str(out), *extra],
        capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    return result


def _entries(tmp: Path) -> list[Path]:
    return sorted((tmp / "cache" / "printkit" / "designs").glob("*.design"))


def test_a_second_run_imports_no_weasyprint_and_writes_the_same_bytes(tmp_path: Path) -> None:
    first = _run(tmp_path, tmp_path / "a.pdf")
    assert first["weasyprint"]  # a miss renders the design
    assert len(_entries(tmp_path)) == 1
    second = _run(tmp_path, tmp_path / "b.pdf")
    assert second == {"code": 0, "weasyprint": False, "pypdf": False, "babel": False}
    uncached = _run(tmp_path, tmp_path / "c.pdf", "--no-cache")
    assert uncached["weasyprint"]
    off = _run(tmp_path, tmp_path / "d.pdf", env={"PRINTKIT_NO_CACHE": "1"})
    assert off["weasyprint"]
    data = (tmp_path / "a.pdf").read_bytes()
    assert data == (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert data == (tmp_path / "d.pdf").read_bytes()
    assert "Robot Garden" in page_texts(tmp_path / "b.pdf")[0]
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_any_change_to_the_design_renders_it_again(tmp_path: Path) -> None:
    layout = tmp_path / "mine"
    shutil.copytree(layouts_dir() / "certificate", layout)
    _run(tmp_path, tmp_path / "a.pdf", "--layout", str(layout))
    # Another event name: another key.
    other = _run(tmp_path, tmp_path / "b.pdf", "--layout", str(layout), event="Bot Garden")
    assert other["weasyprint"] and len(_entries(tmp_path)) == 2
    assert "Bot Garden" in page_texts(tmp_path / "b.pdf")[0]
    # The same key, but a file of the layout changed: the entry is stale.
    css = layout / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: #c00 }\n", encoding="utf-8")
    changed = _run(tmp_path, tmp_path / "c.pdf", "--layout", str(layout))
    assert changed["weasyprint"]
    assert (tmp_path / "c.pdf").read_bytes() != (tmp_path / "a.pdf").read_bytes()
    _run(tmp_path, tmp_path / "d.pdf", "--layout", str(layout), "--no-cache")
    assert (tmp_path / "c.pdf").read_bytes() == (tmp_path / "d.pdf").read_bytes()
    # A new file in the layout folder (a template it may include) also makes it stale.
    (layout / "extra.css").write_text("/* new */\n", encoding="utf-8")
    assert _run(tmp_path, tmp_path / "e.pdf", "--layout", str(layout))["weasyprint"]
    assert not _run(tmp_path, tmp_path / "f.pdf", "--layout", str(layout))["weasyprint"]


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    _run(tmp_path, tmp_path / "a.pdf")
    (entry,) = _entries(tmp_path)
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    again = _run(tmp_path, tmp_path / "b.pdf")
    assert again["weasyprint"]
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert not _run(tmp_path, tmp_path / "c.pdf")["weasyprint"]  # rewritten, intact


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name\nAda Lovelace\nGrace Hopper\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "0"}
    env.pop("PRINTKIT_NO_CACHE", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "printkit", "-q", "certificates", str(people), "--event", "E",
             "-o", str(tmp_path / f"{i}.pdf")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    outputs = {(tmp_path / f"{i}.pdf").read_bytes() for i in range(3)}
    assert len(outputs) == 1
    assert len(_entries(tmp_path)) == 1
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_an_entry_keeps_the_design_its_form_and_its_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    design = Design(
        b"%PDF-1.7 pretend", NameBox(1.5, 2, 300, 40, "start", 12, 30, (0.2, 0.4, 0.6)),
        (), QrBox(600, 400, 90, 6.5), lang="fr-FR", author="Club",
    )
    background = Background(842.0, 595.0, 5, 2, b"5 0 obj\n<< >>\nendobj\n", ((5, 0), (6, 9)))
    warning = Diagnostic("missing-glyph", "no font has U+1F600", Location("layout.toml", 3))
    entry = designcache.CachedDesign(design, background, (warning,))
    designcache.store("k" * 40, entry, designcache.stamps((), ()))
    assert designcache.load("k" * 40) == entry
    assert designcache.load("x" * 40) is None
    monkeypatch.setenv("PRINTKIT_NO_CACHE", "1")
    made, hit = designcache.cached("k" * 40, (), lambda: entry)
    assert made is entry and not hit
