"""Inputs: guides (Markdown dialect), string catalogs, site profiles, participant lists.

The names below are imported on first use, so that reading a participant list
does not load the Markdown parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import Catalog, load_catalog
    from .guide import decode_guide, parse_guide, read_guide
    from .profile import ProfileEntry, SiteProfile, load_profile

_WHERE = {
    "Catalog": ".catalog",
    "load_catalog": ".catalog",
    "decode_guide": ".guide",
    "parse_guide": ".guide",
    "read_guide": ".guide",
    "ProfileEntry": ".profile",
    "SiteProfile": ".profile",
    "load_profile": ".profile",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


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
