"""The ASGI application: pages for people, the JSON API and the verification pages.

:func:`create_app` builds it for one :class:`~printkit.web.config.Settings`;
:func:`from_env` is the factory for ``uvicorn --factory`` (several workers,
PostgreSQL). The routes are thin: pages in :mod:`printkit.web.pages`, the API
in :mod:`printkit.web.api`, checks and job creation in :mod:`printkit.web.forms`,
records in :mod:`printkit.web.store`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib.resources import files

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from .api import (
    api_create,
    api_import,
    api_job,
    api_preview,
    api_revoke,
    api_verify,
    healthz,
    job_file,
    report_csv,
)
from .config import Settings
from .guards import BodyLimit, SecurityHeaders
from .pages import (
    certificates_page,
    handout_page,
    job_page,
    method_not_allowed,
    not_found,
    page_create,
    poster_page,
    preview_page,
    verify_page,
)
from .service import Service


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
        Route("/certificates", page_create("certificates", "certificates.html.j2"),
              methods=["POST"]),
        Route("/certificates/preview", preview_page, methods=["POST"]),
        Route("/poster", poster_page),
        Route("/poster", page_create("poster", "poster.html.j2"), methods=["POST"]),
        Route("/handout", handout_page),
        Route("/handout", page_create("handout", "handout.html.j2"), methods=["POST"]),
        Route("/jobs/{job_id}", job_page),
        Route("/verify/{cert_id}", verify_page),
        Route("/api/certificates", api_create("certificates"), methods=["POST"]),
        Route("/api/certificates/preview", api_preview, methods=["POST"]),
        Route("/api/certificates/import", api_import, methods=["POST"]),
        Route("/api/posters", api_create("poster"), methods=["POST"]),
        Route("/api/handouts", api_create("handout"), methods=["POST"]),
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
