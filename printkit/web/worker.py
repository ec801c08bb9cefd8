"""The work of a job, run in a worker (process or thread): certificates, a poster, a handout.

A worker gets the database URL, the data folder and the job id, nothing else:
it reads the job's parameters from the database and its input files from the
job's folder (names chosen by the service, never by the request), writes the
outputs there atomically, and records progress, refused rows and the result.
While it runs it extends the job's lease; a worker that dies stops doing so,
and the job is resumed (see :meth:`printkit.web.store.Store.recover`).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..documents.certificates import CertificateOptions, write_certificates
from ..documents.handout import write_handout
from ..documents.poster import PosterOptions, write_poster
from ..errors import PrintkitError
from ..kit.previews import write_preview
from ..model import Event
from ..options import HandoutOptions
from ..output import spreadsheet_value
from ..resources import layouts_dir
from .store import CertificateRecord, JobView, Store

log = logging.getLogger(__name__)

#: Seconds a running job's lease lasts; the worker renews it every third of that. A job whose
#: worker died is resumed once it runs out (``PRINTKIT_LEASE_SECONDS`` changes it).
LEASE_SECONDS = float(os.environ.get("PRINTKIT_LEASE_SECONDS", "20"))
#: The files a job may be asked for: download name -> (file in the job folder, media type).
JOB_FILES: dict[str, tuple[str, str]] = {
    "certificates.pdf": ("certificates.pdf", "application/pdf"),
    "certificates.zip": ("certificates.zip", "application/zip"),
    "report.csv": ("report.csv", "text/csv; charset=utf-8"),
    "preview.png": ("preview.png", "image/png"),
    "poster.pdf": ("poster.pdf", "application/pdf"),
    "handout.pdf": ("handout.pdf", "application/pdf"),
}
#: Input files the service may store in a job folder (chosen by the service).
INPUT_FILES = frozenset({
    "list.csv", "list.txt", "list.xlsx", "guide.md", "strings.yaml",
    "image.png", "image.jpg", "image.gif", "image.webp",
})


def job_folder(data_dir: Path, job_id: str) -> Path:
    """The folder of a job (``job_id`` comes from the database, checked by ``valid_id``)."""
    return Path(data_dir) / "jobs" / job_id


def verify_url(public_url: str) -> str:
    """The URL template the certificates' QR codes carry."""
    return public_url.rstrip("/") + "/verify/{id}"


@dataclass
class _Tracker:
    """Progress from the engine to the database, at most a few writes a second."""

    store: Store
    job: JobView
    #: A Dask scheduler for the certificate pages, or None (this process).
    cluster: str | None = None
    factor: int = 1
    done: int = 0
    total: int | None = None
    _last: float = 0.0

    def start(self, total: int) -> None:
        if self.total is None:  # a job in several passes counts the first pass's total
            self.total = total * self.factor
        self.flush(force=True)

    def advance(self, count: int) -> None:
        self.done += count
        self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= 0.3:
            self._last = now
            total = None if self.total is None else self.total // self.factor
            self.store.progress(
                self.job.id, self.job.attempts, self.done // self.factor, total, LEASE_SECONDS
            )


def _heartbeat(tracker: _Tracker, stop: threading.Event) -> None:
    while not stop.wait(LEASE_SECONDS / 3):
        try:
            tracker.flush(force=True)
        except Exception:  # the database may be briefly away: the next beat retries
            log.warning("job %s: could not renew its lease", tracker.job.id, exc_info=True)


def _event(params: dict[str, Any], name_key: str = "event") -> Event:
    date = params.get("date")
    return Event(
        name=str(params.get(name_key, "")),
        date=dt.date.fromisoformat(date) if date else None,
        place=str(params.get("place", "")),
        organiser=str(params.get("organiser", "")),
    )


def _layout(name: str) -> str:
    """A shipped layout's folder (a name, never a folder of the working directory)."""
    folder = layouts_dir() / name
    if "/" in name or "\\" in name or name.startswith(".") or not folder.is_dir():
        raise ValueError(f"unexpected layout {name!r}")
    return str(folder)


def _input(folder: Path, name: object) -> Path:
    if name not in INPUT_FILES:
        raise ValueError(f"unexpected input file {name!r}")
    return folder / str(name)


