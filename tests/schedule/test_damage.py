"""Damage family 4: run-of-show cells translation broke; a row is never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.schedule import find_schedules
from printkit.sources import read_guide
from tests.sources.damage import agenda, handout, layout_lines, row_on_one_line, write

EXPECTED = [(600, 605), (605, 615), (615, 630), (630, 640), (640, 660), (660, 665)]

CELLS = """---
title: Open day
---
# Open day

| Time | Activity |
|---|---|
| 10;00 - 10;05 amm | Welcome at the gate |
| 10.05 – 10,15 | A short film |
| 1٠:15 - 10:٣٠ | Our guest speaks |
| 10h30 - 10h40 | Robots on the floor |
| whenever it suits | Games without computers |
| 11 - 11:05 | Goodbye |
"""

INDENTED = """---
title: Journée portes ouvertes
---
# Journée portes ouvertes

- Le plan </li>

    | Heure | Activité |
    | --- | --- |
    | 10h00 - 10h05 | Accueil |
</p>
    | 10h05 - 10h15 | Film |
    </strong>
    | 10h15 - 10h30 | Invitée |
    | 10h30 - 10h40 | Robots |
    | 10h40 - 11h00 | Jeux |
    | 11h00 - 11h05 | Au revoir |
"""

KOREAN = """---
title: 공개 행사
---
# 공개 행사

| 시간 | 활동 |
|---|---|
| 오잔 10：00 - 10：05 | 환영 |
| 10:05 - 10:15 오전 | 영상 |
| 오전 10:15 - 10:30 | 손님 |
| 오전 10:30-10:40 | 로봇 |
| 오전 10:40 - 11:00 | 놀이 |
| 오전 11:00 - 11:05 | 인사 |
"""


def _slots(guide: Path, locale: str) -> tuple[list[tuple[int, int]], Diagnostics]:
    diag = Diagnostics()
    parsed = read_guide(guide, locale=locale, diagnostics=Diagnostics())
    [schedule] = find_schedules(parsed, diag)
    return [(s.start, s.end) for s in schedule.slots], diag


def test_damaged_cells_all_become_slots(tmp_path: Path) -> None:
    guide = write(tmp_path, "open.md", CELLS)
    slots, diag = _slots(guide, "en-US")
    assert slots == EXPECTED
    repaired = [d for d in diag if d.code == "schedule-time-repaired"]
    assert [d.location.row for d in repaired if d.location] == [1]
    assert "'10;00 - 10;05 amm' as '10;00 - 10;05 am'" in repaired[0].message
    [inferred] = [d for d in diag if d.code == "schedule-row-unreadable"]
    assert inferred.location is not None and inferred.location.row == 5
    assert inferred.location.line == 12
    assert "'whenever it suits'" in inferred.message and "inferred 10:40-11:00" in inferred.message


def test_agenda_prints_every_row_and_says_which_time_was_inferred(tmp_path: Path) -> None:
    built, result = agenda(write(tmp_path, "open.md", CELLS))
    assert [(s.start, s.end) for s in result.schedule.slots] == EXPECTED
    assert [s.inferred for s in result.schedule.slots] == [False] * 4 + [True, False]
    lines = layout_lines(built.pdf)
    for start, activity in (("10:00", "Welcome at the gate"), ("10:05", "A short film"),
                            ("10:15", "Our guest speaks"), ("10:30", "Robots on the floor"),
                            ("10:40", "Games without computers"), ("11:00", "Goodbye")):
        assert row_on_one_line(lines, start, activity), (start, activity, lines)
    assert row_on_one_line(lines, "~", "10:40")
    assert "Time inferred from the rows around it" in built.text


@pytest.mark.parametrize(("fixture", "locale"), [(INDENTED, "fr-FR"), (KOREAN, "ko-KR")],
                         ids=["indented-stray-tags", "korean-day-periods"])
def test_table_damage_keeps_six_slots(tmp_path: Path, fixture: str, locale: str) -> None:
    guide = write(tmp_path, "plan.md", fixture)
    slots, _ = _slots(guide, locale)
    assert slots == EXPECTED
    built, result = handout(guide, locale)
    [table] = result.guide.tables
    assert len(table.rows) == 6
    lines = layout_lines(built.pdf)
    first = "Accueil" if locale == "fr-FR" else "환영"
    assert row_on_one_line(lines, "10", first), lines
    assert "</" not in built.text and "|" not in built.text


GLUED = """---
title: Glued
---
| Time | Activity |
|---|---|
| 10:00 - 10:05 Welcome at the gate |
| 10:05 - 10:15 | A short film |
"""


def test_lost_pipe_between_time_and_activity(tmp_path: Path) -> None:
    built, result = agenda(write(tmp_path, "glued.md", GLUED))
    assert [(s.start, s.end) for s in result.schedule.slots] == [(600, 605), (605, 615)]
    assert [s.source_text for s in result.schedule.slots] == ["10:00 - 10:05", "10:05 - 10:15"]
    assert row_on_one_line(layout_lines(built.pdf), "10:00", "Welcome at the gate")
