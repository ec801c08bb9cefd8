"""The database records: jobs and issued certificates (SQLAlchemy 2 declarative)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every back-end (SQLite keeps no zone: stored and read as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of the web service's tables."""


class Job(Base):
    """One piece of bulk work: certificates, a poster or a handout."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # certificates | poster | handout
    #: queued | running | done | failed
    status: Mapped[str] = mapped_column(String(16), default="queued")
    #: The request's parameters (event, date, locale, design…), never file paths.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Secret key of this job's certificate ids (HMAC): ids cannot be guessed.
    id_key: Mapped[str] = mapped_column(String(64), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: A running job whose lease has expired was interrupted (crash, restart): it is resumed.
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the job's files were removed (``--keep-days``); its certificates stay verifiable.
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_jobs_status", "status"),)


class IssuedCertificate(Base):
    """A certificate the service made (or a CLI run registered): what its QR code verifies."""

    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    job_id: Mapped[str | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True
    )
    row: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    event: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(nullable=True)
    organiser: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(35), default="en-US")
    #: service | import
    source: Mapped[str] = mapped_column(String(16), default="service")
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_certificates_job", "job_id"),)
