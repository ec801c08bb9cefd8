"""Run-of-show: find the timed plan in a guide, check it, re-time it, format and export it.

>>> from printkit.model import Table, Text
>>> from printkit.diagnostics import Diagnostics
>>> table = Table((), (((Text("10h00 – 10h05"),), (Text("Welcome"),)),
...                    ((Text("10h05 – 10h30"),), (Text("Workshop"),))))
>>> plan = extract_schedule(table, locale="fr-FR", diagnostics=Diagnostics())
>>> [(format_time(s.start, "en-US"), s.duration) for s in retime(plan, start=14 * 60).slots]
[('2:00\u202fPM', 5), ('2:05\u202fPM', 25)]
"""

from __future__ import annotations

from .check import ScheduleReport, check_schedule
from .daypart import DayPeriods, all_day_periods, day_periods
from .detect import extract_schedule, find_schedules, is_schedule
from .export import (
    activity_links,
    activity_text,
    schedule_from_csv,
    schedule_from_json,
    to_csv,
    to_ics,
    to_json,
)
from .format import clock, format_duration, format_range, format_time, localize_digits
from .retime import retime
from .timeparse import ParsedRange, parse_time, parse_time_range

__all__ = [
    "DayPeriods",
    "ParsedRange",
    "ScheduleReport",
    "activity_links",
    "activity_text",
    "all_day_periods",
    "check_schedule",
    "clock",
    "day_periods",
    "extract_schedule",
    "find_schedules",
    "format_duration",
    "format_range",
    "format_time",
    "is_schedule",
    "localize_digits",
    "parse_time",
    "parse_time_range",
    "retime",
    "schedule_from_csv",
    "schedule_from_json",
    "to_csv",
    "to_ics",
    "to_json",
]
