"""Model → HTML: text is always escaped, links get shared numbers, markers stay visible."""

from __future__ import annotations

from printkit.markup import MarkupContext, block_html, guide_sections
from printkit.model import (
    Button,
    Figure,
    Guide,
    Heading,
    Image,
    Link,
    LinkSpan,
    Marker,
    Paragraph,
    Strong,
    Text,
)


def test_text_is_escaped_never_markup() -> None:
    ctx = MarkupContext()
    html = block_html(
        Paragraph((Text("<script>alert(1)</script> {{ 7*7 }} "), Strong((Text("<b>x</b>"),)))),
        ctx,
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "{{ 7*7 }}" in html  # printed as text: the layout never sees it as template code


def test_identical_urls_share_one_number_and_sections_collect_new_ones() -> None:
    a = Link("https://example.org/a", "a")
    b = Link("https://example.org/b", "b")
    guide = Guide(
        "T",
        (
            Heading(2, (Text("One"),)),
            Paragraph((LinkSpan(a, (Text("first"),)), LinkSpan(b, (Text("second"),)))),
            Heading(2, (Text("Two"),)),
            Paragraph((LinkSpan(a, (Text("again"),)),)),
            Button("Sign up", Link("https://example.org/join", "Sign up")),
        ),
    )
    ctx = MarkupContext()
    sections = guide_sections(guide, ctx)
    assert [r.number for r in sections[0].references] == [1, 2]
    assert [r.url for r in sections[1].references] == ["https://example.org/join"]
    assert '<sup class="ref">1</sup>' in sections[1].html  # the repeated link keeps number 1
    assert [r.number for r in ctx.references.entries] == [1, 2, 3]


def test_markers_and_missing_images_are_visible_boxes() -> None:
    ctx = MarkupContext(gettext=lambda s: {"Image not available": "Image absente"}.get(s, s))
    html = block_html(Paragraph((Marker("promote/unknown"),)), ctx)
    assert 'class="marker"' in html and "promote/unknown" in html and "{{" not in html
    html = block_html(Figure(Image("/images/x.jpg", "A robot <3", None)), ctx)
    assert "missing-image" in html and "Image absente" in html and "A robot &lt;3" in html


def test_attribute_values_cannot_break_out() -> None:
    ctx = MarkupContext()
    link = Link('https://example.org/"><script>x</script>', "t")
    html = block_html(Paragraph((LinkSpan(link, (Text("t"),)),)), ctx)
    assert '"><script>' not in html
