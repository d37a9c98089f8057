"""Web page latency: the alert inbox and the ledger pages with N cases and N alerts (default 10,000 each).

    python bench/web_bench.py                    # SQLite file in a temporary folder
    python bench/web_bench.py --repeat 50 --json

Builds the schema with ``Database.upgrade()``, bulk-loads N ledger cases (each with one alert link and two posts)
and N alerts (each with two evidence posts and an event), serves ``laborwatch.web.create_app`` with uvicorn on a
loopback port, logs in as a duty officer and times full page loads over HTTP (keep-alive, one client): server
rendering, database queries and transfer, as the browser would see them minus its own painting. Prints p50/p95/max
in milliseconds per page; the target is p95 <= 300 ms for the inbox and ledger pages.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from lwcore.db import Database
from lwcore.settings import load_settings

TOWNS = ["华新镇", "赵巷镇", "徐泾镇", "白鹤镇", "重固镇", "朱家角镇", "练塘镇", "金泽镇", "夏阳街道", "盈浦街道",
         "香花桥街道"]
TYPES = ["wage_arrears", "social_insurance_arrears", "dismissal_layoff", "strike_stoppage", "closure_relocation",
         "group_action", "injury_compensation", "other_labor"]
STATUSES = ["pending", "verifying", "resolving", "resolved", "unfounded"]
WORDS = ["物流", "快递", "制造", "服装", "电子", "建筑", "餐饮", "科技", "贸易", "包装"]
TARGET_MS = 300.0


def load(db: Database, n: int, seed: int = 11) -> None:
    from alerting.models import Alert, AlertEvent, AlertPost
    from ledger.models import CaseAlertRow, CasePostRow, CaseRow

    rnd = random.Random(seed)
    now = datetime.now(UTC)
    cases, links, case_posts, alerts, alert_posts, events = [], [], [], [], [], []
    for i in range(1, n + 1):
        created = now - timedelta(minutes=rnd.randrange(0, 400 * 24 * 60))
        town, word = rnd.choice(TOWNS), rnd.choice(WORDS)
        types = rnd.sample(TYPES, rnd.choice([1, 1, 2]))
        level = rnd.choice(["I", "II", "III", "IV"])
        status = rnd.choices(STATUSES, weights=[10, 10, 25, 45, 10])[0]
        cases.append({
            "id": i, "number": f"TZ{created.year}-{i:05d}", "title": f"{town}某{word}公司{i}号劳动争议",
            "enterprise_name": f"上海{word}{i}有限公司", "company_id": f"TEST9131011800{i:04d}", "town": town,
            "industry": word, "dispute_types": "," + ",".join(types) + ",", "workers": rnd.randint(1, 200),
            "amount_fen": rnd.randint(0, 50_000_000), "risk_level": level, "responsible_unit": f"{town}劳动保障所",
            "responsible_person": f"责任人{i % 97}", "lead_official": f"领导{i % 13}", "plan": "约谈企业，督促发放工资",
            "deadline": (created + timedelta(days=rnd.randint(3, 60))).date(), "summary": "职工反映" * 20,
            "status": status, "status_changed_at": created, "status_changed_by": "bench",
            "closed_at": created if status in ("resolved", "unfounded") else None, "source": "alert",
            "created_at": created, "created_by": "bench", "updated_at": created, "updated_by": "bench", "version": 1,
        })
        links.append({"case_id": i, "alert_id": str(i), "level": level, "linked_at": created, "linked_by": "bench"})
        alert_status = rnd.choices(["open", "acknowledged", "closed"], weights=[30, 50, 20])[0]
        alerts.append({
            "id": i, "cluster_key": f"ev-bench-{i}", "level": level, "status": alert_status, "silenced": False,
            "title": f"{town}某{word}公司{types and '欠薪'}预警{i}", "company_id": f"TEST9131011800{i:04d}",
            "company_name": f"上海{word}{i}有限公司", "company_registered": True, "key_supervision": i % 17 == 0,
            "town": town, "industry": word, "event_types": types, "rules": ["match"], "reasons": ["关键词命中"],
            "post_count": 2, "workers": rnd.randint(1, 200), "amount_yuan": float(rnd.randint(0, 500000)),
            "max_severity": level, "unit": f"{town}劳动保障所", "first_seen": created, "last_seen": created,
            "created_at": created, "updated_at": created, "notified_level": level, "notified_at": created,
            "notified_post_count": 2, "escalation_step": 0,
            "ack_deadline": created + timedelta(minutes=30) if alert_status == "open" else None,
        })
        events.append({"alert_id": i, "at": created, "kind": "created", "actor": None, "detail": {}})
        for k in range(2):
            case_posts.append({"case_id": i, "post_id": f"p-{i}-{k}", "url": f"https://example.com/{i}/{k}",
                               "alert_id": str(i), "added_at": created})
            alert_posts.append({
                "alert_id": i, "post_id": f"p-{i}-{k}", "url": f"https://example.com/{i}/{k}",
                "title": f"{word}公司拖欠工资{i}-{k}", "snippet": "工人反映公司拖欠工资" * 5, "source_id": "bench",
                "platform": "weibo", "published_at": created, "severity": level, "score": 0.9, "event_types": types,
                "workers": 30, "amount_yuan": 1000.0, "severity_factors": [], "added_at": created,
            })
    with db.engine.begin() as c:
        c.execute(insert(CaseRow.__table__), cases)
        c.execute(insert(CaseAlertRow.__table__), links)
        c.execute(insert(CasePostRow.__table__), case_posts)
        c.execute(insert(Alert.__table__), alerts)
        c.execute(insert(AlertPost.__table__), alert_posts)
        c.execute(insert(AlertEvent.__table__), events)


PAGES: dict[str, str] = {
    "overview 今日态势 (landing page)": "/",
    "inbox: open alerts (default)": "/alerts",
    "inbox: level II": "/alerts?level=II",
    "inbox: overdue only": "/alerts?overdue=1",
    "inbox: all statuses, town": "/alerts?status=all&town=赵巷镇",
    "inbox: all, deep page 150": "/alerts?status=all&page=150",
    "alert page": "/alerts/{alert_id}",
    "ledger: open cases (default)": "/cases",
    "ledger: all, overdue": "/cases?status=&overdue=1",
    "ledger: town + risk I": "/cases?status=&town=华新镇&risk_level=I",
    "ledger: keyword q=物流": "/cases?status=&q=物流",
    "ledger: by deadline, page 100": "/cases?status=&order=deadline&page=100",
    "case page": "/cases/{case_id}",
    "incidents": "/incidents",
    "briefing (today so far)": "/briefing",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000, help="cases and alerts to load (each)")
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
    t0 = time.perf_counter()
    load(db, args.cases)
    load_s = time.perf_counter() - t0
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
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=base, timeout=30.0) as c:
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
            r = c.post("/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": token})
            assert r.status_code in (200, 303), r.status_code
            for name, path in PAGES.items():
                url = path.format(alert_id=args.cases // 2, case_id=args.cases // 3)
                first = c.get(url)
                if first.status_code != 200:
                    print(f"{name}: HTTP {first.status_code} {first.headers.get('location', '')}", file=sys.stderr)
                    return 1
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    resp = c.get(url)
                    resp.raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                results[name] = {
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1),
                    "max_ms": round(times[-1], 1),
                    "bytes": len(first.content),
                }
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()
    worst = max(v["p95_ms"] for v in results.values())
    if args.json:
        print(json.dumps({"cases": args.cases, "alerts": args.cases, "repeat": args.repeat, "load_s": round(load_s, 1),
                          "pages": results, "worst_p95_ms": worst, "target_p95_ms": TARGET_MS}, ensure_ascii=False,
                         indent=2))
    else:
        print(f"{args.cases} cases + {args.cases} alerts loaded in {load_s:.1f}s; {args.repeat} loads per page")
        print(f"{'page':<34} {'p50':>8} {'p95':>8} {'max':>8} {'KiB':>6}")
        for name, v in results.items():
            print(f"{name:<34} {v['p50_ms']:>8.1f} {v['p95_ms']:>8.1f} {v['max_ms']:>8.1f} {v['bytes'] / 1024:>6.1f}")
        print(f"worst p95 {worst:.1f} ms (target <= {TARGET_MS:.0f} ms): {'OK' if worst <= TARGET_MS else 'OVER'}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
