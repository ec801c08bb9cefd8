"""Certificate ids: short, stable, optionally keyed (so they cannot be guessed)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def certificate_id(event: str, row: int, name: str, key: str | None = None) -> str:
    """A stable id for a certificate: 16 base-32 characters from event, row and name.

    With ``key`` it is an HMAC-SHA-256, which only the key holder can make;
    without, a keyed hash with a public key (stable, but guessable).

    >>> certificate_id("Hour of Code", 2, "Ada Lovelace") == certificate_id(
    ...     "Hour of Code", 2, "Ada Lovelace")
    True
    >>> len(certificate_id("e", 2, "n", key="secret"))
    16
    """
    message = f"{event}\x1f{row}\x1f{name}".encode()
    secret = (key or "printkit-certificate").encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode("ascii")
