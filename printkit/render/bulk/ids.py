"""Certificate ids: short, stable, optionally keyed (so they cannot be guessed)."""

from __future__ import annotations

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
    >>> import base64
    >>> digest = hmac.new(b"k", "e\x1f2\x1fn".encode(), "sha256").digest()[:10]
    >>> certificate_id("e", 2, "n", key="k") == base64.b32encode(digest).decode()
    True
    """
    message = f"{event}\x1f{row}\x1f{name}".encode()
    secret = (key or "printkit-certificate").encode()
    bits = int.from_bytes(hmac.digest(secret, message, "sha256")[:10], "big")
    # = base64.b32encode of the 10 bytes (80 bits: 16 characters, no padding), 10 bits a step
    return "".join([_PAIRS[(bits >> shift) & 1023] for shift in _SHIFTS])


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_PAIRS = [_B32[i >> 5] + _B32[i & 31] for i in range(1024)]
_SHIFTS = tuple(range(70, -1, -10))
