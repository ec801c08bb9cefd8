"""What the routes share: the running service, and the steps every handler takes
(read the form, check the token and rate limit, answer an error, render a page)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .config import Settings
from .forms import create_certificates, create_handout, create_poster
from .guards import RateLimit, token_matches
from .jobs import Dispatcher, make_executor
from .store import JobView, Store, database_url, migrate
from .ui import COOKIE, Language, render, request_language
from .uploads import RequestError
from .worker import JOB_FILES, job_folder

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
            public_url=self.settings.public_url, cluster=self.settings.cluster or "",
            keep_days=self.settings.keep_days,
        )
        self.dispatcher.start()

    def stop(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.stop()

    @property
    def db(self) -> Store:
        assert self.store is not None, "the service has not started"
        return self.store


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def language_of(request: Request) -> Language:
    return Language.of(request_language(request))


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    service = service_of(request)
    body = render(template, language, token_required=bool(service.settings.token),
                  path=request.url.path, **context)
    response = HTMLResponse(body, status_code=status)
    if (lang := request.query_params.get("lang")) and lang == language.tag:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def token_of(request: Request, form: FormData | None = None) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if header := request.headers.get("x-printkit-token"):
        return header
    value = form.get("token") if form is not None else None
    return value if isinstance(value, str) else None


async def read_form(request: Request) -> FormData:
    try:
        return await request.form(**FORM_LIMITS)
    except HTTPException as exc:  # python-multipart's own refusals (too many parts…)
        raise RequestError(400, f"the form cannot be read: {exc.detail}") from None


def same_site(request: Request) -> bool:
    """Whether a browser's ``Origin`` (sent with every cross-site POST) is this service:
    the address asked for, or ``--public-url``. No Origin (scripts, curl): True."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    netloc = urlsplit(origin).netloc
    public = urlsplit(service_of(request).settings.public_url).netloc
    return netloc in {request.headers.get("host", ""), public}


def guard(request: Request, form: FormData) -> None:
    """Same site, the organiser token and the rate limit, before any work."""
    service = service_of(request)
    if not same_site(request):
        raise RequestError(403, "a form on another site may not make jobs here")
    if not token_matches(service.settings.token, token_of(request, form)):
        raise RequestError(401, "this service needs the organiser token (Authorization: "
                                "Bearer TOKEN, or the token field)")
    client = request.client.host if request.client else "?"
    wait = service.rate.allow(client)
    if wait:
        raise RequestError(429, f"too many jobs from {client}; try again in {wait:.0f} s")

def creator(kind: str) -> Callable[[Request, FormData], Awaitable[str]]:
    async def create(request: Request, form: FormData) -> str:
        service = service_of(request)
        guard(request, form)
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


def job_of(request: Request) -> JobView | None:
    return service_of(request).db.job(request.path_params["job_id"])


def ready(service: Service, job: JobView) -> list[str]:
    """The downloads already made (a certificates job offers its PDF before its ZIP)."""
    if job.status not in ("running", "done") or job.purged:
        return []
    folder = job_folder(service.data_dir, job.id)
    return [n for n in DOWNLOADS.get(job.kind, ()) if (folder / JOB_FILES[n][0]).is_file()]


