"""Placeholders: forms, precedence, markers, strict mode, site profile entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from printkit.diagnostics import Diagnostics
from printkit.errors import PlaceholderError
from printkit.model import Button, Event, LinkSpan, Marker, Paragraph, Text, plain_text
from printkit.sources import Catalog, load_profile, parse_guide
from tests.sources.helpers import markers, texts


def parse(text: str, **kw: object):  # type: ignore[no-untyped-def]
    diag = Diagnostics()
    guide = parse_guide(text, source=Path("p.md"), locale=str(kw.pop("locale", "en-US")),
                        diagnostics=diag, **kw)  # type: ignore[arg-type]
    return guide, diag


CATALOG = Catalog.from_mapping({"en": {
    "who": "the catalog", "nested": {"deep": "deep text"},
    "rich": "a <b>bold</b> word, <script>x</script>and a [link](/faq)",
    "loop": "{{ loop }}", "greet": "Hello %{who}!",
    "signup_your_event": "Join now",
}})


def test_values_beat_catalog_beat_profile() -> None:
    text = "{{ who }} · {{ nested/deep }} · {{ urls/learn }}"
    guide, _ = parse(text, catalog=CATALOG)
    assert plain_text(guide.blocks[0].children) == (
        "the catalog · deep text · https://hourofcode.com/learn")
    guide, _ = parse(text, catalog=CATALOG, values={"who": "me", "urls/learn": "<b>x</b>"})
    para = guide.blocks[0]
    assert plain_text(para.children) == "me · deep text · <b>x</b>"  # user values are plain text
    guide, _ = parse("{{who}}", catalog=CATALOG, event=Event(values={"who": "event"}),
                     values={"who": "user"})
    assert plain_text(guide.blocks[0].children) == "user"


def test_catalog_strings_are_sanitised_markup() -> None:
    guide, diag = parse("See {{ rich }}.", catalog=CATALOG)
    para = guide.blocks[0]
    assert plain_text(para.children) == "See a bold word, and a link."
    links = [i.link.url for i in para.children if isinstance(i, LinkSpan)]
    assert links == ["https://hourofcode.com/faq"]
    assert "html-dropped" in diag.codes()


def test_catalog_interpolation_and_recursion_guard() -> None:
    guide, _ = parse("{{ greet }}", catalog=CATALOG)
    assert plain_text(guide.blocks[0].children) == "Hello the catalog!"
    guide, diag = parse("{{ loop }}", catalog=CATALOG)
    assert len(markers(guide)) == 1 and "placeholder-recursive" in diag.codes()


def test_unknown_placeholder_is_a_marker_with_its_line() -> None:
    guide, diag = parse("---\ntitle: t\n---\n\nLine five\nhas {{ nope/key }} and {{ }}.\n")
    found = markers(guide)
    assert [m.key for m in found] == ["nope/key", "empty placeholder"]
    assert all(m.location and m.location.line == 6 and m.location.file == "p.md" for m in found)
    assert diag.codes() == ["placeholder-unknown", "placeholder-empty"]
    assert diag.items[0].location.line == 6 and diag.items[0].location.key == "nope/key"
    assert not any("{{" in t or "}}" in t for t in texts(guide))


def test_strict_mode_raises_with_file_and_line() -> None:
    with pytest.raises(PlaceholderError) as err:
        parse("ok\n\n[x]({{ missing }})\n", strict=True)
    assert err.value.location.file == "p.md" and err.value.location.line == 3
    assert err.value.location.key == "missing" and err.value.hint
    with pytest.raises(PlaceholderError):
        parse("---\ntitle: <%= hoc_s(:nothing) %>\n---\n# H\n", strict=True)


def test_unterminated_and_erb_leftovers_never_print_raw() -> None:
    text = "a {{ half\n\nb <% if x %>c<% end %> d %> e (%= weird(1 + %)\n"
    guide, diag = parse(text)
    for t in texts(guide):
        assert "{{" not in t and "<%" not in t and "%>" not in t and "(%=" not in t
    assert "erb-control" in diag.codes() and "placeholder-broken" in diag.codes()
    assert "placeholder-unknown" in diag.codes()  # weird(1 + : not a known helper


def test_erb_forms_map_to_profile_entries() -> None:
    text = ("<%= view :signup_button %>\n\n"
            "[a](%= resolve_url('/promote/resources#videos') %) "
            "[b](%=localized_file('/files/elected-official.pdf')%) "
            "[c](<%= resolve_url('/promote/stats') %>) "
            "<%= campaign_date('start-short') %> <%= hoc_s(:who) %>\n")
    guide, diag = parse(text, locale="fr-FR", catalog=CATALOG)
    button, para = guide.blocks
    assert isinstance(button, Button) and button.link.url == "https://hourofcode.com/#join"
    assert button.label == "Join now"  # the catalog's label_key wins over the profile label
    assert [lk.url for lk in guide.links[1:]] == [
        "https://hourofcode.com/promote/resources#videos",
        "https://hourofcode.com/fr/files/elected-official.pdf",
        "https://hourofcode.com/promote/stats",
    ]
    assert plain_text(para.children).endswith("8 déc. the catalog")
    assert markers(guide) == [] and len(diag) == 0


def test_mustache_twins_give_the_same_links() -> None:
    text = ("[a]({{ promote/videos }}) [b]({{ localized_files/elected_official }}) "
            "[c]({{ promote/stats_url }}) [d]({{ promote/press_kit_url }}) "
            "[e]({{ promote/banner_ads }}) [f]({{urls/how-to/parents}})")
    guide, _ = parse(text, locale="ja-JP")
    assert [lk.url for lk in guide.links] == [
        "https://hourofcode.com/promote/resources#videos",
        "https://hourofcode.com/files/elected-official.pdf",  # no Japanese PDFs: fallback
        "https://hourofcode.com/promote/stats",
        "https://hourofcode.com/promote/press-kit",
        "https://hourofcode.com/promote/banner-ads",
        "https://hourofcode.com/how-to/parents",
    ]


def test_signup_button_alone_is_a_block_inline_is_a_link() -> None:
    guide, _ = parse("{{ signup_button }}\n\nPlease {{ signup_button }} today.\n",
                     locale="es-MX", event=Event(site_url="https://example.org/base/"))
    button, para = guide.blocks
    assert isinstance(button, Button) and button.label == "Registra tu evento"
    assert button.link.url == "https://example.org/base/#join"
    assert isinstance(para, Paragraph)
    spans = [i for i in para.children if isinstance(i, LinkSpan)]
    assert len(spans) == 1 and spans[0].children == (Text("Registra tu evento"),)


def test_url_placeholder_in_text_is_a_visible_link() -> None:
    guide, _ = parse("Go to {{ urls/learn }} now")
    span = guide.blocks[0].children[1]
    assert isinstance(span, LinkSpan) and span.link.url == "https://hourofcode.com/learn"
    assert plain_text(span.children) == "https://hourofcode.com/learn"


def test_unresolved_href_keeps_text_and_adds_marker() -> None:
    guide, diag = parse("[the kit]({{ kits/none }})")
    children = guide.blocks[0].children
    assert children[0] == Text("the kit") and isinstance(children[1], Marker)
    assert guide.links == () and diag.codes() == ["placeholder-unknown"]


def test_profile_without_dates_marks_campaign_dates(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[placeholders."campaign_date/*"]\nkind = "date"\n', encoding="utf-8")
    guide, diag = parse("{{ campaign_date/start_short }}", profile=load_profile(path))
    assert [m.key for m in markers(guide)] == ["campaign_date/start_short"]
    assert diag.codes() == ["placeholder-unknown"]


def test_title_from_catalog_markup_is_plain_text() -> None:
    catalog = Catalog.from_mapping({"t": "Hour <b>of</b> {{ who }}", "who": "Code"})
    guide, diag = parse("---\ntitle: <%= hoc_s(:t) %>\nyear: 2026\n---\n# H\n", catalog=catalog)
    assert guide.title == "Hour of Code" and guide.meta["year"] == 2026
    assert len(diag) == 0
