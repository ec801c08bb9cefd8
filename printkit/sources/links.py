"""URLs as written in guides, made absolute and safe.

    >>> absolute_url("/us/learn", "https://hourofcode.com")
    ('https://hourofcode.com/us/learn', '')
    >>> absolute_url("javascript:alert(1)", "https://hourofcode.com")
    (None, 'scheme')
    >>> absolute_url("www.example.org/a b", "https://x.org")
    ('https://www.example.org/a%20b', '')
    >>> watch_url("https://www.youtube.com/embed/abc123?rel=0")
    'https://www.youtube.com/watch?v=abc123'
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias
from urllib.parse import quote, urlsplit

Problem: TypeAlias = Literal["", "empty", "anchor", "scheme"]

_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DOMAIN = re.compile(r"^(www\.|[\w-]+(\.[\w-]+)*\.(com|org|net|edu|gov|io|info|co)(/|$|[?#:]))")
_SAFE = ":/?#[]@!$&'()*+,;=%~"
_YOUTUBE = re.compile(
    r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", re.IGNORECASE
)
_VIMEO = re.compile(r"^https?://player\.vimeo\.com/video/(\d+)", re.IGNORECASE)


def absolute_url(href: str, site: str) -> tuple[str | None, Problem]:
    """``href`` as an absolute http(s) URL under ``site``, or None and why not.

    Site paths (``/us/learn``) and bare relative paths are joined to the site
    base URL; ``//host/x`` gets ``https:``; anything with another scheme
    (``javascript:``, ``file:``, ``data:``, ``mailto:``) is refused.
    """
    href = href.strip()
    # Browsers ignore whitespace and control characters inside schemes: so do we.
    squashed = _CONTROL.sub("", href)
    if not squashed:
        return None, "empty"
    if squashed.startswith("#"):
        return None, "anchor"
    match = _SCHEME.match(squashed)
    if match:
        if match.group(1).lower() not in ("http", "https"):
            return None, "scheme"
        url = href
    elif href.startswith("//"):
        url = "https:" + href
    elif href.startswith("/"):
        url = site.rstrip("/") + href
    elif _DOMAIN.match(href):
        url = "https://" + href
    else:
        url = site.rstrip("/") + "/" + href
    url = quote(url, safe=_SAFE)
    if not urlsplit(url).netloc:
        return None, "empty"
    return url, ""


def watch_url(url: str) -> str:
    """The page URL of a video player embed URL (YouTube, Vimeo); others unchanged."""
    match = _YOUTUBE.match(url)
    if match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = _VIMEO.match(url)
    if match:
        return f"https://vimeo.com/{match.group(1)}"
    return url


def is_video(url: str) -> bool:
    """Whether an iframe URL is a known video player."""
    return bool(_YOUTUBE.match(url) or _VIMEO.match(url))
