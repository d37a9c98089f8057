"""Unit tests of pipeline.process: stage order, relevance split, and that failures spool instead of dropping."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest

from laborwatch.pipeline import IndexOutcome, Pipeline, Spool
from lwcore.domain import SHANGHAI, Analysis, AnalyzedPost, Post, PostKind, post_id_for_url


def _post(i: int, text: str) -> Post:
    url = f"https://news.example/{i}.html"
    return Post(
        id=post_id_for_url(url),
        url=url,
        source_id="t",
        platform="news",
        kind=PostKind.NEWS,
        title=f"标题{i}",
        content=text,
        published_at=datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI),
        fetched_at=datetime(2026, 11, 1, 10, 0, tzinfo=SHANGHAI),
    )


class KeywordAnalyzer:
    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        return [
            Analysis(post_id=p.id, labor_dispute="欠薪" in p.content, score=0.9 if "欠薪" in p.content else 0.1)
            for p in posts
        ]


class RecordingIndexer:
    def __init__(self, fail_ids: set[str] | None = None, down: bool = False,
                 reject_ids: set[str] | None = None) -> None:
        self.fail_ids = fail_ids or set()
        self.reject_ids = reject_ids or set()
        self.down = down
        self.calls: list[list[str]] = []

    def index(self, items: Sequence[AnalyzedPost]) -> IndexOutcome:
        self.calls.append([it.post.id for it in items])
        if self.down:
            raise ConnectionError("es down")
        out = IndexOutcome()
        for it in items:
            if it.post.id in self.fail_ids:
                out.failed.append((it.post.id, "HTTP 429 es_rejected_execution_exception"))
            elif it.post.id in self.reject_ids:
                out.rejected.append((it.post.id, "HTTP 400 document_parsing_exception"))
            else:
                out.indexed.append(it.post.id)
        return out


class RecordingAlerts:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.seen: list[str] = []

    def process(self, items: Sequence[AnalyzedPost]) -> list[str]:
        if self.fail:
            raise RuntimeError("db locked")
        self.seen.extend(it.post.id for it in items)
        return [it.post.id for it in items]


def _pipeline(tmp_path: Path, indexer: RecordingIndexer, alerts: RecordingAlerts) -> Pipeline:
    return Pipeline(analyzer=KeywordAnalyzer(), indexer=indexer, alerts=alerts, spool=Spool(tmp_path / "spool"))


def test_all_posts_indexed_only_relevant_alerted(tmp_path: Path) -> None:
    posts = [_post(1, "某公司欠薪三个月"), _post(2, "青浦举办灯会")]
    idx, al = RecordingIndexer(), RecordingAlerts()
    report = _pipeline(tmp_path, idx, al).process(posts)
    assert report.indexed == 2 and report.relevant == 1 and report.alerts == 1
    assert al.seen == [posts[0].id]


def test_es_down_spools_batch_and_replays_next_call(tmp_path: Path) -> None:
    posts = [_post(1, "欠薪"), _post(2, "灯会")]
    idx, al = RecordingIndexer(down=True), RecordingAlerts()
    pipe = _pipeline(tmp_path, idx, al)
    report = pipe.process(posts)
    assert report.spooled == 2 and report.indexed == 0
    assert pipe.spool.count("index") == 2
    idx.down = False
    report2 = pipe.process([_post(3, "灯会")])
    assert report2.replayed == 2 and report2.indexed == 3
    assert pipe.spool.count("index") == 0


def test_partial_bulk_failure_spools_only_failed(tmp_path: Path) -> None:
    posts = [_post(1, "欠薪"), _post(2, "灯会")]
    idx = RecordingIndexer(fail_ids={posts[1].id})
    pipe = _pipeline(tmp_path, idx, RecordingAlerts())
    report = pipe.process(posts)
    assert report.indexed == 1 and report.index_failed == 1 and report.spooled == 1
    assert [it.post.id for it in pipe.spool.take("index")] == [posts[1].id]


def test_refused_posts_go_to_the_dead_letter_spool_and_are_not_retried(tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    from laborwatch.pipeline import DEAD_INDEX

    posts = [_post(1, "欠薪"), _post(2, "灯会")]
    idx, al = RecordingIndexer(reject_ids={posts[1].id}), RecordingAlerts()
    pipe = _pipeline(tmp_path, idx, al)
    with caplog.at_level(logging.ERROR, logger="laborwatch.pipeline"):
        report = pipe.process(posts)
    assert report.indexed == 1 and report.index_rejected == 1 and report.spooled == 0
    assert "refused 1 post(s) for good" in caplog.text and posts[1].id in caplog.text
    assert pipe.spool.count(DEAD_INDEX) == 1 and pipe.spool.count("index") == 0
    assert al.seen == [posts[0].id]  # alerting is not held up by a refused document
    pipe.process([_post(3, "灯会")])
    assert idx.calls[-1] == [_post(3, "灯会").id]  # the dead letter is not retried by itself
    assert pipe.spool.count(DEAD_INDEX) == 1
    # after the cause is fixed (say, the mapping), an operator requeues it and the next batch indexes it
    idx.reject_ids.clear()
    assert pipe.spool.requeue(DEAD_INDEX, "index") == 1
    report = pipe.process([])
    assert report.replayed == 1 and report.indexed == 1
    assert pipe.spool.count(DEAD_INDEX) == 0 and pipe.spool.count("index") == 0


def test_alerting_failure_keeps_candidates(tmp_path: Path) -> None:
    al = RecordingAlerts(fail=True)
    pipe = _pipeline(tmp_path, RecordingIndexer(), al)
    pipe.process([_post(1, "欠薪")])
    assert pipe.spool.count("alert") == 1
    al.fail = False
    report = pipe.process([])
    assert report.alerts == 1 and al.seen and pipe.spool.count("alert") == 0


def test_post_roundtrip_and_validation() -> None:
    p = _post(1, "欠薪")
    assert Post.from_dict(p.to_dict()) == p
    with pytest.raises(ValueError, match="timezone-aware"):
        Post(id="x", url="u", source_id="s", platform="p", kind=PostKind.NEWS, title="", content="",
             published_at=None, fetched_at=datetime(2026, 1, 1))


def test_analysis_rejects_unknown_event_type() -> None:
    with pytest.raises(ValueError, match="unknown event types"):
        Analysis(post_id="x", labor_dispute=True, score=0.5, event_types=("riot",))


def test_spool_claim_left_by_a_crashed_process_is_adopted_later(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", stale_claim_s=0.0)
    item = AnalyzedPost(_post(1, "欠薪"), KeywordAnalyzer().analyze([_post(1, "欠薪")])[0])
    spool.put("index", [item], "es down")
    crashed = Spool(tmp_path / "spool", stale_claim_s=0.0)
    assert [it.post.id for it in crashed.take("index")] == [item.post.id]
    # the process dies here: no put, no done; its claim file stays and is still counted
    assert spool.count("index") == 1
    survivor = Spool(tmp_path / "spool", stale_claim_s=0.0)
    assert [it.post.id for it in survivor.take("index")] == [item.post.id]
    survivor.done("index")
    assert spool.count("index") == 0


def test_spool_fresh_claims_of_a_live_process_are_not_taken(tmp_path: Path) -> None:
    a = Spool(tmp_path / "spool", stale_claim_s=600.0)
    b = Spool(tmp_path / "spool", stale_claim_s=600.0)
    item = AnalyzedPost(_post(1, "欠薪"), KeywordAnalyzer().analyze([_post(1, "欠薪")])[0])
    a.put("alert", [item], "db locked")
    b.put("alert", [item], "db locked")
    assert len(list((tmp_path / "spool").glob("alert-*.jsonl"))) == 2  # one file per writer, never interleaved
    assert len(a.take("alert")) == 2
    assert b.take("alert") == []
    a.done("alert")
    assert b.count("alert") == 0


def test_spool_cli_reports_and_requeues_dead_letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from laborwatch.cli import main
    from laborwatch.pipeline import DEAD_INDEX

    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path))
    post = _post(1, "欠薪")
    Spool(tmp_path / "spool").put(DEAD_INDEX, [AnalyzedPost(post, Analysis(post_id=post.id, labor_dispute=True, score=0.9))], "HTTP 400 x")
    assert main(["spool", "status"]) == 0
    assert json.loads(capsys.readouterr().out) == {"index": 0, "alert": 0, DEAD_INDEX: 1}
    assert main(["spool", "requeue"]) == 0
    assert json.loads(capsys.readouterr().out)["requeued"] == 1
    assert [it.post.id for it in Spool(tmp_path / "spool").take("index")] == [post.id]


# --- the durable hand-off (issue 16) ---------------------------------------------------------------------------
class JournalCheckingIndexer(RecordingIndexer):
    """Records, at the moment it indexes, how many alert candidates are already safe on disk."""

    def __init__(self, spool: Spool) -> None:
        super().__init__()
        self.spool = spool
        self.alert_journal_at_index: list[int] = []

    def index(self, items: Sequence[AnalyzedPost]) -> IndexOutcome:
        self.alert_journal_at_index.append(self.spool.count("alert"))
        return super().index(items)


def test_alert_candidates_are_journaled_before_indexing_and_removed_after_alerting(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    idx, al = JournalCheckingIndexer(spool), RecordingAlerts()
    pipe = Pipeline(analyzer=KeywordAnalyzer(), indexer=idx, alerts=al, spool=spool)
    posts = [_post(1, "欠薪"), _post(2, "灯会"), _post(3, "欠薪两月")]
    report = pipe.process(posts)
    assert idx.alert_journal_at_index == [2]  # both relevant posts were on disk before the index saw them
    assert report.alerts == 2 and al.seen == [posts[0].id, posts[2].id]
    assert spool.count("alert") == 0 and list((tmp_path / "spool").iterdir()) == []


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_journal_of_a_killed_process_is_adopted_at_once_by_the_next_drain(tmp_path: Path) -> None:
    """A crawl killed between indexing and the alert commit leaves its journal as a claim of a dead pid."""
    spool = Spool(tmp_path / "spool", stale_claim_s=600.0)
    post = _post(1, "欠薪")
    spool.hold("alert", [AnalyzedPost(post, KeywordAnalyzer().analyze([post])[0])], "journal")
    (held,) = (tmp_path / "spool").glob("alert-*.claim")
    host = Spool._owner_tag().rpartition("~")[0]
    held.rename(held.with_name(f"{held.name.split('.')[0]}.{host}~{_dead_pid()}.claim"))  # as if the pid died
    al = RecordingAlerts()
    drainer = Pipeline(analyzer=None, indexer=RecordingIndexer(), alerts=al, spool=Spool(tmp_path / "spool"))
    report = drainer.drain()
    assert al.seen == [post.id] and report.alerts == 1 and report.replayed == 1
    assert Spool(tmp_path / "spool").count("alert") == 0


def test_claim_of_a_live_process_on_another_host_waits_for_the_age_limit(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", stale_claim_s=600.0)
    post = _post(1, "欠薪")
    spool.put("alert", [AnalyzedPost(post, KeywordAnalyzer().analyze([post])[0])], "x")
    (f,) = (tmp_path / "spool").glob("alert-*.jsonl")
    f.rename(f.with_name(f"{f.name.split('.')[0]}.otherhost~{_dead_pid()}.claim"))
    assert Spool(tmp_path / "spool", stale_claim_s=600.0).take("alert") == []
    assert len(Spool(tmp_path / "spool", stale_claim_s=0.0).take("alert")) == 1


def test_alert_failure_releases_the_journal_and_a_drain_without_new_posts_replays_it(tmp_path: Path) -> None:
    al = RecordingAlerts(fail=True)
    pipe = _pipeline(tmp_path, RecordingIndexer(), al)
    report = pipe.process([_post(1, "欠薪")])
    assert report.alert_errors == 1 and report.indexed == 1
    assert len(list((tmp_path / "spool").glob("alert-*.jsonl"))) == 1  # released: any drain may take it
    al.fail = False
    drainer = Pipeline(analyzer=None, indexer=None, alerts=al, spool=Spool(tmp_path / "spool"))
    assert drainer.drain().alerts == 1
    assert al.seen == [_post(1, "欠薪").id] and pipe.spool.count("alert") == 0


def test_disk_full_fails_the_batch_before_anything_is_indexed_and_leaves_no_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from laborwatch.pipeline import SpoolError

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    idx, al = RecordingIndexer(), RecordingAlerts()
    pipe = _pipeline(tmp_path, idx, al)
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SpoolError, match="No space left on device") as info:
        pipe.process([_post(1, "欠薪"), _post(2, "灯会")])
    assert str(tmp_path / "spool") in str(info.value)
    assert idx.calls == [] and al.seen == []  # nothing indexed, nothing evaluated: the crawl collects it again
    assert list((tmp_path / "spool").iterdir()) == []  # no 0-byte .tmp left behind


def test_index_spool_write_failure_hands_the_journal_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from laborwatch.pipeline import SpoolError

    spool = Spool(tmp_path / "spool")
    pipe = Pipeline(analyzer=KeywordAnalyzer(), indexer=RecordingIndexer(down=True), alerts=RecordingAlerts(),
                    spool=spool)
    real_write = Spool._write

    def write(self: Spool, stage: str, items: Sequence[AnalyzedPost], reason: str, *, claim: bool) -> Path:
        if stage == "index":
            raise SpoolError(self.directory, "No space left on device")
        return real_write(self, stage, items, reason, claim=claim)

    monkeypatch.setattr(Spool, "_write", write)
    with pytest.raises(SpoolError):
        pipe.process([_post(1, "欠薪")])
    assert len(list((tmp_path / "spool").glob("alert-*.jsonl"))) == 1  # the candidate is still evaluated later


def test_drain_sweeps_old_partial_files(tmp_path: Path) -> None:
    import os

    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    tmp = spool_dir / ".alert-1-2.tmp"
    tmp.write_text("")
    os.utime(tmp, (1, 1))
    Pipeline(analyzer=None, indexer=None, alerts=RecordingAlerts(), spool=Spool(spool_dir)).drain()
    assert not tmp.exists()
