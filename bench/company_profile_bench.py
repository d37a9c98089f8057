"""Company profile (企业画像) page latency for a firm with 1,000 posts and 100 cases among 5,000 other firms.

    PYTHONPATH=. python bench/company_profile_bench.py [--repeat 30] [--json]

Builds the schema with ``Database.upgrade()``; imports a generated registry of 5,000 firms; loads, for the firm
profiled, 100 alerts with 10 evidence posts each (1,000 posts), 100 ledger cases, 20 guidance visits, a list entry,
a blacklist entry and 50 field reports, plus 2,000 alerts, 2,000 cases and 5,000 field reports of other firms;
serves ``laborwatch.web.create_app`` with uvicorn on a loopback port, logs in as a duty officer and times full
page loads of ``/companies/{code}`` over HTTP, the firm search ``/companies?q=`` by alias and by part of a name,
and the follow-up list ``/companies/followup`` (about 1,800 firms with cases). Target (issue 18): p95 <= 300 ms
for the profile page.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from alerting.models import Alert, AlertPost
from companies import Blacklist, SupervisionList
from companies.models import Company, CompanyAlias, FieldReport
from companies.uscc import CHARSET, check_character
from ledger.models import CaseRow
from lwcore.db import Database
from lwcore.settings import load_settings

EVENTS = ("wage_arrears", "social_insurance_arrears", "dismissal_layoff", "group_action", "closure_relocation")


def _code(i: int) -> str:
    body = f"91310118{CHARSET[i % 31]}{CHARSET[(i // 31) % 31]}M{i:06d}"
    return body + check_character(body)


def load(db: Database, firms: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    codes = [_code(i) for i in range(firms)]
    target = codes[0]
    with db.session() as s:
        s.execute(insert(Company), [{"credit_code": c, "name": f"上海青浦{i}号实业有限公司", "town": "华新镇",
                                     "industry": "logistics", "key_supervision": False, "is_test": False,
                                     "created_at": now, "updated_at": now} for i, c in enumerate(codes)])
        s.execute(insert(CompanyAlias), [{"credit_code": c, "alias": f"青浦{i}号"} for i, c in enumerate(codes)])
        alerts, cases = [], []
        for i in range(2100):
            code = target if i < 100 else rng.choice(codes[1:])
            at = now - timedelta(days=rng.randint(0, 360), minutes=i)
            alerts.append({"cluster_key": f"k{i}", "level": rng.choice("I II III IV".split()), "title": f"预警{i}",
                           "company_id": code, "event_types": rng.sample(EVENTS, 2), "rules": [], "reasons": [],
                           "post_count": 10, "workers": rng.randint(5, 80), "amount_yuan": 1000.0 * i,
                           "first_seen": at, "last_seen": at, "created_at": at, "updated_at": at})
            cases.append({"number": f"QP-{i}", "title": f"案件{i}", "company_id": code, "dispute_types": "wage_arrears",
                          "risk_level": "II", "status": "pending", "status_changed_at": at,
                          "status_changed_by": "b", "source": "manual", "created_at": at, "created_by": "b",
                          "updated_at": at, "updated_by": "b", "version": 1, "amount_fen": 100_000 * i,
                          "workers": 10})
        s.execute(insert(Alert), alerts)
        s.execute(insert(CaseRow), cases)
        s.execute(insert(AlertPost), [
            {"alert_id": a, "post_id": f"p{a}-{k}", "url": f"https://example.com/{a}/{k}", "title": f"帖文{a}-{k}",
             "snippet": "拖欠工资", "source_id": "weibo", "platform": "weibo",
             "published_at": now - timedelta(minutes=a * 10 + k), "score": 0.9, "event_types": ["wage_arrears"],
             "severity_factors": [], "added_at": now}
            for a in range(1, 101) for k in range(10)])
        # field reports (网格上报 / 12345): 50 about the firm (by code or by its alias), 5,000 about others
        s.execute(insert(FieldReport), [
            {"origin": "hotline", "ticket_no": f"GD{i}", "reported_at": now - timedelta(hours=i), "title": f"工单{i}",
             "content": "来电反映拖欠工资", "credit_code": target if i < 25 else None,
             "company_name": "青浦0号" if 25 <= i < 50 else f"青浦{rng.randint(1, firms - 1)}号",
             "status": "processed", "post_id": f"fr{i}", "labor_dispute": True, "created_at": now,
             "created_by": "bench"}
            for i in range(5050)])
    sv = SupervisionList(db)
    sv.add(target, ground="latent_dispute", reason="反复欠薪", risk_level="II", actor="bench", key_area=True,
           listed_on=date.today() - timedelta(days=200))
    for d in range(20):
        sv.record_visit(target, visited_on=date.today() - timedelta(days=7 * d), visitor="走访员", findings="正常",
                        actor="bench")
    Blacklist(db).add(target, decision_no="bench-1", decided_on=date.today() - timedelta(days=30), reason="欠薪",
                      actor="bench")
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firms", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import httpx
    import uvicorn

    from laborwatch.web import create_app
    from laborwatch.web.accounts import Accounts

    tmp = tempfile.TemporaryDirectory()
    settings = load_settings(environ={}, overrides={"state_dir": tmp.name})
    db = Database(f"sqlite:///{Path(tmp.name) / 'bench.db'}")
    db.upgrade()
    target = load(db, args.firms)
    Accounts(db).add_user("bench", "bench-password-1", "duty")
    app = create_app(settings, db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    results: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as c:
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
            c.post("/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": token})
            for name, url in (("profile", f"/companies/{target}"), ("search_alias", "/companies?q=青浦4999号"),
                              ("search_part", "/companies?q=青浦12"), ("followup", "/companies/followup")):
                first = c.get(url)
                first.raise_for_status()
                if name == "profile":
                    assert "关联帖文 1000 条 · 预警 100 条 · 台账案件 100 件" in first.text, "profile figures"
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    c.get(url).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                results[name] = {"p50_ms": round(statistics.median(times), 1),
                                 "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1),
                                 "max_ms": round(times[-1], 1), "bytes": len(first.content)}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()
        tmp.cleanup()
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for name, r in results.items():
            print(f"{name:14s} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms  "
                  f"{r['bytes']} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
