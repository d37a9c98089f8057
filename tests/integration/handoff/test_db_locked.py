"""Issue 16: another process holds SQLite's write lock past the busy timeout while a batch is alerted. The batch
is indexed, its alert candidates stay in the spool (not lost, not marked done), and the next drain alerts them.

Real services: the Elasticsearch node (LW_ES_URL), a SQLite file locked by a second connection (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

import alerting
from alerting.models import Alert
from laborwatch.pipeline import Pipeline, Spool
from laborwatch.wiring import drain_spools, enqueue_only
from lwcore.db import Database
from lwcore.domain import Analysis, Post
from lwcore.settings import DEFAULT_CONFIG_DIR, load_settings
from tests.index_support import _make

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Fixed:
    def __init__(self, analyses: dict[str, Analysis]) -> None:
        self.analyses = analyses

    def analyze(self, posts: list[Post]) -> list[Analysis]:
        return [self.analyses[p.id] for p in posts]


def test_locked_database_keeps_the_candidates_for_the_next_drain(tmp_path: Path, es_settings_isolated,
                                                                  es_client) -> None:
    import index

    settings = load_settings(DEFAULT_CONFIG_DIR / "settings.yaml", environ={}, overrides={
        "state_dir": str(tmp_path / "state"), "es": es_settings_isolated.model_dump(),
        "alerting": {"secret_key": "integration-secret"}})
    db = Database.from_settings(settings)
    db.upgrade()
    items = [_make("locked-1", event_id="ev-locked", workers=30), _make("locked-2", event_id="ev-locked")]
    indexer = index.Indexer(es_client, es_settings_isolated, segmenter=lambda t: t.split())
    indexer.ensure_templates()
    engine = alerting.AlertEngine.from_settings(enqueue_only(settings), db)
    spool = Spool(settings.state_path / "spool")
    pipe = Pipeline(analyzer=Fixed({it.post.id: it.analysis for it in items}), indexer=indexer, alerts=engine,
                    spool=spool)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(settings.db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        report = pipe.process([it.post for it in items])  # waits out the 10 s busy timeout, then fails
    finally:
        release.set()
        holder.join()
    try:
        assert report.indexed == 2 and report.alert_errors == 1 and report.alerts == 0
        assert spool.count("alert") == 2 and len(list(spool.directory.glob("alert-*.jsonl"))) == 1
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Alert)) == 0

        drained = drain_spools(settings, alerts=engine)  # the service's timer, or `alerts tick`
        assert drained.replayed == 2 and drained.alerts == 1 and drained.alert_errors == 0
        with db.session() as s:
            assert [a.post_count for a in s.scalars(select(Alert))] == [2]  # one incident, both posts
        assert spool.count("alert") == 0
    finally:
        db.dispose()
