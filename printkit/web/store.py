"""Where the service keeps its records: engine, migrations and the few queries it makes.

SQLite in the data folder by default (WAL mode: readers never wait for the
worker that writes progress), PostgreSQL with ``--database postgresql://…``
(driven by psycopg 3). Every query lives here, written with SQLAlchemy's
expression language; handlers and workers call :class:`Store` methods.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ..errors import UsageError
from .models import IssuedCertificate, Job, utcnow

#: How often a job may be interrupted (crash, restart) and resumed before it is failed.
MAX_ATTEMPTS = 3
#: Ids the service makes and accepts: URL-safe base64 or base-32 (never a path).
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def valid_id(value: str) -> bool:
    """Whether ``value`` can be a job or certificate id (anything else is a 404 at once).

    >>> valid_id("aB3_-xY9zQ"), valid_id("../../etc/passwd"), valid_id("x")
    (True, False, False)
    """
    return ID_PATTERN.fullmatch(value) is not None


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The SQLAlchemy URL: ``url`` (``postgresql://`` on psycopg 3), else SQLite in ``data_dir``.

    >>> database_url(Path("/srv/pk"))
    'sqlite:////srv/pk/printkit.db'
    >>> database_url(Path("d"), "postgresql://u@db/pk")
    'postgresql+psycopg://u@db/pk'
    """
    if not url:
        return f"sqlite:///{Path(data_dir).absolute() / 'printkit.db'}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite:///")):
        return url
    raise UsageError(
        f"--database {url.split('://')[0]}://…: not a supported database",
        hint="use postgresql://user@host/dbname, or leave it out for SQLite in --data",
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@cache
def engine_for(url: str) -> Engine:
    """One engine per URL and process (workers make their own)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (several instances may start at once)."""
    from alembic import command  # noqa: PLC0415 - start-up only
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(files("printkit.web") / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # One instance migrates; the others wait for it, then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(4207511)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@dataclass(frozen=True)
class JobView:
    """A job as read, detached from the session."""

    id: str
    kind: str
    status: str
    params: dict[str, Any]
    id_key: str
    done: int
    total: int
    refused: list[dict[str, Any]]
    warnings: list[str]
    error: str | None
    attempts: int
    purged: bool = False

    @classmethod
    def of(cls, job: Job) -> JobView:
        return cls(
            job.id, job.kind, job.status, dict(job.params), job.id_key, job.done, job.total,
            list(job.refused), list(job.warnings), job.error, job.attempts,
            job.purged_at is not None,
        )

    def public(self) -> dict[str, Any]:
        """The JSON of ``GET /api/jobs/{id}``."""
        return {
            "id": self.id, "kind": self.kind, "status": self.status, "done": self.done,
            "total": self.total, "refused": self.refused, "warnings": self.warnings,
            "error": self.error, "files_removed": self.purged,
        }


@dataclass(frozen=True)
class CertificateRecord:
    """What a verification page shows."""

    id: str
    name: str
    event: str
    date: dt.date | None
    organiser: str
    locale: str
    row: int = 0
    source: str = "service"
    job_id: str | None = None
    revoked_at: dt.datetime | None = None
    revoked_reason: str = ""

    def public(self) -> dict[str, Any]:
        """The JSON of ``GET /api/verify/{id}``."""
        return {
            "id": self.id, "valid": self.revoked_at is None, "name": self.name,
            "event": self.event, "date": self.date.isoformat() if self.date else None,
            "organiser": self.organiser, "locale": self.locale,
            "revoked": self.revoked_at is not None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "revoked_reason": self.revoked_reason or None,
        }


class Store:
    """The records of one service (any number of instances may share a PostgreSQL one)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = engine_for(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise when the database does not answer."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    # ------------------------------------------------------------------ jobs

    def create_job(self, job_id: str, kind: str, params: dict[str, Any], id_key: str = "") -> None:
        with self.session() as s:
            s.add(Job(
                id=job_id, kind=kind, status="queued", params=params, id_key=id_key, done=0,
                total=0, refused=[], warnings=[], error=None, attempts=0,
            ))

    def job(self, job_id: str) -> JobView | None:
        if not valid_id(job_id):
            return None
        with self.session() as s:
            found = s.get(Job, job_id)
            return JobView.of(found) if found else None

    def claim_next(self, lease_seconds: float) -> JobView | None:
        """Take the oldest queued job for this worker (a conditional update: no double claim)."""
        with self.session() as s:
            ids = s.scalars(
                select(Job.id).where(Job.status == "queued").order_by(Job.created_at).limit(5)
            ).all()
        for job_id in ids:
            now = utcnow()
            with self.session() as s:
                claimed = s.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "queued")
                    .values(status="running", attempts=Job.attempts + 1, updated_at=now,
                            lease_until=now + dt.timedelta(seconds=lease_seconds))
                ).rowcount  # type: ignore[attr-defined]
            if claimed == 1:
                return self.job(job_id)
        return None

    def progress(
        self, job_id: str, attempt: int, done: int, total: int | None, lease_seconds: float
    ) -> bool:
        """Record progress and extend the running job's lease; False when this attempt no
        longer owns the job (it was resumed elsewhere)."""
        now = utcnow()
        values: dict[str, Any] = {
            "done": done, "updated_at": now,
            "lease_until": now + dt.timedelta(seconds=lease_seconds),
        }
        if total is not None:
            values["total"] = total
        with self.session() as s:
            owned = s.execute(update(Job).where(*self._owner(job_id, attempt)).values(values))
            return bool(owned.rowcount == 1)  # type: ignore[attr-defined]

    @staticmethod
    def _owner(job_id: str, attempt: int) -> tuple[Any, ...]:
        """The running job as claimed by one attempt (a fencing token: a worker that lost
        its lease cannot overwrite the attempt that resumed it)."""
        return (Job.id == job_id, Job.status == "running", Job.attempts == attempt)

    def finish(
        self, job_id: str, attempt: int, *, refused: list[dict[str, Any]], warnings: list[str],
        done: int, total: int,
    ) -> None:
        with self.session() as s:
            s.execute(update(Job).where(*self._owner(job_id, attempt)).values(
                status="done", refused=refused, warnings=warnings, done=done, total=total,
                lease_until=None, updated_at=utcnow(), error=None,
            ))

    def fail(self, job_id: str, attempt: int, error: str) -> None:
        with self.session() as s:
            s.execute(update(Job).where(*self._owner(job_id, attempt)).values(
                status="failed", error=error, lease_until=None, updated_at=utcnow(),
            ))

    def release(self, job_ids: Iterable[str]) -> None:
        """Put this instance's running jobs back in the queue (a clean shutdown)."""
        ids = list(job_ids)
        if not ids:
            return
        with self.session() as s:
            s.execute(update(Job).where(Job.id.in_(ids), Job.status == "running").values(
                status="queued", lease_until=None, done=0, updated_at=utcnow(),
            ))

    def recover(self) -> tuple[int, int]:
        """Running jobs whose lease expired (their worker died): resumed, or failed after
        :data:`MAX_ATTEMPTS`. Returns (resumed, failed)."""
        now = utcnow()
        stale = (Job.status == "running") & (Job.lease_until < now)
        with self.session() as s:
            failed = s.execute(update(Job).where(stale, Job.attempts >= MAX_ATTEMPTS).values(
                status="failed", lease_until=None, updated_at=now,
                error=f"interrupted {MAX_ATTEMPTS} times (the server stopped or crashed while "
                "making it); submit it again",
            )).rowcount  # type: ignore[attr-defined]
            resumed = s.execute(update(Job).where(stale).values(
                status="queued", lease_until=None, done=0, updated_at=now,
            )).rowcount  # type: ignore[attr-defined]
        return int(resumed), int(failed)

    def purge_before(self, before: dt.datetime) -> list[str]:
        """Finished jobs last changed before ``before`` whose files are still there: marked
        as removed, their ids returned (the caller removes the folders)."""
        finished = (Job.status.in_(("done", "failed")) & (Job.updated_at < before)
                    & Job.purged_at.is_(None))
        with self.session() as s:
            ids = list(s.scalars(select(Job.id).where(finished).limit(1000)).all())
            if ids:
                s.execute(update(Job).where(Job.id.in_(ids)).values(purged_at=utcnow()))
        return ids

    # ---------------------------------------------------------- certificates

    def issue(self, job_id: str | None, records: Iterable[CertificateRecord]) -> int:
        """Record issued certificates (a resumed job replaces what its last attempt wrote)."""
        count = 0
        with self.session() as s:
            if job_id is not None:
                s.execute(delete(IssuedCertificate).where(IssuedCertificate.job_id == job_id))
            batch: list[IssuedCertificate] = []
            for r in records:
                batch.append(IssuedCertificate(
                    id=r.id, job_id=job_id, row=r.row, name=r.name, event=r.event, date=r.date,
                    organiser=r.organiser, locale=r.locale, source=r.source, issued_at=utcnow(),
                    revoked_at=None, revoked_reason="",
                ))
                if len(batch) >= 1000:
                    s.add_all(batch)
                    s.flush()
                    count += len(batch)
                    batch = []
            s.add_all(batch)
            count += len(batch)
        return count

    def register(self, records: Iterable[CertificateRecord]) -> tuple[int, int]:
        """Import certificates made elsewhere (the CLI); ids already known are skipped.
        Returns (added, skipped)."""
        added = skipped = 0
        with self.session() as s:
            for r in records:
                if s.get(IssuedCertificate, r.id) is not None:
                    skipped += 1
                    continue
                s.add(IssuedCertificate(
                    id=r.id, job_id=None, row=r.row, name=r.name, event=r.event, date=r.date,
                    organiser=r.organiser, locale=r.locale, source="import", issued_at=utcnow(),
                    revoked_at=None, revoked_reason="",
                ))
                s.flush()
                added += 1
        return added, skipped

    def certificate(self, cert_id: str) -> CertificateRecord | None:
        if not valid_id(cert_id):
            return None
        with self.session() as s:
            c = s.get(IssuedCertificate, cert_id)
            if c is None:
                return None
            return CertificateRecord(
                c.id, c.name, c.event, c.date, c.organiser, c.locale, c.row, c.source, c.job_id,
                c.revoked_at, c.revoked_reason,
            )

    def revoke(self, cert_id: str, reason: str = "") -> bool:
        """Withdraw a certificate; False when the id is unknown."""
        if not valid_id(cert_id):
            return False
        with self.session() as s:
            c = s.get(IssuedCertificate, cert_id)
            if c is None:
                return False
            if c.revoked_at is None:
                c.revoked_at = utcnow()
            c.revoked_reason = reason
        return True
