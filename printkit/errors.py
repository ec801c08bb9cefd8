"""The one exception hierarchy of printkit.

Every error says *where* (file, line, row, key) and *what to do*. Errors also
inherit the standard type a caller would naturally catch (``ValueError``,
``LookupError``, ``PermissionError``…), as Jinja does.

The CLI maps :class:`UsageError` to exit code 2 and every other
:class:`PrintkitError` to exit code 1, printing :meth:`PrintkitError.describe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where something came from: a file, and optionally a line, row or key."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.key:
            parts.append(f"key {self.key!r}")
        return ", ".join(parts) if parts else "<input>"

    @classmethod
    def of(cls, file: str | Path | None, line: int | None = None, **kw: object) -> Location:
        """Build a location from a path-like and optional line."""
        return cls(str(file) if file is not None else None, line, **kw)  # type: ignore[arg-type]


class PrintkitError(Exception):
    """Base of every error printkit raises on purpose.

    :param message: what went wrong.
    :param location: where (file, line, row, key), if known.
    :param hint: what the user can do about it.
    """

    def __init__(
        self, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def describe(self) -> str:
        """One clear message: ``where: what. what to do``."""
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.describe()


class UsageError(PrintkitError, ValueError):
    """The command line or API call itself is wrong (exit code 2)."""


class InputError(PrintkitError, ValueError):
    """An input file or value cannot be used as it is (exit code 1)."""


class GuideError(InputError):
    """A guide cannot be read."""


class CatalogError(InputError):
    """A strings catalog or site profile cannot be read."""


class PlaceholderError(InputError, LookupError):
    """A placeholder has no value (raised in strict mode)."""


class ScheduleError(InputError):
    """A run-of-show table cannot be read."""


class ParticipantsError(InputError):
    """A participant list cannot be read."""


class KitError(InputError):
    """A kit file is invalid."""


class UnknownLocaleError(InputError, LookupError):
    """A locale tag is not known; ``identifier`` is the bad tag."""

    def __init__(self, identifier: str, suggestions: list[str] | None = None) -> None:
        self.identifier = identifier
        self.suggestions = suggestions or []
        hint = (
            "did you mean " + ", ".join(self.suggestions) + "?"
            if self.suggestions
            else "use a BCP 47 tag such as fr-FR, en-US or zh-TW"
        )
        super().__init__(f"unknown locale {identifier!r}", None, hint)


class FontError(PrintkitError, LookupError):
    """A font is missing, or a glyph is not covered (strict mode)."""


class LayoutError(PrintkitError, LookupError):
    """A layout is missing or broken."""


class FetchRefused(PrintkitError, PermissionError):
    """A resource outside the allowed folders (or on the network) was requested."""


class OutputError(PrintkitError, OSError):
    """An output file cannot be written where it was asked for."""


class DeliveryError(PrintkitError, ConnectionError):
    """The mail server cannot be reached, refuses the login, or would need a password
    sent over plain text (``printkit mail --send``)."""


class RenderError(PrintkitError, RuntimeError):
    """The renderer failed on otherwise valid input."""


class StrictModeError(PrintkitError):
    """``--strict`` was given and the build produced warnings."""

    def __init__(self, count: int, first: str | None = None) -> None:
        msg = f"{count} warning(s) with --strict"
        if first:
            msg += f"; first: {first}"
        super().__init__(msg, None, "fix the warnings above, or drop --strict")
        self.count = count


class ClusterError(PrintkitError, ConnectionError):
    """A Dask scheduler cannot be reached, or lost its workers (``--scheduler``)."""


class WorkerRefused(ClusterError):
    """A cluster worker would make different bytes (another printkit, a missing font)."""
