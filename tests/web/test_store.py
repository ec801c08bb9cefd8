"""The records, against SQLite and a real PostgreSQL: migrations, the job queue and its leases,
issued certificates, revocation, and what survives a restart (a new engine on the same data)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from printkit.web.store import (
    MAX_ATTEMPTS,
    CertificateRecord,
    Store,
    database_url,
    engine_for,
    migrate,
)


def _store(url: str, tmp_path: Path) -> Store:
    store = Store(database_url(tmp_path, url))
    migrate(store.engine)
    return store


def _restart(store: Store, tmp_path: Path, url: str) -> Store:
    """Drop every connection and engine: what a new process sees."""
    store.engine.dispose()
    engine_for.cache_clear()
    return _store(url, tmp_path)


def test_migrations_run_twice_and_sqlite_is_wal(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    migrate(store.engine)  # a second start finds nothing to do
    tables = set(inspect(store.engine).get_table_names())
    assert {"jobs", "certificates", "alembic_version"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_migrations_match_the_models(database: str, tmp_path: Path) -> None:
    """The shipped migrations build exactly the tables the models declare (no drift)."""
    from alembic.autogenerate import compare_metadata  # noqa: PLC0415
    from alembic.migration import MigrationContext  # noqa: PLC0415

    from printkit.web.models import Base  # noqa: PLC0415

    store = _store(database, tmp_path)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_keeps_the_records(database: str, tmp_path: Path) -> None:
    """A database made by the first release is upgraded in place at start-up."""
    from importlib.resources import files  # noqa: PLC0415

    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    store = Store(database_url(tmp_path, database))
    config = Config()
    config.set_main_option("script_location", str(files("printkit.web") / "migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text(
            "INSERT INTO jobs (id, kind, status, params, id_key, done, total, refused, warnings,"
            " attempts, created_at, updated_at) VALUES ('old-job-0001', 'poster', 'done', '{}',"
            " '', 1, 1, '[]', '[]', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        ))
    migrate(store.engine)
    job = store.job("old-job-0001")
    assert job is not None and job.status == "done" and job.purged is False
    assert store.purge_before(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == ["old-job-0001"]
    assert store.purge_before(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == []
    assert store.job("old-job-0001").purged  # type: ignore[union-attr]


def test_queue_claim_progress_finish(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    store.create_job("job-aaaaaaaa", "certificates", {"event": "E"}, id_key="k")
    store.create_job("job-bbbbbbbb", "poster", {})
    first = store.claim_next(20)
    assert first is not None and first.id == "job-aaaaaaaa" and first.status == "running"
    assert first.attempts == 1
    assert store.progress(first.id, first.attempts, 5, 10, 20)
    assert store.job(first.id).public()["done"] == 5  # type: ignore[union-attr]
    second = store.claim_next(20)
    assert second is not None and second.id == "job-bbbbbbbb"
    assert store.claim_next(20) is None
    store.finish(first.id, first.attempts, refused=[{"row": 3, "name": "", "reason": "empty"}],
                 warnings=["w"], done=10, total=10)
    done = store.job(first.id)
    assert done is not None and done.status == "done" and done.refused[0]["row"] == 3
    store.fail(second.id, second.attempts, "people.csv, row 2: bad")
    failed = store.job(second.id)
    assert failed is not None and failed.status == "failed" and "row 2" in (failed.error or "")


def test_concurrent_claims_never_share_a_job(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    for i in range(20):
        store.create_job(f"job-{i:08d}", "poster", {})
    claimed: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        while (job := store.claim_next(20)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(claimed) == [f"job-{i:08d}" for i in range(20)]


def test_interrupted_jobs_are_resumed_then_failed(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    store.create_job("job-crashed1", "certificates", {})
    job = store.claim_next(0.2)
    assert job is not None
    assert store.recover() == (0, 0)  # the lease still runs
    time.sleep(0.3)
    store = _restart(store, tmp_path, database)
    assert store.recover() == (1, 0)
    resumed = store.job("job-crashed1")
    assert resumed is not None and resumed.status == "queued"
    # the old attempt lost the job: its late writes change nothing
    again = store.claim_next(0.2)
    assert again is not None and again.attempts == 2
    assert not store.progress(job.id, job.attempts, 1, 1, 20)
    store.finish(job.id, job.attempts, refused=[], warnings=[], done=1, total=1)
    assert store.job(job.id).status == "running"  # type: ignore[union-attr]
    for _ in range(MAX_ATTEMPTS - 2):
        time.sleep(0.3)
        store.recover()
        assert store.claim_next(0.2) is not None
    time.sleep(0.3)
    assert store.recover() == (0, 1)
    final = store.job(job.id)
    assert final is not None and final.status == "failed"
    assert f"interrupted {MAX_ATTEMPTS} times" in (final.error or "")


def test_clean_release_requeues(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    store.create_job("job-released", "handout", {})
    job = store.claim_next(20)
    assert job is not None
    store.release([job.id])
    assert store.job(job.id).status == "queued"  # type: ignore[union-attr]


def test_certificates_survive_restart_and_revocation(database: str, tmp_path: Path) -> None:
    store = _store(database, tmp_path)
    store.create_job("job-certs001", "certificates", {})
    hostile = "<script>alert(1)</script>"
    records = [
        CertificateRecord(f"ID{i:014d}", hostile if i == 0 else f"Person {i}", "Event ✓",
                          dt.date(2026, 12, 9), "Club", "fr-FR", i + 2)
        for i in range(2500)
    ]
    assert store.issue("job-certs001", records) == 2500
    assert store.issue("job-certs001", records[:10]) == 10  # a resumed job replaces its own
    assert store.issue("job-certs001", records) == 2500
    added, skipped = store.register([
        CertificateRecord("CLIIMPORT0000001", "Ada", "Other", None, "", "en-US", 2),
        records[1],
    ])
    assert (added, skipped) == (1, 1)
    store = _restart(store, tmp_path, database)
    first = store.certificate("ID00000000000000")
    assert first is not None and first.name == hostile and first.date == dt.date(2026, 12, 9)
    assert first.public()["valid"] is True and first.event == "Event ✓"
    assert store.revoke("ID00000000000000", "wrong name")
    store = _restart(store, tmp_path, database)
    revoked = store.certificate("ID00000000000000")
    assert revoked is not None and revoked.revoked_reason == "wrong name"
    assert revoked.revoked_at is not None and revoked.revoked_at.tzinfo is not None
    assert store.certificate("../../etc/passwd") is None
    assert not store.revoke("NOPE000000000000")
    imported = store.certificate("CLIIMPORT0000001")
    assert imported is not None and imported.source == "import"


@pytest.mark.parametrize("url", ["mysql://x@y/z", "oracle://a"])
def test_unsupported_database_is_a_usage_error(url: str, tmp_path: Path) -> None:
    from printkit.errors import UsageError  # noqa: PLC0415

    with pytest.raises(UsageError, match="not a supported database"):
        database_url(tmp_path, url)
