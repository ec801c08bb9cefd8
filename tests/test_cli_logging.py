"""One main() call does not leave its log level behind for the next one in the process."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from printkit.cli import main


def _certificates(tmp_path: Path, *extra: str) -> int:
    people = tmp_path / "p.csv"
    people.write_text("name\nAmira Haddad\n", encoding="utf-8")
    return main([*extra, "certificates", str(people), "--event", "Fair",
                 "--pdf-variant", "pdf/a-3u", "-o", str(tmp_path / "c.pdf")])


def test_quiet_run_then_normal_run_logs_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert _certificates(tmp_path, "--quiet") == 0
    assert "not applied to certificates" not in caplog.text
    logging.getLogger("printkit").setLevel(logging.ERROR)  # as `printkit build` mutes it
    assert _certificates(tmp_path) == 0
    assert "not applied to certificates" in caplog.text
