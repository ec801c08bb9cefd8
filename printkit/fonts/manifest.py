"""The font manifest ``fonts/fonts.toml``: which family serves which script and role."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ..errors import FontError, Location
from ..resources import fonts_dir

ROLES = ("body", "heading", "display")
Role = Literal["body", "heading", "display"]


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """What a role asks for: a CSS weight and a generic family to end the stack."""

    weight: int
    generic: str


@dataclass(frozen=True, slots=True)
class ScriptEntry:
    """One ``[scripts.XXXX]`` table: families per role, in preference order."""

    code: str
    name: str
    families: dict[str, tuple[str, ...]]
    use_all: bool = False
    last_resort: bool = False

    def for_role(self, role: str) -> tuple[str, ...]:
        return self.families.get(role) or self.families.get("body", ())


@dataclass(frozen=True, slots=True)
class BundledFont:
    """A font file shipped in ``fonts/``."""

    family: str
    path: Path
    weight: int = 400
    style: Literal["normal", "italic"] = "normal"
    license: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    roles: dict[str, RoleSpec]
    scripts: tuple[ScriptEntry, ...]
    bundled: tuple[BundledFont, ...]
    path: Path

    def script(self, code: str | None) -> ScriptEntry | None:
        return next((s for s in self.scripts if s.code == code), None)

    def role(self, role: str) -> RoleSpec:
        if role not in self.roles:
            raise FontError(
                f"unknown font role {role!r}",
                Location.of(self.path),
                "use one of: " + ", ".join(self.roles),
            )
        return self.roles[role]


def _strings(value: object, where: Location) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FontError("expected a list of family names", where, 'write e.g. ["Noto Sans"]')
    return tuple(value)


def load_manifest(path: Path | None = None) -> Manifest:
    """Read and check a manifest (the shipped one by default)."""
    path = path or fonts_dir() / "fonts.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FontError(f"invalid TOML: {exc}", Location.of(path), "fix the manifest") from exc
    roles = {
        name: RoleSpec(int(spec.get("weight", 400)), str(spec.get("generic", "sans-serif")))
        for name, spec in data.get("roles", {}).items()
    }
    for role in ROLES:
        roles.setdefault(role, RoleSpec(400, "sans-serif"))
    scripts = []
    for code, table in data.get("scripts", {}).items():
        where = Location(str(path), key=f"scripts.{code}")
        families = {r: _strings(table[r], where) for r in roles if r in table}
        if "body" not in families:
            raise FontError("a script needs a body list", where, 'add body = ["Family"]')
        scripts.append(
            ScriptEntry(
                code,
                str(table.get("name", code)),
                families,
                bool(table.get("use-all", False)),
                bool(table.get("last-resort", False)),
            )
        )
    bundled = []
    for i, item in enumerate(data.get("bundled", [])):
        file = path.parent / str(item["file"])
        if not file.is_file():
            raise FontError(
                f"bundled font file {item['file']!r} is missing",
                Location(str(path), key=f"bundled[{i}]"),
                "add the file to fonts/ or remove the entry",
            )
        style: Literal["normal", "italic"] = (
            "italic" if item.get("style") == "italic" else "normal"
        )
        bundled.append(
            BundledFont(
                str(item["family"]), file, int(item.get("weight", 400)), style,
                str(item.get("license", "")),
            )
        )
    return Manifest(roles, tuple(scripts), tuple(bundled), path)


@cache
def manifest() -> Manifest:
    """The shipped manifest, read once."""
    return load_manifest()
