"""printkit: print-ready documents from event guides, in every locale.

The public API is what this module exports (``__all__``); every other module
is internal and may change. The command line (``printkit``) is a thin shell
over these functions and reads the same option objects::

    from pathlib import Path
    import printkit

    options = printkit.HandoutOptions(guide=Path("guide.md"), locale="fr-FR")
    result = printkit.write_handout(options, Path("guide.pdf"))
    print(result.pages, [d.message for d in result.diagnostics])
"""

from __future__ import annotations

__version__ = "0.1.0"

# The version is set first: the modules below read it for PDF metadata.
from .diagnostics import Diagnostic, Diagnostics
from .documents.agenda import AgendaExports, AgendaOptions, build_agenda, write_agenda
from .documents.certificates import CertificateOptions, write_certificates
from .documents.handout import build_handout, write_handout
from .documents.poster import PosterOptions, build_poster, write_poster
from .errors import (
    FontError,
    GuideError,
    InputError,
    KitError,
    LayoutError,
    Location,
    ParticipantsError,
    PlaceholderError,
    PrintkitError,
    ScheduleError,
    UnknownLocaleError,
    UsageError,
)
from .kit import BuildOptions, BuildReport, Kit, build_kit, load_kit
from .locale import LocaleContext
from .model import Event, Guide, Participant, Schedule, Slot
from .options import CommonOptions, HandoutOptions
from .schedule import check_schedule, find_schedules, retime, to_csv, to_ics, to_json
from .sources import load_catalog, load_profile, read_guide
from .sources.participants import read_participants

__all__ = [
    "AgendaExports",
    "AgendaOptions",
    "BuildOptions",
    "BuildReport",
    "CertificateOptions",
    "CommonOptions",
    "Diagnostic",
    "Diagnostics",
    "Event",
    "FontError",
    "Guide",
    "GuideError",
    "HandoutOptions",
    "InputError",
    "Kit",
    "KitError",
    "LayoutError",
    "LocaleContext",
    "Location",
    "Participant",
    "ParticipantsError",
    "PlaceholderError",
    "PosterOptions",
    "PrintkitError",
    "Schedule",
    "ScheduleError",
    "Slot",
    "UnknownLocaleError",
    "UsageError",
    "__version__",
    "build_agenda",
    "build_handout",
    "build_kit",
    "build_poster",
    "check_schedule",
    "find_schedules",
    "load_catalog",
    "load_kit",
    "load_profile",
    "read_guide",
    "read_participants",
    "retime",
    "to_csv",
    "to_ics",
    "to_json",
    "write_agenda",
    "write_certificates",
    "write_handout",
    "write_poster",
]
