"""The fast parser builds exactly the HTML5 parser's tree, or declines.

Differential tests: every document of the example kit and of corpus guides,
then random markup, is parsed by both :func:`printkit.render.htmltree.parse`
and tinyhtml5 (WeasyPrint's parser); whenever the fast parser answers, the two
trees must serialise identically.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import tinyhtml5
from hypothesis import given, settings
from hypothesis import strategies as st

from printkit.documents.handout import build_handout
from printkit.kit.build import BuildOptions, build_kit
from printkit.kit.config import load_kit
from printkit.options import HandoutOptions
from printkit.render import htmltree
from tests.conftest import ROOT, corpus_guides, corpus_locale


def _html5(markup: str) -> str:
    tree = tinyhtml5.parse(markup, namespace_html_elements=False)
    return ET.tostring(tree, encoding="unicode")


#: The parser itself (tests replace ``htmltree.parse`` with a recorder).
_PARSE = htmltree.parse


def _fast(markup: str) -> str | None:
    tree = _PARSE(markup)
    return None if tree is None else ET.tostring(tree, encoding="unicode")


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every markup the renderer parses while the test runs."""
    seen: list[str] = []
    real = htmltree.parse

    def spy(markup: str) -> ET.Element | None:
        seen.append(markup)
        return real(markup)

    monkeypatch.setattr(htmltree, "parse", spy)
    yield seen


def test_every_document_of_the_example_kit(tmp_path: Path, captured: list[str]) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("out"))
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    kit = load_kit(tmp_path / "examples" / "kit.toml")
    report = build_kit(kit, BuildOptions(output=tmp_path / "out", jobs=1, previews=False))
    assert report.ok
    assert len(captured) >= 21  # handouts, agendas, posters and certificate designs
    for markup in captured:
        fast = _fast(markup)
        assert fast is not None, markup[:300]  # printkit's own markup takes the fast path
        assert fast == _html5(markup)


@pytest.mark.parametrize("locale", ["ar-SA", "ja-JP", "hi-IN", "th-TH", "de-DE"])
def test_corpus_handouts(locale: str, captured: list[str]) -> None:
    guides = [g for g in corpus_guides() if corpus_locale(g) == locale]
    if not guides:
        pytest.skip("../shared/corpus is absent")
    for guide in guides:
        build_handout(HandoutOptions(guide=guide, locale=locale))
    assert len(captured) == len(guides)
    for markup in captured:
        fast = _fast(markup)
        assert fast is not None and fast == _html5(markup)


PAGE = "<!DOCTYPE html>\n<html>\n<head>\n<title>t</title>\n</head>\n<body>\n{}\n</body>\n</html>\n"


@pytest.mark.parametrize(
    "body",
    [
        "<p>a<div>b</div></p>",  # a block closes the paragraph
        "<table><tr><td>x</td></tr></table>",  # HTML5 adds the tbody
        "<ul><li>a<li>b</li></ul>",  # the second item closes the first
        "<b><i>x</b></i>",  # misnested
        "<p>a<!-- note -->b</p>",
        "<table>text<tbody></tbody></table>",  # foster-parented text
        '<a href="?a=1&copy=2">x</a>',  # a legacy reference in an attribute
        "<svg><rect/></svg>",
        "<p>unclosed",
        "<div/>text",
        "<p id=a id=b>x</p>",
    ],
)
def test_markup_html5_would_repair_is_declined(body: str) -> None:
    assert _fast(PAGE.format(body)) is None


@pytest.mark.parametrize(
    "body",
    [
        "<pre>\ncode\n</pre>",  # the newline after <pre> is dropped
        "<ul><li>a<ul><li>b</li></ul></li></ul>",
        '<p>caf&eacute; &amp; <a href="/x?a=1&amp;b=2">t&#233;</a></p>',
        "<table><thead><tr><th>a</th></tr></thead>\n<tbody><tr><td>b</td></tr></tbody></table>",
        "<div><p>a<br>b<img src=x.png alt=''></p></div>",
    ],
)
def test_wellformed_markup_matches_html5(body: str) -> None:
    markup = PAGE.format(body)
    assert _fast(markup) == _html5(markup)


_TAGS = ["p", "div", "span", "b", "a", "ul", "li", "table", "tbody", "tr", "td", "h2", "pre", "br"]


@st.composite
def _fragments(draw: st.DrawFn, depth: int = 0, strays: bool = True) -> str:
    """Markup from a few tags, nested any way; with ``strays``, also unclosed and stray tags."""
    parts = []
    kinds = ["text", "element", "element", "stray"] if strays else ["text", "element"]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(kinds))
        if kind == "text":
            parts.append(draw(st.sampled_from(["x", " ", "\n", "a &amp; b", "é", "&lt;"])))
        elif kind == "stray":
            parts.append(draw(st.sampled_from(["</p>", "</li>", "<br>", "</b>", "<li>", "<td>"])))
        else:
            tag = draw(st.sampled_from(_TAGS))
            inner = draw(_fragments(depth + 1, strays)) if depth < 3 and tag != "br" else ""
            closed = draw(st.booleans()) or depth >= 3 or not strays
            parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if closed and tag != "br" else ""))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_fragments(), _fragments(strays=False)))
def test_random_markup_is_declined_or_parsed_as_html5_does(body: str) -> None:
    markup = PAGE.format(body)
    fast = _fast(markup)
    if fast is not None:
        assert fast == _html5(markup)
