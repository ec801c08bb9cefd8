"""The part of a stack a document needs: faces that cover characters it really uses.

A locale's full stack names some forty families so that any text falls back
correctly; handing all of them to Pango for a page of English costs a fifth of
a second per document. Keeping, in order, the head of the stack and every face
that covers a character no earlier kept face covers gives the same glyphs for
this text with a much shorter list.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import FontFace
from .coverage import cmap, is_ignored


def faces_for_text(stack: Sequence[FontFace], text: str, *, keep_first: int = 1) -> list[FontFace]:
    """The faces of ``stack`` (in order) needed to set ``text``.

    The first ``keep_first`` faces are always kept (the locale's own faces);
    a later face is kept when it covers a character of ``text`` that no face
    kept before it covers. Characters no face covers are left to the coverage
    check, which reports them.
    """
    needed = {ord(c) for c in set(text) if not is_ignored(c)}
    kept: list[FontFace] = list(stack[:keep_first])
    for face in kept:
        needed -= cmap(face.path, face.index)
    for face in stack[keep_first:]:
        if not needed:  # the rest is never opened: a Latin page reads no CJK cmap
            break
        covered = cmap(face.path, face.index)
        if needed & covered:
            kept.append(face)
            needed -= covered
    return kept
