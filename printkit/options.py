"""Options shared by the command line and the Python API (one object per document).

Every field has a default and a docstring-like comment; the CLI builds these
objects from its flags, API users build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import Event


@dataclass(frozen=True)
class CommonOptions:
    """Options every document understands."""

    #: BCP 47 or POSIX locale tag (``fr-FR``, ``fr_FR``, ``ar``).
    locale: str = "en-US"
    #: Paper name (``A4``, ``Letter``…); ``None`` = the locale's territory default.
    paper: str | None = None
    #: The event the documents are for (dates, place, site URL, user values).
    event: Event = field(default_factory=Event)
    #: Extra folders images may come from (the shipped ``assets/`` is always allowed).
    asset_dirs: tuple[Path, ...] = ()
    #: Extra folders to look for layouts in, before the shipped ones.
    layout_dirs: tuple[Path, ...] = ()
    #: Allow fetching images over http(s) (off: nothing leaves the machine).
    allow_network: bool = False
    #: Turn warnings into an error at the end of the build.
    strict: bool = False
    #: ``pdf/a-3u``, ``pdf/ua-1``… passed to WeasyPrint.
    pdf_variant: str | None = None


@dataclass(frozen=True)
class HandoutOptions(CommonOptions):
    """Options of :func:`printkit.documents.handout.build_handout`."""

    #: The guide (Markdown with front matter).
    guide: Path = Path("guide.md")
    #: A strings catalog (YAML) for ``{{ key/path }}`` placeholders.
    strings: Path | None = None
    #: A site profile file; ``None`` = the shipped profile.
    profile: Path | None = None
    #: Layout name or folder.
    layout: str = "handout"
    #: Re-time the run-of-show to start here (minutes after midnight).
    start: int | None = None
    #: Re-time the run-of-show to last this long (minutes).
    duration: int | None = None
    #: Images are downsampled to this resolution (dots per inch); ``None`` keeps them.
    dpi: int | None = 300
    #: The English guide this one translates: broken links, placeholders and schedule
    #: times are restored from it (:mod:`printkit.sources.align`).
    source_guide: Path | None = None
