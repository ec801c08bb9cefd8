"""Text direction helpers (WeasyPrint has no ``dir="auto"`` nor ``unicode-bidi: isolate``)."""

from __future__ import annotations

import unicodedata


def text_direction(text: str) -> str | None:
    """The direction of the first strong character, as HTML's ``dir="auto"`` decides.

    Blocks get an explicit ``dir`` from it: an English sentence left
    untranslated in an Arabic guide is then set left to right.

    >>> text_direction("10:00 - 10:05 am"), text_direction("« مرحبا »"), text_direction("12")
    ('ltr', 'rtl', None)
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return None
