"""Fitting the tracker's evidence weights on labelled pairs: replayed streams, staff corrections, the weights file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from alerting import AlertEngine
from alerting.testing import T0, CapturingNotifier, FakeClock, company, make_item
from alerting.tracker_fit import (
    FEATURES,
    Pair,
    correction_pairs,
    fit,
    load_weights,
    read_stream,
    stream_pairs,
    write_weights,
)
from alerting.tracking import TrackerWeights, signal_of
from lwcore.db import Database
from lwcore.errors import ConfigError
from lwcore.settings import Settings

FIRMS = [
    (company("上海华新针织有限公司", "TEST-FIT-1", town="华新镇", industry="garment"), "华新镇", "新府中路", "胡"),
    (company("上海众诚劳务派遣有限公司", "TEST-FIT-2", town="华新镇", industry="labour_dispatch"), "华新镇", "华腾路", "王"),
    (company("上海赵巷新城建设发展有限公司", "TEST-FIT-3", town="赵巷镇", industry="construction"), "赵巷镇", "嘉松中路", "陈"),
    (company("上海重固恒达建筑劳务有限公司", "TEST-FIT-4", town="重固镇", industry="construction"), "重固镇", "北青公路", "刘"),
]
PHRASES = ["拖欠工资三个月了", "工人还在讨薪，说好的这周发又拖了", "今天几十名工人聚集在门口讨薪", "欠薪问题追踪：部分工资已发放"]


def _stream() -> list[tuple]:
    """Four incidents, four posts each, interleaved over four days: named posts and anonymous follow-ups."""
    rows = []
    for day, phrase in enumerate(PHRASES):
        for k, (firm, town, road, boss) in enumerate(FIRMS):
            named = (day + k) % 3 != 2
            text = (f"{firm.name}{phrase}，{boss}老板电话打不通，厂在{road}那边" if named
                    else f"这家公司{phrase}，{boss}老板电话打不通，就是{road}上那家")
            it = make_item(post_id=f"i{k}-d{day}", companies=(firm,) if named else (), towns=(town,),
                           at=T0 + timedelta(days=day, hours=k), title="", content=text)
            rows.append((signal_of(it), f"inc-{k}"))
    return rows


def test_a_replayed_stream_gives_labelled_pairs_and_the_fit_learns_the_evidence_signs() -> None:
    pairs = stream_pairs(_stream())
    assert pairs and any(p.same for p in pairs) and any(not p.same for p in pairs)
    # every post after an incident's first is compared with its own incident (teacher forcing)
    assert sum(p.same for p in pairs) == len(FIRMS) * (len(PHRASES) - 1)
    weights, report = fit(pairs)
    assert report["train_accuracy"] >= 0.95
    assert weights.join_threshold == TrackerWeights().join_threshold  # rescaled to the configured threshold
    assert weights.firm > 0 and weights.place > 0 and weights.person > 0
    assert "firm_conflict" in report["features"] and weights.firm_conflict < 0
    # features no pair exercised keep their hand-set weight
    for f in set(FEATURES) - set(report["features"]):
        assert getattr(weights, f) == getattr(TrackerWeights(), f)


def test_fitting_needs_both_kinds_of_pairs_and_a_negative_intercept() -> None:
    with pytest.raises(ValueError, match="both kinds"):
        fit([Pair({"firm": 1.0}, True, "stream")] * 3)
    # every pair with no evidence at all is the same incident: the fit would join anything
    bad = [Pair({}, True, "stream")] * 20 + [Pair({"firm_conflict": 1.0}, False, "stream")] * 20
    with pytest.raises(ValueError, match="intercept"):
        fit(bad)


def test_the_weights_file_round_trips_and_bad_files_name_the_file_and_field(tmp_path: Path) -> None:
    weights, report = fit(stream_pairs(_stream()))
    path = tmp_path / "w" / "tracker_weights.json"
    write_weights(path, weights, report, inputs=["test stream"])
    loaded = load_weights(path, TrackerWeights(join_threshold=1.5, merge_threshold=2.5))
    assert loaded.firm == weights.firm and loaded.merge_threshold == 2.5
    doc = json.loads(path.read_text(encoding="utf-8"))
    for change, field in ((lambda d: d["weights"].update(firm="high"), "weights.firm"),
                          (lambda d: d["weights"].update(join_threshold=0.1), "weights.join_threshold"),
                          (lambda d: d.update(format=99), "format")):
        bad = json.loads(json.dumps(doc))
        change(bad)
        p = tmp_path / f"bad-{field}.json"
        p.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            load_weights(p, TrackerWeights())
        assert str(p) in str(exc.value) and field in str(exc.value)
    with pytest.raises(ConfigError, match="cannot read"):
        load_weights(tmp_path / "missing.json", TrackerWeights())


def test_a_stream_file_line_that_is_not_a_labelled_signal_is_refused_with_its_line(tmp_path: Path) -> None:
    sig, label = _stream()[0]
    p = tmp_path / "stream.jsonl"
    p.write_text(json.dumps({"signal": sig.to_json(), "incident": label}, ensure_ascii=False) + "\n"
                 + json.dumps({"signal": sig.to_json()}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        read_stream(p)


def test_the_engine_uses_the_fitted_weights_and_staff_moves_become_pairs(
    settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier, tmp_path: Path
) -> None:
    from alerting.merging import merge_alerts
    from alerting.models import Alert, AlertPost

    weights, report = fit(stream_pairs(_stream()))
    path = tmp_path / "tracker_weights.json"
    write_weights(path, weights, report, inputs=["test stream"])
    fitted = settings.model_copy(update={"alerting": settings.alerting.model_copy(update={
        "tracking": settings.alerting.tracking.model_copy(update={"weights_file": str(path)})})})
    eng = AlertEngine.from_settings(fitted, db, clock=clock, notifier_factory=notifier.factory)
    assert eng.grouping.tracker.w.firm == weights.firm
    firm, town, _road, boss = FIRMS[0]
    other, other_town, _road2, other_boss = FIRMS[2]
    items = [make_item(post_id="a1", companies=(firm,), towns=(town,), at=T0, severity="II", workers=30,
                       content=f"{firm.name}拖欠30名工人工资三个月，{boss}老板电话打不通"),
             make_item(post_id="a2", companies=(other,), towns=(other_town,), at=T0 + timedelta(hours=1),
                       severity="II", workers=30,
                       content=f"{other.name}拖欠30名工人工资三个月，{other_boss}老板电话打不通")]
    for it in items:
        clock.now = it.post.published_at + timedelta(minutes=10)
        eng.process([it])
    with db.session() as s:
        alert_of = {p.post_id: p.alert_id for p in s.query(AlertPost)}
    assert alert_of["a1"] != alert_of["a2"]
    # a duty officer decides the second post belongs with the first
    with db.session() as s:
        merge_alerts(s, into=s.get(Alert, alert_of["a1"]), other=s.get(Alert, alert_of["a2"]), now=clock.now,
                     actor="u_duty", reason="总包与分包")
    pairs = correction_pairs(db)
    joined = [p for p in pairs if p.same and p.source == "merge" and not p.x.get("firm")]
    # the post against the alert it joined, rebuilt from that alert's other posts: the evidence the tracker lacked
    assert len(joined) == 1 and joined[0].x.get("firm_conflict") == 1.0 and joined[0].x.get("person_conflict") == 1.0


def test_a_bad_weights_file_stops_the_engine_with_a_clear_error(
    settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier, tmp_path: Path
) -> None:
    p = tmp_path / "tracker_weights.json"
    p.write_text("{not json", encoding="utf-8")
    bad = settings.model_copy(update={"alerting": settings.alerting.model_copy(update={
        "tracking": settings.alerting.tracking.model_copy(update={"weights_file": str(p)})})})
    with pytest.raises(ConfigError, match="not JSON"):
        AlertEngine.from_settings(bad, db, clock=clock, notifier_factory=notifier.factory)


def test_the_command_fits_a_stream_file_and_writes_weights_the_settings_can_point_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from laborwatch.cli import main

    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("LW_DB_URL", raising=False)
    stream = tmp_path / "stream.jsonl"
    stream.write_text("".join(json.dumps({"signal": sig.to_json(), "incident": label}, ensure_ascii=False) + "\n"
                              for sig, label in _stream()), encoding="utf-8")
    out = tmp_path / "tracker_weights.json"
    assert main(["alerts", "tracker-fit", "--stream", str(stream), "--output", str(out)]) == 0
    said = capsys.readouterr().out
    assert "labelled pairs" in said and str(out) in said
    loaded = load_weights(out, TrackerWeights())
    assert loaded.firm > 0
    # nothing to learn from: a clear refusal, no file
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["alerts", "tracker-fit", "--stream", str(empty), "--no-corrections",
                 "--output", str(tmp_path / "none.json")]) == 2
    assert "无法拟合" in capsys.readouterr().err and not (tmp_path / "none.json").exists()
