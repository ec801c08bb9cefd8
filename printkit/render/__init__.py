"""Rendering. Importing this package makes WeasyPrint's first import skip ctypes' slow
library search (:mod:`.native`), whichever module imports WeasyPrint first; the
package itself imports nothing heavy (``render.bulk`` never loads WeasyPrint)."""

from __future__ import annotations

from . import native

native.install()
