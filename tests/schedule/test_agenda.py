"""The agenda document and ``printkit agenda``: slot times and activities in the PDF, one page."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest
from icalendar import Calendar

from printkit.cli import main
from printkit.diagnostics import Diagnostics
from printkit.documents.agenda import AgendaOptions, build_agenda
from printkit.errors import ScheduleError
from printkit.model import Event
from printkit.schedule import activity_text, format_time
from tests.conftest import CORPUS, ROOT, corpus_id, corpus_locale
from tests.pdfcheck import page_sizes_mm, text

EXAMPLE = ROOT / "examples" / "guides" / "en.md"
EXAMPLE_STRINGS = ROOT / "examples" / "strings" / "en.yml"
_INVISIBLE = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]+")


def squeeze(value: str) -> str:
    """Text without spaces and bidi controls (PDF extraction adds and moves both)."""
    return _INVISIBLE.sub("", value)


def loose(value: str) -> str:
    """Squeezed NFKC text without combining marks."""
    folded = unicodedata.normalize("NFKC", squeeze(value))
    return "".join(c for c in folded if unicodedata.category(c)[0] != "M")


def write(result: object, path: Path) -> Path:
    path.write_bytes(result.pdf)  # type: ignore[attr-defined]
    return path


def assert_slots_printed(pdf: Path, result: object, locale: str) -> None:
    content = squeeze(text(pdf))
    for slot in result.schedule.slots:  # type: ignore[attr-defined]
        assert squeeze(format_time(slot.start, locale)) in content
        assert squeeze(format_time(slot.end, locale)) in content
        # the activity's first word (text extraction interleaves the words of a cell
        # with the other columns, and loses Thai vowel order: compared without marks)
        first = loose(activity_text(slot).split()[0])[:6]
        assert first in loose(content), first


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    options = AgendaOptions(
        guide=EXAMPLE,
        strings=EXAMPLE_STRINGS,
        locale="en-US",
        event=Event(name="Robot afternoon", date=dt.date(2026, 12, 7), place="Town hall"),
    )
    result = build_agenda(options)
    return write(result, tmp_path_factory.mktemp("agenda") / "en.pdf"), result


def test_english_agenda(english: tuple[Path, object]) -> None:
    pdf, result = english
    assert result.pages == 1  # type: ignore[attr-defined]
    [(width, height)] = page_sizes_mm(pdf)
    assert (round(width), round(height)) == (216, 279)  # US Letter for en-US
    content = text(pdf)
    for expected in ("Robot afternoon", "Town hall", "December 7, 2026", "Run of show".upper()):
        assert expected in content or expected in content.upper(), expected
    assert_slots_printed(pdf, result, "en-US")
    assert "2:00" in content and "3:50" in content
    assert "1 hr, 50 min" in content  # the total


def test_retimed_agenda(tmp_path: Path) -> None:
    options = AgendaOptions(
        guide=EXAMPLE, strings=EXAMPLE_STRINGS, locale="fr-FR", start=9 * 60, duration=55
    )
    result = build_agenda(options)
    pdf = write(result, tmp_path / "fr.pdf")
    starts = [s.start for s in result.schedule.slots]
    assert starts[0] == 540 and result.schedule.end == 595
    assert result.original.slots[0].start == 14 * 60
    assert_slots_printed(pdf, result, "fr-FR")
    assert "09:00" in text(pdf) and "14:00" not in text(pdf)


def test_card_variant_is_a5(tmp_path: Path) -> None:
    result = build_agenda(
        AgendaOptions(guide=EXAMPLE, strings=EXAMPLE_STRINGS, locale="de-DE", card=True)
    )
    pdf = write(result, tmp_path / "card.pdf")
    assert result.pages == 1
    [(width, height)] = page_sizes_mm(pdf)
    assert (round(width), round(height)) == (148, 210)
    assert_slots_printed(pdf, result, "de-DE")


def _events() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("hourofcode/*/events.md")) + sorted(CORPUS.glob("seeds/000_*.txt"))


@pytest.mark.parametrize("guide", _events(), ids=[corpus_id(g) for g in _events()])
def test_one_page_for_every_corpus_locale(corpus: Path, guide: Path, tmp_path: Path) -> None:
    locale = corpus_locale(guide)
    result = build_agenda(AgendaOptions(guide=guide, locale=locale), Diagnostics())
    pdf = write(result, tmp_path / "agenda.pdf")
    assert result.pages == 1
    assert len(page_sizes_mm(pdf)) == 1
    assert (result.schedule.slots[0].start, result.schedule.slots[0].end) == (600, 605)
    assert result.report.issues == ()
    assert_slots_printed(pdf, result, locale)
    assert "does-not-fit" not in result.diagnostics.codes()


def test_rtl_agenda_uses_the_locale_digits(corpus: Path, tmp_path: Path) -> None:
    guide = corpus / "hourofcode" / "ar-SA" / "events.md"
    result = build_agenda(AgendaOptions(guide=guide, locale="ar-SA", start=14 * 60 + 30))
    pdf = write(result, tmp_path / "ar.pdf")
    content = text(pdf)
    assert "٢:٣٠" in content  # 14:30 in Arabic-Indic digits, 12-hour clock
    assert "10:00" not in content


GUIDE_WITH_FAULTS = """---
title: Club evening
---
# Club evening

