"""The design page's copy as a form is made once per machine: kept in the user cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from printkit.render.bulk import background as bg

from .helpers import background

#: Imports the copy of the PDF at argv[1] in a fresh process; prints what it found.
SCRIPT = """
import hashlib, json, sys
from pathlib import Path
from printkit.render.bulk.background import import_background
form = import_background(Path(sys.argv[1]).read_bytes(), int(sys.argv[2]))
print(json.dumps({"pypdf": "pypdf" in sys.modules, "base": form.base, "count": form.count,
                  "block": hashlib.sha256(form.block).hexdigest(), "offsets": form.offsets}))
"""


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "design.pdf"
    path.write_bytes(background())
    return path


def _run(pdf: Path, cache: Path, base: int = 5, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PRINTKIT_NO_CACHE"}
    environ.update(XDG_CACHE_HOME=str(cache), **env)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(pdf), str(base)],
        env=environ, capture_output=True, text=True, check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_a_second_process_reads_the_copy_without_pypdf(pdf: Path, tmp_path: Path) -> None:
    first = _run(pdf, tmp_path / "cache")
    second = _run(pdf, tmp_path / "cache")
    assert first["pypdf"] is True and second["pypdf"] is False
    assert {**first, "pypdf": None} == {**second, "pypdf": None}
    assert len(list((tmp_path / "cache" / "printkit" / "backgrounds").iterdir())) == 1
    # Another first object number is another copy.
    other = _run(pdf, tmp_path / "cache", base=9)
    assert other["pypdf"] is True and other["base"] == 9


def test_a_damaged_entry_is_made_again(pdf: Path, tmp_path: Path) -> None:
    first = _run(pdf, tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / "printkit" / "backgrounds").iterdir()
    entry.write_bytes(entry.read_bytes()[:-10])
    again = _run(pdf, tmp_path / "cache")
    assert again["pypdf"] is True and again["block"] == first["block"]
    assert _run(pdf, tmp_path / "cache")["pypdf"] is False  # written again, whole


def test_no_cache_keeps_nothing(pdf: Path, tmp_path: Path) -> None:
    for _ in range(2):
        assert _run(pdf, tmp_path / "cache", PRINTKIT_NO_CACHE="1")["pypdf"] is True
    assert not (tmp_path / "cache").exists()


def test_the_key_follows_the_code_that_copies(
    pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PRINTKIT_NO_CACHE", raising=False)
    digest = b"\x01" * 32
    before = bg._entry(digest, 5)
    monkeypatch.setattr(bg, "__version__", "0.0.0-other")
    assert before is not None and bg._entry(digest, 5) not in (None, before)
