"""Font stacks per locale and role, from the manifest and the installed fonts.

A stack is the locale's own script faces first, then Latin, then every other
script of the manifest in file order, then the last-resort faces: mixed-script
text (a Japanese name in a French list) falls back to a face that has it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from fontTools import unicodedata as ft_unicodedata

from ..langtag import parse_tag
from ..model import FontFace
from .manifest import Manifest, ScriptEntry, manifest
from .system import find_face, fontconfig_available

if TYPE_CHECKING:
    from ..locale import LocaleContext


def locale_script(locale: LocaleContext | str) -> str:
    """The ISO 15924 script of a locale (``ja`` -> ``Jpan``, ``zh-TW`` -> ``Hant``).

    >>> locale_script("ja"), locale_script("zh-TW"), locale_script("ko-KR")
    ('Jpan', 'Hant', 'Kore')
    """
    if isinstance(locale, str):
        return parse_tag(locale).script
    return locale.script or parse_tag(locale.tag).script


def resolve_family(family: str, weight: int = 400, data: Manifest | None = None) -> FontFace | None:
    """A bundled face of ``family`` if there is one, else an installed one, else ``None``."""
    data = data or manifest()
    bundled = [b for b in data.bundled if b.family.casefold() == family.casefold()]
    if bundled:
        best = min(bundled, key=lambda b: (b.style != "normal", abs(b.weight - weight)))
        return FontFace(best.family, best.path, 0, best.weight, best.style)
    return find_face(family, weight)


def _entry_faces(entry: ScriptEntry, role: str, weight: int, data: Manifest) -> list[FontFace]:
    faces = []
    for family in entry.for_role(role):
        face = resolve_family(family, weight, data)
        if face is not None:
            faces.append(face)
            if not entry.use_all:
                break
    return faces


def _ordered_entries(script: str, data: Manifest) -> list[ScriptEntry]:
    primary = data.script(script)
    latin = data.script("Latn")
    head = [e for e in (primary, latin) if e is not None]
    rest = [e for e in data.scripts if e not in head and not e.last_resort]
    tail = [e for e in data.scripts if e.last_resort and e not in head]
    return head + rest + tail


@cache
def _stack(script: str, role: str) -> tuple[FontFace, ...]:
    data = manifest()
    weight = data.role(role).weight
    out: list[FontFace] = []
    seen: set[tuple[str, int]] = set()
    for entry in _ordered_entries(script, data):
        for face in _entry_faces(entry, role, weight, data):
            key = (str(face.path), face.index)
            if key not in seen and all(f.family != face.family for f in out):
                seen.add(key)
                out.append(face)
    return tuple(out)


def font_stack(locale: LocaleContext | str, role: str = "body") -> list[FontFace]:
    """The faces for ``locale`` and ``role`` in fallback order (only installed/bundled ones)."""
    script = locale_script(locale)
    manifest().role(role)  # unknown role -> FontError
    return list(_stack(script, role))


def _quote(family: str) -> str:
    escaped = family.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def css_font_family(stack: list[FontFace], role: str = "body") -> str:
    """A CSS ``font-family`` value: quoted families in order, then the role's generic.

    >>> from pathlib import Path
    >>> stack = [FontFace("Noto Sans CJK JP", Path("a.ttc")), FontFace("Noto Sans", Path("b"))]
    >>> css_font_family(stack)
    '"Noto Sans CJK JP", "Noto Sans", sans-serif'
    """
    families = list(dict.fromkeys(f.family for f in stack))
    generic = manifest().role(role).generic
    return ", ".join([*map(_quote, families), generic])


def font_face_css(stack: list[FontFace]) -> str:
    """``@font-face`` rules for the bundled faces of a stack (system faces need none)."""
    bundled = {b.path for b in manifest().bundled}
    rules = []
    for face in stack:
        if face.path in bundled:
            rules.append(
                f"@font-face {{ font-family: {_quote(face.family)}; src: url({face.path.as_uri()});"
                f" font-weight: {face.weight}; font-style: {face.style}; }}"
            )
    return "\n".join(rules)


def fonts_by_script() -> dict[str, list[str]]:
    """For ``printkit info``: script name -> the families found for it (all roles)."""
    data = manifest()
    out: dict[str, list[str]] = {}
    for entry in data.scripts:
        found: list[str] = []
        for role in data.roles:
            for face in _entry_faces(entry, role, data.role(role).weight, data):
                if face.family not in found:
                    found.append(face.family)
        out[entry.name] = found
    return out


def missing_families() -> dict[str, list[str]]:
    """Script name -> families the manifest names that are neither installed nor bundled."""
    data = manifest()
    out: dict[str, list[str]] = {}
    for entry in data.scripts:
        names = dict.fromkeys(f for fams in entry.families.values() for f in fams)
        absent = [f for f in names if resolve_family(f, 400, data) is None]
        if absent:
            out[entry.name] = absent
    return out


def explainer(stack: list[FontFace]) -> Callable[[str], str]:
    """A function: ISO 15924 script -> why a character of it is missing from ``stack``."""
    data = manifest()
    families = frozenset(f.family for f in stack)
    return lambda code: _why(code, data, families)


_HAN_SCRIPTS = {"Hani": "Hans", "Hira": "Jpan", "Kana": "Jpan", "Hang": "Kore", "Bopo": "Hant"}


def _why(code: str, data: Manifest, families: frozenset[str]) -> str:
    if code in {"Zyyy", "Zinh", "Zzzz"}:
        return "no font in the stack covers it"
    entry = data.script(_HAN_SCRIPTS.get(code, code))
    if entry is None:
        name = ft_unicodedata.script_name(code, code)
        return f"fonts/fonts.toml names no font for the {name} script"
    name = entry.name
    listed = dict.fromkeys(f for fams in entry.families.values() for f in fams)
    present = [f for f in listed if f in families]
    if present:
        return f"not in the {name} font(s) {', '.join(present)}"
    installed = [f for f in listed if resolve_family(f, 400, data) is not None]
    if installed:
        return f"the {name} font(s) {', '.join(installed)} are installed but not in this stack"
    hint = " (fontconfig's fc-list was not found)" if not fontconfig_available() else ""
    package = " (Debian package fonts-noto-color-emoji)" if code == "Zsye" else ""
    return f"no {name} font is installed{hint}: looked for {', '.join(listed)}{package}"