| When          | What          |
| ------------- | ------------- |
| 18:00 - 18:20 | Arrival       |
| 18:10 - 18:40 | Warm-up game  |
| soon          | Pizza         |
| 18:40 - 19:00 | Show and tell |
"""


def test_cli_writes_pdf_and_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "agenda.pdf"
    argv = [
        "-q", "agenda", str(EXAMPLE), "--strings", str(EXAMPLE_STRINGS), "--locale", "en-US",
        "--date", "2026-12-07", "--start", "10:00", "--duration", "1h", "--tz", "Europe/Paris",
        "--ics", str(tmp_path / "a.ics"), "--json", str(tmp_path / "a.json"),
        "--csv", str(tmp_path / "a.csv"), "-o", str(out),
    ]  # fmt: skip
    assert main(argv) == 0
    assert "10:00" in text(out)
    events = list(Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT"))
    assert len(events) == 6
    assert events[0].decoded("dtstart") == dt.datetime(
        2026, 12, 7, 10, 0, tzinfo=events[0].decoded("dtstart").tzinfo
    )
    assert events[-1].decoded("dtend").strftime("%H:%M") == "11:00"
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["date"] == "2026-12-07"
    assert data["slots"][0]["start"] == "10:00"
    assert sum(s["duration"] for s in data["slots"]) == 60
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").startswith("row,start,end")


def test_cli_ics_needs_date_and_zone(tmp_path: Path) -> None:
    argv = ["agenda", str(EXAMPLE), "--ics", str(tmp_path / "a.ics"), "-o", str(tmp_path / "a.pdf")]
    assert main(argv) == 2
    assert not (tmp_path / "a.pdf").exists()


def test_faulty_plan_is_reported(tmp_path: Path) -> None:
    guide = tmp_path / "club.md"
    guide.write_text(GUIDE_WITH_FAULTS, encoding="utf-8")
    result = build_agenda(AgendaOptions(guide=guide, locale="en-GB"))
    codes = result.diagnostics.codes()
    assert "schedule-row-unreadable" in codes
    assert "schedule-overlap" in codes
    unreadable = next(d for d in result.diagnostics if d.code == "schedule-row-unreadable")
    assert unreadable.location is not None and unreadable.location.row == 3
    assert "soon" in unreadable.message
    assert [(s.start, s.end) for s in result.schedule.slots] == [
        (1080, 1100),
        (1090, 1120),
        (1120, 1120),  # "soon": never dropped, inferred between its neighbours
        (1120, 1140),
    ]
    # --strict: exit code 1, nothing written
    out = tmp_path / "club.pdf"
    assert main(["-q", "agenda", str(guide), "--strict", "-o", str(out)]) == 1
    assert not out.exists()


def test_guide_without_schedule(tmp_path: Path) -> None:
    guide = tmp_path / "none.md"
    guide.write_text("---\ntitle: T\n---\n# T\n\nNo plan here.\n", encoding="utf-8")
    with pytest.raises(ScheduleError):
        build_agenda(AgendaOptions(guide=guide, locale="en"))
    assert main(["-q", "agenda", str(guide), "-o", str(tmp_path / "x.pdf")]) == 1
