"""The local seen-store: post ids already delivered, and whether each source's last run completed.

SQLite under ``<state>/crawl/seen.sqlite``. An id is recorded only after the sink accepted its batch, so an
interrupted crawl re-collects what was not delivered. ``list paging stops once a page is all seen`` is only
allowed when the source's previous run completed; after an interrupted run the next one walks every page up
to ``max_pages`` so nothing behind the interruption point is lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["SeenStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, source_id TEXT NOT NULL, first_seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS runs (source_id TEXT PRIMARY KEY, started REAL, finished REAL, complete INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clean_runs (source_id TEXT PRIMARY KEY, clean INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, source_id TEXT NOT NULL, etag TEXT,
                                       last_modified TEXT, updated REAL NOT NULL);
"""


class SeenStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._staged: dict[str, dict[str, tuple[str | None, str | None]]] = {}

    def seen(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self._db.execute(
                f"SELECT id FROM seen WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            out.update(r[0] for r in rows)
        return out

    def add(self, source_id: str, ids: Iterable[str]) -> None:
        now = time.time()
        self._db.executemany(
            "INSERT OR IGNORE INTO seen (id, source_id, first_seen) VALUES (?, ?, ?)",
            [(i, source_id, now) for i in ids],
        )

    def last_run_complete(self, source_id: str) -> bool:
        row = self._db.execute("SELECT complete FROM runs WHERE source_id = ?", (source_id,)).fetchone()
        return bool(row and row[0])

    def has_history(self, source_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM runs WHERE source_id = ?", (source_id,)).fetchone() is not None

    def start_run(self, source_id: str) -> None:
        self._db.execute(
            "INSERT INTO runs (source_id, started, finished, complete) VALUES (?, ?, NULL, 0) "
            "ON CONFLICT(source_id) DO UPDATE SET started = excluded.started, complete = 0",
            (source_id, time.time()),
        )

    def finish_run(self, source_id: str, complete: bool) -> None:
        self._db.execute(
            "UPDATE runs SET finished = ?, complete = ? WHERE source_id = ?",
            (time.time(), int(complete), source_id),
        )

    def count(self, source_id: str | None = None) -> int:
        if source_id is None:
            return int(self._db.execute("SELECT COUNT(*) FROM seen").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM seen WHERE source_id = ?", (source_id,)).fetchone()[0])

    # --- conditional requests (issue 21) ---------------------------------------------------------------------
    def validator(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) the server gave for ``url`` in the last run that completed without errors."""
        row = self._db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def stage_validator(self, source_id: str, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a list page's validators; written only by :meth:`commit_validators` (a run that completed
        without errors), so a page whose items were not all collected is fetched in full next time."""
        if etag or last_modified:
            self._staged.setdefault(source_id, {})[url] = (etag, last_modified)

    def commit_validators(self, source_id: str, keep: bool) -> int:
        staged = self._staged.pop(source_id, {})
        if not keep or not staged:
            return 0
        now = time.time()
        self._db.executemany(
            "INSERT INTO validators (url, source_id, etag, last_modified, updated) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "updated = excluded.updated, source_id = excluded.source_id",
            [(u, source_id, e, lm, now) for u, (e, lm) in staged.items()],
        )
        return len(staged)

    def set_clean(self, source_id: str, clean: bool) -> None:
        """Whether the run just finished completed without a failed request (nothing left to retry)."""
        self._db.execute("INSERT INTO clean_runs (source_id, clean) VALUES (?, ?) "
                         "ON CONFLICT(source_id) DO UPDATE SET clean = excluded.clean", (source_id, int(clean)))

    def last_run_clean(self, source_id: str) -> bool:
        row = self._db.execute("SELECT clean FROM clean_runs WHERE source_id = ?", (source_id,)).fetchone()
        return bool(row and row[0]) and self.last_run_complete(source_id)

    def last_complete_start(self, source_id: str) -> float | None:
        """Start (epoch seconds) of the source's last run, when it completed (the next run's ``{since}``)."""
        row = self._db.execute("SELECT started, complete FROM runs WHERE source_id = ?", (source_id,)).fetchone()
        return float(row[0]) if row and row[1] and row[0] is not None else None

    def close(self) -> None:
        self._db.close()
