"""YAML front matter between ``---`` lines at the top of a guide.

    >>> fm = split_front_matter("---\\n'title': 'Hi'\\nlayout: wide\\n---\\n# Body\\n")
    >>> fm.data, fm.end_line, fm.body_lines[fm.end_line:]
    ({'title': 'Hi', 'layout': 'wide'}, 4, ['# Body', ''])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import GuideError, Location

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = re.compile(r"^---\s*$")
_CLOSE = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The front matter mapping and the guide's lines with the front matter blanked.

    ``end_line`` is the 1-based number of the closing ``---`` (0 when absent), so
    ``body_lines`` keeps the original line numbering.
    """

    data: Mapping[str, object] = field(default_factory=dict)
    end_line: int = 0
    body_lines: list[str] = field(default_factory=list)


def split_front_matter(
    text: str,
    *,
    source: Path | None = None,
    protect: Callable[[str, int], str] | None = None,
) -> FrontMatter:
    """Split the front matter off ``text``.

    :param protect: called on the YAML text (with its first line number) before
        parsing, to hide placeholders such as ``{{ x }}`` that YAML would misread.
    :raises GuideError: the YAML is malformed (with the line in the guide).
    """
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return FrontMatter({}, 0, lines)
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        return FrontMatter({}, 0, lines)
    yaml_text = "\n".join(lines[1:end])
    if protect is not None:
        yaml_text = protect(yaml_text, 2)
    try:
        data = yaml.load(yaml_text, Loader=_LOADER) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise GuideError(
            f"bad YAML in front matter: {problem}",
            Location.of(source, line),
            "quote values that contain ': ' or start with '{', '%', '@' or '*'",
        ) from exc
    if not isinstance(data, Mapping):
        # Not `key: value` lines: the dashes were Markdown rules, not front matter.
        return FrontMatter({}, 0, lines)
    body = [""] * (end + 1) + lines[end + 1:]
    return FrontMatter({str(k): v for k, v in data.items()}, end + 1, body)
