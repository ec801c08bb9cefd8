"""Hyphenation dictionaries from the cache: the same patterns and hyphens as pyphen's own
parse, the same PDF, and a damaged entry is a miss."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from printkit.render import hyphcache
from tests.conftest import ROOT
from tests.pdfcheck import poppler_text

pyphen: Any = hyphcache.pyphen

WORDS = ("Veranstaltungsprogramm", "Informatikunterricht", "programmation", "hyphenation",
         "Schülerinnen", "extraordinairement", "responsibilities", "Donaudampfschifffahrt")


def _dictionary(lang: str) -> Path:
    return Path(pyphen.LANGUAGES[pyphen.language_fallback(lang)])


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PRINTKIT_NO_CACHE", raising=False)
    return tmp_path / "printkit" / "pyphen"


@pytest.mark.parametrize("lang", ["de_DE", "fr", "en_US"])
def test_a_stored_dictionary_reads_back_as_parsed(lang: str, cache: Path) -> None:
    path = _dictionary(lang)
    parsed = pyphen.HyphDict(path)
    assert hyphcache.load(path) is None
    hyphcache.store(path, parsed)
    assert len(list(cache.glob("*.pyphen"))) == 1
    loaded = hyphcache.load(path)
    assert loaded is not None and loaded is not parsed
    assert repr(sorted(loaded.patterns.items())) == repr(sorted(parsed.patterns.items()))
    assert loaded.maxlen == parsed.maxlen
    for word in WORDS:
        assert loaded.positions(word) == pyphen.HyphDict(path).positions(word)
    assert any(loaded.positions(word) for word in WORDS)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "checksummed-garbage"])
def test_a_damaged_entry_is_a_miss(damage: str, cache: Path) -> None:
    path = _dictionary("fr")
    hyphcache.store(path, pyphen.HyphDict(path))
    (entry,) = cache.glob("*.pyphen")
    data = entry.read_bytes()
    if damage == "flip":
        data = data[:100] + bytes([data[100] ^ 0x01]) + data[101:]
    elif damage == "truncate":
        data = data[:-10]
    elif damage == "empty":
        data = b""
    else:
        body = b"\x80\x05garbage"
        data = hashlib.sha256(body).digest() + body
    entry.write_bytes(data)
    assert hyphcache.load(path) is None


def test_an_edited_dictionary_is_a_new_entry(tmp_path: Path, cache: Path) -> None:
    own = tmp_path / "hyph_xx.dic"
    own.write_text("UTF-8\n1ba\nc1c\n", encoding="utf-8")
    hyphcache.store(own, pyphen.HyphDict(own))
    assert hyphcache.load(own) is not None
    own.write_text("UTF-8\n1ba\nc1c\nd1d\n", encoding="utf-8")
    assert hyphcache.load(own) is None  # size and time changed: not the same dictionary


def test_no_cache_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRINTKIT_NO_CACHE", "1")
    path = _dictionary("fr")
    hyphcache.store(path, pyphen.HyphDict(path))
    assert not cache.exists()


# A German handout (long words, hyphens: auto) in a fresh process: what the cache did, and
# the PDF. "plain" renders with pyphen's own cache (printkit's hook undone).
_HANDOUT = r"""
import sys
from pathlib import Path
from printkit.documents.handout import build_handout
from printkit.options import HandoutOptions
from printkit.render import hyphcache, weasy
if sys.argv[1] == "plain":
    hyphcache.install = lambda: None
guide = Path(sys.argv[2])
guide.with_suffix(".pdf").write_bytes(
    build_handout(HandoutOptions(guide=guide, locale="de-DE")).pdf)
print(hyphcache.STATS.get("hyph_de_DE.dic"))
"""

GUIDE = """# Veranstaltungsprogramm

Die Informatikunterrichtsstunde beginnt mit Programmierübungen für Schülerinnen und Schüler,
danach folgt die Donaudampfschifffahrtsgesellschaftskapitänsmütze als Beispielwort, und
Kommunikationswissenschaftlerinnen erklären Verantwortungsbewusstsein und
Selbstständigkeitserklärungen, Rechtsschutzversicherungsgesellschaften und
Nahrungsmittelunverträglichkeiten in einer schmalen Spalte mit automatischer Silbentrennung.
"""


def test_a_handout_is_byte_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1"}
    env.pop("PRINTKIT_NO_CACHE", None)

    def render(name: str, mode: str) -> tuple[bytes, str]:
        (tmp_path / name).mkdir()
        guide = tmp_path / name / "guide.md"
        guide.write_text(GUIDE, encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", _HANDOUT, mode, str(guide)], env=env,
                              cwd=ROOT, capture_output=True, text=True, check=True)
        return guide.with_suffix(".pdf").read_bytes(), done.stdout.strip()

    plain, outcome = render("plain", "plain")
    assert outcome == "None"
    miss, outcome = render("miss", "printkit")
    assert outcome == "miss"
    hit, outcome = render("hit", "printkit")
    assert outcome == "hit"
    assert miss == plain and hit == plain
    (tmp_path / "check.pdf").write_bytes(hit)
    assert "\u2010\n" in poppler_text(tmp_path / "check.pdf")  # hyphenated at line ends
