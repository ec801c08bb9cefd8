"""A real browser (Debian's headless Chromium through Playwright) on the real server: upload a
list, watch the progress finish, download the PDF, read the names in it, decode the QR code on
page 1 and open that verification page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import Server, pdf_pages_text, qr_on_page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("browser") / "data").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def test_upload_progress_download_verify(server: Server, browser: object, tmp_path: Path) -> None:
    names = ["Grace Hopper", "<img src=x onerror=alert(1)>", "Søren Kierkegaard",
             *(f"Student {i}" for i in range(60))]
    people = tmp_path / "people.csv"
    people.write_text("Name\n" + "\n".join(f'"{n}"' for n in names) + "\n", encoding="utf-8")
    context = browser.new_context(accept_downloads=True, locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    # every form control has a label
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"""
    )
    assert unlabelled == []
    page.get_by_label("List file").set_input_files(str(people))
    page.get_by_label("Event").fill("Robot Garden")
    page.locator("#organiser").fill("Library <Lyon>")
    page.locator("#date").fill("2026-12-09")
    page.get_by_label("Event").press("Enter")  # the keyboard submits: the main button first
    page.wait_for_url("**/jobs/*")
    page.get_by_role("link", name="certificates.pdf").wait_for(timeout=60_000)
    assert page.locator("#progress").get_attribute("value") == "100"
    with page.expect_download() as info:
        page.get_by_role("link", name="certificates.pdf").click()
    pdf = Path(info.value.path()).read_bytes()
    pages = [" ".join(p.split()) for p in pdf_pages_text(pdf)]
    assert len(pages) == len(names)
    for name, text in zip(names, pages, strict=True):
        assert name in text
    codes = qr_on_page(pdf, 0)
    assert len(codes) == 1 and codes[0].startswith(server.url + "/verify/")
    page.goto(codes[0])
    assert page.locator("#name").inner_text() == "Grace Hopper"
    assert "Robot Garden" in page.locator("#event").inner_text()
    assert page.locator("#organiser").inner_text() == "Library <Lyon>"
    page.goto(qr_on_page(pdf, 1)[0])
    assert page.locator("#name").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.locator("#name img").count() == 0  # shown as text, never markup
    assert errors == []
    context.close()
