"""String catalogs and site profiles: loading, lookups, clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from printkit.errors import CatalogError
from printkit.sources import load_catalog, load_profile

GUIDES = Path(__file__).resolve().parent.parent / "fixtures" / "guides"


def test_catalog_unwraps_language_and_reads_paths() -> None:
    catalog = load_catalog(GUIDES / "strings-fr.yml")
    assert catalog.language == "fr"
    assert catalog.get("event/name") == "la fête du jardin"
    assert catalog.get("/promote/videos") == "/promote/films"
    assert catalog.get("event") is None and catalog.get("nope/x") is None
    assert "title_open_day" in catalog


def test_catalog_without_language_key(tmp_path: Path) -> None:
    path = tmp_path / "s.yml"
    path.write_text("a: 1\nb:\n  c: deux\n", encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.language is None and catalog.get("a") == "1" and catalog.get("b/c") == "deux"


@pytest.mark.parametrize(
    ("content", "line"),
    [("fr:\n  a: ok\n  b: [oops\n  c: d\n", 4), ("fr:\n  a: 'x\n", 3), ("fr:\n\ta: x\n", 2)],
)
def test_bad_yaml_names_file_and_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert err.value.location.file == str(path)
    assert err.value.location.line == line
    assert "bad.yml" in err.value.describe() and "hint" in err.value.describe()


def test_catalog_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(path)
    with pytest.raises(CatalogError):
        load_catalog(tmp_path / "absent.yml")
    (tmp_path / "latin.yml").write_bytes("a: é\n".encode("latin-1"))
    with pytest.raises(CatalogError) as err:
        load_catalog(tmp_path / "latin.yml")
    assert err.value.location.line == 1


def test_shipped_profile() -> None:
    profile = load_profile()
    assert profile.site_url == "https://hourofcode.com"
    assert profile.start == dt.date(2025, 12, 8) and profile.end == dt.date(2025, 12, 14)
    entry, rest = profile.lookup("localized_files/participation_guide_virtual")  # type: ignore[misc]
    assert entry.kind == "file" and rest == "participation_guide_virtual"
    assert profile.lookup("campaign_date/start-short")[0].skeleton == "MMMd"  # type: ignore[index]
    assert profile.lookup("unknown/thing") is None
    assert profile.erb_key("resolve_url", "/promote/stats") == "path:/promote/stats"
    assert profile.erb_key("localized_file", "/files/a-b.pdf") == "localized_files/a_b"
    assert profile.erb_key("no_such_helper", "x") is None


def test_user_profile_extends_the_shipped_one() -> None:
    profile = load_profile(GUIDES / "profile.toml")
    assert profile.site_url == "https://garden.example.org"
    assert profile.lookup("signup_button")[0].href == "/register"  # type: ignore[index]
    assert profile.lookup("promote/videos")[0].href == "/promote/resources#videos"  # type: ignore[index]
    assert profile.start == dt.date(2026, 5, 16)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('name = "x"\n[placeholders.a]\nkind = "teleport"\n', "unknown kind"),
        ('[placeholders.a]\nkind = "date"\ndate = "someday"\n', "start, end or range"),
        ('[dates]\nstart = "soon"\n', "dates.start"),
        ('extends = "nowhere"\n', "nowhere"),
    ],
)
def test_bad_profiles(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_profile(path)
    assert needle in err.value.describe()


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "ok"\n\n[placeholders\n', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_profile(path)
    assert err.value.location.line == 3
