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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .deliver import MailOptions, MailResult, mail
    from .diagnostics import Diagnostic, Diagnostics
    from .documents.agenda import AgendaExports, AgendaOptions, build_agenda, write_agenda
    from .documents.certificates import CertificateOptions, write_certificates
    from .documents.handout import build_handout, write_handout
    from .documents.poster import PosterOptions, build_poster, write_poster
    from .errors import (
        DeliveryError,
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

#: Public name -> the module that defines it. Importing ``printkit`` stays light (the CLI's
#: ``--help`` and the bulk engine's workers do not load WeasyPrint, Babel or the kit for
#: nothing); each name is imported on first use (PEP 562).
_EXPORTS = {
    "AgendaExports": ".documents.agenda",
    "AgendaOptions": ".documents.agenda",
    "BuildOptions": ".kit",
    "BuildReport": ".kit",
    "CertificateOptions": ".documents.certificates",
    "CommonOptions": ".options",
    "Diagnostic": ".diagnostics",
    "Diagnostics": ".diagnostics",
    "DeliveryError": ".errors",
    "Event": ".model",
    "FontError": ".errors",
    "Guide": ".model",
    "GuideError": ".errors",
    "HandoutOptions": ".options",
    "InputError": ".errors",
    "Kit": ".kit",
    "KitError": ".errors",
    "LayoutError": ".errors",
    "LocaleContext": ".locale",
    "Location": ".errors",
    "MailOptions": ".deliver",
    "MailResult": ".deliver",
    "Participant": ".model",
    "ParticipantsError": ".errors",
    "PlaceholderError": ".errors",
    "PosterOptions": ".documents.poster",
    "PrintkitError": ".errors",
    "Schedule": ".model",
    "ScheduleError": ".errors",
    "Slot": ".model",
    "UnknownLocaleError": ".errors",
    "UsageError": ".errors",
    "build_agenda": ".documents.agenda",
    "build_handout": ".documents.handout",
    "build_kit": ".kit",
    "build_poster": ".documents.poster",
    "check_schedule": ".schedule",
    "find_schedules": ".schedule",
    "load_catalog": ".sources",
    "load_kit": ".kit",
    "load_profile": ".sources",
    "mail": ".deliver",
    "read_guide": ".sources",
    "read_participants": ".sources.participants",
    "retime": ".schedule",
    "to_csv": ".schedule",
    "to_ics": ".schedule",
    "to_json": ".schedule",
    "write_agenda": ".documents.agenda",
    "write_certificates": ".documents.certificates",
    "write_handout": ".documents.handout",
    "write_poster": ".documents.poster",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'printkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AgendaExports",
    "AgendaOptions",
    "BuildOptions",
    "BuildReport",
    "CertificateOptions",
    "CommonOptions",
    "DeliveryError",
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
    "MailOptions",
    "MailResult",
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
    "mail",
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
