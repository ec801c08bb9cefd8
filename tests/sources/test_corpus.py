"""Every real corpus guide reads cleanly with the shipped site profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.model import Heading, ListBlock, Table, iter_blocks, plain_text
from printkit.sources import load_catalog, read_guide
from tests.conftest import CORPUS, corpus_guides, corpus_id, corpus_locale
from tests.sources.helpers import markers, nested_headings, texts, top_headings

GUIDES = corpus_guides()
LINES = {p: p.read_text(encoding="utf-8").count("\n") + 1 for p in GUIDES}
RAW = ("{{", "}}", "<%", "%>", "(%=", "</li>", "<b>", "</ul>", "<strong", "<a ", "pkph")
TIME_RANGE = re.compile(r"\d{1,2}\s*[:.h]\s*\d{2}\D+\d{1,2}\s*[:.h]\s*\d{2}")


def _read(path: Path, diag: Diagnostics | None = None):  # type: ignore[no-untyped-def]
    return read_guide(path, locale=corpus_locale(path), diagnostics=diag or Diagnostics())


@pytest.mark.corpus
@pytest.mark.parametrize("path", GUIDES, ids=corpus_id)
def test_corpus_guide_reads_cleanly(path: Path) -> None:
    diag = Diagnostics()
    guide = _read(path, diag)
    assert guide.title and not any(m in guide.title for m in RAW)
    assert markers(guide) == []
    for text in texts(guide):
        for raw in RAW:
            assert raw not in text, (raw, text)
    # Unresolved placeholders only ever concern the ERB title without a catalog.
    unknown = [d for d in diag if d.code.startswith("placeholder")]
    assert all(d.location and d.location.line == 2 for d in unknown), unknown
    # Every block knows its file and line (front matter lines counted).
    for block in iter_blocks(guide.blocks):
        assert block.location is not None and block.location.file == str(path)
        assert block.location.line is not None and 1 < block.location.line <= LINES[path]
    # Every link is absolute http(s), with its source line.
    links = guide.links
    assert len(links) >= 5
    for link in links:
        assert re.match(r"^https?://[^/\s]+", link.url), link
        assert link.location is not None and link.location.line and link.location.line > 1


@pytest.mark.corpus
@pytest.mark.parametrize("path", GUIDES, ids=corpus_id)
def test_corpus_sections_are_top_level(path: Path) -> None:
    guide = _read(path)
    heads = top_headings(guide)
    assert nested_headings(guide) == []
    assert sum(1 for level, _ in heads if level <= 2) >= 4
    assert [level for level, _ in heads].count(1) == 1
    if path.name == "events.md" or path.name.startswith("000_"):
        # The numbered steps are level-2 sections, in order.
        steps = [t[0] for level, t in heads if level == 2 and re.match(r"^[1-3]\s*[.-]", t)]
        assert steps == ["1", "2", "3"], heads
    assert len(guide.sections) >= 4


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path", [p for p in GUIDES if p.name == "events.md" or p.name.startswith("000_")],
    ids=corpus_id,
)
def test_corpus_schedule_is_a_table(path: Path) -> None:
    guide = _read(path)
    assert len(guide.tables) == 1
    table = guide.tables[0]
    assert len(table.header) == 2 and len(table.rows) == 6
    for row in table.rows:
        assert TIME_RANGE.search(plain_text(row[0])), plain_text(row[0])
        assert plain_text(row[1]).strip()
    lines = [loc.line for loc in table.row_locations if loc]
    assert len(lines) == 6 and lines == sorted(lines) and lines[-1] - lines[0] == 5


@pytest.mark.corpus
def test_seed_indentation_damage_is_repaired(corpus: Path) -> None:
    guide = _read(corpus / "seeds" / "000_fc4ab32e0ab1ef62.txt")
    heads = top_headings(guide)
    numbered = [t for lvl, t in heads if lvl == 2 and re.match(r"^[123]\. ", t)]
    assert [t[:2] for t in numbered] == ["1.", "2.", "3."]
    # The list before "2." ends there: it is not one giant item holding the rest.
    lists = [b for b in guide.blocks if isinstance(b, ListBlock)]
    assert len(lists) == 2 and all(len(lst.items) == 3 for lst in lists)
    nested = [b for item in lists[1].items for b in item if isinstance(b, ListBlock)]
    assert len(nested) == 1 and len(nested[0].items) == 5
    assert isinstance(guide.blocks[-2], Table)
    heading_two = next(b for b in guide.blocks if isinstance(b, Heading)
                       and plain_text(b.children).startswith("2."))
    assert heading_two.location is not None and heading_two.location.line == 20


@pytest.mark.corpus
def test_catalog_resolves_erb_title(corpus: Path) -> None:
    catalog = load_catalog(corpus / "hourofcode" / "en-US" / "strings.yml")
    diag = Diagnostics()
    guide = read_guide(corpus / "hourofcode" / "de-DE" / "events.md", locale="de-DE",
                       catalog=catalog, diagnostics=diag)
    assert guide.title == "Hour of Code Event How-To"
    assert not [d for d in diag if d.code.startswith("placeholder")]
    button = guide.blocks[0]
    assert getattr(button, "label", None) == "Sign up your event"


@pytest.mark.corpus
def test_corpus_catalogs_load(corpus: Path) -> None:
    for path in sorted((CORPUS / "hourofcode").glob("*/strings*.yml")):
        catalog = load_catalog(path)
        assert catalog.language and catalog.get("site_name"), path
