"""A damage fuzzer: clean guides, random translation damage from every family, several at once.

The clean English corpus guides (skipped when absent) and the example guides are damaged
in random places (bold half HTML, flattened tables, broken braces and ERB, misspelt and
translated keys, run-of-show cells) and must still give: every heading a heading, every
link its original target (a reference; a decodable QR code in the few PDF runs), every
schedule row a row, and no raw ``**``, ``|``, ``{{``, ``<%`` or tag text. Translated keys
and unreadable times are only restorable with the source guide, so they are only drawn
for the runs that have it.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from printkit.diagnostics import Diagnostics
from printkit.documents.handout import load_guide, write_handout
from printkit.locale import LocaleContext
from printkit.model import Guide, Heading, iter_blocks, plain_text
from printkit.options import HandoutOptions
from printkit.schedule import find_schedules
from tests.conftest import CORPUS, ROOT
from tests.pdfcheck import text
from tests.sources.damage import qr_codes
from tests.sources.helpers import texts

EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class Clean:
    path: Path
    locale: str
    strings: Path | None


def _cleans() -> list[Clean]:
    out = [Clean(EXAMPLES / "guides" / f"{name}.md", locale, EXAMPLES / "strings" / f"{name}.yml")
           for name, locale in (("en", "en-US"), ("fr", "fr-FR"), ("ar", "ar-EG"))]
    english = CORPUS / "hourofcode" / "en-US"
    out += [Clean(english / name, "en-US", None) for name in ("events.md", "virtual.md")
            if (english / name).is_file()]
    return out


CLEANS = _cleans()

# -- damage operators: (text, random) -> text --------------------------------------------

Damage = Callable[[str, random.Random], str]
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w/-]*)\s*\}\}")
_TIME_CELL = re.compile(r"^(\|\s*)(\d{1,2}:\d{2}[^|]*?)(\s*\|)", re.MULTILINE)
_DELIM = re.compile(r"^\s*\|?\s*:?-{3,}")
_EXACT_KEYS = ("promote/videos", "promote/press_kit_url", "promote/stats_url", "signup_button",
               "campaign_date/start_short", "campaign_date/start_long")
_PREFIXES = {"urls/": "url/", "localized_files/": "localised_files/"}


def _pick(pattern: re.Pattern[str], text: str, rnd: random.Random) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return rnd.choice(found) if found else None


def _swap(text: str, match: re.Match[str], new: str) -> str:
    return text[:match.start()] + new + text[match.end():]


def bold(text: str, rnd: random.Random) -> str:
    match = _pick(_BOLD, text, rnd)
    if match is None:
        return text
    line_start = text.rfind("\n", 0, match.start()) + 1
    heading = text[line_start:line_start + 1] in "#|"
    inner = match.group(1).strip()
    forms = [f"** {inner} </ strong>", f"**{inner} </b>", f"<b>{inner}**", f"** {inner}**",
             f"<strong>{inner} **"]
    if " " in inner and not heading:
        head, tail = inner.split(" ", 1)
        forms.append(f"** {head}\n{tail} **")
    return _swap(text, match, rnd.choice(forms))


def _tables(text: str) -> list[tuple[int, int]]:
    lines = text.split("\n")
    out, start = [], None
    for i, line in enumerate([*lines, ""]):
        if line.lstrip().startswith("|"):
            start = i if start is None else start
        else:
            if start is not None and i - start >= 3 and _DELIM.match(lines[start + 1]):
                out.append((start, i))
            start = None
    return out


def _table_damage(change: Callable[[list[str], random.Random], list[str]]) -> Damage:
    def damage(text: str, rnd: random.Random) -> str:
        tables = _tables(text)
        if not tables:
            return text
        start, end = rnd.choice(tables)
        lines = text.split("\n")
        return "\n".join(lines[:start] + change(lines[start:end], rnd) + lines[end:])

    damage.__name__ = change.__name__
    return damage


def one_line(rows: list[str], rnd: random.Random) -> list[str]:
    return [" ".join(r.strip() for r in rows)]


def escaped_dashes(rows: list[str], rnd: random.Random) -> list[str]:
    columns = rows[0].strip().strip("|").count("|") + 1
    return [rows[0], "\\---" * columns + "-", *rows[2:]]


def glued(rows: list[str], rnd: random.Random) -> list[str]:
    if len(rows) < 4:
        return rows
    k = rnd.randrange(2, len(rows) - 1)
    return [*rows[:k], rows[k].rstrip() + rows[k + 1].strip(), *rows[k + 2:]]


def no_edge_pipes(rows: list[str], rnd: random.Random) -> list[str]:
    return [r.strip().strip("|") for r in rows]


def indented_stray(rows: list[str], rnd: random.Random) -> list[str]:
    out = ["    " + r for r in rows]
    out.insert(rnd.randrange(2, len(out)), rnd.choice(["</p>", "    </strong>", "</p></p>"]))
    return out


def braces(text: str, rnd: random.Random) -> str:
    match = _pick(_PLACEHOLDER, text, rnd)
    if match is None:
        return text
    key = match.group(1)
    before = text[match.start() - 1:match.start()]
    after = text[match.end():match.end() + 1]
    if before == "(" and after == ")":
        whole = re.compile(re.escape("(" + match.group(0) + ")"))
        link = whole.search(text, match.start() - 1)
        if link is not None:
            return _swap(text, link, rnd.choice([f"({{{{{key} }}a>)", f"(== {{{key} }}a>)"]))
    return _swap(text, match, rnd.choice([f"{{ {{{key}}} }}", f"｛｛{key}｝｝", f"{{{{ {key} }}"]))


def misspelt_key(text: str, rnd: random.Random) -> str:
    matches = [m for m in _PLACEHOLDER.finditer(text)
               if m.group(1) in _EXACT_KEYS or m.group(1).startswith(tuple(_PREFIXES))]
    if not matches:
        return text
    match = rnd.choice(matches)
    key = match.group(1)
    for prefix, wrong in _PREFIXES.items():
        if key.startswith(prefix):
            return _swap(text, match, "{{ " + wrong + key[len(prefix):] + " }}")
    i = rnd.randrange(1, len(key) - 1)
    wrong = rnd.choice([key[:i] + key[i + 1:], key[:i] + key[i] + key[i:],
                        key[0].upper() + key[1:], key.replace("promote/", "promotion/")])
    return _swap(text, match, "{{ " + wrong + " }}")


def time_cell(text: str, rnd: random.Random) -> str:
    match = _pick(_TIME_CELL, text, rnd)
    if match is None:
        return text
    cell = match.group(2)
    forms = [cell.replace(":", rnd.choice([";", ".", "h", "："])),
             cell.replace("1", "١", 1), cell.replace(":00", "", 1) if ":00" in cell else cell,
             re.sub(r"\b(am|pm)\b", lambda m: m.group(1) + m.group(1)[-1], cell),
             ("am " + cell.replace(" am", "")) if cell.endswith(" am") else cell]
    return _swap(text, match, match.group(1) + rnd.choice(forms) + match.group(3))


_LINK = re.compile(r"\]\((?=https?://|\{\{)")
_HEADING_HASH = re.compile(r"^(#{2,6}) (?=\S)", re.MULTILINE)
_HREF = re.compile(r'href="([^"]+)"')


def split_link(text: str, rnd: random.Random) -> str:
    match = _pick(_LINK, text, rnd)
    return text if match is None else _swap(text, match, "] (")


def encoded_braces(text: str, rnd: random.Random) -> str:
    match = _pick(re.compile(r"\(\{\{ ?([\w/-]+) ?\}\}\)"), text, rnd)
    if match is None:
        return text
    return _swap(text, match, f"(%7B%7B%20{match.group(1)}%20%7D%7D)")


def glued_heading(text: str, rnd: random.Random) -> str:
    match = _pick(_HEADING_HASH, text, rnd)
    if match is None:
        return text
    hashes = match.group(1)
    return _swap(text, match, rnd.choice([hashes, "＃" * len(hashes) + " "]))


def curly_href(text: str, rnd: random.Random) -> str:
    match = _pick(_HREF, text, rnd)
    return text if match is None else _swap(text, match, f"href=“{match.group(1)}”")


def translated_key(text: str, rnd: random.Random) -> str:
    """Family 5: the key written in the guide's language (only the source can help)."""
    match = _pick(_PLACEHOLDER, text, rnd)
    if match is None:
        return text
    word = "".join(rnd.choice("பிரச்சாரம்தேதிவிளம்பரம்") for _ in range(6))
    return _swap(text, match, "{{" + word + "_ " + word[::-1] + "}}")


