"""Kits: one ``kit.toml`` describes an event; :func:`build_kit` prints everything for it.

``config`` reads and validates the file, ``registry`` lists the document kinds,
``state`` hashes inputs and keeps ``kit.json``, ``build`` runs the jobs,
``archive`` and ``previews`` write the ZIPs and PNGs.
"""

from __future__ import annotations

from .build import BuildOptions, BuildReport, build_kit
from .config import Kit, load_kit

__all__ = ["BuildOptions", "BuildReport", "Kit", "build_kit", "load_kit"]
