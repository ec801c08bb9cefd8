"""Fonts: which face sets which script, per locale and role, and glyph coverage.

- :func:`font_stack` / :func:`css_font_family`: the faces for a locale, from
  ``fonts/fonts.toml`` and the fonts fontconfig finds (plus bundled ones).
- :func:`check_coverage` / :func:`check_lines`: every character no face covers,
  with where it came from; :func:`capture_notdef_warnings` collects what
  WeasyPrint itself reports.
- :func:`fonts_by_script`: what is installed, for ``printkit info``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..errors import FontError, Location
from ..model import FontFace, Participant
from .coverage import (
    CoverageChecker,
    MissingGlyph,
    capture_notdef_warnings,
    char_script,
    check_coverage,
    file_lines,
    is_ignored,
)
from .manifest import Manifest, load_manifest, manifest
from .stack import (
    css_font_family,
    explainer,
    font_face_css,
    font_stack,
    fonts_by_script,
    locale_script,
    missing_families,
)

if TYPE_CHECKING:
    from ..locale import LocaleContext

__all__ = [
    "CoverageChecker",
    "FontFace",
    "Manifest",
    "MissingGlyph",
    "capture_notdef_warnings",
    "char_script",
    "check_coverage",
    "check_lines",
    "checker",
    "css_font_family",
    "file_lines",
    "font_face_css",
    "font_stack",
    "fonts_by_script",
    "is_ignored",
    "load_manifest",
    "locale_script",
    "manifest",
    "missing_families",
    "participant_lines",
    "report_missing",
]


def checker(locale: LocaleContext | str, role: str = "body") -> CoverageChecker:
    """A reusable coverage checker for a locale's stack, explaining what is missing."""
    stack = font_stack(locale, role)
    return CoverageChecker(stack, explain=explainer(stack))


def check_lines(
    lines: Iterable[tuple[str, Location | None]],
    locale: LocaleContext | str,
    role: str = "body",
) -> list[MissingGlyph]:
    """Check text line by line (guide lines, participant rows): one record per char per line."""
    return checker(locale, role).check_lines(lines)


def participant_lines(
    participants: Iterable[Participant], source: str | Path | None = None
) -> Iterator[tuple[str, Location]]:
    """Each participant's name with its row, for :func:`check_lines`."""
    file = str(source) if source is not None else None
    for person in participants:
        yield person.name, Location(file, row=person.row)


def report_missing(
    missing: Sequence[MissingGlyph], diagnostics: Diagnostics, *, strict: bool = False
) -> None:
    """Record each missing glyph as a ``missing-glyph`` warning, or raise :class:`FontError`.

    ``strict`` raises on the first one (the build's ``--strict`` may instead rely
    on :meth:`Diagnostics.raise_if_strict`).
    """
    for glyph in missing:
        message = f"no font covers {glyph.char!r} ({glyph.codepoint} {glyph.name})"
        if glyph.reason:
            message += f": {glyph.reason}"
        if strict:
            raise FontError(
                message, glyph.location,
                "install a font for this script (see fonts/fonts.toml) or remove the character",
            )
        diagnostics.warn("missing-glyph", message, glyph.location)