def unreadable_time(text: str, rnd: random.Random) -> str:
    match = _pick(_TIME_CELL, text, rnd)
    if match is None:
        return text
    return _swap(text, match, match.group(1) + "quand tout le monde est prêt" + match.group(3))


DAMAGE: list[Damage] = [bold, bold, _table_damage(one_line), _table_damage(escaped_dashes),
                        _table_damage(glued), _table_damage(no_edge_pipes),
                        _table_damage(indented_stray), braces, braces, misspelt_key, time_cell,
                        time_cell, split_link, encoded_braces, glued_heading, curly_href]
SOURCE_ONLY: list[Damage] = [translated_key, unreadable_time]

# -- checks --------------------------------------------------------------------------------

RAW = ("**", "{{", "}}", "<%", "%>", "(%=", "٪", "</", "<b>", "<strong", "a>)", "== {")


def _read(clean: Clean, path: Path, source: Path | None) -> tuple[Guide, Diagnostics]:
    diag = Diagnostics()
    options = HandoutOptions(guide=path, locale=clean.locale, strings=clean.strings,
                             source_guide=source)
    return load_guide(options, LocaleContext.parse(clean.locale), diag), diag


def _headings(guide: Guide) -> list[tuple[int, str]]:
    return [(b.level, " ".join(plain_text(b.children).split()))
            for b in iter_blocks(guide.blocks) if isinstance(b, Heading)]


