"""One e-mail per recipient: subject and Markdown body rendered in Jinja's sandbox.

The organiser's subject and body are the templates; a row's values (name,
every column) are data only: they are never parsed as template code, and in
the HTML part they are Markdown-escaped before the body becomes HTML, so a
name cannot add a link or markup. Messages are built with the standard
library's :mod:`email` package: ``multipart/alternative`` (plain text, HTML)
plus the attachments, headers encoded for any script (RFC 2047, or RFC 6532
for an address that needs SMTPUTF8). The ``Message-ID`` is derived from the
event, the row and the address, so a message sent again carries the same id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import mimetypes
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import InputError, Location, UsageError
from ..i18n import ENGLISH
from ..locale import LocaleContext
from ..model import Event
from .recipients import Recipient, check_address

#: Largest message accepted (bytes, as sent): what most mail systems take.
SIZE_LIMIT = 10_000_000
_PARTS_POLICY = policy.default.clone(cte_type="7bit")
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(value: object) -> str:
    r"""A value as literal Markdown text: ASCII punctuation backslash-escaped, one line.

    >>> print(markdown_escape("[x](y) *b*"))
    \[x\]\(y\) \*b\*
    """
    text = " ".join(str("" if value is None else value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def parse_sender(text: str) -> Address:
    """``"Robot Garden <hello@example.org>"`` -> an :class:`~email.headerregistry.Address`."""
    pairs = getaddresses([text])
    if len(pairs) != 1 or not pairs[0][1]:
        raise UsageError(f"--from: {text!r} is not one address",
                         hint='e.g. --from "Robot Garden <hello@example.org>"')
    name, raw = pairs[0]
    address, _utf8, reason = check_address(raw)
    if reason:
        raise UsageError(f"--from: {reason}", hint='e.g. --from "Robot Garden <hello@example.org>"')
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def text_direction(text: str) -> str:
    """``rtl`` when the first strong character is right-to-left, else ``ltr``.

    >>> text_direction("**مرحبا** Ada"), text_direction("Hello")
    ('rtl', 'ltr')
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def default_body(locale: LocaleContext | None) -> str:
    """The built-in body, in the locale's words (the layouts' catalogs) and date format."""
    tr = locale.translations if locale is not None else ENGLISH
    # One phrase a paragraph, no punctuation of ours: it reads right in every script.
    lines = [
        tr.gettext("Hello %(name)s,").replace("%(name)s", "{{ name }}"),
        "",
        "**" + tr.gettext("Certificate") + "{% if event %} — {{ event }}{% endif %}**",
        "",
        tr.gettext("This certificate is awarded to") + " **{{ name }}**",
        "",
        "{% if event %}" + tr.gettext("for taking part in %(event)s").replace(
            "%(event)s", "{{ event }}") + "{% endif %}{% if date %} — {{ date }}{% endif %}",
        "",
        "{% if organiser %}" + tr.gettext("Organised by %(organiser)s").replace(
            "%(organiser)s", "{{ organiser }}") + "{% endif %}",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Rendered:
    """One message as it will be sent."""

    message_id: str
    data: bytes
    text: str
    smtputf8: bool
    attachments: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.data)


class TooLarge(Exception):
    """The message is over the size limit (the reason says by how much)."""


def _identifier(header: str) -> str:
    text = re.sub(r"\W+", "_", unicodedata.normalize("NFC", header).casefold()).strip("_")
    return text if text.isidentifier() else f"_{text}"


