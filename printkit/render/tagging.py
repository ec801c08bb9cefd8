"""Tagged output (``--pdf-variant pdf/ua-1``): what printkit draws after layout, and languages.

WeasyPrint tags what it lays out: each text box is a marked-content sequence with
an MCID, mapped from the structure tree. printkit draws more after layout, and
that must be tagged too, or a tagged file would hold untagged content:

- each reference QR code (:mod:`.qrstamp`) is drawn inside ``/Figure <</MCID n>>
  BDC … EMC`` with the page's next free MCID, and :func:`add_figures` (a finisher
  step) adds the Figure element, whose ``/Alt`` is the code's URL, to the tree and
  to the page's parent-tree entry;
- crop marks and the print-shop slug (:mod:`.printmarks`) are ``/Artifact``.

The ActualText spans of :mod:`.textlayer` sit inside WeasyPrint's MCID sequences,
so they nest within the tree's marked content.

Languages: :func:`install` wraps WeasyPrint's structure-tree builder so that a
paragraph, heading, list item or cell whose text is English, in a document of
another language, gets ``/Lang (en)`` (a screen reader then switches voice). The
test is :func:`english`: the text is written in Latin letters and a quarter of its
words are English function words that other languages do not use as words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydyf
import weasyprint.pdf.tags as weasy_tags

from ..errors import RenderError

_state: dict[str, Any] = {"original": None}

#: Structure types whose text decides their language.
_TEXT_ELEMENTS = frozenset(
    ("/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LI", "/LBody", "/TD", "/TH", "/Caption")
)

#: English function words that are not words of the other languages printkit ships
#: (so "in", "a", "on", "was", "will", "is", "van" are not here).
_ENGLISH = """the and of to are you your with for this that be it at from have has what which
how can they their we our by or not do if who about all more were been each get just than
them then there these those into its my only other some such very when where while would
should could page here use using need any also"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

_WORD = re.compile(r"[^\W\d_]+")


def english(text: str) -> bool:
    """Whether ``text`` reads as English (letters Latin, a quarter English function words).

    >>> english("Find an activity for your students"), english("Trouvez une activité")
    (True, False)
    >>> english("ابحث عن نشاط"), english("Page 2 of 3")
    (False, True)
    """
    words = _WORD.findall(text)
    if not words:
        return False
    latin = [w for w in words if all("LATIN" in unicodedata.name(c, "") for c in w)]
    if len(latin) < 0.8 * len(words):
        return False
    hits = sum(1 for w in latin if w.lower() in ENGLISH_WORDS)
    return hits >= 1 and hits >= 0.25 * len(latin)


def _box_text(box: Any) -> str:
    parts: list[str] = []
    for child in box.descendants():
        text = getattr(child, "text", None)
        if isinstance(text, str) and type(child).__name__ == "TextBox":
            parts.append(text)
    return " ".join(parts)


def _document_language(pdf: Any) -> str:
    lang = pdf.catalog.get("Lang") if hasattr(pdf, "catalog") else None
    return str(getattr(lang, "string", "") or "")


def _build_box_tree(box: Any, parent: Any, pdf: Any, *rest: Any) -> Iterator[Any]:
    """WeasyPrint's builder (``box, parent, pdf, page_number, nums, annotations, tags``)."""
    original: Callable[..., Iterator[Any]] = _state["original"]
    document_lang = _document_language(pdf).split("-")[0].lower()
    for element in original(box, parent, pdf, *rest):
        _remember_qr_slot(box, element, pdf, rest[0] if rest else 0)
        if (
            document_lang not in ("", "en")
            and element.get("S") in _TEXT_ELEMENTS
            and "Lang" not in element
            and english(_box_text(box))
        ):
            element["Lang"] = pydyf.String("en")
        yield element


#: The attribute of a QR slot (:data:`.qrstamp.ATTRIBUTE`; a test keeps them equal).
QR_ATTRIBUTE = "data-qr"


def _slot_key(page: int, url: str, x: float, y: float) -> tuple[int, str, float, float]:
    return page, url, round(x, 2), round(y, 2)


def _remember_qr_slot(box: Any, element: Any, pdf: Any, page: int) -> None:
    """Keep the structure element WeasyPrint made for a QR slot (its Figure goes there)
    or for a QR host (its Figure goes first inside it)."""
    from .qrstamp import placement  # noqa: PLC0415 - qrstamp imports this module

    placed = placement(box)
    if placed is None or not (placed.host or element.get("S") == "/Span"):
        return
    slots: dict[Any, Any] = pdf.__dict__.setdefault("_printkit_qr_slots", {})
    key = _slot_key(page, placed.url, placed.x, placed.y)
    if placed.host:
        # The element's first box comes first; its anonymous boxes share its element.
        slots.setdefault(key, (True, element))
    else:
        slots[key] = (False, element)


