"""Tagged output on real files: MCIDs nest and map, QR codes are Figures, marks are Artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from printkit.documents.handout import build_handout
from printkit.documents.poster import PosterOptions, build_poster
from printkit.model import Event
from printkit.options import HandoutOptions
from printkit.render import qrstamp, tagging
from printkit.render.tagging import english
from tests.pdfcheck import decode_qr, rasterise

PAINTING = {b"TJ", b"Tj", b"'", b'"', b"f", b"f*", b"F", b"S", b"s", b"B", b"B*", b"b", b"b*"}
PAINTING |= {b"Do", b"sh"}

GUIDE = """# ساعة البرمجة

مرحبا بكم في ساعة البرمجة مع العائلات والطلاب.

Find an activity for your students and share it with the families at home.

- [الأنشطة](https://example.org/learn)
- [الفيديو](https://example.org/videos)
"""


def marked_content(reader: PdfReader, index: int) -> tuple[list[int], list[bytes], bool]:
    """(MCIDs in order, painting operators outside any MCID or Artifact, balanced)."""
    stack: list[tuple[str, Any]] = []
    mcids: list[int] = []
    untagged: list[bytes] = []
    operations: list[tuple[Any, bytes]] = ContentStream(
        reader.pages[index].get_contents(), reader
    ).operations
    for operands, operator in operations:
        if operator in (b"BDC", b"BMC"):
            properties: Any = operands[1] if operator == b"BDC" else {}
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            stack.append((str(operands[0]), mcid))
            if mcid is not None:
                mcids.append(int(mcid))
        elif operator == b"EMC":
            if not stack:
                return mcids, untagged, False
            stack.pop()
        elif operator in PAINTING and not any(
            mcid is not None or tag == "/Artifact" for tag, mcid in stack
        ):
            untagged.append(operator)
    return mcids, untagged, not stack


def catalog(reader: PdfReader) -> Any:
    return reader.trailer["/Root"].get_object()


def structure(reader: PdfReader) -> list[Any]:
    """Every structure element of the tree, depth first."""
    root: Any = catalog(reader)["/StructTreeRoot"]
    found: list[Any] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if hasattr(node, "get") and node.get("/Type") == "/StructElem":
            found.append(node)
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid.get_object(), "get"):
                    walk(kid)

    for kid in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
        walk(kid)
    return found


def check_tagged(pdf: Path) -> PdfReader:
    """Every page: MCIDs balanced, each mapped by the parent tree, nothing painted untagged."""
    reader = PdfReader(pdf)
    nums: Any = catalog(reader)["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index in range(len(reader.pages)):
        mcids, untagged, balanced = marked_content(reader, index)
        assert balanced, f"page {index + 1}: unbalanced marked content"
        assert untagged == [], f"page {index + 1}: drawn untagged: {untagged[:5]}"
        assert mcids == list(range(len(mcids))), mcids
        page: Any = reader.pages[index]
        array = parents[int(page["/StructParents"])].get_object()
        assert len(array) == len(mcids)
        for mcid, element in enumerate(array):
            kids = element.get_object()["/K"]
            kids = kids if isinstance(kids, list) else [kids]
            assert mcid in [k for k in kids if isinstance(k, int)], (index, mcid)
    return reader


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tagged")
    guide = folder / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    pdf = folder / "guide.pdf"
    options = HandoutOptions(guide=guide, locale="ar-SA", pdf_variant="pdf/ua-1")
    pdf.write_bytes(build_handout(options).pdf)
    return pdf


def test_handout_marked_content_nests_and_maps(handout: Path) -> None:
    check_tagged(handout)


def test_reference_qr_codes_are_figures_with_their_url(handout: Path) -> None:
    reader = PdfReader(handout)
    figures = [e for e in structure(reader) if e["/S"] == "/Figure" and "/Alt" in e]
    alts = sorted(str(e["/Alt"]) for e in figures)
    assert alts == ["https://example.org/learn", "https://example.org/videos"]
    drawn = sorted(set(decode_qr(rasterise(handout, dpi=200)[0])))
    assert drawn == alts
    # Each stands where its card is in reading order, first in it, not at the end; its
    # card's element lists it among its kids.
    for figure in figures:
        card = figure["/P"].get_object()
        assert card["/S"] != "/Document"
        assert card["/K"][0].get_object() == figure
    assert tagging.QR_ATTRIBUTE == qrstamp.ATTRIBUTE


def test_english_paragraph_carries_lang_en(handout: Path) -> None:
    reader = PdfReader(handout)
    assert str(catalog(reader)["/Lang"]) == "ar-SA"
    langs = [str(e.get("/Lang")) for e in structure(reader) if e["/S"] == "/P"]
    assert "en" in langs
    assert langs.count("en") < len(langs)  # the Arabic paragraphs keep the document's


def test_print_shop_poster_marks_are_artifacts(tmp_path: Path) -> None:
    options = PosterOptions(
        locale="ar-SA",
        event=Event(name="ساعة البرمجة", site_url="https://example.org/signup"),
        print_shop=True,
        pdf_variant="pdf/ua-1",
    )
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(build_poster(options).pdf)
    reader = check_tagged(pdf)
    figures = [str(e["/Alt"]) for e in structure(reader) if e["/S"] == "/Figure" and "/Alt" in e]
    assert "https://example.org/signup" in figures
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    artifacts = [o for o in operations if o[1] == b"BMC" and str(o[0][0]) == "/Artifact"]
    assert artifacts  # the slug and crop marks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Find an activity for your students", True),
        ("Page 2 of 3", True),
        ("Trouvez une activité pour vos élèves", False),
        ("Finden Sie eine Aktivität, die Ihre Schüler lieben", False),
        ("Encuentra una actividad para tus estudiantes", False),
        ("ابحث عن نشاط لطلابك", False),
        ("Hour of Code", True),
    ],
)
def test_english_detection(text: str, expected: bool) -> None:
    assert english(text) is expected
