"""The HTML documents printkit hands WeasyPrint: parsed fast, styled with the lean UA sheet."""

from __future__ import annotations

from functools import cache
from typing import Any

import cssselect2
import weasyprint
import weasyprint.html as weasy_html

from . import htmltree
from .ua import lean_stylesheet, uses_notes

#: What WeasyPrint's ``HTML.__init__`` sets; :meth:`PrintkitHTML.from_markup` sets the same.
_ATTRIBUTES = {"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}


class PrintkitHTML(weasyprint.HTML):  # type: ignore[misc]
    """A WeasyPrint HTML document that may use :func:`lean_stylesheet` as its UA sheet."""

    lean = True

    @classmethod
    def from_markup(
        cls,
        markup: str,
        *,
        base_url: str,
        url_fetcher: Any,
        stylesheets: tuple[str, ...] = (),
    ) -> PrintkitHTML:
        """Parse ``markup`` with :func:`htmltree.parse` when it can, else with WeasyPrint.

        The lean UA sheet is used unless the markup or the ``stylesheets`` it will be
        rendered with may float footnotes or notes.
        """
        tree = htmltree.parse(markup) if _tree_constructor_fits() else None
        if tree is None:
            document = cls(string=markup, base_url=base_url, url_fetcher=url_fetcher)
        else:
            document = cls.__new__(cls)
            # What HTML.__init__ does after parsing (no <base> here: htmltree refuses it).
            document.base_url = base_url
            document.url_fetcher = url_fetcher
            document.media_type = "print"
            document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                tree, content_language=None
            )
            document.etree_element = document.wrapper_element.etree_element
        document.lean = not uses_notes(markup, *stylesheets)
        return document

    def _ua_stylesheets(self, *args: Any, **kwargs: Any) -> list[Any]:
        sheets: list[Any] = super()._ua_stylesheets(*args, **kwargs)
        lean = lean_stylesheet() if self.lean else None
        if lean is None:
            return sheets
        standard = getattr(weasy_html, "UA_STYLESHEET", None)
        return [lean if sheet is standard else sheet for sheet in sheets]


@cache
def _tree_constructor_fits() -> bool:
    """Whether this WeasyPrint's HTML sets exactly the attributes ``from_markup`` sets."""
    return set(vars(weasyprint.HTML(string="<p>"))) == _ATTRIBUTES
