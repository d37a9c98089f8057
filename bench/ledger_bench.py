"""Ledger list/filter latency over a realistic 台账 of N cases (default 10,000).

    python bench/ledger_bench.py                          # SQLite file in a temporary folder
    python bench/ledger_bench.py --db-url postgresql+psycopg://user@127.0.0.1:5432/db   # an EMPTY database

Builds the schema with ``Database.upgrade()``, loads N cases (each with one alert and two posts) in bulk, then
times each query of a staff ledger page (``Ledger.list_cases``: count + one page of 50 with links) ``--repeat``
times and prints p50/p95/max in milliseconds, plus one full ``export_xlsx`` of every case.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from ledger import CaseStatus, Ledger
from ledger.models import CaseAlertRow, CasePostRow, CaseRow
from lwcore.db import Database
from lwcore.domain import EVENT_TYPES
from lwcore.settings import REPO_ROOT
from nlp.regions import Regions

TOWNS = [t.name for t in Regions.load(REPO_ROOT / "configs" / "regions.yaml").towns]
TYPES = list(EVENT_TYPES)
STATUSES = [st.value for st in CaseStatus]
WORDS = ["物流", "快递", "制造", "服装", "电子", "建筑", "餐饮", "科技", "贸易", "包装"]


def load(db: Database, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    cases, alerts, posts = [], [], []
    for i in range(1, n + 1):
        created = base + timedelta(minutes=rnd.randrange(0, 600 * 24 * 60))
        status = rnd.choices(STATUSES, weights=[10, 10, 25, 45, 10])[0]
        town = rnd.choice(TOWNS)
        word = rnd.choice(WORDS)
        types = rnd.sample(TYPES, rnd.choice([1, 1, 2]))
        cases.append(
            {
                "id": i,
                "number": f"TZ{created.year}-{i:05d}",
                "title": f"{town}某{word}公司{i}号劳动争议",
                "enterprise_name": f"上海{word}{i}有限公司",
                "company_id": f"TEST9131011800{i:04d}",
                "town": town,
                "industry": word,
                "dispute_types": "," + ",".join(types) + ",",
                "workers": rnd.randint(1, 200),
                "amount_fen": rnd.randint(0, 50_000_000),
                "risk_level": rnd.choice(["I", "II", "III", "IV"]),
                "responsible_unit": f"{town}劳动保障所",
                "responsible_person": f"责任人{i % 97}",
                "lead_official": f"领导{i % 13}",
                "plan": "约谈企业，督促发放工资；跟踪回访" * 3,
                "deadline": (created + timedelta(days=rnd.randint(3, 60))).date(),
                "summary": "职工反映" * 20,
                "status": status,
                "status_changed_at": created,
                "status_changed_by": "bench",
                "closed_at": created if status in ("resolved", "unfounded") else None,
                "source": "alert",
                "created_at": created,
                "created_by": "bench",
                "updated_at": created,
                "updated_by": "bench",
                "version": 1,
            }
        )
        alerts.append({"case_id": i, "alert_id": f"al-{i}", "level": "II", "linked_at": created, "linked_by": "bench"})
        for k in range(2):
            posts.append(
                {
                    "case_id": i,
                    "post_id": f"p-{i}-{k}",
                    "url": f"https://example.com/{i}/{k}",
                    "alert_id": f"al-{i}",
                    "added_at": created,
                }
            )
    with db.engine.begin() as c:
        c.execute(insert(CaseRow.__table__), cases)
        c.execute(insert(CaseAlertRow.__table__), alerts)
        c.execute(insert(CasePostRow.__table__), posts)


QUERIES: dict[str, dict[str, object]] = {
    "default page (newest first)": {},
    "status=化解中": {"status": "化解中"},
    "open statuses + town": {"status": ["待核实", "核实中", "化解中"], "town": "华新镇"},
    "risk I+II, by deadline": {"risk_level": ["I", "II"], "order": "deadline"},
    "overdue": {"overdue": True},
    "keyword q=物流 (LIKE scan)": {"q": "物流"},
    "keyword q=company id": {"q": "TEST91310118001234"},
    "dispute_type=group_action": {"dispute_type": "group_action"},
    "deep page 150": {"page": 150},
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db-url")
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    db = Database(url)
    db.upgrade()
    t0 = time.perf_counter()
    load(db, args.cases)
    load_s = time.perf_counter() - t0
    ledger = Ledger(db, clock=lambda: datetime(2025, 6, 1, tzinfo=UTC))
    results = {}
    for name, kw in QUERIES.items():
        ledger.list_cases(**kw)  # warm
        times = []
        total = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            rows, total = ledger.list_cases(**kw)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        results[name] = {
            "matches": total,
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2),
        }
    t = time.perf_counter()
    n = ledger.export_xlsx(Path(tmp.name) / "all.xlsx")
    export_s = time.perf_counter() - t
    summary = {
        "db": db.engine.dialect.name,
        "cases": args.cases,
        "repeat": args.repeat,
        "load_s": round(load_s, 2),
        "queries": results,
        "export_xlsx_all": {"cases": n, "seconds": round(export_s, 2)},
        "worst_p95_ms": max(r["p95_ms"] for r in results.values()),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['db']}: {args.cases} cases (bulk load {summary['load_s']} s), {args.repeat} runs per query")
        print(f"{'query':34} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, r in results.items():
            print(f"{name:34} {r['matches']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}")
        print(f"export_xlsx of all {n} cases: {summary['export_xlsx_all']['seconds']} s")
        print(f"worst p95: {summary['worst_p95_ms']} ms")
    db.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
