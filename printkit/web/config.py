"""The service's settings (``printkit serve`` flags, or ``PRINTKIT_*`` variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """How one instance of the service runs."""

    #: Jobs' files and (by default) the SQLite database.
    data_dir: Path
    #: ``postgresql://…``; None = SQLite in ``data_dir``.
    database: str | None = None
    #: The address people reach the service at: the certificates' QR codes lead there.
    public_url: str = "http://127.0.0.1:8000"
    #: The organiser token guarding job creation, import and revocation (None: open).
    token: str | None = None
    #: Largest request body, bytes.
    max_upload_bytes: int = 10_000_000
    #: Longest participant list, rows.
    max_rows: int = 100_000
    #: Job creations per minute and client (0: no limit).
    rate_limit: int = 30
    #: Where jobs run: ``processes``, ``threads`` or ``package.module:factory``.
    scheduler: str = "processes"
    #: A Dask scheduler (``tcp://host:8786``): certificate pages are made on its workers.
    cluster: str | None = None
    #: Jobs run at once by this instance.
    workers: int = 1
    #: Days a finished job's files are kept (0: for ever); certificates stay verifiable.
    keep_days: float = 0

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from ``PRINTKIT_DATA``, ``PRINTKIT_DATABASE``, ``PRINTKIT_PUBLIC_URL``,
        ``PRINTKIT_TOKEN``, ``PRINTKIT_WORKERS`` (for ``uvicorn --factory``)."""
        env = os.environ
        return cls(
            data_dir=Path(env.get("PRINTKIT_DATA", "printkit-data")),
            database=env.get("PRINTKIT_DATABASE") or None,
            public_url=env.get("PRINTKIT_PUBLIC_URL", "http://127.0.0.1:8000"),
            token=env.get("PRINTKIT_TOKEN") or None,
            max_upload_bytes=int(float(env.get("PRINTKIT_MAX_UPLOAD_MB", "10")) * 1_000_000),
            max_rows=int(env.get("PRINTKIT_MAX_ROWS", "100000")),
            rate_limit=int(env.get("PRINTKIT_RATE_LIMIT", "30")),
            scheduler=env.get("PRINTKIT_SCHEDULER", "processes"),
            cluster=env.get("PRINTKIT_CLUSTER") or None,
            workers=int(env.get("PRINTKIT_WORKERS", "1")),
            keep_days=float(env.get("PRINTKIT_KEEP_DAYS", "0")),
        )
