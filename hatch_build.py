"""Hatch build hook: compile the layout-string catalogs (.po -> .mo) when a wheel is built.

The ``.mo`` files are written next to their ``.po`` in ``layouts/locale/`` (they are
gitignored, never committed), so the wheel's ``layouts`` force-include packs them and an
editable install reads them in place. At run time printkit compiles a ``.po`` in memory
when its ``.mo`` is missing or older (``printkit.i18n``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo  # babel is in [build-system] requires
from babel.messages.pofile import read_po

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported without hatchling (tests call compile_catalogs)
    BuildHookInterface = object  # type: ignore[assignment,misc]

DOMAIN = "printkit"


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Compile every ``<id>/LC_MESSAGES/printkit.po`` under ``locale_dir``; return the .mo paths.

    Fuzzy entries are left out, as ``pybabel compile`` does; a catalog whose header is
    marked fuzzy is still compiled (its translated entries are real).
    """
    written = []
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, ignore_obsolete=True)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class CatalogBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    """Compile catalogs before the wheel (or editable wheel) is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        written = compile_catalogs(Path(self.root) / "layouts" / "locale")
        self.app.display_info(f"compiled {len(written)} translation catalog(s)")
