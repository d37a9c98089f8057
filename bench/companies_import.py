"""Registry import time: ``laborwatch companies import`` on a generated registry of N rows (default 50,000).

    python bench/companies_import.py                        # CSV, SQLite file in a temporary folder
    python bench/companies_import.py --xlsx                 # the same rows as an .xlsx workbook
    python bench/companies_import.py --db-url postgresql+psycopg://user@127.0.0.1:5432/db   # an EMPTY database

Rows carry real-format credit codes with correct GB 32100-2015 check characters, 1-3 aliases each, and 2 % of
the rows repeat an earlier code under another name (merged into one company). Times the first import into an
empty registry, then a second import of the same file (everything unchanged) and prints both in seconds.
Target (issue 18): under a minute for 50,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from pathlib import Path

from companies import Registry
from companies.uscc import CHARSET, check_character
from lwcore.db import Database

TOWNS = ("华新镇", "赵巷镇", "徐泾镇", "白鹤镇", "重固镇", "朱家角镇", "练塘镇", "金泽镇",
         "盈浦街道", "夏阳街道", "香花桥街道")
INDUSTRIES = ("logistics", "construction", "manufacturing", "retail", "catering", "services")
HEADER = ["统一社会信用代码", "企业名称", "别名", "所属街镇", "行业", "重点监管"]


def make_code(rng: random.Random, i: int) -> str:
    body = "91310118" + "".join(rng.choice(CHARSET) for _ in range(3)) + f"{i:06d}"
    return body + check_character(body)


def generate(n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows: list[list[str]] = []
    codes: list[str] = []
    for i in range(n):
        if codes and rng.random() < 0.02:
            code = rng.choice(codes)
            name = f"上海曾用名{i}有限公司"
        else:
            code = make_code(rng, i)
            codes.append(code)
            name = f"上海青浦{i}号实业有限公司"
        aliases = "|".join(f"青浦{i}号{k}" for k in range(rng.randint(1, 3)))
        rows.append([code, name, aliases, rng.choice(TOWNS), rng.choice(INDUSTRIES),
                     "是" if rng.random() < 0.05 else "否"])
    return rows


def write(rows: list[list[str]], path: Path) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("企业名录")
        ws.append(HEADER)
        for r in rows:
            ws.append(r)
        wb.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--xlsx", action="store_true")
    ap.add_argument("--db-url")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("registry.xlsx" if args.xlsx else "registry.csv")
        write(generate(args.rows), path)
        db = Database(args.db_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade()
        registry = Registry(db)
        t0 = time.perf_counter()
        first = registry.import_file(path, actor="bench")
        t1 = time.perf_counter()
        second = registry.import_file(path, actor="bench")
        t2 = time.perf_counter()
        db.dispose()
    print(json.dumps({
        "rows": args.rows, "format": path.suffix, "db": "postgresql" if args.db_url else "sqlite",
        "first_import_s": round(t1 - t0, 2), "created": first.created, "merged_rows": first.merged_rows,
        "aliases_added": first.aliases_added,
        "second_import_s": round(t2 - t1, 2), "unchanged": second.unchanged,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
