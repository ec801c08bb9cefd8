"""The pages for people: forms, a job's progress and results, verification, errors."""

from __future__ import annotations

import base64
import csv
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..documents.poster import DESIGNS as POSTER_DESIGNS
from ..errors import PrintkitError
from ..locale import LocaleContext
from ..output import spreadsheet_value
from .forms import certificate_designs, certificate_preview
from .service import (
    Handler,
    creator,
    error,
    guard,
    job_of,
    page,
    read_form,
    ready,
    service_of,
)
from .ui import Language, render, request_language
from .uploads import RequestError
from .worker import job_folder

#: Rows of the per-row report shown on a job's page (the CSV has them all).
REPORT_ROWS_SHOWN = 500


async def certificates_page(request: Request) -> Response:
    return page(request, "certificates.html.j2", designs=certificate_designs(), values={},
                error=None, preview=None)


async def poster_page(request: Request) -> Response:
    return page(request, "poster.html.j2", designs=POSTER_DESIGNS, values={}, error=None)


async def handout_page(request: Request) -> Response:
    return page(request, "handout.html.j2", values={}, error=None)


def page_create(kind: str, template: str) -> Handler:
    create = creator(kind)

    async def handler(request: Request) -> Response:
        form: FormData | None = None
        try:
            form = await read_form(request)
            job_id = await create(request, form)
        except RequestError as exc:
            designs = certificate_designs() if kind == "certificates" else POSTER_DESIGNS
            values = {k: v for k, v in (form or {}).items() if isinstance(v, str) and k != "token"}
            return page(request, template, status=exc.status, designs=designs, values=values,
                        error=exc.message, preview=None)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    return handler


async def preview_page(request: Request) -> Response:
    """The no-JavaScript preview: the form again, its values kept, the picture above it."""
    service = service_of(request)
    form = await read_form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "token"}
    try:
        guard(request, form)
        png = await run_in_threadpool(certificate_preview, form, service.settings.public_url)
    except RequestError as exc:
        return page(request, "certificates.html.j2", status=exc.status,
                    designs=certificate_designs(), values=values, error=exc.message, preview=None)
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return page(request, "certificates.html.j2", designs=certificate_designs(), values=values,
                error=None, preview=uri)


def report_rows(path: Path) -> tuple[list[list[str]], int]:
    """The first rows of a job's report (as written: spreadsheet-safe cells read back)."""
    if not path.is_file():
        return [], 0
    rows: list[list[str]] = []
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for cells in reader:
            count += 1
            if len(rows) < REPORT_ROWS_SHOWN:
                rows.append([spreadsheet_value(c) for c in cells])
    return rows, count


async def job_page(request: Request) -> Response:
    job = job_of(request)
    if job is None:
        return page(request, "error.html.j2", status=404, title="Not found",
                    message="There is no job with this address.")
    report: list[list[str]] = []
    report_count = 0
    if job.status == "done" and job.kind == "certificates":
        folder = job_folder(service_of(request).data_dir, job.id)
        report, report_count = await run_in_threadpool(report_rows, folder / "report.csv")
    percent = int(100 * job.done / job.total) if job.total else 0
    return page(request, "job.html.j2", job=job, percent=percent,
                downloads=ready(service_of(request), job), report=report,
                report_count=report_count, report_shown=REPORT_ROWS_SHOWN)


async def verify_page(request: Request) -> Response:
    record = service_of(request).db.certificate(request.path_params["cert_id"])
    if record is None:
        return page(request, "error.html.j2", status=404, title="Not found",
                    message="No certificate has this id. Check the address, or ask the "
                            "organiser of the event.")
    # the certificate's language, unless the reader chose another with the chooser
    tag = request_language(request) if request.query_params.get("lang") else record.locale
    try:
        locale = LocaleContext.parse(tag)
        date = locale.format_date(record.date, "long") if record.date else ""
        revoked = locale.format_date(record.revoked_at.date(), "long") \
            if record.revoked_at else ""
    except PrintkitError:
        date = record.date.isoformat() if record.date else ""
        revoked = record.revoked_at.date().isoformat() if record.revoked_at else ""
    language = Language.of(tag)
    body = render("verify.html.j2", language, record=record, date=date, revoked=revoked,
                  token_required=False, path=request.url.path)
    return HTMLResponse(body)


async def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return error(404, "not found")
    return page(request, "error.html.j2", status=404, title="Not found",
                message="There is no page at this address.")


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 405)
    if status == 404:
        return await not_found(request, exc)
    return error(status, str(getattr(exc, "detail", "not allowed")))


