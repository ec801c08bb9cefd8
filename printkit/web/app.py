"""The ASGI application: pages for people, the JSON API and the verification pages.

:func:`create_app` builds it for one :class:`~printkit.web.config.Settings`;
:func:`from_env` is the factory for ``uvicorn --factory`` (several workers,
PostgreSQL). The routes are thin: checks and job creation live in
:mod:`printkit.web.forms`, records in :mod:`printkit.web.store`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from ..errors import PrintkitError
from ..locale import LocaleContext
from ..output import csv_text
from .config import Settings
from .forms import (
    certificate_designs,
    certificate_preview,
    create_certificates,
    create_handout,
    create_poster,
)
from .guards import BodyLimit, RateLimit, SecurityHeaders, token_matches
from .jobs import Dispatcher, make_executor
from .manifests import read_manifest
from .store import JobView, Store, database_url, migrate
from .ui import COOKIE, Language, render, request_language
from .uploads import RequestError
from .worker import JOB_FILES, job_folder

log = logging.getLogger(__name__)

#: Rows of the per-row report shown on a job's page (the CSV has them all).
REPORT_ROWS_SHOWN = 500
#: What each kind of job offers for download, in order.
DOWNLOADS = {
    "certificates": ("certificates.pdf", "certificates.zip", "report.csv"),
    "poster": ("poster.pdf",),
    "handout": ("handout.pdf",),
}
#: Fields and files a form may carry.
FORM_LIMITS = {"max_files": 3, "max_fields": 30, "max_part_size": 4 * 1024 * 1024}

Handler = Callable[[Request], Awaitable[Response]]


class Service:
    """The state one instance shares between its routes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.store: Store | None = None
        self.dispatcher: Dispatcher | None = None
        self.rate = RateLimit(settings.rate_limit)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "jobs").mkdir(exist_ok=True)
        store = Store(database_url(self.data_dir, self.settings.database))
        migrate(store.engine)
        self.store = store
        executor = make_executor(self.settings.scheduler, self.settings.workers)
        self.dispatcher = Dispatcher(
            store, executor, data_dir=str(self.data_dir.absolute()),
            public_url=self.settings.public_url,
        )
        self.dispatcher.start()

    def stop(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.stop()

    @property
    def db(self) -> Store:
        assert self.store is not None, "the service has not started"
        return self.store


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _language(request: Request) -> Language:
    return Language.of(request_language(request))


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    language = _language(request)
    service = _service(request)
    body = render(template, language, token_required=bool(service.settings.token),
                  path=request.url.path, **context)
    response = HTMLResponse(body, status_code=status)
    if (lang := request.query_params.get("lang")) and lang == language.tag:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _token(request: Request, form: FormData | None = None) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if header := request.headers.get("x-printkit-token"):
        return header
    value = form.get("token") if form is not None else None
    return value if isinstance(value, str) else None


async def _form(request: Request) -> FormData:
    try:
        return await request.form(**FORM_LIMITS)
    except HTTPException as exc:  # python-multipart's own refusals (too many parts…)
        raise RequestError(400, f"the form cannot be read: {exc.detail}") from None


def _guard(request: Request, form: FormData) -> None:
    """The organiser token and the rate limit, before any work."""
    service = _service(request)
    if not token_matches(service.settings.token, _token(request, form)):
        raise RequestError(401, "this service needs the organiser token (Authorization: "
                                "Bearer TOKEN, or the token field)")
    client = request.client.host if request.client else "?"
    wait = service.rate.allow(client)
    if wait:
        raise RequestError(429, f"too many jobs from {client}; try again in {wait:.0f} s")


# ---------------------------------------------------------------------------- API


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _creator(kind: str) -> Callable[[Request, FormData], Awaitable[str]]:
    async def create(request: Request, form: FormData) -> str:
        service = _service(request)
        _guard(request, form)
        if kind == "certificates":
            job_id = await create_certificates(
                form, service.db, service.data_dir, service.settings.max_rows
            )
        elif kind == "poster":
            job_id = await create_poster(form, service.db, service.data_dir)
        else:
            job_id = await create_handout(form, service.db, service.data_dir)
        assert service.dispatcher is not None
        service.dispatcher.wake()
        return job_id

    return create


def _api_create(kind: str) -> Handler:
    create = _creator(kind)

    async def handler(request: Request) -> Response:
        try:
            job_id = await create(request, await _form(request))
        except RequestError as exc:
            headers = {"Retry-After": "60"} if exc.status == 429 else None
            return _error(exc.status, exc.message, headers)
        return JSONResponse(
            {"id": job_id, "status": "queued", "url": f"/api/jobs/{job_id}"},
            status_code=202, headers={"Location": f"/api/jobs/{job_id}"},
        )

    return handler


async def api_preview(request: Request) -> Response:
    service = _service(request)
    try:
        form = await _form(request)
        _guard(request, form)  # a preview costs a render: the same token and rate limit
        png = await run_in_threadpool(certificate_preview, form, service.settings.public_url)
    except RequestError as exc:
        return _error(exc.status, exc.message)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


def _job(request: Request) -> JobView | None:
    return _service(request).db.job(request.path_params["job_id"])


def _ready(service: Service, job: JobView) -> list[str]:
    """The downloads already made (a certificates job offers its PDF before its ZIP)."""
    if job.status not in ("running", "done"):
        return []
    folder = job_folder(service.data_dir, job.id)
    return [n for n in DOWNLOADS.get(job.kind, ()) if (folder / JOB_FILES[n][0]).is_file()]


async def api_job(request: Request) -> Response:
    job = _job(request)
    if job is None:
        return _error(404, "no such job")
    files = [f"/api/jobs/{job.id}/{name}" for name in _ready(_service(request), job)]
    return JSONResponse({**job.public(), "files": files}, headers={"Cache-Control": "no-store"})


async def job_file(request: Request) -> Response:
    """A job's output, once written (outputs are written atomically: never half a file)."""
    job = _job(request)
    name = request.path_params["name"]
    if job is None or name not in JOB_FILES:
        return _error(404, "no such job or file")
    path = job_folder(_service(request).data_dir, job.id) / JOB_FILES[name][0]
    if job.status not in ("running", "done") or not path.is_file():
        if job.status in ("queued", "running"):
            return _error(409, f"the job is {job.status}; {name} is not made yet")
        return _error(404, f"this job has no {name}")
    disposition = "inline" if name == "preview.png" else "attachment"
    return FileResponse(path, media_type=JOB_FILES[name][1], filename=name,
                        content_disposition_type=disposition)


async def api_verify(request: Request) -> Response:
    record = _service(request).db.certificate(request.path_params["cert_id"])
    if record is None:
        return _error(404, "no certificate with this id")
    return JSONResponse(record.public())


async def api_revoke(request: Request) -> Response:
    service = _service(request)
    try:
        form = await _form(request)
    except RequestError as exc:
        return _error(exc.status, exc.message)
    if not token_matches(service.settings.token, _token(request, form)):
        return _error(401, "revoking needs the organiser token")
    reason = form.get("reason")
    reason = reason.strip()[:300] if isinstance(reason, str) else ""
    if not service.db.revoke(request.path_params["cert_id"], reason):
        return _error(404, "no certificate with this id")
    record = service.db.certificate(request.path_params["cert_id"])
    assert record is not None
    return JSONResponse(record.public())


async def api_import(request: Request) -> Response:
    """Register certificates a CLI run made (its manifest), so that their codes verify."""
    service = _service(request)
    try:
        form = await _form(request)
        if not token_matches(service.settings.token, _token(request, form)):
            raise RequestError(401, "importing needs the organiser token")
        manifest = form.get("manifest")
        event = form.get("event")
        if not isinstance(manifest, str | bytes) and manifest is not None:
            data = await manifest.read()
        else:
            raise RequestError(400, "manifest: missing; upload the .manifest.csv of the run")
        if not isinstance(event, str) or not event.strip():
            raise RequestError(400, "event: missing; give the event's name")
        date_text = form.get("date")
        date = None
        if isinstance(date_text, str) and date_text.strip():
            try:
                date = dt.date.fromisoformat(date_text.strip())
            except ValueError:
                raise RequestError(400, f"date: {date_text!r} is not YYYY-MM-DD") from None
        organiser = form.get("organiser")
        locale = form.get("locale")
        path = service.data_dir / "imports" / "manifest.csv"
        path.parent.mkdir(exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        path.write_bytes(data)
        records = read_manifest(
            path, event=event.strip(), date=date,
            organiser=organiser.strip() if isinstance(organiser, str) else "",
            locale=locale.strip() if isinstance(locale, str) and locale.strip() else "en-US",
        )
        added, skipped = service.db.register(records)
    except RequestError as exc:
        return _error(exc.status, exc.message)
    except PrintkitError as exc:
        return _error(400, exc.describe().replace(str(path), "manifest"))
    return JSONResponse({"added": added, "skipped": skipped})


# -------------------------------------------------------------------------- pages


async def certificates_page(request: Request) -> Response:
    return _page(request, "certificates.html.j2", designs=certificate_designs(), values={},
                 error=None, preview=None)


async def poster_page(request: Request) -> Response:
    from ..documents.poster import DESIGNS  # noqa: PLC0415

    return _page(request, "poster.html.j2", designs=DESIGNS, values={}, error=None)


async def handout_page(request: Request) -> Response:
    return _page(request, "handout.html.j2", values={}, error=None)


def _page_create(kind: str, template: str) -> Handler:
    create = _creator(kind)

    async def handler(request: Request) -> Response:
        form: FormData | None = None
        try:
            form = await _form(request)
            job_id = await create(request, form)
        except RequestError as exc:
            from ..documents.poster import DESIGNS  # noqa: PLC0415

            designs = certificate_designs() if kind == "certificates" else DESIGNS
            values = {k: v for k, v in (form or {}).items() if isinstance(v, str) and k != "token"}
            return _page(request, template, status=exc.status, designs=designs, values=values,
                         error=exc.message, preview=None)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    return handler


async def preview_page(request: Request) -> Response:
    """The no-JavaScript preview: the form again, its values kept, the picture above it."""
    import base64  # noqa: PLC0415

    service = _service(request)
    form = await _form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "token"}
    try:
        _guard(request, form)
        png = await run_in_threadpool(certificate_preview, form, service.settings.public_url)
    except RequestError as exc:
        return _page(request, "certificates.html.j2", status=exc.status,
                     designs=certificate_designs(), values=values, error=exc.message, preview=None)
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return _page(request, "certificates.html.j2", designs=certificate_designs(), values=values,
                 error=None, preview=uri)


def _report_rows(path: Path) -> tuple[list[list[str]], int]:
    import csv  # noqa: PLC0415

    from ..output import spreadsheet_value  # noqa: PLC0415

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
    job = _job(request)
    if job is None:
        return _page(request, "error.html.j2", status=404, title="Not found",
                     message="There is no job with this address.")
    report: list[list[str]] = []
    report_count = 0
    if job.status == "done" and job.kind == "certificates":
        folder = job_folder(_service(request).data_dir, job.id)
        report, report_count = await run_in_threadpool(_report_rows, folder / "report.csv")
    percent = int(100 * job.done / job.total) if job.total else 0
    return _page(request, "job.html.j2", job=job, percent=percent,
                 downloads=_ready(_service(request), job), report=report,
                 report_count=report_count, report_shown=REPORT_ROWS_SHOWN)


async def verify_page(request: Request) -> Response:
    record = _service(request).db.certificate(request.path_params["cert_id"])
    if record is None:
        return _page(request, "error.html.j2", status=404, title="Not found",
                     message="No certificate has this id. Check the address, or ask the "
                             "organiser of the event.")
    try:
        locale = LocaleContext.parse(record.locale)
        date = locale.format_date(record.date, "long") if record.date else ""
        revoked = locale.format_date(record.revoked_at.date(), "long") \
            if record.revoked_at else ""
    except PrintkitError:
        date = record.date.isoformat() if record.date else ""
        revoked = record.revoked_at.date().isoformat() if record.revoked_at else ""
    language = Language.of(record.locale)
    body = render("verify.html.j2", language, record=record, date=date, revoked=revoked,
                  token_required=False, path=request.url.path)
    return HTMLResponse(body)


async def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return _error(404, "not found")
    return _page(request, "error.html.j2", status=404, title="Not found",
                 message="There is no page at this address.")


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 405)
    if status == 404:
        return await not_found(request, exc)
    return _error(status, str(getattr(exc, "detail", "not allowed")))


