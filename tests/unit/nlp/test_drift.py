"""Drift alarms: figures per source-day against the source's own history; a sudden change e-mails the
administrators (real SQLite outbox, real SMTP server on loopback) with the posts that moved."""

from __future__ import annotations

import random
from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest

from lwcore.settings import load_settings
from nlp.drift import BINS, DayStats, compare, day_stats, psi, run_drift_check

CUT = str.split  # the texts below are pre-segmented; the vocabulary is known


def _docs(rng: random.Random, n: int, *, flagged: float, words: list[str]) -> list[dict]:
    out = []
    for k in range(n):
        rel = rng.random() < flagged
        score = rng.uniform(0.6, 0.95) if rel else (0.0 if rng.random() < 0.7 else rng.uniform(0.01, 0.3))
        out.append({"id": f"p{k}", "text": " ".join(rng.choice(words) for _ in range(6)), "score": score,
                    "labor_dispute": rel})
    return out


KNOWN = ["工资", "拖欠", "公司", "员工", "小区", "停车", "学校", "食堂"]
NEW = ["骑手", "站点", "派件", "罚款"]


def test_psi_and_z_on_stable_and_shifted_days() -> None:
    assert psi([10, 10, 10], [20, 20, 20]) == pytest.approx(0.0)
    assert psi([30, 0, 0], [10, 10, 10]) > 1.0
    rng = random.Random(1)
    hist = [day_stats("s", f"2026-11-{d:02d}", _docs(rng, 200, flagged=0.05, words=KNOWN), cut=CUT,
                      vocab=set(KNOWN)) for d in range(1, 15)]
    calm = day_stats("s", "2026-11-15", _docs(rng, 200, flagged=0.05, words=KNOWN), cut=CUT, vocab=set(KNOWN))
    rep = compare(calm, hist, psi_limit=0.25, z_limit=4, min_posts=30)
    assert rep["judged"] and rep["alarms"] == [], rep
    flood = day_stats("s", "2026-11-15", _docs(rng, 200, flagged=0.4, words=KNOWN + NEW), cut=CUT, vocab=set(KNOWN))
    rep = compare(flood, hist, psi_limit=0.25, z_limit=4, min_posts=30)
    assert len(rep["alarms"]) == 3, rep  # score distribution, flagged share, unknown words
    assert any("骑手" in a or "派件" in a for a in rep["alarms"])
    # too little history or too few posts: shown, not judged
    assert compare(flood, hist[:2], psi_limit=0.25, z_limit=4, min_posts=30)["judged"] is False
    small = DayStats("s", "x", 5, 5, [0] * (len(BINS) - 1), 0, 0)
    assert compare(small, hist, psi_limit=0.25, z_limit=4, min_posts=30)["judged"] is False


def test_a_sudden_change_mails_the_administrators(tmp_path, smtp_server) -> None:  # noqa: ANN001
    settings = load_settings(environ={}, overrides={
        "state_dir": str(tmp_path / "state"),
        "smtp": {"host": smtp_server.host, "port": smtp_server.port},
        "alerting": {"admin_emails": ["admin@example.org"]},
    })
    rng = random.Random(7)
    day0 = date(2026, 11, 1)
    for k in range(10):  # ten calm days build the source's own history
        rep = run_drift_check(settings, day=day0 + timedelta(days=k), cut=CUT, notify=True,
                              docs_by_source={"weibo-qp": _docs(rng, 150, flagged=0.05, words=KNOWN),
                                              "news-qp": _docs(rng, 80, flagged=0.1, words=KNOWN)})
        assert rep["alarms"] == 0, rep
    assert smtp_server.messages == []
    flood = _docs(rng, 150, flagged=0.5, words=KNOWN + NEW)
    flood[0]["text"] = "骑手 站点 派件 罚款 拖欠 工资"
    flood[0].update(score=0.99, labor_dispute=True)
    rep = run_drift_check(settings, day=day0 + timedelta(days=10), cut=CUT, notify=True,
                          docs_by_source={"weibo-qp": flood, "news-qp": _docs(rng, 80, flagged=0.1, words=KNOWN)})
    assert rep["alarms"] == 1
    moved = next(r for r in rep["sources"] if r["source"] == "weibo-qp")
    assert moved["notified"] and moved["examples"][0]["id"] == "p0"
    mail = smtp_server.wait_for(1)[0]
    assert "舆情数据漂移" in str(make_header(decode_header(mail["Subject"])))
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "weibo-qp" in body and "骑手 站点 派件 罚款" in body
