"""A translated guide aligned with its English source, to restore what translation broke.

Both guides have the same sections, links, placeholders and schedule rows in
the same order. They are aligned in two steps, each a global sequence
alignment (Needleman-Wunsch) that tolerates a lost or added piece:

1. **sections** (a heading of level 1-3 and the blocks up to the next), scored
   by how alike their block kinds, link counts and sizes are; sections left
   over on both sides are then paired by similarity, so two reordered
   sections still find each other;
2. **blocks** inside each pair of sections, scored the same way.

Within a pair of blocks, placeholders are paired in order (by key where the
counts differ). A translation placeholder that is broken, unknown, or was only
guessed from a misspelt key takes the source's key (the reader then resolves
it for the translation's locale: dates in its language, links to the same
targets); a schedule time the translation made unreadable takes the source's
time, written in the translation's locale. Every restoration is a warning
naming both lines. Translated text is never replaced: only keys, targets
and times. Sections, links and schedule rows found on one side only are
reported.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..diagnostics import Diagnostics
from ..errors import Location
from ..model import (
    Block,
    Button,
    Guide,
    Heading,
    Inlines,
    Link,
    ListBlock,
    Paragraph,
    Table,
    Text,
    iter_blocks,
    iter_links,
    plain_text,
)
from ..schedule.format import format_range
from ..schedule.timeparse import ParsedRange, parse_time_range
from .build import ReadReport
from .placeholders import Placeholder

Pair = tuple[int | None, int | None]
#: Translation placeholder index -> (the source's placeholder, where it is written).
Overrides = Mapping[int, tuple[Placeholder, str]]
_GAP = -1.0
_SECTION_LEVEL = 3
_REORDERED = 0.5  # similarity for two left-over sections to be taken as reordered
_IN_PLACE = 0.3  # similarity for two sections the alignment put side by side
_BUTTON_TEXT = 60  # a call to action translated into plain text is at most this long


@dataclass(frozen=True, slots=True)
class _Sig:
    kind: str
    links: int
    size: int
    number: str = ""  # the digits of a heading ("2. Snacks"): the same in every language


def _signature(block: Block) -> _Sig:
    if isinstance(block, Heading):
        digits = "".join(ch for ch in plain_text(block.children) if ch.isdigit())[:4]
        return _Sig(f"h{block.level}", 0, 0, digits)
    elif isinstance(block, Table):
        kind, size = "table", len(block.rows)
    elif isinstance(block, ListBlock):
        kind, size = "list", len(block.items)
    else:
        kind, size = type(block).__name__.lower(), 0
    return _Sig(kind, len(list(iter_links((block,)))), size)


def _block_score(t: _Sig, s: _Sig) -> float:
    if t.kind != s.kind:
        return 0.0 if t.kind[0] == s.kind[0] == "h" else -1.5
    # links count little: broken links are what the alignment is for
    score = 2.0 + (0.5 if t.links == s.links else 0.0) + (0.5 if t.size == s.size else 0.0)
    if t.number != s.number:
        score -= 1.5
    return score


def align(n: int, m: int, score: Callable[[int, int], float], gap: float = _GAP) -> list[Pair]:
    """Global alignment of two sequences of lengths ``n`` and ``m`` (pairs of indices).

    >>> a, b = "abcd", "abxd"
    >>> align(4, 4, lambda i, j: 1.0 if a[i] == b[j] else -1.0)
    [(0, 0), (1, 1), (2, 2), (3, 3)]
    >>> a, b = "abcd", "acd"
    >>> align(4, 3, lambda i, j: 1.0 if a[i] == b[j] else -1.0)
    [(0, 0), (1, None), (2, 1), (3, 2)]
    """
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0] = i * gap
    for j in range(1, m + 1):
        best[0][j] = j * gap
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best[i][j] = max(best[i - 1][j - 1] + score(i - 1, j - 1),
                             best[i - 1][j] + gap, best[i][j - 1] + gap)
    out: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and best[i][j] == best[i - 1][j - 1] + score(i - 1, j - 1):
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and best[i][j] == best[i - 1][j] + gap:
            out.append((i - 1, None))
            i -= 1
        else:
            out.append((None, j - 1))
            j -= 1
    return out[::-1]


def _headed(guide: Guide, section: list[int]) -> bool:
    return isinstance(guide.blocks[section[0]], Heading)


def _align_sigs(t: list[_Sig], s: list[_Sig]) -> list[Pair]:
    return align(len(t), len(s), lambda a, b: _block_score(t[a], s[b]))


def _sections(blocks: tuple[Block, ...]) -> list[list[int]]:
    out: list[list[int]] = [[]]
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level <= _SECTION_LEVEL and out[-1]:
            out.append([])
        out[-1].append(index)
    return [s for s in out if s]


def _similarity(t: list[_Sig], s: list[_Sig]) -> float:
    """How alike two sections are (0-1): block kinds and sizes, heading numbers, links."""
    def words(sigs: list[_Sig]) -> list[str]:
        return [f"{x.kind}:{x.size}" for x in sigs]

    ratio = difflib.SequenceMatcher(None, words(t), words(s), autojunk=False).ratio()
    if t and s and t[0].kind != s[0].kind:
        ratio -= 0.3
    if t and s and t[0].number != s[0].number and t[0].number and s[0].number:
        return 0.0  # "2." is never "4."
    if t and s and t[0].number != s[0].number:
        ratio -= 0.5
    elif t and s and t[0].number:
        ratio += 0.2
    if sum(x.links for x in t) == sum(x.links for x in s):
        ratio += 0.1
    return max(0.0, min(1.0, ratio))


def align_blocks(translation: Guide, source: Guide) -> tuple[list[Pair], list[int], list[int]]:
    """Pairs of (translation, source) top-level block indices, then the sections' first
    block indices found only in the translation, and only in the source."""
    t_sigs = [_signature(b) for b in translation.blocks]
    s_sigs = [_signature(b) for b in source.blocks]
    t_secs, s_secs = _sections(translation.blocks), _sections(source.blocks)

    def sims(i: int, j: int) -> float:
        return _similarity([t_sigs[k] for k in t_secs[i]], [s_sigs[k] for k in s_secs[j]])

    table = {(i, j): sims(i, j) for i in range(len(t_secs)) for j in range(len(s_secs))}
    matched = [(i, j) for i, j in align(len(t_secs), len(s_secs),
                                        lambda i, j: 4 * table[i, j] - 2.0, gap=-1.0)]
    pairs = [(i, j) for i, j in matched if i is not None and j is not None
             and table[i, j] >= _IN_PLACE]
    left_t = [i for i in range(len(t_secs)) if all(p[0] != i for p in pairs)]
    left_s = [j for j in range(len(s_secs)) if all(p[1] != j for p in pairs)]
    if 0 in left_t and 0 in left_s and not _headed(translation, t_secs[0]) and \
            not _headed(source, s_secs[0]):
        pairs.append((0, 0))  # what comes before the first heading
        left_t.remove(0)
        left_s.remove(0)
    for i in list(left_t):  # reordered sections: the best left-over partner
        if not left_s:
            break
        j = max(left_s, key=lambda j: table[i, j])
        if table[i, j] >= _REORDERED:
            pairs.append((i, j))
            left_t.remove(i)
            left_s.remove(j)
    out: list[Pair] = []
    for i, j in sorted(pairs, key=lambda p: p[0]):
        t_idx, s_idx = t_secs[i], s_secs[j]
        t_part, s_part = [t_sigs[k] for k in t_idx], [s_sigs[k] for k in s_idx]
        for a, b in _align_sigs(t_part, s_part):
            out.append((t_idx[a] if a is not None else None, s_idx[b] if b is not None else None))
    return out, [t_secs[i][0] for i in left_t], [s_secs[j][0] for j in left_s]


# -- placeholders ----------------------------------------------------------


def _line(block: Block) -> int:
    return block.location.line if block.location is not None and block.location.line else 0


def _ranges(guide: Guide) -> list[tuple[int, int]]:
    starts = [_line(b) for b in guide.blocks]
    return [(start, starts[k + 1] if k + 1 < len(starts) else 1 << 30)
            for k, start in enumerate(starts)]


def _in_range(items: Sequence[Placeholder], lines: tuple[int, int]) -> list[Placeholder]:
    return [p for p in items if lines[0] <= p.line < lines[1] and p.form != "control"]


def _fold_key(ph: Placeholder) -> str:
    return ph.key.replace(" ", "").replace("-", "_").lower()


def _pair_placeholders(t: list[Placeholder], s: list[Placeholder]
                       ) -> list[tuple[Placeholder, Placeholder]]:
    if len(t) == len(s):
        return list(zip(t, s, strict=True))
    out: list[tuple[Placeholder, Placeholder]] = []
    matcher = difflib.SequenceMatcher(None, [_fold_key(p) for p in t], [_fold_key(p) for p in s],
                                      autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a2 - a1 == b2 - b1):
            out.extend(zip(t[a1:a2], s[b1:b2], strict=True))
    return out


_RESTORE = frozenset({"unresolved", "broken", "guessed"})


def _groups(pairs: list[Pair]) -> list[tuple[list[int], list[int]]]:
    """Aligned blocks with the unpaired ones that follow them (a figure one side hoisted
    out of its paragraph, the other side not, must not separate their placeholders)."""
    out: list[tuple[list[int], list[int]]] = []
    for i, j in pairs:
        if i is not None and j is not None:
            out.append(([i], [j]))
        elif out and i is not None:
            out[-1][0].append(i)
        elif out and j is not None:
            out[-1][1].append(j)
    return out


def placeholder_overrides(
    pairs: list[Pair], translation: Guide, t_report: ReadReport, source: Guide,
    s_report: ReadReport,
) -> dict[int, tuple[Placeholder, str]]:
    """Translation placeholder index -> (source placeholder, where) for those to restore."""
    t_ranges, s_ranges = _ranges(translation), _ranges(source)
    s_file = str(source.source) if source.source else "source guide"
    out: dict[int, tuple[Placeholder, str]] = {}
    for t_blocks, s_blocks in _groups(pairs):
        t_items = sorted((p for i in t_blocks for p in _in_range(t_report.items, t_ranges[i])),
                         key=lambda p: p.index)
        s_items = sorted((p for j in s_blocks for p in _in_range(s_report.items, s_ranges[j])),
                         key=lambda p: p.index)
        for t_ph, s_ph in _pair_placeholders(t_items, s_items):
            if t_report.outcomes.get(t_ph.index) in _RESTORE and \
                    s_report.outcomes.get(s_ph.index, "ok") == "ok" and s_ph.form != "broken":
                out[t_ph.index] = (s_ph, f"{s_file}, line {s_ph.line}")
    return out


# -- schedule times and reports ---------------------------------------------


def _loc(guide: Guide, block: Block | None = None) -> Location:
    file = str(guide.source) if guide.source else None
    return Location(file, _line(block) or None if block is not None else None)


def _where(guide: Guide, block: Block) -> str:
    name = str(guide.source) if guide.source else "source guide"
    return f"{name}, line {_line(block)}"


def restore_times(
    translation: Guide, source: Guide, pairs: list[Pair], diagnostics: Diagnostics
) -> Guide:
    """The translation with schedule times it made unreadable taken from the source."""
    replaced: dict[int, Table] = {}
    locale = translation.locale or "en"
    for i, j in pairs:
        if i is None or j is None:
            continue
        t_tables = [b for b in iter_blocks((translation.blocks[i],)) if isinstance(b, Table)]
        s_tables = [b for b in iter_blocks((source.blocks[j],)) if isinstance(b, Table)]
        for t_table, s_table in zip(t_tables, s_tables, strict=False):
            new = _restore_table(t_table, s_table, locale, source=source,
                                 translation=translation, diagnostics=diagnostics)
            if new is not t_table:
                replaced[id(t_table)] = new
    if not replaced:
        return translation
    return dataclasses.replace(translation,
                               blocks=tuple(_swap(b, replaced) for b in translation.blocks))


def _cell(row: tuple[Inlines, ...]) -> str:
    return " ".join(plain_text(row[0]).split()) if row else ""


def _restore_table(t: Table, s: Table, locale: str, *, source: Guide, translation: Guide,
                   diagnostics: Diagnostics) -> Table:
    s_times = [parse_time_range(_cell(row), "en") for row in s.rows]
    if not any(s_times):
        return t
    t_times = [parse_time_range(_cell(row), locale) for row in t.rows]

    def word(times: list[ParsedRange | None]) -> list[str]:
        return [repr(x) for x in times]

    matcher = difflib.SequenceMatcher(None, word(t_times), word(s_times), autojunk=False)
    rows = list(t.rows)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a2 - a1 == b2 - b1:
            for a, b in zip(range(a1, a2), range(b1, b2), strict=True):
                parsed = s_times[b]
                if t_times[a] is not None or parsed is None or parsed.end is None:
                    continue
                text = format_range(parsed.start, parsed.end, locale)
                if parse_time_range(text, locale) != parsed:
                    text = f"{parsed.start // 60}:{parsed.start % 60:02d} - " \
                           f"{parsed.end // 60}:{parsed.end % 60:02d}"
                old = _cell(rows[a])
                rows[a] = ((Text(text),), *rows[a][1:])
                diagnostics.warn(
                    "schedule-time-restored",
                    f"schedule row {a + 1}: time {old!r} unreadable; the source guide's "
                    f"{_cell(s.rows[b])!r} ({_row_where(source, s, b)}) is used",
                    _row_loc(translation, t, a),
                )
            continue
        for a in range(a1, a2):
            if t_times[a] is not None:
                diagnostics.warn("schedule-row-extra",
                                 f"schedule row {a + 1} ({_cell(t.rows[a])!r}) has no "
                                 "counterpart in the source guide", _row_loc(translation, t, a))
        for b in range(b1, b2):
            if a2 - a1 == 0:
                diagnostics.warn(
                    "schedule-row-missing",
                    f"the source guide's schedule row {b + 1} ({_cell(s.rows[b])!r}, "
                    f"{_row_where(source, s, b)}) has no counterpart in the translation",
                    _loc(translation, None) if t.location is None else t.location)
    return dataclasses.replace(t, rows=tuple(rows)) if rows != list(t.rows) else t


def _row_loc(guide: Guide, table: Table, index: int) -> Location:
    base = table.row_locations[index] if index < len(table.row_locations) else None
    base = base or table.location or Location()
    return dataclasses.replace(base, file=base.file or (str(guide.source) if guide.source
                                                         else None), row=index + 1)


def _row_where(guide: Guide, table: Table, index: int) -> str:
    loc = _row_loc(guide, table, index)
    return f"{loc.file or 'source guide'}, line {loc.line}"


def _swap(block: Block, replaced: Mapping[int, Table]) -> Block:
    if isinstance(block, Table):
        return replaced.get(id(block), block)
    if isinstance(block, ListBlock):
        items = tuple(tuple(_swap(b, replaced) for b in item) for item in block.items)
        return dataclasses.replace(block, items=items)
    return block


def _title(block: Block) -> str:
    if isinstance(block, Heading):
        return plain_text(block.children)
    return "(before the first heading)"


def restore_buttons(translation: Guide, source: Guide, pairs: list[Pair],
                    diagnostics: Diagnostics) -> Guide:
    """A call to action the translation wrote as plain text becomes a button again.

    Its translated text is kept as the label; only the target comes from the source.
    """
    blocks = list(translation.blocks)
    for i, j in pairs:
        if i is None or j is None:
            continue
        t_block, s_block = blocks[i], source.blocks[j]
        if not (isinstance(s_block, Button) and isinstance(t_block, Paragraph)):
            continue
        label = " ".join(plain_text(t_block.children).split())
        if not label or len(label) > _BUTTON_TEXT or list(iter_links((t_block,))):
            continue
        blocks[i] = Button(label, Link(s_block.link.url, label, t_block.location),
                           t_block.location)
        diagnostics.warn("link-restored",
                         f"{label!r} is the source guide's button ({_where(source, s_block)}): "
                         f"linked to {s_block.link.url}", _loc(translation, t_block))
    return dataclasses.replace(translation, blocks=tuple(blocks))


def report_differences(translation: Guide, source: Guide, pairs: list[Pair], *,
                       only_t: list[int], only_s: list[int], diagnostics: Diagnostics) -> None:
    """Warn about sections and links found in only one of the two guides."""
    for index in only_s:
        block = source.blocks[index]
        title = _title(block)
        diagnostics.warn("source-section-missing",
                         f"the source guide's section {title!r} ({_where(source, block)}) has "
                         "no counterpart in the translation", _loc(translation))
    for index in only_t:
        block = translation.blocks[index]
        title = _title(block)
        diagnostics.warn("source-section-extra",
                         f"section {title!r} has no counterpart in the source guide "
                         f"{source.source}", _loc(translation, block))
    for i, j in pairs:
        if i is None or j is None:
            continue
        t_links = list(iter_links((translation.blocks[i],)))
        s_links = list(iter_links((source.blocks[j],)))
        if len(t_links) < len(s_links):
            missing = [link.url for link in s_links
                       if link.url not in {t.url for t in t_links}]
            diagnostics.warn(
                "source-link-missing",
                f"{len(s_links) - len(t_links)} link(s) of the source guide "
                f"({_where(source, source.blocks[j])}) missing here"
                + (f": {', '.join(missing[:3])}" if missing else ""),
                _loc(translation, translation.blocks[i]))


class ReadFn(Protocol):
    """Reads one guide: the caller's :func:`~.guide.read_guide` with its catalog and event.

    ``final`` is false for the reads that only gather what the alignment needs
    (never strict; their warnings are discarded).
    """

    def __call__(self, path: Path, locale: str, diagnostics: Diagnostics, *,
                 report: ReadReport | None, overrides: Overrides | None,
                 final: bool) -> Guide: ...


def read_aligned(path: Path, source_path: Path, locale: str, read: ReadFn,
                 diagnostics: Diagnostics) -> Guide:
    """Read the guide at ``path`` with its English source at ``source_path`` (module doc)."""
    s_report, t_report = ReadReport(), ReadReport()
    source = read(source_path, "en-US", Diagnostics(), report=s_report, overrides=None,
                  final=False)
    first = read(path, locale, Diagnostics(), report=t_report, overrides=None, final=False)
    pairs, _, _ = align_blocks(first, source)
    overrides = placeholder_overrides(pairs, first, t_report, source, s_report)
    guide = read(path, locale, diagnostics, report=None, overrides=overrides, final=True)
    pairs, _, _ = align_blocks(guide, source)
    guide = restore_buttons(guide, source, pairs, diagnostics)
    pairs, only_t, only_s = align_blocks(guide, source)
    report_differences(guide, source, pairs, only_t=only_t, only_s=only_s,
                       diagnostics=diagnostics)
    return restore_times(guide, source, pairs, diagnostics)