def _plans(guide: Guide) -> list[list[tuple[int, int]]]:
    return [[(s.start, s.end) for s in plan.slots] for plan in find_schedules(guide, Diagnostics())]


def _check(clean: Clean, damaged: Guide, original: Guide, exact_times: bool) -> None:
    assert _headings(damaged) == _headings(original)
    assert [link.url for link in damaged.links] == [link.url for link in original.links]
    plans, expected = _plans(damaged), _plans(original)
    assert [len(p) for p in plans] == [len(p) for p in expected]
    if exact_times:
        assert plans == expected
    before = " ".join(texts(original))
    for piece in texts(damaged):
        for raw in (*RAW, "|"):
            if raw not in before:
                assert raw not in piece, (raw, piece)


def _damaged(clean: Clean, tmp: Path, ops: list[Damage], seed: int) -> Path:
    rnd = random.Random(seed)
    content = clean.path.read_text(encoding="utf-8")
    for op in ops:
        content = op(content, rnd)
    path = tmp / f"damaged-{clean.path.stem}.md"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def _quiet() -> object:
    logging.disable(logging.WARNING)  # thousands of honest warnings: not the point here
    yield
    logging.disable(logging.NOTSET)


_ORIGINALS: dict[Path, Guide] = {}


def _original(clean: Clean) -> Guide:
    if clean.path not in _ORIGINALS:
        _ORIGINALS[clean.path] = _read(clean, clean.path, None)[0]
    return _ORIGINALS[clean.path]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CLEANS), st.lists(st.sampled_from(DAMAGE), min_size=1, max_size=6),
       st.integers(0, 2**32))
def test_damage_without_source(tmp_path: Path, clean: Clean, ops: list[Damage],
                               seed: int) -> None:
    path = _damaged(clean, tmp_path, ops, seed)
    damaged, _ = _read(clean, path, None)
    _check(clean, damaged, _original(clean), exact_times=True)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CLEANS),
       st.lists(st.sampled_from(DAMAGE + SOURCE_ONLY * 3), min_size=1, max_size=6),
       st.integers(0, 2**32))
def test_damage_with_source_guide(tmp_path: Path, clean: Clean, ops: list[Damage],
                                  seed: int) -> None:
    path = _damaged(clean, tmp_path, ops, seed)
    damaged, _ = _read(clean, path, clean.path)
    _check(clean, damaged, _original(clean), exact_times=True)


@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CLEANS), st.lists(st.sampled_from(DAMAGE + SOURCE_ONLY), min_size=3,
                                         max_size=6), st.integers(0, 2**32))
def test_damaged_handout_pdf(tmp_path: Path, clean: Clean, ops: list[Damage], seed: int) -> None:
    path = _damaged(clean, tmp_path, ops, seed)
    options = HandoutOptions(guide=path, locale=clean.locale, strings=clean.strings,
                             source_guide=clean.path)
    pdf = tmp_path / "damaged.pdf"
    result = write_handout(options, pdf, Diagnostics())
    assert qr_codes(pdf) == {link.url for link in _original(clean).links}
    content = text(pdf)
    for raw in RAW:
        assert raw not in content, raw
    if not clean.locale.startswith("ar"):  # pdftotext reorders Arabic marks
        for _, heading in _headings(_original(clean)):
            assert heading.split()[0] in content, heading
    assert len(result.guide.tables) == len(_original(clean).tables)
