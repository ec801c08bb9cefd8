"""The executors of this machine: order kept, and the same certificate bytes as the engine."""

from __future__ import annotations

import hashlib
from pathlib import Path

from printkit.diagnostics import Diagnostics
from printkit.documents.certificates import CertificateOptions, build_design
from printkit.executors import InProcess, Processes, local
from printkit.executors.certificates import shared_design, write_merged
from printkit.executors.checks import font_needs, needed_faces
from printkit.model import Event
from printkit.render.bulk.engine import write_merged as engine_merged
from printkit.render.bulk.page import Certificate


def _square_after(delay: float, value: int) -> int:
    import time  # noqa: PLC0415

    time.sleep(delay * (value % 3))  # later items often finish first
    return value * value


def test_results_come_in_order() -> None:
    items = [(f"k{i}", i) for i in range(12)]
    with Processes(3) as pool:
        assert list(pool.map(_square_after, 0.01, items)) == [i * i for i in range(12)]
    assert list(InProcess().map(_square_after, 0.0, items)) == [i * i for i in range(12)]
    assert isinstance(local(1), InProcess) and isinstance(local(4), Processes)


def test_merged_through_a_process_pool_is_the_engines_bytes(tmp_path: Path) -> None:
    options = CertificateOptions(event=Event(name="Robot Garden"), locale="ar-EG",
                                 verify_url="https://example.org/v/{id}")
    design, _ = build_design(options, Diagnostics())
    names = ["مريم بنت أحمد", "Ada Lovelace", "山田 太郎", "किरण शर्मा"]
    certs = [Certificate(row, names[row % 4], f"https://example.org/v/{row}", f"ID{row}")
             for row in range(2, 1300)]
    engine_merged(design, certs, tmp_path / "engine.pdf")
    needs = font_needs(needed_faces(design.fonts, names))
    assert any("CJK" in need.family for need in needs)
    with Processes(2) as pool:
        result = write_merged(pool, shared_design(design, needs), certs, tmp_path / "pool.pdf")
    assert result.pages == len(certs)
    digest = [hashlib.sha256((tmp_path / f).read_bytes()).hexdigest()
              for f in ("engine.pdf", "pool.pdf")]
    assert digest[0] == digest[1]