def _certificates(store: Store, job: JobView, folder: Path, public_url: str,
                  tracker: _Tracker) -> tuple[list[dict[str, Any]], Diagnostics]:
    """Two passes: the merged PDF, the report and the records first (downloadable and
    verifiable at once), then one file each and their ZIP."""
    p = job.params
    tracker.factor = 2
    split = folder / "certificates"
    options = CertificateOptions(
        locale=p["locale"], paper=p.get("paper"), event=_event(p),
        people=_input(folder, p["list_file"]), layout=_layout(p["design"]),
        verify_url=verify_url(public_url), id_key=job.id_key,
        report=folder / "report.csv", signatory=str(p.get("signatory", "")),
        scheduler=tracker.cluster,
    )
    result = write_certificates(options, folder / "certificates.pdf", progress=tracker)
    date = options.event.date
    with (folder / "certificates.manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    store.issue(job.id, (
        CertificateRecord(r[4], spreadsheet_value(r[1]), options.event.name, date,
                          options.event.organiser, p["locale"], int(r[0]))
        for r in rows
    ))
    write_preview(folder / "certificates.pdf", folder / "preview.png")
    if rows:
        each = replace(options, report=None, split=split, zip=True)
        write_certificates(each, None, diagnostics=Diagnostics(), progress=tracker)
        shutil.rmtree(split, ignore_errors=True)  # the ZIP holds them
    refused = [{"row": r.row, "name": r.name, "reason": r.reason} for r in result.refused]
    return refused, result.diagnostics


def _poster(store: Store, job: JobView, folder: Path, public_url: str,
            tracker: _Tracker) -> tuple[list[dict[str, Any]], Diagnostics]:
    p = job.params
    image = _input(folder, p["image_file"]) if p.get("image_file") else None
    options = PosterOptions(
        locale=p["locale"], paper=p.get("paper"), event=_event(p, "title"),
        tagline=str(p.get("tagline", "")), url=str(p.get("url", "")), image=image,
        design=_layout(p["design"]),
    )
    tracker.start(1)
    result = write_poster(options, folder / "poster.pdf")
    write_preview(folder / "poster.pdf", folder / "preview.png")
    tracker.advance(1)
    return [], result.diagnostics


def _handout(store: Store, job: JobView, folder: Path, public_url: str,
             tracker: _Tracker) -> tuple[list[dict[str, Any]], Diagnostics]:
    p = job.params
    strings = _input(folder, "strings.yaml") if p.get("strings") else None
    options = HandoutOptions(
        locale=p["locale"], paper=p.get("paper"), event=_event(p),
        guide=_input(folder, "guide.md"), strings=strings,
    )
    tracker.start(1)
    result = write_handout(options, folder / "handout.pdf")
    write_preview(folder / "handout.pdf", folder / "preview.png")
    tracker.advance(1)
    return [], result.diagnostics


Work = Callable[[Store, JobView, Path, str, _Tracker], tuple[list[dict[str, Any]], Diagnostics]]
WORK: dict[str, Work] = {"certificates": _certificates, "poster": _poster, "handout": _handout}


def _public(message: str, job: JobView, folder: Path) -> str:
    """A message without the server's paths: the upload's own name instead."""
    if job.params.get("list_file"):
        message = message.replace(
            str(folder / job.params["list_file"]), str(job.params.get("list_display", "list"))
        )
    return message.replace(str(folder) + os.sep, "")


def run_job(
    database: str, data_dir: str, public_url: str, job_id: str, cluster: str = ""
) -> str:
    """Do one claimed job to the end; the status it ended in. Never raises for bad input.
    With ``cluster`` (a Dask scheduler's address) certificate pages are made on its workers."""
    store = Store(database)
    job = store.job(job_id)
    if job is None or job.status != "running":
        return "gone"
    tracker = _Tracker(store, job, cluster=cluster or None)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(tracker, stop), daemon=True)
    beat.start()
    folder = job_folder(Path(data_dir), job.id)
    try:
        refused, diagnostics = WORK[job.kind](store, job, folder, public_url, tracker)
    except PrintkitError as exc:
        store.fail(job.id, job.attempts, _public(exc.describe(), job, folder))
        return "failed"
    except Exception as exc:
        log.exception("job %s failed", job.id)
        store.fail(job.id, job.attempts, f"internal error ({type(exc).__name__}): {exc}")
        return "failed"
    finally:
        stop.set()
    total = (tracker.total or 0) // tracker.factor
    store.finish(job.id, job.attempts, refused=refused,
                 warnings=[_public(str(d), job, folder) for d in diagnostics],
                 done=total, total=total)
    return "done"
