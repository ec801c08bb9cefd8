"""printkit: print-ready documents from event guides, in every locale.

The public API is what this module exports (``__all__``); every other module
is internal and may change.
"""

from __future__ import annotations

from .errors import PrintkitError

__version__ = "0.1.0"

__all__ = ["PrintkitError", "__version__"]
