"""The guide reader on our own fixtures: structure, repairs, locations, errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_interval, format_skeleton

from printkit.diagnostics import Diagnostics
from printkit.errors import GuideError
from printkit.model import (
    Button,
    Embed,
    Event,
    Figure,
    Heading,
    LineBreak,
    ListBlock,
    Paragraph,
    Rule,
    Strong,
    Table,
    Text,
    plain_text,
)
from printkit.sources import load_catalog, load_profile, parse_guide, read_guide
from tests.sources.helpers import first, markers, nested_headings, texts, top_headings

GUIDES = Path(__file__).resolve().parent.parent / "fixtures" / "guides"


def read(name: str, **kw: object) -> tuple:  # type: ignore[type-arg]
    diag = Diagnostics()
    guide = read_guide(GUIDES / name, locale=str(kw.pop("locale", "en-US")), diagnostics=diag,
                       **kw)  # type: ignore[arg-type]
    return guide, diag


def parse(text: str, **kw: object) -> tuple:  # type: ignore[type-arg]
    diag = Diagnostics()
    guide = parse_guide(text, source=Path("g.md"), locale=str(kw.pop("locale", "en-US")),
                        diagnostics=diag, **kw)  # type: ignore[arg-type]
    return guide, diag


# -- indentation damage -------------------------------------------------------


def test_damaged_guide_comes_out_as_sections_lists_and_table() -> None:
    guide, diag = read("damaged.md")
    assert top_headings(guide) == [
        (1, "Robotics club open day"),
        (2, "1. Before the day"),
        (2, "2. On the day"),
        (2, "3. Afterwards"),
        (2, "Run of the day"),
    ]
    assert nested_headings(guide) == []
    lists = [b for b in guide.blocks if isinstance(b, ListBlock)]
    assert [len(lst.items) for lst in lists] == [3, 2]
    more_ideas = lists[1].items[1]
    assert plain_text(more_ideas[0].children) == "More ideas :"  # type: ignore[union-attr]
    assert isinstance(more_ideas[1], ListBlock) and len(more_ideas[1].items) == 2
    table = guide.tables[0]
    assert [plain_text(r[0]) for r in table.rows] == [
        "9:00 – 9:10", "9:10 – 9:30", "9:30 – 10:00", "10:00 – 10:20", "10:20 – 10:50",
        "10:50 – 11:00",
    ]
    assert [loc.line for loc in table.row_locations if loc] == list(range(33, 39))
    assert isinstance(guide.blocks[-1], Button) and guide.blocks[-1].location.line == 40
    assert diag.codes() == ["html-stray-tag", "html-stray-tag"]
    assert [d.location.line for d in diag] == [12, 14]


def test_indented_prose_never_becomes_code() -> None:
    guide, _ = parse("Intro line.\n\n    Indented prose, not code.\n\n\tTabbed prose too.\n")
    assert [type(b) for b in guide.blocks] == [Paragraph, Paragraph, Paragraph]
    assert plain_text(guide.blocks[1].children) == "Indented prose, not code."


def test_legit_nested_lists_are_not_dedented() -> None:
    guide, _ = parse("- one\n    - one a\n\t- one b\n- two\n")
    (lst,) = guide.blocks
    assert isinstance(lst, ListBlock) and len(lst.items) == 2
    assert isinstance(lst.items[0][1], ListBlock) and len(lst.items[0][1].items) == 2


# -- Markdown dialect ----------------------------------------------------------


def test_rules_bold_and_front_matter_dashes() -> None:
    text = ("---\ntitle: Rules\n---\nFirst para\n---\n\n* * *\n\n***\n\n"
            "** Spaced bold ** then **Label :**value and **活动：**学校\n")
    guide, _ = parse(text)
    kinds = [type(b) for b in guide.blocks]
    assert kinds == [Paragraph, Rule, Rule, Rule, Paragraph]
    assert guide.title == "Rules" and guide.blocks[1].location.line == 5
    strongs = [plain_text(i.children) for i in guide.blocks[-1].children if isinstance(i, Strong)]
    assert strongs == ["Spaced bold", "Label :", "活动："]


def test_title_falls_back_to_first_h1() -> None:
    guide, _ = parse("Intro\n\n## Not this\n\n# The real title\n")
    assert guide.title == "The real title"
    guide, _ = parse("no headings")
    assert guide.title == "g"


def test_front_matter_keys_are_kept() -> None:
    guide, _ = read("dialect.md")
    assert guide.meta["layout"] == "wide" and guide.meta["audience"] == "families"


def test_line_breaks_and_locations_count_front_matter() -> None:
    guide, _ = parse("---\ntitle: x\nnav: y\n---\n\n**Step**<br>Then go.\n\nNext\n")
    para = guide.blocks[0]
    assert para.location.line == 6
    assert [type(i) for i in para.children] == [Strong, LineBreak, Text]
    assert guide.blocks[1].location.line == 8


def test_html_list_links_embed_and_figure() -> None:
    guide, diag = read("dialect.md")
    lst = first(guide.blocks, ListBlock)
    assert [plain_text(item[0].children) for item in lst.items] == [  # type: ignore[union-attr]
        "Pick a spot: somewhere with shade and power plugs.",
        "Bring water: it gets hot.",
        "Print the seed cards.",
    ]
    bold = lst.items[1][0].children[0]  # type: ignore[union-attr]
    assert isinstance(bold, Strong)  # `< strong>` was repaired
    embed = first(guide.blocks, Embed)
    assert embed.kind == "video" and embed.title == "How seeds grow"
    assert embed.link.url == "https://www.youtube.com/watch?v=AbCdEf12345"
    figure = first(guide.blocks, Figure)
    assert figure.image.path is None and figure.location.line == 17
    assert figure.image.src == "https://hourofcode.com/images/fit-600/Garden/seed-tray.png"
    assert figure.link is not None and figure.link.url == "https://hourofcode.com/learn"
    urls = [link.url for link in guide.links]
    assert urls == [
        "https://hourofcode.com/#join",
        "https://hourofcode.com/files/garden-guide.pdf",
        "https://hourofcode.com/how-to/volunteers",
        "https://hourofcode.com/learn",
        "https://example.org/plugs",
        "https://hourofcode.com/fr/files/seed-cards.pdf" if False else
        "https://hourofcode.com/files/seed-cards.pdf",
        "https://www.youtube.com/watch?v=AbCdEf12345",
    ]
    codes = diag.codes()
    assert "link-scheme" in codes and "html-dropped" in codes and "image-missing" in codes
    assert "do not click" in texts(guide)[-0 - 1] or any("do not click" in t for t in texts(guide))
    assert not any("document.write" in t or "javascript" in t for t in texts(guide))


def test_unsafe_links_keep_their_text() -> None:
    text = ('[a](javascript:alert(1)) <a href="file:///etc/passwd">b</a> '
            '<a href=" data:text/html,x">c</a> [d](#top) <a href="jav&#x61;script:x">e</a>')
    guide, diag = parse(text)
    assert guide.links == ()
    assert plain_text(guide.blocks[0].children) == "a b c d e"
    assert diag.codes().count("link-scheme") == 4 and "link-anchor" in diag.codes()


def test_relative_links_use_the_site_url() -> None:
    guide, _ = parse("[a](/us/learn) [b](how-to) [c](//cdn.example.net/x) [d](www.example.com)",
                     event=Event(site_url="https://club.example.org/"))
    assert [link.url for link in guide.links] == [
        "https://club.example.org/us/learn", "https://club.example.org/how-to",
        "https://cdn.example.net/x", "https://www.example.com",
    ]


def test_html_table_and_broken_tags() -> None:
    text = ("<table><tr><th>When</th><th>What</th></tr>\n<tr><td>9:00</td><td>Start <b>now"
            "</td></tr><tr><td>9:30<td>End</table>\n\nText <span>in <font color=red>a</font>"
            " span</span> </div> <blink>under</blink>\n")
    guide, diag = parse(text)
    table = guide.blocks[0]
    assert isinstance(table, Table)
    assert [plain_text(c) for c in table.header] == ["When", "What"]
    assert [[plain_text(c) for c in row] for row in table.rows] == [["9:00", "Start now"],
                                                                   ["9:30", "End"]]
    assert plain_text(guide.blocks[1].children) == "Text in a span under"
    assert "html-stray-tag" in diag.codes() and "html-unsupported" in diag.codes()


def test_iframe_that_is_not_a_video_is_a_frame() -> None:
    guide, _ = parse('<iframe src="https://maps.example.com/embed?q=hall"></iframe>\n')
    (embed,) = guide.blocks
    assert isinstance(embed, Embed) and embed.kind == "frame"
    assert embed.link.url == "https://maps.example.com/embed?q=hall"


def test_headings_inside_paragraph_html_are_hoisted() -> None:
    guide, _ = parse("Lead text <ul><li>one</li><li>two</li></ul> tail\n")
    kinds = [type(b) for b in guide.blocks]
    assert kinds == [Paragraph, ListBlock, Paragraph]


# -- errors ------------------------------------------------------------------


def test_unreadable_file_is_a_guide_error(tmp_path: Path) -> None:
    with pytest.raises(GuideError) as err:
        read_guide(tmp_path / "missing.md", locale="fr-FR")
    assert "missing.md" in str(err.value) and err.value.hint


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("# Titre\n\nDeuxième ligne\n".encode("latin-1"))
    with pytest.raises(GuideError) as err:
        read_guide(path, locale="fr-FR")
    assert err.value.location is not None and err.value.location.line == 3
    assert "UTF-8" in (err.value.hint or "")


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.md"
    path.write_bytes("# Überschrift\n".encode("utf-16"))
    assert read_guide(path, locale="de-DE").title == "Überschrift"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"# a\n\x00\x01\x02")
    with pytest.raises(GuideError):
        read_guide(path, locale="en-US")


def test_bad_front_matter_yaml_names_the_line() -> None:
    with pytest.raises(GuideError) as err:
        parse_guide("---\ntitle: ok\nlist: [unclosed\n---\n# x\n", source=Path("g.md"),
                    locale="en-US")
    assert err.value.location is not None and err.value.location.file == "g.md"
    assert err.value.location.line in (3, 4)


def test_placeholders_in_front_matter_do_not_break_yaml() -> None:
    guide, _ = parse("---\ntitle: {{ event/name }} day\n---\n", values={"event/name": "Robot"})
    assert guide.title == "Robot day"


def test_corpus_like_dates_follow_locale_and_event() -> None:
    """The event's dates, in the profile's skeletons, the locale's way (Babel's own answer)."""
    text = "Date: {{ campaign_date/start_short }} / {{ campaign_date/full }}"
    start, end = dt.date(2026, 3, 14), dt.date(2026, 3, 15)
    event = Event(date=start, end_date=end)
    for tag in ("fr-FR", "ja-JP"):
        guide, _ = parse(text, locale=tag, event=event)
        loc = Locale.parse(tag.replace("-", "_"))
        short = format_skeleton("MMMd", start, locale=loc)
        full = format_interval(start, end, "MMMMd", locale=loc)
        assert plain_text(guide.blocks[0].children) == f"Date: {short} / {full}"
        assert "14" in short and "14" in full and "15" in full
        assert full.index("14") < full.index("15")
    # fr: the months in words, abbreviated then wide (March is "mars" both ways in French)
    fr, _ = parse(text, locale="fr-FR", event=event)
    assert Locale.parse("fr").months["format"]["wide"][3] in plain_text(fr.blocks[0].children)
    # no event: the profile's default dates (8 to 14 December), wide month kept in the range
    guide, _ = parse(text, locale="en-US")
    printed = plain_text(guide.blocks[0].children)
    en = Locale.parse("en_US")
    first_day = format_skeleton("MMMd", dt.date(2025, 12, 8), locale=en)
    assert printed.startswith(f"Date: {first_day} / ")
    full = printed.split(" / ", 1)[1]
    assert full.startswith(en.months["format"]["wide"][12]) and full.count("December") == 1
    assert [int(n) for n in re.findall(r"\d+", full)] == [8, 14]


def test_user_catalog_and_profile(tmp_path: Path) -> None:
    guide, diag = read("dialect.md", locale="fr-FR",
                       catalog=load_catalog(GUIDES / "strings-fr.yml"),
                       profile=load_profile(GUIDES / "profile.toml"))
    assert guide.title == "Après-midi de code au jardin"
    button = guide.blocks[0]
    assert isinstance(button, Button) and button.label == "Register your garden"
    assert button.link.url == "https://garden.example.org/register"
    assert "Welcome to la fête du jardin, on 16 mai." in plain_text(guide.blocks[4].children)
    assert "https://garden.example.org/fr/docs/seed-cards.pdf" in [lk.url for lk in guide.links]
    assert markers(guide) == [] and "placeholder-unknown" not in diag.codes()


def test_headings_keep_their_levels() -> None:
    guide, _ = parse("# One\n## Two\n### Three\n<h4>Four</h4>\n")
    assert [(b.level, plain_text(b.children)) for b in guide.blocks
            if isinstance(b, Heading)] == [(1, "One"), (2, "Two"), (3, "Three"), (4, "Four")]


def test_soft_breaks_join_cjk_lines_without_space() -> None:
    guide, _ = parse("活动计划\n示例 and\nmore\n\n이벤트\n일정\n", locale="zh-CN")
    got = [plain_text(b.children) for b in guide.blocks]
    assert got == ["活动计划示例 and more", "이벤트 일정"]


def test_damage_after_a_legit_nested_list_keeps_the_nesting() -> None:
    text = "- Ideas:\n\t- first idea\n\t- second idea\n\n    ## Next step\n\n    Plain text.\n"
    guide, _ = parse(text)
    assert top_headings(guide) == [(2, "Next step")]
    (lst,) = [b for b in guide.blocks if isinstance(b, ListBlock)]
    assert len(lst.items) == 1 and isinstance(lst.items[0][1], ListBlock)
    assert isinstance(guide.blocks[-1], Paragraph)


def test_prose_after_a_stray_list_end_is_not_list_content() -> None:
    text = "- one\n- two </li>\n\n    Back to prose.\n\n    - three\n"
    guide, _ = parse(text)
    assert [type(b) for b in guide.blocks] == [ListBlock, Paragraph, ListBlock]


def test_markdown_inside_html_containers() -> None:
    text = ("<div align=center>\n\n## Centred\n\n</div>\n\n<ul>\n<li>\n\nSee **this** [page](/p)"
            "\n\n</li>\n<li>second</li>\n</ul>\n\n<ol start=3><li>c<li>d</ol>\n")
    guide, diag = parse(text)
    assert [type(b) for b in guide.blocks] == [Heading, ListBlock, ListBlock]
    first_item = guide.blocks[1].items[0][0]  # type: ignore[union-attr]
    assert plain_text(first_item.children) == "See this page"
    assert guide.links[0].url == "https://hourofcode.com/p"
    assert guide.blocks[2].ordered and guide.blocks[2].start == 3  # type: ignore[union-attr]
    assert len(diag) == 0
