"""The fetcher refuses everything outside the allowed folders, in img src and CSS url()."""

from __future__ import annotations

import base64
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from printkit.diagnostics import Diagnostics
from printkit.render.fetcher import SafeFetcher
from printkit.render.weasy import RenderSettings, html_to_pdf
from tests.pdfcheck import rasterise


def _red_png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def server() -> Iterator[list[str]]:
    """A loopback HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    hits.append(f"http://127.0.0.1:{httpd.server_port}")
    yield hits
    httpd.shutdown()


def _render(html: str, base: Path, allowed: list[Path]) -> Diagnostics:
    diagnostics = Diagnostics()
    html_to_pdf(
        html,
        base_dir=base,
        diagnostics=diagnostics,
        settings=RenderSettings(allowed_dirs=tuple(allowed)),
    )
    return diagnostics


def test_refuses_outside_paths_in_img_and_css(tmp_path: Path, server: list[str]) -> None:
    base_url = server[0]
    layout = tmp_path / "layout"
    layout.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for you")
    html = f"""
    <style>
      body {{ background: url("{base_url}/css.png"); }}
      p {{ background-image: url("../secret.png"); }}
      h1 {{ background-image: url("file:///etc/passwd"); }}
    </style>
    <h1>x</h1><p>y</p>
    <img src="file:///etc/passwd"><img src="{base_url}/img.png"><img src="../secret.png">
    """
    diagnostics = _render(html, layout, [])
    refused = [d.message for d in diagnostics if d.code == "fetch-refused"]
    joined = "\n".join(refused)
    assert "file:///etc/passwd" in joined
    assert f"{base_url}/img.png" in joined and f"{base_url}/css.png" in joined
    assert str(secret.as_uri()) in joined
    assert server[1:] == [], "the loopback server must never be contacted"


def test_serves_allowed_files_and_data_urls(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "red.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="#f00"/></svg>'
    )
    html = (
        "<style>@page{size:40mm 60mm;margin:0} body{margin:0}"
        " img{width:20mm;height:20mm;display:block}</style>"
        f'<img src="{(assets / "red.svg").as_uri()}">'
        f'<img src="data:image/png;base64,{_red_png()}">'
    )
    diagnostics = Diagnostics()
    pdf = html_to_pdf(
        html,
        base_dir=tmp_path,
        diagnostics=diagnostics,
        settings=RenderSettings(allowed_dirs=(assets,)),
    )
    out = tmp_path / "out.pdf"
    out.write_bytes(pdf.data)
    assert list(diagnostics) == []
    image = rasterise(out, dpi=72)[0].convert("RGB")
    assert image.getpixel((20, 20))[0] > 200 and image.getpixel((20, 20))[1] < 60  # red SVG
    assert image.getpixel((20, 80))[0] > 200 and image.getpixel((20, 80))[1] < 60  # red PNG


def test_symlink_escape_is_refused(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "link.png").symlink_to("/etc/passwd")
    fetcher = SafeFetcher([assets])
    assert not fetcher.is_allowed((assets / "link.png").as_uri())
    assert not fetcher.is_allowed("file://evil.example/etc/passwd")
    assert not fetcher.is_allowed("ftp://example.org/x.png")
    assert fetcher.is_allowed("data:text/plain,hi")
    assert SafeFetcher([], allow_network=True).is_allowed("https://example.org/x.png")
