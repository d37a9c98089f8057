"""Issue 16: the crawl's alert engine only enqueues; draining works without new posts and without Elasticsearch."""

from __future__ import annotations

from laborwatch.pipeline import Spool
from laborwatch.wiring import drain_spools, enqueue_only
from lwcore.domain import Analysis, AnalyzedPost
from tests.index_support import _make


def test_enqueue_only_turns_off_inline_dispatch_and_nothing_else(tmp_settings) -> None:
    quiet = enqueue_only(tmp_settings)
    assert tmp_settings.alerting.dispatch_inline is True and quiet.alerting.dispatch_inline is False
    assert quiet.model_dump(exclude={"alerting"}) == tmp_settings.model_dump(exclude={"alerting"})
    assert quiet.alerting.model_dump(exclude={"dispatch_inline"}) == tmp_settings.alerting.model_dump(
        exclude={"dispatch_inline"})


def test_drain_spools_replays_the_alert_backlog_without_contacting_elasticsearch(tmp_settings) -> None:
    class Alerts:
        seen: list[str] = []

        def process(self, items):  # type: ignore[no-untyped-def]
            self.seen += [it.post.id for it in items]
            return items

    item = _make("drain-1")
    clone = AnalyzedPost(item.post, Analysis.from_dict(item.analysis.to_dict()))
    spool = Spool(tmp_settings.state_path / "spool")
    spool.put("alert", [clone], "db locked")
    alerts = Alerts()
    report = drain_spools(tmp_settings, alerts=alerts)
    assert alerts.seen == ["drain-1"] and report.replayed == 1 and report.alerts == 1
    assert spool.count("alert") == 0