def install() -> bool:
    """Wrap WeasyPrint's structure-tree builder (once). False if this WeasyPrint has none."""
    if _state["original"] is not None:
        return True
    function = getattr(weasy_tags, "_build_box_tree", None)
    if function is None:  # pragma: no cover - another WeasyPrint
        return False
    _state["original"] = function
    weasy_tags._build_box_tree = _build_box_tree
    return True


def is_tagged(stream: Any) -> bool:
    """Whether ``stream`` is a page of a tagged document (WeasyPrint keeps its MCIDs)."""
    return getattr(stream, "_tags", None) is not None


@dataclass(frozen=True, slots=True)
class _Figure:
    page: int
    mcid: int
    alt: str
    bbox: tuple[float, float, float, float]


def _next_mcid(stream: Any) -> int:
    """The page's next free MCID: after every one WeasyPrint gave while painting it."""
    mcid: int | None = getattr(stream, "_printkit_mcid", None)
    if mcid is None:
        mcid = len(stream._tags)
    stream._printkit_mcid = mcid + 1
    return mcid


@contextmanager
def figure(
    stream: Any,
    document: Any,
    page: int,
    alt: str,
    bbox: tuple[float, float, float, float],
) -> Iterator[None]:
    """Draw a figure (in a tagged document: as marked content mapped to a Figure element)."""
    if not is_tagged(stream):
        yield
        return
    mcid = _next_mcid(stream)
    stream.begin_marked_content("Figure", pydyf.Dictionary({"MCID": mcid}))
    try:
        yield
    finally:
        stream.end_marked_content()
    figures: list[_Figure] = document.__dict__.setdefault("_printkit_figures", [])
    figures.append(_Figure(page, mcid, alt, bbox))


@contextmanager
def artifact(stream: Any) -> Iterator[None]:
    """Draw decoration (in a tagged document: as an Artifact, outside the structure tree)."""
    if not is_tagged(stream):
        yield
        return
    stream.begin_marked_content("Artifact")
    try:
        yield
    finally:
        stream.end_marked_content()


def add_figures(document: Any, pdf: pydyf.PDF) -> int:
    """Add the Figure elements of the figures drawn after layout (a finisher step).

    A QR code's Figure is the structure element WeasyPrint made for its slot, or a new
    first child of its host's element (so it stands where the layout put it in reading
    order), else a new child of the Document element; it gets the code's ``/Alt`` and
    MCID, and the page's parent-tree array maps that MCID to it. Returns their count.
    """
    figures: list[_Figure] = document.__dict__.pop("_printkit_figures", [])
    if not figures:
        return 0
    by_reference = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "reference")}
    root = by_reference.get(pdf.catalog.get("StructTreeRoot"))
    if root is None:  # pragma: no cover - tagged streams always come with a tree
        return 0
    parent_tree = by_reference[root["ParentTree"]]
    structure_document = by_reference[root["K"][0]]
    nums = parent_tree["Nums"]
    # WeasyPrint's parent tree: (page number, array indexed by MCID) per page, then annotations.
    pages = len(pdf.page_references)
    page_arrays = {nums[i]: nums[i + 1] for i in range(0, 2 * pages, 2)}
    slots: dict[Any, Any] = pdf.__dict__.pop("_printkit_qr_slots", {})
    for item in sorted(figures, key=lambda f: (f.page, f.mcid)):
        page_reference = pdf.page_references[item.page]
        figure_element = {
            "S": "/Figure",
            "Alt": pydyf.String(item.alt),
            "A": pydyf.Dictionary({"O": "/Layout", "BBox": pydyf.Array(item.bbox)}),
        }
        is_host, element = slots.get(
            _slot_key(item.page, item.alt, item.bbox[0], item.bbox[1]), (False, None)
        )
        if element is not None and not is_host:
            # The slot's own (empty) element, where the layout put the code in reading order.
            element.update(figure_element)
            element["K"] = pydyf.Array([item.mcid])
            element["Pg"] = page_reference
        else:
            # A new element: the first child of the code's host, where the layout drew
            # it, or else the Document's last.
            parent = element if element is not None else structure_document
            element = pydyf.Dictionary(
                {
                    "Type": "/StructElem",
                    "K": pydyf.Array([item.mcid]),
                    "Pg": page_reference,
                    "P": parent.reference,
                    **figure_element,
                }
            )
            pdf.add_object(element)
            parent["K"].insert(0 if is_host else len(parent["K"]), element.reference)
        array = page_arrays[item.page]
        if len(array) != item.mcid:  # pragma: no cover - WeasyPrint numbered them otherwise
            raise RenderError(
                f"page {item.page + 1}: the QR code's MCID {item.mcid} follows"
                f" {len(array)} marked sequences",
                hint="this WeasyPrint numbers marked content differently: report it",
            )
        array.append(element.reference)
    return len(figures)
