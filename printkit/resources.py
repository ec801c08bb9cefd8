"""Where printkit's shipped data lives: ``layouts/``, ``fonts/`` and ``assets/``.

In a wheel they are packaged under ``printkit/_data/``; in a source checkout
(editable install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder of shipped data called ``name`` (``layouts``, ``fonts``, ``assets``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"printkit data folder {name!r} is missing from the installation")


def layouts_dir() -> Path:
    """The shipped layouts."""
    return data_dir("layouts")


def fonts_dir() -> Path:
    """The shipped fonts and their manifest."""
    return data_dir("fonts")


def assets_dir() -> Path:
    """The shipped images and logos."""
    return data_dir("assets")
