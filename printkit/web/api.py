"""The JSON API: job creation, job state and files, verification, revocation, import."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from ..errors import PrintkitError
from ..output import csv_text
from .forms import certificate_preview, common, field, upload
from .guards import token_matches
from .manifests import read_manifest
from .service import (
    Handler,
    creator,
    error,
    guard,
    job_of,
    read_form,
    ready,
    same_site,
    service_of,
    token_of,
)
from .uploads import RequestError, save
from .worker import JOB_FILES, job_folder

#: Revocation and import change what verification pages say: never open to anyone.
NO_TOKEN = (
    "this service has no organiser token, so nobody may revoke or import over the web; "
    "start it with --token (or PRINTKIT_TOKEN), or use printkit serve revoke/import"
)


async def healthz(request: Request) -> Response:
    """200 ``{"status": "ok"}`` while the database answers (a load balancer's check), else 503."""
    try:
        await run_in_threadpool(service_of(request).db.ping)
    except Exception as exc:  # any driver error: this instance cannot serve
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__},
                            status_code=503)
    return JSONResponse({"status": "ok"})


def api_create(kind: str) -> Handler:
    create = creator(kind)

    async def handler(request: Request) -> Response:
        try:
            job_id = await create(request, await read_form(request))
        except RequestError as exc:
            headers = {"Retry-After": "60"} if exc.status == 429 else None
            return error(exc.status, exc.message, headers)
        return JSONResponse(
            {"id": job_id, "status": "queued", "url": f"/api/jobs/{job_id}"},
            status_code=202, headers={"Location": f"/api/jobs/{job_id}"},
        )

    return handler


async def api_preview(request: Request) -> Response:
    service = service_of(request)
    try:
        form = await read_form(request)
        guard(request, form)  # a preview costs a render: the same token and rate limit
        png = await run_in_threadpool(certificate_preview, form, service.settings.public_url)
    except RequestError as exc:
        return error(exc.status, exc.message)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


async def api_job(request: Request) -> Response:
    job = job_of(request)
    if job is None:
        return error(404, "no such job")
    files = [f"/api/jobs/{job.id}/{name}" for name in ready(service_of(request), job)]
    return JSONResponse({**job.public(), "files": files}, headers={"Cache-Control": "no-store"})


async def job_file(request: Request) -> Response:
    """A job's output, once written (outputs are written atomically: never half a file)."""
    job = job_of(request)
    name = request.path_params["name"]
    if job is None or name not in JOB_FILES:
        return error(404, "no such job or file")
    path = job_folder(service_of(request).data_dir, job.id) / JOB_FILES[name][0]
    if job.purged:
        return error(410, f"{name} was removed after the days this service keeps files")
    if job.status not in ("running", "done") or not path.is_file():
        if job.status in ("queued", "running"):
            return error(409, f"the job is {job.status}; {name} is not made yet")
        return error(404, f"this job has no {name}")
    disposition = "inline" if name == "preview.png" else "attachment"
    return FileResponse(path, media_type=JOB_FILES[name][1], filename=name,
                        content_disposition_type=disposition)


async def api_verify(request: Request) -> Response:
    record = service_of(request).db.certificate(request.path_params["cert_id"])
    if record is None:
        return error(404, "no certificate with this id")
    return JSONResponse(record.public())


async def api_revoke(request: Request) -> Response:
    service = service_of(request)
    try:
        form = await read_form(request)
    except RequestError as exc:
        return error(exc.status, exc.message)
    if not service.settings.token:
        return error(403, NO_TOKEN)
    if not same_site(request):
        return error(403, "a form on another site may not revoke certificates here")
    if not token_matches(service.settings.token, token_of(request, form)):
        return error(401, "revoking needs the organiser token")
    reason = form.get("reason")
    reason = reason.strip()[:300] if isinstance(reason, str) else ""
    if not service.db.revoke(request.path_params["cert_id"], reason):
        return error(404, "no certificate with this id")
    record = service.db.certificate(request.path_params["cert_id"])
    assert record is not None
    return JSONResponse(record.public())


async def api_import(request: Request) -> Response:
    """Register certificates a CLI run made (its manifest), so that their codes verify."""
    service = service_of(request)
    folder = service.data_dir / "imports"
    try:
        form = await read_form(request)
        if not service.settings.token:
            raise RequestError(403, NO_TOKEN)
        if not same_site(request):
            raise RequestError(403, "a form on another site may not import here")
        if not token_matches(service.settings.token, token_of(request, form)):
            raise RequestError(401, "importing needs the organiser token")
        facts = common(form)
        event = field(form, "event", required=True)
        manifest = upload(form, "manifest")
        if manifest is None:
            raise RequestError(400, "manifest: missing; upload the .manifest.csv of the run")
        folder.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            path = Path(tmp) / "manifest.csv"
            await save(manifest, path)
            try:
                records = list(read_manifest(
                    path, event=event, organiser=field(form, "organiser"),
                    date=dt.date.fromisoformat(facts["date"]) if facts["date"] else None,
                    locale=facts["locale"],
                ))
            except PrintkitError as exc:
                raise RequestError(400, exc.describe().replace(str(path), "manifest")) from None
        added, skipped = service.db.register(records)
    except RequestError as exc:
        return error(exc.status, exc.message)
    return JSONResponse({"added": added, "skipped": skipped})


async def report_csv(request: Request) -> Response:
    """The refused rows of a job as CSV (spreadsheet-safe), for a quick look."""
    job = job_of(request)
    if job is None:
        return error(404, "no such job")
    text = csv_text(["row", "name", "reason"],
                    ([r["row"], r["name"], r["reason"]] for r in job.refused))
    return Response(text, media_type="text/csv; charset=utf-8")


