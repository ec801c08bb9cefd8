"""Sending over SMTP: one reused connection, TLS, a rate limit, retries with back-off.

``smtps://host:465`` is TLS from the first byte; ``smtp://host:587`` upgrades
with STARTTLS when the server offers it, and must when a user is given: a
password never travels over plain text. Plain ``smtp://`` without a user is for
a relay that needs no login (a local one). The password comes from
``PRINTKIT_SMTP_PASSWORD`` or from a TOML file readable only by its owner
(``PRINTKIT_SMTP_CONFIG``, default ``~/.config/printkit/smtp.toml``:
``password = "…"`` or ``["host"] password = "…"``), never from the command line.

Temporary failures (4xx answers, a dropped connection, a time-out) are retried
with exponential back-off; permanent ones (5xx) are returned for that message
and the run goes on.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import stat
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from ..errors import DeliveryError, UsageError

PASSWORD_ENV = "PRINTKIT_SMTP_PASSWORD"
CONFIG_ENV = "PRINTKIT_SMTP_CONFIG"
#: Longest wait between two attempts (seconds).
MAX_DELAY = 60.0


@dataclass(frozen=True)
class Server:
    """Where to send: ``smtp://user@host:587`` or ``smtps://host:465``."""

    scheme: Literal["smtp", "smtps"]
    host: str
    port: int
    user: str = ""

    @classmethod
    def parse(cls, url: str) -> Server:
        """Parse ``--smtp``.

        >>> Server.parse("smtp://ada@mail.example.org:587")
        Server(scheme='smtp', host='mail.example.org', port=587, user='ada')
        >>> Server.parse("smtps://mail.example.org").port
        465
        """
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise UsageError(f"--smtp {url!r} is not smtp://[user@]host[:port] or smtps://…",
                             hint="e.g. smtp://you@mail.example.org:587 or smtps://host:465")
        if parts.password is not None:
            raise UsageError("--smtp must not hold the password",
                             hint=f"set {PASSWORD_ENV}, or a config file (see --help)")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError:
            raise UsageError(f"--smtp {url!r}: bad port") from None
        scheme: Literal["smtp", "smtps"] = "smtps" if parts.scheme == "smtps" else "smtp"
        return cls(scheme, parts.hostname, port, unquote(parts.username or ""))

    def __str__(self) -> str:
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def find_password(server: Server) -> str:
    """The password for ``server.user``: the environment, else the owner-only config file."""
    if not server.user:
        return ""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    path = Path(os.environ.get(CONFIG_ENV) or Path.home() / ".config/printkit/smtp.toml")
    if not path.is_file():
        raise UsageError(
            f"no password for {server.user}@{server.host}",
            hint=f"set {PASSWORD_ENV}, or write password = '…' in {path} (chmod 600)",
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(f"{path} can be read by others (mode {stat.filemode(mode)})",
                         hint=f"chmod 600 {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read it: {exc}") from None
    table = data.get(server.host, data)
    password = table.get("password") if isinstance(table, dict) else None
    if not isinstance(password, str):
        raise UsageError(f"{path}: no password for {server.host}",
                         hint=f'write password = "…" (or a ["{server.host}"] table)')
    return password


@dataclass(frozen=True)
class Attempt:
    """How sending one message ended."""

    ok: bool
    reason: str = ""
    attempts: int = 1


class Sender:
    """One SMTP connection, opened on first use and reopened after it dropped."""

    def __init__(
        self,
        server: Server,
        password: str = "",
        *,
        timeout: float = 30.0,
        retries: int = 5,
        retry_delay: float = 2.0,
        rate: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.server = server
        self.password = password
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.interval = 60.0 / rate if rate > 0 else 0.0
        self.sleep = sleep
        self._conn: smtplib.SMTP | None = None
        self._connected = False
        self._last = 0.0

    # ------------------------------------------------------------ connection

    def _connect(self) -> smtplib.SMTP:
        """A new connection, TLS and login done. Failures no retry can mend (a refused
        login, an untrusted certificate, no STARTTLS for a password) raise
        :class:`DeliveryError`; others (refused, time-out, dropped) raise ``OSError``."""
        s = self.server
        context = ssl.create_default_context()
        local = socket.gethostname() or "localhost"  # getfqdn() may wait on DNS
        conn: smtplib.SMTP
        try:
            if s.scheme == "smtps":
                conn = smtplib.SMTP_SSL(s.host, s.port, local_hostname=local,
                                        timeout=self.timeout, context=context)
            else:
                conn = smtplib.SMTP(s.host, s.port, local_hostname=local, timeout=self.timeout)
        except ssl.SSLCertVerificationError as exc:
            raise _tls_refused(s, exc) from None
        try:
            conn.ehlo()
            if s.scheme == "smtp" and conn.has_extn("starttls"):
                conn.starttls(context=context)
                conn.ehlo()
            elif s.scheme == "smtp" and s.user:
                raise DeliveryError(
                    f"{s.host}:{s.port} offers no STARTTLS: printkit never sends a password "
                    "over plain text",
                    hint="use smtps://host:465, or a server with STARTTLS",
                )
            if s.user:
                self._login(conn)
        except ssl.SSLCertVerificationError as exc:
            conn.close()
            raise _tls_refused(s, exc) from None
        except smtplib.SMTPAuthenticationError as exc:
            conn.close()
            raise DeliveryError(f"{s}: login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                                hint=f"check the user and {PASSWORD_ENV}") from None
        except smtplib.SMTPNotSupportedError as exc:
            conn.close()
            raise DeliveryError(f"{s}: {exc}", hint="check --smtp (port, smtp:// or smtps://)"
                                ) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _login(self, conn: smtplib.SMTP) -> None:
        """One login attempt: PLAIN when offered (the connection is TLS), else what
        smtplib picks. Trying every mechanism with a wrong password only locks accounts."""
        mechanisms = str(conn.esmtp_features.get("auth", "")).upper().split()
        if "PLAIN" not in mechanisms:
            conn.login(self.server.user, self.password)
            return
        conn.user, conn.password = self.server.user, self.password
        conn.auth("PLAIN", conn.auth_plain)

    def _connection(self) -> smtplib.SMTP:
        """The open connection, or a new one, retried with back-off; :class:`DeliveryError`
        when the server stays unreachable."""
        if self._conn is not None:
            return self._conn
        for attempt in range(1, self.retries + 2):
            try:
                self._conn = self._connect()
                self._connected = True
                return self._conn
            except DeliveryError:
                raise
            except (smtplib.SMTPException, OSError) as exc:
                # Refused or unknown before any success: a wrong --smtp, not a hiccup.
                first = not self._connected and isinstance(
                    exc, ConnectionRefusedError | socket.gaierror)
                if first or attempt == self.retries + 1:
                    raise DeliveryError(
                        f"{self.server}: cannot connect: {_describe(exc)}",
                        hint="check --smtp and that the server runs; a re-run sends only "
                        "what the journal lacks",
                    ) from None
                self.sleep(min(self.retry_delay * 2 ** (attempt - 1), MAX_DELAY))
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                self._conn.close()
            self._conn = None

    def abort(self) -> None:
        """Close at once, without QUIT (after Ctrl-C the server may not answer)."""
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --------------------------------------------------------------- sending

    def _pace(self) -> None:
        if self.interval:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last = time.monotonic()

    def send(self, sender: str, recipient: str, data: bytes, smtputf8: bool = False) -> Attempt:
        """Send one message; retry temporary failures; never raise for one message's
        failure. :class:`DeliveryError` when the server cannot be reached or used at all."""
        options = ["SMTPUTF8"] if smtputf8 else []
        reason = ""
        text: bytes | str
        for attempt in range(1, self.retries + 2):
            if attempt > 1:
                self.sleep(min(self.retry_delay * 2 ** (attempt - 2), MAX_DELAY))
            self._pace()
            conn = self._connection()
            try:
                if smtputf8 and not conn.has_extn("smtputf8"):
                    return Attempt(False, "the server does not take SMTPUTF8 (non-ASCII "
                                   "address)", attempt)
                conn.sendmail(sender, [recipient], data, mail_options=options)
                return Attempt(True, "", attempt)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
            except smtplib.SMTPResponseException as exc:
                code, text = exc.smtp_code, exc.smtp_error
                if code == 421:
                    self._drop()
            except (smtplib.SMTPException, OSError) as exc:
                self._drop()
                reason = f"connection: {_describe(exc)}"
                continue
            reason = f"{code} {_text(text)}"
            if 500 <= code < 600:
                return Attempt(False, reason, attempt)
        return Attempt(False, f"gave up after {self.retries + 1} attempts: {reason}",
                       self.retries + 1)


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _tls_refused(server: Server, exc: ssl.SSLCertVerificationError) -> DeliveryError:
    return DeliveryError(
        f"{server}: the server's TLS certificate is not trusted: {exc.verify_message or exc}",
        hint="use the server's real host name; a private CA can be trusted with SSL_CERT_FILE",
    )


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())
