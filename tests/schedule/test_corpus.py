"""Every run-of-show of the corpus parses to its six slots, and its checks find nothing wrong.

The translated guides write the same plan in thirteen ways (``10h00 – 10h05``,
``오전 10:00 - 10:05``, ``10:15 Uhr bis 10:30 Uhr``, ``10:00-10:05 π.μ``…); each
was read by hand: all say 10:00-10:05, 10:05-10:15, 10:15-10:30, 10:30-10:40,
10:40-11:00, 11:00-11:05, in order, without gaps or overlaps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.schedule import (
    activity_links,
    check_schedule,
    extract_schedule,
    find_schedules,
    is_schedule,
)
from printkit.sources import read_guide

from ..conftest import CORPUS, corpus_id, corpus_locale
from .tables import markdown_tables

EXPECTED = [(600, 605), (605, 615), (615, 630), (630, 640), (640, 660), (660, 665)]


def _events_guides() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("hourofcode/*/events.md")) + sorted(CORPUS.glob("seeds/000_*.txt"))


GUIDES = _events_guides()


def test_corpus_has_the_expected_guides(corpus: Path) -> None:
    assert len(GUIDES) == 14  # 13 locales and the French seed


@pytest.mark.parametrize("guide", GUIDES, ids=[corpus_id(g) for g in GUIDES])
@pytest.mark.parametrize("with_locale", [True, False], ids=["locale", "no-locale"])
def test_corpus_schedule(corpus: Path, guide: Path, with_locale: bool) -> None:
    locale = corpus_locale(guide) if with_locale else None
    tables = [t for t in markdown_tables(guide) if is_schedule(t, locale)]
    assert len(tables) == 1
    diagnostics = Diagnostics(strict=True)
    schedule = extract_schedule(tables[0], source=guide, locale=locale, diagnostics=diagnostics)
    assert schedule is not None
    assert [(s.start, s.end) for s in schedule.slots] == EXPECTED
    assert all(s.activity for s in schedule.slots)
    report = check_schedule(schedule, diagnostics)
    assert report.issues == ()
    assert (report.total, report.busy) == (65, 65)
    assert len(diagnostics) == 0


@pytest.mark.parametrize("guide", GUIDES, ids=[corpus_id(g) for g in GUIDES])
def test_corpus_schedule_through_the_guide_reader(corpus: Path, guide: Path) -> None:
    parsed = read_guide(guide, locale=corpus_locale(guide), diagnostics=Diagnostics())
    diagnostics = Diagnostics()
    [schedule] = find_schedules(parsed, diagnostics)
    assert [(s.start, s.end) for s in schedule.slots] == EXPECTED
    assert check_schedule(schedule, diagnostics).issues == ()
    assert len(diagnostics) == 0
    first = schedule.slots[0].location
    assert first is not None and first.file == str(guide) and first.row == 1
    assert first.line is not None and first.line > 1
    # the reader keeps links: each plan's first row links to the inspirational videos
    assert activity_links(schedule.slots[0])
