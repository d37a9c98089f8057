"""Issue 16: the state disk fills up mid-crawl. The batch fails before anything is indexed or marked done, no
partial spool file is left, and once space is back the re-crawled batch is indexed and alerted once.

Real services: a small tmpfs as the state disk (needs permission to mount one; skipped where the machine does not
allow it), the Elasticsearch node (LW_ES_URL), SQLite on that disk, the real alert engine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import alerting
from alerting.models import Alert
from laborwatch.pipeline import Pipeline, Spool, SpoolError
from laborwatch.wiring import enqueue_only
from lwcore.db import Database
from lwcore.domain import Analysis, Post
from lwcore.settings import DEFAULT_CONFIG_DIR, load_settings
from tests.index_support import _make

pytestmark = pytest.mark.integration


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "disk"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True,
                         text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


class Fixed:
    def __init__(self, analyses: dict[str, Analysis]) -> None:
        self.analyses = analyses

    def analyze(self, posts: list[Post]) -> list[Analysis]:
        return [self.analyses[p.id] for p in posts]


def test_disk_full_mid_crawl_loses_nothing(small_disk: Path, es_settings_isolated, es_client) -> None:
    import index

    settings = load_settings(DEFAULT_CONFIG_DIR / "settings.yaml", environ={}, overrides={
        "state_dir": str(small_disk), "es": es_settings_isolated.model_dump(),
        "alerting": {"secret_key": "integration-secret"}})
    db = Database.from_settings(settings)
    db.upgrade()
    items = [_make("full-1", event_id="ev-full", workers=30), _make("full-2", event_id="ev-full")]
    posts = [it.post for it in items]
    analyzer = Fixed({it.post.id: it.analysis for it in items})
    indexer = index.Indexer(es_client, es_settings_isolated, segmenter=lambda t: t.split())
    indexer.ensure_templates()
    engine = alerting.AlertEngine.from_settings(enqueue_only(settings), db)
    spool_dir = small_disk / "spool"
    pipe = Pipeline(analyzer=analyzer, indexer=indexer, alerts=engine, spool=Spool(spool_dir))
    try:
        filler = _fill(small_disk)
        with pytest.raises(SpoolError, match="No space left on device") as info:
            pipe.process(posts)  # what the crawl's sink does: the batch fails, it is not marked seen
        assert str(spool_dir) in str(info.value)
        assert not list(spool_dir.glob(".*.tmp")), "a partial spool file was left behind"
        es_client.indices.refresh(index=f"{es_settings_isolated.index_prefix}*")
        found = es_client.mget(index=es_settings_isolated.index_prefix, ids=[p.id for p in posts]).body["docs"]
        assert not any(d.get("found") for d in found)  # nothing indexed: a re-crawl does not skip these posts

        filler.unlink()  # the operator frees space; the next crawl collects the batch again
        report = pipe.process(posts)
        assert report.indexed == 2 and report.alerts == 1 and report.alert_errors == 0
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Alert)) == 1
        assert Spool(spool_dir).count("alert") == 0 and Spool(spool_dir).count("index") == 0
    finally:
        db.dispose()
