"""System fonts through fontconfig: ``fc-list`` runs once per process and is cached."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ..model import FontFace

#: fontconfig weights -> CSS weights (fontconfig.h FC_WEIGHT_*).
_FC_WEIGHTS = (
    (0, 100), (40, 200), (50, 300), (55, 350), (75, 400), (80, 400), (100, 500),
    (180, 600), (200, 700), (205, 800), (210, 900), (215, 950),
)
_FORMAT = "%{family}\\t%{weight}\\t%{slant}\\t%{index}\\t%{file}\\n"


@dataclass(frozen=True, slots=True)
class SystemFace:
    """One installed face, with every family name fontconfig knows it by."""

    families: tuple[str, ...]
    weight: int  # CSS
    style: Literal["normal", "italic"]
    index: int
    path: Path


def css_weight(fc_weight: float) -> int:
    """Nearest CSS weight of a fontconfig weight.

    >>> css_weight(80), css_weight(200), css_weight(50)
    (400, 700, 300)
    """
    return min(_FC_WEIGHTS, key=lambda pair: abs(pair[0] - fc_weight))[1]


def parse_fc_list(output: str) -> list[SystemFace]:
    r"""Parse ``fc-list --format`` output in printkit's format.

    >>> parse_fc_list("Noto Sans,Noto Sans Light\t50\t0\t0\t/f/NotoSans-Light.ttf\n")[0].weight
    300
    """
    faces = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[4]:
            continue
        family, weight, slant, index, file = parts
        try:
            fc_weight = float(weight.split()[0]) if weight else 80.0
            slant_value = int(float(slant)) if slant else 0
            face_index = int(index) if index else 0
        except ValueError:
            continue
        names = tuple(n.strip() for n in family.split(",") if n.strip())
        faces.append(
            SystemFace(
                names,
                css_weight(fc_weight),
                "normal" if slant_value == 0 else "italic",
                face_index,
                Path(file),
            )
        )
    return faces


@cache
def system_faces() -> tuple[SystemFace, ...]:
    """Every face fontconfig lists (empty when fontconfig is not installed)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ()
    result = subprocess.run(
        [exe, "--format", _FORMAT], capture_output=True, text=True, check=False, timeout=60
    )
    faces = parse_fc_list(result.stdout)
    faces.sort(key=lambda f: (str(f.path), f.index))  # stable, reproducible order
    return tuple(faces)


def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None


@cache
def _by_family() -> dict[str, list[SystemFace]]:
    out: dict[str, list[SystemFace]] = {}
    for face in system_faces():
        for name in face.families:
            out.setdefault(name.casefold(), []).append(face)
    return out


def find_face(
    family: str, weight: int = 400, style: Literal["normal", "italic"] = "normal"
) -> FontFace | None:
    """The installed face of ``family`` nearest to ``weight`` and ``style``, if any."""
    candidates = _by_family().get(family.casefold())
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda f: (
            f.style != style,
            abs(f.weight - weight),
            f.families[0].casefold() != family.casefold(),  # prefer the primary name
            str(f.path),
            f.index,
        ),
    )
    return FontFace(family, best.path, best.index, best.weight, best.style)


@cache
def fontconfig_covers(char: str) -> bool:
    """Whether some installed font has ``char``: Pango falls back to any of them, so a
    character outside printkit's stacks still prints in documents WeasyPrint renders (the
    bulk certificate engine uses the stack only). One ``fc-list`` query per character."""
    exe = shutil.which("fc-list")
    if exe is None:
        return False
    result = subprocess.run(
        [exe, f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and bool(result.stdout.strip())
