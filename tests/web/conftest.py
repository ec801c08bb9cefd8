"""Fixtures of the web tests (not collected without the ``web`` extra and httpx2)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NEEDED = ("starlette", "uvicorn", "sqlalchemy", "alembic", "multipart", "psycopg", "httpx2")
if any(importlib.util.find_spec(name) is None for name in NEEDED):
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    from .helpers import start_postgres  # noqa: PLC0415

    yield from start_postgres()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL of each kind (PostgreSQL skipped only when it cannot start)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'printkit.db'}"
    url: str | None = request.getfixturevalue("postgres_url")
    if url is None:
        pytest.skip("PostgreSQL cannot be started here (no server binaries)")
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    from printkit.web.store import database_url  # noqa: PLC0415

    sa_url = database_url(tmp_path, url)
    engine = create_engine(sa_url)
    with engine.begin() as conn:  # a clean schema for each test
        conn.execute(text("DROP TABLE IF EXISTS certificates, jobs, alembic_version CASCADE"))
    engine.dispose()
    from printkit.web.store import engine_for  # noqa: PLC0415

    engine_for.cache_clear()
    return url


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[Any]:
    """The ASGI app under Starlette's TestClient (jobs in threads: no process start-up)."""
    from starlette.testclient import TestClient  # noqa: PLC0415

    from printkit.web.app import create_app  # noqa: PLC0415
    from printkit.web.config import Settings  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path / "data", scheduler="threads",
                        public_url="http://testserver", rate_limit=1000)
    with TestClient(create_app(settings)) as client:
        yield client
