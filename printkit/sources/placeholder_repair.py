"""Placeholders and ERB tags that translation broke, written back in their normal form.

Runs on the whole guide text before placeholders are protected; newlines are
never added or removed, so line numbers stay true. Each repair is returned
(line, what was read, what it was taken for) so the reader can warn about it.

    >>> text, fixes = repair_placeholders("[a]({{promote/videos }a>) (== {urls/learn }a>)\\n"
    ...                                   "{ {site_name} } (٪= resolve_url('/x') ٪) ｛｛k｝｝")
    >>> text
    "[a]({{promote/videos}}) ({{urls/learn}})\\n{{site_name}} (%= resolve_url('/x') %) {{k}}"
    >>> [(line, was) for line, was, _ in fixes]
    [(1, '({{promote/videos }a>)'), (1, '(== {urls/learn }a>)'), \
(2, "(٪= resolve_url('/x') ٪)"), (2, '{ {site_name} }'), (2, '｛｛k｝｝')]
    >>> repair_placeholders("{{ fine }} and <%= view :x %> stay; 50 % off {x}")[1]
    []
    >>> repair_placeholders("[a](%7B%7B%20urls/learn%20%7D%7D) &lt;%= view :b %&gt;")[0]
    '[a]({{urls/learn}}) <%= view :b %>'
    >>> repair_placeholders(r"\\{\\{c\\}\\}")[0]
    '{{c}}'

"""

from __future__ import annotations

import re
from collections.abc import Callable

_PERCENT = "%٪％﹪⁒"
_OPEN_BRACE = "{｛"
_CLOSE_BRACE = "}｝"
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_KEY = r"[^{}｛｝()\n<>]{1,80}?"
_JUNK = r"(?:<\s*/?\s*a?\s*>?|a>|>)?"  # what is left of a ``</a>`` run into the braces

#: ``(== {key }a>)``, ``({{key }a>)``: a link target whose braces and tags ran together.
_LINK_TARGET = re.compile(
    r"\(\s*(?:==?\s*)?(?:\\?[" + _OPEN_BRACE + r"]){1,2}\s*(?P<k>" + _KEY + r")\s*(?:\\?["
    + _CLOSE_BRACE + r"]){1,2}\s*" + _JUNK + r"\s*\)"
)
#: ``%7B%7B%20key%20%7D%7D``: braces a link editor URL-encoded.
_ENCODED = re.compile(r"%7[Bb]%7[Bb](?P<k>(?:[^%\s()<>]|%20)+?)%7[Dd]%7[Dd]")
#: ``{ {key} }``, ``｛｛key｝｝``, ``{{key}`` or ``{key}}``: braces spaced, full-width or one short.
_MUSTACHE = re.compile(
    r"\\?[" + _OPEN_BRACE + r"]\s*\\?[" + _OPEN_BRACE + r"]\s*(?P<k>" + _KEY + r")\s*\\?["
    + _CLOSE_BRACE + r"](?:\s*\\?[" + _CLOSE_BRACE + r"])?"
    r"|(?<![" + _OPEN_BRACE + r"])[" + _OPEN_BRACE + r"]\s*(?P<k2>" + _KEY + r")\s*["
    + _CLOSE_BRACE + r"]\s*[" + _CLOSE_BRACE + r"]"
)
#: ERB written with another percent sign, full-width brackets or spaces: ``(٪= x ٪)``.
_ERB = re.compile(
    r"(?P<o>&lt;|[<＜(（])\s*[" + _PERCENT + r"]\s*(?P<eq>[=＝\-]?)(?P<body>[^\n]*?)-?\s*["
    + _PERCENT + r"]\s*(?P<c>&gt;|[>＞)）])"
)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "＂": '"',
                         "＇": "'", "：": ":", "（": "(", "）": ")"})

_WELL_FORMED_LINK = re.compile(r"\(\{\{[^{}\n]*\}\}\)")

Fix = tuple[int, str, str]


def clean_key(key: str) -> str:
    """A key as written, without the spaces translation put around its slashes.

    >>> clean_key(" promote / stats_url\u200b ")
    'promote/stats_url'
    """
    return re.sub(r"\s*/\s*", "/", _ZERO_WIDTH.sub("", key).strip())


def repair_placeholders(text: str) -> tuple[str, list[Fix]]:
    """``text`` with damaged placeholders and ERB tags repaired, and the list of repairs."""
    fixes: list[Fix] = []
    if not any(ch in text for ch in "{｛%٪％﹪⁒&"):
        return text, fixes

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def record(match: re.Match[str], new: str) -> str:
        if new != match.group(0):
            fixes.append((line_of(match.start()), match.group(0), new))
        return new

    def link(match: re.Match[str]) -> str:
        whole = match.group(0)
        if _WELL_FORMED_LINK.fullmatch(whole) and clean_key(match.group("k")) == \
                match.group("k").strip():
            return whole
        return record(match, "({{" + clean_key(match.group("k")) + "}})")

    def mustache(match: re.Match[str]) -> str:
        key = match.group("k") if match.group("k") is not None else match.group("k2")
        whole = match.group(0)
        if re.fullmatch(r"\{\{[^{}\n]*\}\}", whole) and "/ " not in whole and " /" not in whole \
                and not _ZERO_WIDTH.search(whole):
            return whole  # already a well-formed placeholder: the protector reads it
        return record(match, "{{" + clean_key(key) + "}}")

    def erb(match: re.Match[str]) -> str:
        round_ = match.group("o") in ("(", "（")
        eq = {"＝": "="}.get(match.group("eq"), match.group("eq"))
        body = match.group("body").translate(_QUOTES).strip()
        if round_:
            if eq != "=":
                return match.group(0)
            new = f"(%= {body} %)"
        else:
            new = f"<%{eq} {body} %>"
        whole = match.group(0)
        if whole.startswith(("<%", "(%=")) and whole.endswith(("%>", "%)")) and body == \
                match.group("body").strip():
            return whole
        return record(match, new)

    def encoded(match: re.Match[str]) -> str:
        return record(match, "{{" + clean_key(match.group("k").replace("%20", " ")) + "}}")

    steps: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
        (_ENCODED, encoded), (_ERB, erb), (_LINK_TARGET, link), (_MUSTACHE, mustache),
    ]
    for pattern, sub in steps:
        text = pattern.sub(sub, text)
    fixes.sort(key=lambda fix: fix[0])
    return text, fixes
