"""Warnings collected while building a document.

Logging policy (as WeasyPrint documents its own): *errors* are raised as
:class:`~printkit.errors.PrintkitError`; *warnings* are bad input that can be
worked around, recorded here with their location and also logged on the
``printkit`` logger; progress goes to the ``printkit.progress`` logger.

With ``strict=True`` the first warning is still recorded, and
:meth:`Diagnostics.raise_if_strict` aborts at the end with the count, the way
MkDocs' ``--strict`` does; code that must stop at once (an unresolved
placeholder in strict mode) raises directly instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import Location, StrictModeError

LOGGER = logging.getLogger("printkit")
PROGRESS = logging.getLogger("printkit.progress")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One warning: a machine-readable ``code``, a message and where."""

    code: str
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass
class Diagnostics:
    """A list of warnings, shared by every stage of one build."""

    strict: bool = False
    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str, location: Location | None = None) -> None:
        """Record a warning and log it."""
        diag = Diagnostic(code, message, location)
        self.items.append(diag)
        LOGGER.warning("%s", diag)

    def extend(self, other: Diagnostics) -> None:
        """Take over the warnings of another collector (already logged)."""
        self.items.extend(other.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def codes(self) -> list[str]:
        """The codes of all warnings, in order (handy in tests)."""
        return [d.code for d in self.items]

    def raise_if_strict(self) -> None:
        """In strict mode, fail if anything was recorded."""
        if self.strict and self.items:
            raise StrictModeError(len(self.items), str(self.items[0]))
