"""Atomic writes: all or nothing, usual permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from printkit.output import atomic_open, atomic_write, replace_write_in


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


def test_replace_write_in_a_folder_descriptor(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        replace_write_in(fd, "a.pdf", b"new" * 100_000)
        replace_write_in(fd, "b.pdf", b"")
    finally:
        os.close(fd)
    assert (tmp_path / "a.pdf").read_bytes() == b"new" * 100_000
    assert (tmp_path / "b.pdf").read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # no temporary left
