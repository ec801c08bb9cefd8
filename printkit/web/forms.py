"""From a submitted form (page or API) to a queued job: checks, then files, then the record.

Every check that can be made before the work is made here, so that a bad
request gets its 4xx at once with the CLI's message: the list is read once
(the rows it refuses are reported, not errors), the locale, date, design and
paper are checked.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile

from ..documents.certificates import CertificateOptions, write_certificates
from ..documents.poster import DESIGNS as POSTER_DESIGNS
from ..errors import PrintkitError
from ..kit.previews import write_preview
from ..layouts import PAPER_SIZES_MM, find_layout, paper_name, search_path
from ..locale import LocaleContext
from ..model import Event
from .store import Store
from .uploads import RequestError, check_list, image_kind, list_kind, save, text_kind
from .worker import job_folder, verify_url

#: Longest text field (event, names of people…), characters.
MAX_FIELD = 300
#: Longest pasted list, characters.
MAX_PASTE = 2_000_000


@cache
def certificate_designs() -> tuple[str, ...]:
    """The shipped layouts that are certificates (they declare a name box)."""
    found = []
    for folder in search_path():
        for toml in sorted(folder.glob("*/layout.toml")):
            try:
                layout = find_layout(toml.parent.name)
            except PrintkitError:
                continue
            if isinstance(layout.config.get("name_box"), dict):
                found.append(layout.name)
    return tuple(dict.fromkeys(found)) or ("certificate",)


def new_id() -> str:
    """An unguessable id (144 random bits, URL-safe)."""
    return secrets.token_urlsafe(18)


def field(form: FormData, name: str, *, required: bool = False, default: str = "") -> str:
    value = form.get(name)
    if isinstance(value, UploadFile) or value is None:
        value = ""
    value = value.strip()
    if required and not value:
        raise RequestError(400, f"{name}: missing; give the {name.replace('_', ' ')}")
    if len(value) > MAX_FIELD and name != "names":
        raise RequestError(400, f"{name}: longer than {MAX_FIELD} characters")
    return value or default


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and (value.filename or value.size):
        return value
    return None


def common(form: FormData) -> dict[str, Any]:
    """Locale, date and paper, checked."""
    locale = field(form, "locale", default="en-US")
    try:
        LocaleContext.parse(locale)
    except PrintkitError as exc:
        raise RequestError(400, f"locale: {exc.describe()}") from None
    date = field(form, "date")
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise RequestError(400, f"date: {date!r} is not a date; write it as YYYY-MM-DD") \
                from None
    paper = field(form, "paper")
    if paper:
        try:
            paper = paper_name(paper)
        except PrintkitError:
            raise RequestError(
                400, f"paper: {paper!r} is not a paper size; one of {', '.join(PAPER_SIZES_MM)}"
            ) from None
    return {"locale": locale, "date": date or None, "paper": paper or None}


@dataclass
class Draft:
    """A job being made: its id and folder (removed again if a check fails)."""

    id: str
    folder: Path

    @classmethod
    def new(cls, data_dir: Path) -> Draft:
        job_id = new_id()
        folder = job_folder(data_dir, job_id)
        folder.mkdir(parents=True)
        return cls(job_id, folder)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


async def _list_file(
    form: FormData, folder: Path, max_rows: int
) -> tuple[str, str, int, int]:
    """Store the list (uploaded file, or pasted names); return its stored name, the name to
    show, rows, refused rows."""
    file = upload(form, "list")
    if file is not None:
        display = Path(file.filename or "list").name[:80] or "list"
        await save(file, folder / "upload")
        stored = list_kind(folder / "upload", display, file.filename or "")
        (folder / "upload").rename(folder / stored)
    else:
        # `names` (the page's text box): one name a line; `list` sent as a text field
        # (curl -F "list=<people.csv"): read like an uploaded file
        text = form.get("list")
        display, stored = "list", "list.csv"
        if not isinstance(text, str) or not text.strip():
            text = form.get("names")
            display, stored = "the pasted names", "list.txt"
        if not isinstance(text, str) or not text.strip():
            raise RequestError(400, "list: missing; upload a CSV or XLSX file, or paste names")
        if len(text) > MAX_PASTE:
            raise RequestError(413, f"{display}: too long; upload the list as a file")
        (folder / stored).write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    rows, refused = check_list(folder / stored, display, max_rows)
    return stored, display, rows, refused


def _certificate_params(form: FormData) -> dict[str, Any]:
    design = field(form, "design", default="certificate")
    if design not in certificate_designs():
        raise RequestError(
            400, f"design: {design!r} is not a certificate design; one of "
                 + ", ".join(certificate_designs()),
        )
    return {
        **common(form),
        "event": field(form, "event", required=True),
        "organiser": field(form, "organiser"),
        "signatory": field(form, "signatory"),
        "design": design,
    }


async def create_certificates(form: FormData, store: Store, data_dir: Path,
                              max_rows: int) -> str:
    """Check the request, store the list, queue the job; its id."""
    params = _certificate_params(form)
    draft = Draft.new(data_dir)
    try:
        stored, display, rows, refused = await _list_file(form, draft.folder, max_rows)
        params.update(list_file=stored, list_display=display, rows=rows, refused_rows=refused)
        store.create_job(draft.id, "certificates", params, id_key=secrets.token_urlsafe(32))
    except BaseException:
        draft.discard()
        raise
    return draft.id


async def create_poster(form: FormData, store: Store, data_dir: Path) -> str:
    design = field(form, "design", default="poster")
    if design not in POSTER_DESIGNS:
        raise RequestError(400, f"design: {design!r} is not a poster design; one of "
                                + ", ".join(POSTER_DESIGNS))
    url = field(form, "url")
    if url and not url.startswith(("https://", "http://")):
        raise RequestError(400, f"url: {url!r} is not a web address like https://example.org")
    params = {
        **common(form), "title": field(form, "title", required=True),
        "tagline": field(form, "tagline"), "place": field(form, "place"),
        "organiser": field(form, "organiser"), "url": url, "design": design,
    }
    draft = Draft.new(data_dir)
    try:
        image = upload(form, "image")
        if image is not None:
            await save(image, draft.folder / "upload")
            ext = image_kind(draft.folder / "upload", "image")
            (draft.folder / "upload").rename(draft.folder / f"image.{ext}")
            params["image_file"] = f"image.{ext}"
        store.create_job(draft.id, "poster", params)
    except BaseException:
        draft.discard()
        raise
    return draft.id


async def create_handout(form: FormData, store: Store, data_dir: Path) -> str:
    params = {**common(form), "event": field(form, "event"), "organiser": field(form, "organiser")}
    guide = upload(form, "guide")
    if guide is None:
        raise RequestError(400, "guide: missing; upload the guide (Markdown)")
    draft = Draft.new(data_dir)
    try:
        await save(guide, draft.folder / "guide.md")
        text_kind(draft.folder / "guide.md", "guide")
        strings = upload(form, "strings")
        if strings is not None:
            await save(strings, draft.folder / "strings.yaml")
            text_kind(draft.folder / "strings.yaml", "strings")
            params["strings"] = True
        store.create_job(draft.id, "handout", params)
    except BaseException:
        draft.discard()
        raise
    return draft.id


def certificate_preview(form: FormData, public_url: str) -> bytes:
    """A PNG of the first certificate, made before any job: the first pasted name (or a
    sample), the chosen event, date, locale and design, with a sample QR code."""
    params = _certificate_params(form)
    names = form.get("names")
    first = "Ada Lovelace"
    if isinstance(names, str):
        first = next((line.strip() for line in names.splitlines() if line.strip()), first)[:200]
    with tempfile.TemporaryDirectory(prefix="printkit-preview-") as tmp:
        folder = Path(tmp)
        (folder / "list.txt").write_text(first + "\n", encoding="utf-8")
        options = CertificateOptions(
            locale=params["locale"], paper=params["paper"],
            event=Event(
                name=params["event"],
                date=dt.date.fromisoformat(params["date"]) if params["date"] else None,
                organiser=params["organiser"],
            ),
            people=folder / "list.txt", layout=params["design"],
            verify_url=verify_url(public_url), id_key=secrets.token_urlsafe(16),
            signatory=params["signatory"],
        )
        try:
            write_certificates(options, folder / "preview.pdf")
        except PrintkitError as exc:
            raise RequestError(400, exc.describe().replace(str(folder / "list.txt"),
                                                           "the pasted names")) from None
        write_preview(folder / "preview.pdf", folder / "preview.png", width=900)
        return (folder / "preview.png").read_bytes()
