"""``kit.toml``: one file that describes an event and every document wanted for it.

The file is read with :mod:`tomllib` and checked against :data:`SCHEMA`; every
message names the file and the dotted key, and an unknown key suggests the
closest known one. Relative paths are relative to the kit file. A mistake
inside one ``[documents.<kind>]`` table only disables that document (it is
reported in the build summary while the others are built); a mistake anywhere
else stops the build at once.

>>> KitError  # raised for anything wrong  # doctest: +ELLIPSIS
<class 'printkit.errors.KitError'>
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from ..cli.options import parse_clock, parse_minutes
from ..errors import KitError, Location, PrintkitError
from ..locale import LocaleContext
from ..model import Event
from ..render.variants import PDF_VARIANTS

T = TypeVar("T")

#: Every key a kit file may hold: ``{section: {key: (types, description)}}``.
#: ``documents.<kind>`` sections list the options of each document kind.
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "event": {
        "name": ((str, dict), "the event's name (or one per locale: { ar-EG = '…' })"),
        "date": ((dt.date, str), "the day, 2026-12-09"),
        "end_date": ((dt.date, str), "last day, when it lasts several days"),
        "start": ((dt.time, str), "start time, 14:00"),
        "duration": ((str, int), "length: '1h50' or minutes"),
        "timezone": ((str,), "IANA time zone, Europe/Paris (agenda .ics)"),
        "place": ((str, dict), "where it happens (or one per locale)"),
        "organiser": ((str, dict), "who organises it, the PDF author (or one per locale)"),
        "site_url": ((str,), "base URL for the guides' relative links"),
        "values": ((dict,), "placeholder values, {'key/path' = 'text'}"),
    },
    "sources": {
        "guides": ((dict,), "guide file per locale: { en-US = 'guides/en.md' }"),
        "strings": ((dict,), "strings catalog per locale: { en-US = 'strings/en.yml' }"),
        "source_guides": ((dict,), "the English original of each translated guide: "
                          "{ fr-FR = 'guides/en.md' } (restores broken links and times)"),
        "participants": ((str,), "participant list (CSV, XLSX or text) for certificates"),
        "assets": ((str, list), "folder(s) images may come from"),
        "profile": ((str,), "site profile file (default: the shipped one)"),
        "layouts": ((str, list), "folder(s) of extra layouts"),
    },
    "output": {
        "folder": ((str,), "where documents go (default: 'out' next to the kit file)"),
        "pdf_variant": ((str,), "pdf/a-3u, pdf/ua-1… for archival or accessible copies"),
        "dpi": ((int,), "print resolution images are downsampled to (default 300)"),
        "optimize_images": ((bool,), "recompress images losslessly (default true)"),
        "previews": ((bool,), "write a PNG of each document's first page"),
        "zip": ((bool,), "write <event>-<locale>.zip (default true)"),
    },
    "documents.handout": {
        "paper": ((str,), "paper size (default: the locale's)"),
        "layout": ((str,), "layout name or folder"),
        "retime": (
            (bool,),
            "re-time the run-of-show to the event's start and duration (default true)",
        ),
    },
    "documents.agenda": {
        "paper": ((str,), "paper size (default: the locale's)"),
        "layout": ((str,), "layout name or folder"),
        "card": ((bool,), "an A5 card instead of a full page"),
        "retime": ((bool,), "re-time to the event's start and duration (default true)"),
    },
    "documents.poster": {
        "sizes": ((list, str), "paper sizes: ['A3', 'Tabloid']"),
        "designs": ((list, str), "layouts: ['poster', 'poster-bold']"),
        "url": ((str,), "where the QR code leads (default: event.site_url)"),
        "tagline": ((str, dict), "a line under the title (or one per locale)"),
        "call_to_action": ((str, dict), "text above the code (or one per locale)"),
        "image": ((str,), "a picture for the poster"),
        "image_alt": ((str, dict), "what the picture shows (or one per locale; default: title)"),
        "scan_distance": ((str, int, float), "scan from this far: '2m'"),
        "print_shop": ((bool,), "3 mm bleed, crop marks, TrimBox/BleedBox"),
    },
    "documents.certificates": {
        "paper": ((str,), "paper size (default: the layout's)"),
        "layout": ((str,), "layout name or folder"),
        "verify_url": ((str,), "URL with {id}: a QR code to verify each certificate"),
        "name_column": ((str,), "column with the names ('First + Last' for two)"),
        "sheet": ((str,), "XLSX sheet"),
        "signatory": ((str,), "name on the signature line"),
    },
    "documents.mail": {
        "from": ((str,), "sender: 'Robot Garden <hello@example.org>'"),
        "subject": ((str, dict), "subject, {{ name }} and any column (or one per locale)"),
        "body": ((str, dict), "Markdown body file (or one per locale; default: built-in)"),
        "attach": (
            (list, str),
            "'certificates' (each their own), 'handout', 'agenda' and/or file paths",
        ),
        "email_column": ((str,), "column with the addresses (default: found by header)"),
        "size_limit": ((int, float), "largest message in MB (default 10)"),
    },
}
TOP_LEVEL = ("event", "locales", "sources", "documents", "output")
DOCUMENT_KINDS = tuple(k.split(".", 1)[1] for k in SCHEMA if k.startswith("documents."))


@dataclass(frozen=True)
class DocumentConfig:
    """One ``[documents.<kind>]`` table: its options, or the error that disables it."""

    kind: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    error: PrintkitError | None = None


@dataclass(frozen=True)
class LocaleConfig:
    """One entry of ``locales``: the tag as written, or the error that disables it."""

    tag: str
    index: int
    error: PrintkitError | None = None


@dataclass(frozen=True)
class Kit:
    """A validated kit file (paths absolute)."""

    path: Path
    event: Event
    locales: tuple[LocaleConfig, ...]
    guides: Mapping[str, Path]
    strings: Mapping[str, Path]
    participants: Path | None
    assets: tuple[Path, ...]
    layouts: tuple[Path, ...]
    profile: Path | None
    documents: tuple[DocumentConfig, ...]
    output: Path
    pdf_variant: str | None = None
    dpi: int = 300
    optimize_images: bool = True
    previews: bool = False
    zip: bool = True
    raw: Mapping[str, Any] = field(default_factory=dict)
    #: The English original of a locale's guide (``--source-guide``), per locale.
    source_guides: Mapping[str, Path] = field(default_factory=dict)
    #: Mistakes that did not stop the build (unknown keys, ignored), reported with it.
    problems: tuple[PrintkitError, ...] = ()

    @property
    def slug(self) -> str:
        """The event name for file names: ``robot-garden``.

        >>> Kit(Path("k.toml"), Event(name="Robot Garden: Été 2026!"), (), {}, {}, None,
        ...     (), (), None, (), Path("out")).slug
        'robot-garden-été-2026'
        """
        text = re.sub(r"[^\w]+", "-", self.event.name.casefold()).strip("-_")
        return text[:60] or "event"

    def event_for(self, locale_tag: str) -> Event:
        """The event as ``locale_tag`` reads it (name, place, organiser may be per locale)."""
        table = self.raw.get("event", {})
        changes: dict[str, Any] = {}
        for name in PER_LOCALE_EVENT_FIELDS:
            value = table.get(name)
            if isinstance(value, dict):
                found = pick(value, locale_tag)
                changes[name] = str(found[1]) if found else _default_text(value)
        return replace(self.event, **changes) if changes else self.event

    def where(self, key: str) -> Location:
        """A location naming this kit file and ``key``."""
        return Location(str(self.path), key=key)

    def existing(self, path: Path, what: str, key: str) -> Path:
        """``path`` (the file ``key`` names), or a KitError saying it does not exist."""
        if not path.is_file():
            raise KitError(
                f"{what} {str(path)!r} does not exist".lstrip(),
                self.where(key),
                "check the path (relative to the kit file)",
            )
        return path


def pick(table: Mapping[str, T], locale_tag: str) -> tuple[str, T] | None:
    """The entry of a per-locale table for ``locale_tag``: same tag, else same language.

    >>> pick({"en": "a", "ar-EG": "b"}, "en-US"), pick({"en": "a"}, "fr-FR")
    (('en', 'a'), None)
    """
    if locale_tag in table:
        return locale_tag, table[locale_tag]
    wanted = LocaleContext.parse(locale_tag)
    same_language: tuple[str, T] | None = None
    for key, value in table.items():
        try:
            ctx = LocaleContext.parse(key)
        except PrintkitError:
            continue
        if ctx.tag == wanted.tag:
            return key, value
        if ctx.language == wanted.language and same_language is None:
            same_language = key, value
    return same_language


def suggest(key: str, known: list[str] | tuple[str, ...]) -> str:
    """A hint naming the closest known key.

    >>> suggest("sizez", ["sizes", "designs"])
    "did you mean 'sizes'?"
    """
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known keys: " + ", ".join(known)


def _check_keys(
    table: Mapping[str, Any],
    known: list[str] | tuple[str, ...],
    prefix: str,
    path: Path,
    problems: list[PrintkitError] | None = None,
) -> None:
    """Unknown keys are errors, or, given ``problems``, collected there (the key is ignored
    and the build goes on, reporting them: a typo must not cost the other documents)."""
    for key in table:
        if key not in known:
            error = KitError(
                f"unknown key '{prefix}{key}' (ignored)",
                Location(str(path), key=prefix + key),
                suggest(key, known),
            )
            if problems is None:
                raise error
            problems.append(error)


def _check_section(
    section: str, table: object, path: Path, problems: list[PrintkitError] | None = None
) -> dict[str, Any]:
    where = Location(str(path), key=section)
    if not isinstance(table, dict):
        raise KitError(
            f"[{section}] must be a table", where, f"write [{section}] and keys under it"
        )
    schema = SCHEMA[section]
    _check_keys(table, list(schema), section + ".", path, problems)
    table = {key: value for key, value in table.items() if key in schema}
    for key, value in table.items():
        types, description = schema[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise KitError(
                f"{section}.{key} has the wrong type ({type(value).__name__})",
                Location(str(path), key=f"{section}.{key}"),
                f"expected {description}",
            )
    return table


def _path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)


def _paths(value: str | list[Any], base: Path, key: str, path: Path) -> tuple[Path, ...]:
    items = [value] if isinstance(value, str) else value
    if not all(isinstance(v, str) for v in items):
        raise KitError(f"{key} must list folder paths", Location(str(path), key=key))
    return tuple(_path(v, base) for v in items)


def _per_locale(table: Mapping[str, Any], key: str, base: Path, path: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for tag, value in table.items():
        if not isinstance(value, str):
            raise KitError(
                f"{key}.{tag} must be a file path", Location(str(path), key=f"{key}.{tag}")
            )
        out[tag] = _path(value, base)
    return out


#: Event fields that may be given once per locale.
PER_LOCALE_EVENT_FIELDS = ("name", "place", "organiser")


def _default_text(value: object) -> str:
    """A text setting, or the first entry of a per-locale table."""
    if isinstance(value, dict):
        return str(next(iter(value.values()), ""))
    return str(value)


def _event(table: Mapping[str, Any], path: Path) -> Event:
    def where(key: str) -> Location:
        return Location(str(path), key=f"event.{key}")

    def date(key: str) -> dt.date | None:
        value = table.get(key)
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise KitError(
                f"{value!r} is not a date", where(key), "write it as 2026-12-09"
            ) from None

    start = table.get("start")
    if isinstance(start, str):
        try:
            minutes = parse_clock(start, "start")
        except PrintkitError as exc:
            raise KitError(exc.message, where("start"), exc.hint) from None
        start = dt.time(minutes // 60, minutes % 60) if minutes is not None else None
    duration = table.get("duration")
    if isinstance(duration, str):
        try:
            duration = parse_minutes(duration, "duration")
        except PrintkitError as exc:
            raise KitError(exc.message, where("duration"), exc.hint) from None
    values = table.get("values", {})
    if not all(isinstance(v, str | int | float) for v in values.values()):
        raise KitError("placeholder values must be text", where("values"))
    return Event(
        name=_default_text(table.get("name", "")),
        date=date("date"),
        end_date=date("end_date"),
        start=start,
        duration=duration,
        timezone=table.get("timezone"),
        place=_default_text(table.get("place", "")),
        organiser=_default_text(table.get("organiser", "")),
        site_url=str(table.get("site_url", "https://hourofcode.com")).rstrip("/"),
        values={str(k): str(v) for k, v in values.items()},
    )


def _locales(value: object, path: Path) -> tuple[LocaleConfig, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise KitError(
            "locales must list locale tags",
            Location(str(path), key="locales"),
            "e.g. locales = ['en-US', 'ar-EG', 'fr-FR']",
        )
    out = []
    for index, tag in enumerate(items):
        try:
            LocaleContext.parse(tag)
            out.append(LocaleConfig(tag, index))
        except PrintkitError as exc:
            error = KitError(exc.message, Location(str(path), key=f"locales[{index}]"), exc.hint)
            out.append(LocaleConfig(tag, index, error))
    return tuple(out)


def _documents(table: object, path: Path) -> tuple[DocumentConfig, ...]:
    where = Location(str(path), key="documents")
    if not isinstance(table, dict) or not table:
        raise KitError(
            "no documents wanted",
            where,
            "add tables such as [documents.handout] and [documents.poster]",
        )
    out = []
    for kind, raw in table.items():
        settings: object = {} if raw is True else raw
        error: PrintkitError | None = None
        if kind not in DOCUMENT_KINDS:
            error = KitError(
                f"unknown document {kind!r}",
                Location(str(path), key=f"documents.{kind}"),
                suggest(kind, DOCUMENT_KINDS),
            )
        else:
            try:
                _check_section(f"documents.{kind}", settings, path)
            except KitError as exc:
                error = exc
        out.append(DocumentConfig(kind, settings if isinstance(settings, dict) else {}, error))
    return tuple(out)


def load_kit(path: Path) -> Kit:
    """Read and validate a kit file; raise :class:`~printkit.errors.KitError` naming the key."""
    path = Path(path).resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KitError("no such kit file", Location(str(path)), "check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KitError(f"cannot read the kit file: {exc}", Location(str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise KitError(
            f"not valid TOML: {exc}",
            Location(str(path), line=line),
            "see https://toml.io for the syntax",
        ) from None
    base = path.parent
    problems: list[PrintkitError] = []
    _check_keys(data, TOP_LEVEL, "", path, problems)
    if "locales" not in data:
        raise KitError(
            "locales is missing",
            Location(str(path), key="locales"),
            "e.g. locales = ['en-US', 'fr-FR']",
        )
    event = _event(_check_section("event", data.get("event", {}), path, problems), path)
    sources = _check_section("sources", data.get("sources", {}), path, problems)
    output = _check_section("output", data.get("output", {}), path, problems)
    variant = output.get("pdf_variant")
    if variant is not None and variant not in PDF_VARIANTS:
        raise KitError(
            f"unknown PDF variant {variant!r}",
            Location(str(path), key="output.pdf_variant"),
            suggest(variant, PDF_VARIANTS),
        )
    participants = sources.get("participants")
    profile = sources.get("profile")
    return Kit(
        path=path,
        event=event,
        locales=_locales(data["locales"], path),
        guides=_per_locale(sources.get("guides", {}), "sources.guides", base, path),
        strings=_per_locale(sources.get("strings", {}), "sources.strings", base, path),
        source_guides=_per_locale(sources.get("source_guides", {}), "sources.source_guides",
                                  base, path),
        participants=_path(participants, base) if participants else None,
        assets=_paths(sources.get("assets", []), base, "sources.assets", path),
        layouts=_paths(sources.get("layouts", []), base, "sources.layouts", path),
        profile=_path(profile, base) if profile else None,
        documents=_documents(data.get("documents"), path),
        output=_path(output.get("folder", "out"), base),
        pdf_variant=variant,
        dpi=int(output.get("dpi", 300)),
        optimize_images=bool(output.get("optimize_images", True)),
        previews=bool(output.get("previews", False)),
        zip=bool(output.get("zip", True)),
        raw=data,
        problems=tuple(problems),
    )
