"""Unit tests of pipeline.process: stage order, relevance split, and that failures spool instead of dropping."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest

from laborwatch.domain import SHANGHAI, Analysis, AnalyzedPost, Post, PostKind, post_id_for_url
from laborwatch.pipeline import IndexOutcome, Pipeline, Spool


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
