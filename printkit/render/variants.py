"""The PDF variants printkit passes to WeasyPrint (``--pdf-variant``), without importing it."""

from __future__ import annotations

#: PDF variants passed through to WeasyPrint (``--pdf-variant``).
PDF_VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/ua-1")
