"""Tables of the service (app shell): crawl runs and the scheduler lock.

Schema changes go through the Alembic branch ``service`` in ``laborwatch/migrations/versions/``.
APScheduler's own job store table (``apscheduler_jobs``) is created and owned by APScheduler itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lwcore.db import Base, UtcDateTime

__all__ = ["CrawlRun", "ServiceLock", "ServiceRequest", "RUN_STATUSES", "FAILED_STATUSES"]

#: Exit reasons of a crawl run. ``running`` while it runs; ``finished`` is the only success.
RUN_STATUSES: tuple[str, ...] = (
    "running",  # started, not ended yet
    "finished",  # exit code 0
    "failed",  # non-zero exit code
    "killed",  # ended by a signal nobody in the service sent (OOM killer, operator)
    "timeout",  # ran past crawl.run_time_limit_s; process group killed
    "stopped",  # stopped by a graceful service shutdown (SIGTERM to the crawl, batch flushed)
    "launch_error",  # the subprocess could not be started
    "abandoned",  # the service died while it ran; found and closed by the next scheduler
)
#: Statuses that count towards a source's consecutive-failure streak (``stopped`` does not: it was ours).
FAILED_STATUSES: tuple[str, ...] = ("failed", "killed", "timeout", "launch_error", "abandoned")


class CrawlRun(Base):
    """One crawl of one source, as the service ran it."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(String(128), nullable=False)
    trigger: Mapped[str] = mapped_column(String(32), nullable=False, default="schedule")
    status: Mapped[str] = mapped_column(String(32), nullable=False, default="running")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    duration_s: Mapped[float | None] = mapped_column(nullable=True)
    exit_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pages: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    items: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    new_items: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    finish_reason: Mapped[str | None] = mapped_column(String(128), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it failed; tail of the crawl log
    stats_json: Mapped[str | None] = mapped_column(Text, nullable=True)  # the crawl's full stats
    log_path: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    holder: Mapped[str | None] = mapped_column(String(255), nullable=True)  # service instance that ran it
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alerted: Mapped[bool] = mapped_column(nullable=False, default=False)  # failure alert sent at this run

    __table_args__ = (
        Index("ix_crawl_runs_source_started", "source_id", "started_at"),
        Index("ix_crawl_runs_status", "status"),
    )

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


class ServiceLock(Base):
    """A named lease (one row per lock): exactly one scheduler per deployment holds ``scheduler``.

    ``holder`` renews ``expires_at`` by heartbeat; anyone may take the row once it has expired.
    ``reload_requested_at`` is set by ``laborwatch reload``; the holder answers with ``reload_done_at``.
    """

    __tablename__ = "service_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255), nullable=False)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    reload_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    reload_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    reload_result: Mapped[str | None] = mapped_column(Text, nullable=True)


class ServiceRequest(Base):
    """A request to the running scheduler from another process (``laborwatch crawl-now``), answered by it."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)  # "crawl"
    arg: Mapped[str | None] = mapped_column(String(255), nullable=True)  # source id
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    requested_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_service_requests_pending", "done_at"),)