async def report_csv(request: Request) -> Response:
    """The refused rows of a job as CSV (spreadsheet-safe), for a quick look."""
    job = _job(request)
    if job is None:
        return _error(404, "no such job")
    text = csv_text(["row", "name", "reason"],
                    ([r["row"], r["name"], r["reason"]] for r in job.refused))
    return Response(text, media_type="text/csv; charset=utf-8")


def create_app(settings: Settings) -> ASGIApp:
    """The service, wrapped in its guards (size limit, security headers)."""
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    static = StaticFiles(directory=str(files("printkit.web") / "static"))
    routes = [
        Route("/healthz", healthz),
        Route("/", certificates_page),
        Route("/certificates", _page_create("certificates", "certificates.html.j2"),
              methods=["POST"]),
        Route("/certificates/preview", preview_page, methods=["POST"]),
        Route("/poster", poster_page),
        Route("/poster", _page_create("poster", "poster.html.j2"), methods=["POST"]),
        Route("/handout", handout_page),
        Route("/handout", _page_create("handout", "handout.html.j2"), methods=["POST"]),
        Route("/jobs/{job_id}", job_page),
        Route("/verify/{cert_id}", verify_page),
        Route("/api/certificates", _api_create("certificates"), methods=["POST"]),
        Route("/api/certificates/preview", api_preview, methods=["POST"]),
        Route("/api/certificates/import", api_import, methods=["POST"]),
        Route("/api/posters", _api_create("poster"), methods=["POST"]),
        Route("/api/handouts", _api_create("handout"), methods=["POST"]),
        Route("/api/jobs/{job_id}", api_job),
        Route("/api/jobs/{job_id}/refused.csv", report_csv),
        Route("/api/jobs/{job_id}/{name}", job_file),
        Route("/api/verify/{cert_id}", api_verify),
        Route("/api/verify/{cert_id}/revoke", api_revoke, methods=["POST"]),
        Mount("/static", static, name="static"),
    ]
    app = Starlette(
        routes=routes, lifespan=lifespan,
        exception_handlers={404: not_found, 405: method_not_allowed},
    )
    app.state.service = service
    return SecurityHeaders(BodyLimit(app, settings.max_upload_bytes))


def from_env() -> ASGIApp:
    """``uvicorn --factory printkit.web.app:from_env`` (settings from ``PRINTKIT_*``)."""
    return create_app(Settings.from_env())
