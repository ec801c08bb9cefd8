"""hatch_build.py compiles every catalog to a .mo that gettext reads back."""

from __future__ import annotations

import gettext
import importlib.util
import shutil
from pathlib import Path

from printkit import i18n

ROOT = Path(__file__).resolve().parents[2]


def load_hook():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_compiles_every_catalog(tmp_path: Path) -> None:
    locale_dir = tmp_path / "locale"
    shutil.copytree(i18n.catalog_dir(), locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    written = load_hook().compile_catalogs(locale_dir)
    assert sorted(p.parent.parent.name for p in written) == sorted(i18n.catalogs())
    ids = i18n.template_ids()
    for mo in written:
        catalog_id = mo.parent.parent.name
        from_mo = gettext.translation("printkit", locale_dir, languages=[catalog_id])
        expected = i18n.translations(i18n.catalog_tag(catalog_id))
        assert [from_mo.gettext(m) for m in ids] == [expected.gettext(m) for m in ids]


def test_pyproject_registers_the_hook() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "[tool.hatch.build.hooks.custom]" in text
    assert '"hatch_build.py"' in text  # shipped in the sdist, so wheels build from it
