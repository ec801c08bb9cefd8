"""Shared fixtures: the real corpus (skipped when ``../shared`` is absent), output folders."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The design cache of certificates goes to a folder of this test session, never to the
# user's ~/.cache (tests that check the cache set their own).
os.environ["XDG_CACHE_HOME"] = _CACHE = tempfile.mkdtemp(prefix="printkit-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def corpus_guides() -> list[Path]:
    """Every corpus guide (seeds and hourofcode/*/{events,virtual}.md); empty when absent."""
    if not CORPUS.is_dir():
        return []
    seeds = sorted((CORPUS / "seeds").glob("*.txt"))
    guides = sorted((CORPUS / "hourofcode").glob("*/*.md"))
    return seeds + [g for g in guides if g.name in {"events.md", "virtual.md"}]


def corpus_locale(path: Path) -> str:
    """The locale of a corpus guide (seeds are fr-FR)."""
    return "fr-FR" if path.parent.name == "seeds" else path.parent.name


def corpus_id(path: Path) -> str:
    return f"{corpus_locale(path)}/{path.stem}"


@pytest.fixture
def corpus() -> Path:
    """The corpus folder, or skip."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
