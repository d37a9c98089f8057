"""The relational database: one SQLAlchemy 2 engine per process, one metadata, Alembic migrations.

Every room declares its tables on :class:`Base` (``from lwcore.db import Base``). Schema changes go
through Alembic: each room keeps its own revision branch in ``<room>/migrations/`` (branch label = room
name), listed in :data:`VERSION_LOCATIONS`, and :func:`upgrade` runs ``alembic upgrade heads``.
SQLite file by default; PostgreSQL through ``LW_DB_URL=postgresql+psycopg://...``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from lwcore.settings import REPO_ROOT, Settings

__all__ = ["Base", "UtcDateTime", "Database", "VERSION_LOCATIONS", "utcnow"]

logger = logging.getLogger(__name__)

#: Alembic revision folders, one branch per room. Add a room's folder here when it adds tables.
VERSION_LOCATIONS: tuple[Path, ...] = (
    REPO_ROOT / "alerting" / "migrations",
    REPO_ROOT / "ledger" / "migrations",
    REPO_ROOT / "laborwatch" / "migrations" / "versions",  # service tables (branch "service")
    REPO_ROOT / "laborwatch" / "web" / "migrations",  # accounts, audit log, feedback labels (branch "web")
    REPO_ROOT / "companies" / "migrations",  # registry, supervision list, visits (branch "companies")
)

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite drops tzinfo otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Database:
    """Engine + session factory for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, echo=echo, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.db_url, echo=settings.db.echo)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def upgrade(self) -> None:
        """Bring the schema to the newest revision of every room (``alembic upgrade heads``)."""
        from alembic import command

        command.upgrade(self.alembic_config(), "heads")

    def alembic_config(self):  # type: ignore[no-untyped-def]
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(REPO_ROOT / "laborwatch" / "migrations"))
        cfg.set_main_option(
            "version_locations", " ".join(str(p) for p in VERSION_LOCATIONS if p.exists())
        )
        cfg.set_main_option("path_separator", "space")
        cfg.attributes["engine"] = self.engine
        return cfg

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
