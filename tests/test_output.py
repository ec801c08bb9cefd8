"""Atomic writes: all or nothing, usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from printkit.output import atomic_open, atomic_write


def test_atomic_write_gives_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a" / "out.pdf"
    old = os.umask(0o022)
    try:
        atomic_write(target, b"%PDF-1.7")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF-1.7"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_interrupted_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
