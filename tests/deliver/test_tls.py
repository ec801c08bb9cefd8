"""TLS and login against a real server: STARTTLS and SMTPS, the password from the environment.

The server's certificate is made by the test (openssl) for 127.0.0.1 and
trusted through ``SSL_CERT_FILE``: printkit verifies certificates as usual.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from printkit.cli import main

from .conftest import Handler, Kit, free_port

# The implicit-TLS server is told not to require TLS for AUTH (see _server); it warns.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

LOGINS: list[tuple[bytes, bytes]] = []


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  data: Any) -> AuthResult:
    if isinstance(data, LoginPassword):
        LOGINS.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret", handled=False)
    return AuthResult(success=False, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def _server(cert: tuple[Path, Path], implicit: bool) -> Iterator[tuple[Handler, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert[0]), str(cert[1]))
    handler, port = Handler(), free_port()
    # aiosmtpd offers AUTH on implicit TLS only without auth_require_tls (it counts
    # STARTTLS alone as TLS); the connection is TLS from its first byte either way.
    tls: dict[str, Any] = (
        {"ssl_context": context, "auth_require_tls": False} if implicit
        else {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    )
    controller = Controller(handler, hostname="127.0.0.1", port=port, decode_data=False,
                            authenticator=authenticator, auth_required=True,
                            ready_timeout=10, **tls)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def starttls(certificate: tuple[Path, Path]) -> Iterator[tuple[Handler, int]]:
    yield from _server(certificate, implicit=False)


@pytest.fixture
def smtps(certificate: tuple[Path, Path]) -> Iterator[tuple[Handler, int]]:
    yield from _server(certificate, implicit=True)


def _send(listed: Kit, outbox: Path, url: str) -> int:
    return main(["mail", str(listed.people), "--from", "Robot Garden <hello@example.org>",
                 "--subject", "Hi {{ name }}", "--outbox", str(outbox), "--smtp", url,
                 "--send", "--retries", "0", "--timeout", "5"])


@pytest.fixture
def trusted(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's certificate is trusted; the right password is in the environment."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.setenv("PRINTKIT_SMTP_PASSWORD", "s3cret")


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("scheme", ["starttls", "smtps"])
def test_login_over_tls_with_the_password_from_the_environment(
    scheme: str, listed: Kit, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    handler, port = request.getfixturevalue(scheme)
    LOGINS.clear()
    url = (f"smtp://ada@127.0.0.1:{port}" if scheme == "starttls"
           else f"smtps://ada@127.0.0.1:{port}")
    assert _send(listed, tmp_path / "o", url) == 1  # the two bad addresses
    assert LOGINS == [(b"ada", b"s3cret")]  # one login: one reused connection
    assert len(handler.received) == len(listed.names) - 2


@pytest.mark.usefixtures("trusted")
def test_a_wrong_password_stops_with_a_clear_error(
    listed: Kit, tmp_path: Path, starttls: tuple[Handler, int],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    handler, port = starttls
    monkeypatch.setenv("PRINTKIT_SMTP_PASSWORD", "wrong")
    assert _send(listed, tmp_path / "o", f"smtp://ada@127.0.0.1:{port}") == 1
    assert not handler.received
    err = capsys.readouterr().err
    assert "stopped: smtp://ada@127.0.0.1" in err and "login refused: 535" in err


def test_an_untrusted_certificate_is_refused(
    listed: Kit, tmp_path: Path, smtps: tuple[Handler, int], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler, port = smtps
    monkeypatch.setenv("PRINTKIT_SMTP_PASSWORD", "s3cret")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    LOGINS.clear()
    assert _send(listed, tmp_path / "o", f"smtps://ada@127.0.0.1:{port}") == 1
    assert not handler.received and not LOGINS  # the password never left
    assert "TLS certificate is not trusted" in capsys.readouterr().err
