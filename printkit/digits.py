"""Digits the way a locale writes them (CLDR default numbering system).

Babel formats dates, times and numbers with ASCII digits whatever the locale's
numbering system; locales whose default system is another (``arab`` for ar-SA
and ar-EG, ``arabext`` for fa, ``beng`` for bn…) get their own digits here, so
every document of a locale writes numbers the same way.
"""

from __future__ import annotations

from babel import Locale

#: The zero of each CLDR numbering system Babel uses as a default (digits are contiguous).
_ZEROS = {
    "arab": 0x0660,
    "arabext": 0x06F0,
    "adlm": 0x1E950,
    "beng": 0x09E6,
    "cakm": 0x11136,
    "deva": 0x0966,
    "gujr": 0x0AE6,
    "guru": 0x0A66,
    "hmnp": 0x1E140,
    "khmr": 0x17E0,
    "knda": 0x0CE6,
    "laoo": 0x0ED0,
    "mlym": 0x0D66,
    "mtei": 0xABF0,
    "mymr": 0x1040,
    "nkoo": 0x07C0,
    "olck": 0x1C50,
    "orya": 0x0B66,
    "tamldec": 0x0BE6,
    "telu": 0x0C66,
    "thai": 0x0E50,
    "tibt": 0x0F20,
    "fullwide": 0xFF10,
}


def digit_table(locale: Locale) -> dict[int, str]:
    """ASCII digit -> the locale's digit; empty when the locale uses ASCII digits.

    >>> "12".translate(digit_table(Locale.parse("ar_EG"))), digit_table(Locale.parse("fr"))
    ('١٢', {})
    """
    zero = _ZEROS.get(getattr(locale, "default_numbering_system", "latn"))
    if zero is None:
        return {}
    return {ord(str(d)): chr(zero + d) for d in range(10)}
