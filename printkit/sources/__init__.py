"""Inputs: guides (Markdown dialect), string catalogs, site profiles, participant lists."""

from __future__ import annotations

from .catalog import Catalog, load_catalog
from .guide import decode_guide, parse_guide, read_guide
from .profile import ProfileEntry, SiteProfile, load_profile

__all__ = [
    "Catalog",
    "ProfileEntry",
    "SiteProfile",
    "decode_guide",
    "load_catalog",
    "load_profile",
    "parse_guide",
    "read_guide",
]