@dataclass(frozen=True)
class MessageTemplate:
    """What every message shares: sender, subject and body templates, files, limits."""

    sender: Address
    subject: str
    body: str
    #: Where the body came from (named in errors).
    body_source: str = "<built-in body>"
    locale: LocaleContext | None = None
    event: Event = field(default_factory=Event)
    attachments: tuple[Path, ...] = ()
    size_limit: int = SIZE_LIMIT

    @cached_property
    def _templates(self) -> tuple[jinja2.Template, jinja2.Template, jinja2.Template]:
        text_env = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
        )
        md_env = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
            finalize=markdown_escape,
        )
        try:
            subject = text_env.from_string(self.subject)
        except jinja2.TemplateSyntaxError as exc:
            raise UsageError(f"--subject: {exc.message}", hint="check the {{ }} placeholders"
                             ) from None
        try:
            return subject, text_env.from_string(self.body), md_env.from_string(self.body)
        except jinja2.TemplateSyntaxError as exc:
            raise InputError(f"template syntax: {exc.message}",
                             Location(self.body_source, line=exc.lineno),
                             "placeholders look like {{ name }}") from None

    @cached_property
    def _shared(self) -> tuple[tuple[str, bytes], ...]:
        return tuple((p.name, p.read_bytes()) for p in self.attachments)

    def context(self, recipient: Recipient) -> dict[str, Any]:
        """The values a template sees: every column (as written and as an identifier),
        ``name``, ``email``, the event's name, date, place and organiser."""
        event = self.event
        date = ""
        if event.date is not None:
            date = (self.locale or LocaleContext.parse("en-US")).format_date(event.date, "long")
        values: dict[str, Any] = {
            "event": event.name, "date": date, "place": event.place,
            "organiser": event.organiser, **dict(event.values),
        }
        for key, value in recipient.fields.items():
            values[key] = value
            values.setdefault(_identifier(key), value)
        values.update(name=recipient.name, email=recipient.address, row=recipient.row)
        return values

    def _render(self, template: jinja2.Template, values: Mapping[str, Any], what: str) -> str:
        try:
            return template.render(values)
        except jinja2.UndefinedError as exc:
            known = ", ".join(sorted(k for k in values if k.isidentifier()))
            where = Location(self.body_source) if what == "body" else None
            raise InputError(f"{what} template: {exc.message}", where,
                             f"placeholders available: {known}") from None
        except jinja2.TemplateError as exc:
            raise InputError(f"{what} template: {exc}", Location(self.body_source)) from None

    def message_id(self, recipient: Recipient) -> str:
        """``<hash.row@sender-domain>``: the same for the same event, row and address."""
        key = f"{self.event.name}\0{recipient.row}\0{recipient.address.casefold()}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"<{digest}.{recipient.row}@{self.sender.domain}>"

    def estimate(self, recipient: Recipient) -> int:
        """About how many bytes the message will take (base64 attachments)."""
        raw = sum(p.stat().st_size for p in self.attachments)
        if recipient.certificate is not None:
            raw += recipient.certificate.stat().st_size
        return raw * 4 // 3 * 78 // 76 + 4096

    def render(self, recipient: Recipient, now: dt.datetime | None = None) -> Rendered:
        """The message for one ``ok`` recipient; :class:`TooLarge` when over the limit."""
        limit = self.size_limit
        if self.estimate(recipient) > limit:
            raise TooLarge(self._too_large(self.estimate(recipient), recipient))
        subject_t, text_t, md_t = self._templates
        values = self.context(recipient)
        subject = " ".join(self._render(subject_t, values, "subject").split())
        text = self._render(text_t, values, "body")
        body_html = _markdown_html(self._render(md_t, values, "body"))
        direction = self.locale.direction if self.locale is not None else text_direction(text)
        lang = self.locale.tag if self.locale is not None else ""
        # 7bit: text parts are quoted-printable or base64, readable by any server (no
        # reliance on 8BITMIME); headers are encoded by the policy given to as_bytes.
        msg = EmailMessage(policy=_PARTS_POLICY)
        msg["From"] = self.sender
        local, _, domain = recipient.address.rpartition("@")
        msg["To"] = Address(display_name=recipient.name, username=local, domain=domain)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
        msg["Message-ID"] = self.message_id(recipient)
        msg.set_content(text)
        msg.add_alternative(_html_page(body_html, subject, lang, direction), subtype="html")
        names: list[str] = []
        files = list(self._shared)
        if recipient.certificate is not None:
            files.insert(0, (recipient.certificate.name, recipient.certificate.read_bytes()))
        for name, data in files:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            maintype, _, subtype = kind.partition("/")
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
            names.append(name)
        if lang:  # after the parts: making the message multipart moves Content-* headers
            msg["Content-Language"] = lang
        utf8 = recipient.smtputf8 or not self.sender.username.isascii()
        data = msg.as_bytes(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
        if len(data) > limit:
            raise TooLarge(self._too_large(len(data), recipient))
        return Rendered(self.message_id(recipient), data, text, utf8, tuple(names))

    def _too_large(self, size: int, recipient: Recipient) -> str:
        files = [*self.attachments]
        if recipient.certificate is not None:
            files.insert(0, recipient.certificate)
        biggest = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in files)
        return (f"message too large: {size / 1e6:.1f} MB, over the {self.size_limit / 1e6:g} MB "
                f"limit ({biggest}); share big files by link instead")


def _markdown_html(source: str) -> str:
    return str(_markdown().render(source))


@cache
def _markdown() -> Any:
    """CommonMark without raw HTML: a ``<tag>`` in the body is shown, not obeyed."""
    from markdown_it import MarkdownIt  # noqa: PLC0415

    return MarkdownIt("commonmark", {"html": False})


def _html_page(body: str, subject: str, lang: str, direction: str) -> str:
    lang_attr = f' lang="{html.escape(lang)}"' if lang else ""
    return (
        f'<!DOCTYPE html>\n<html{lang_attr} dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n"
        f'<body dir="{direction}" style="font-family: sans-serif; line-height: 1.5">\n'
        f"{body}</body>\n</html>\n"
    )
