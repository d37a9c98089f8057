"""Extraction benchmark: ``crawlers.extract.extract_article`` vs trafilatura's defaults, side by side.

Reads the saved pages under ``../shared/data/html`` (never copied into the repository):

- ``cwced/gold.jsonl``: hand-made gold body/author/date (the page HTML inline, or a path relative to
  ``cwced/``; pages whose HTML is not present are counted as missing and skipped);
- ``gne/derived/gne_result_2019.jsonl``: GeneralNewsExtractor's own 2019 output for 20 pages (a silver
  reference, not gold: agreement with a well-known extractor);
- ``gerapy/derived/readme_expected_detail_netease_news1.json``: one expected detail output;
- ``short-news``: the project's own sample of 18 short district-news pages (a few sentences in six portal
  layouts full of navigation, notices and footers; ``crawlers/testing/short_news.py``), reported as its own slice.

Metrics per set: body character-level F1 (multiset of non-space characters, averaged over pages), date accuracy
(same calendar day in Asia/Shanghai; a gold "UNKNOWN" date is right when nothing is returned), split into "dated
day" (pages whose gold names a day: the right day returned) and "undated none" (pages whose gold has no date:
nothing returned), title accuracy (exact after whitespace/full-width normalisation). Extractors: ours, trafilatura's
defaults, and htmldate alone (dates only: ``find_date(original_date=True, extensive_search=True)``).

    python bench/extract_bench.py [--data ../shared/data/html] [--json OUT.json] [--show-worst 5] [--show-dates]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.dates import parse_datetime  # noqa: E402
from crawlers.encoding import decode_html  # noqa: E402
from crawlers.extract import extract_article  # noqa: E402
from crawlers.textnorm import fullwidth_to_halfwidth  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"
_WS = re.compile(r"\s+")


@dataclass
class Case:
    set: str
    page: str
    html: bytes
    charset: str | None
    url: str | None
    title: str | None
    content: str | None
    date: str | None  # None: not part of the reference; "UNKNOWN": the page has no date
    author: str | None


@dataclass
class Score:
    n: int = 0
    f1: list[float] = field(default_factory=list)
    date_ok: int = 0
    date_n: int = 0
    dated_ok: int = 0  # pages whose gold names a day: right day returned
    dated_n: int = 0
    undated_ok: int = 0  # pages whose gold has no date: nothing returned
    undated_n: int = 0
    title_ok: int = 0
    title_n: int = 0
    seconds: float = 0.0
    worst: list[tuple[float, str]] = field(default_factory=list)
    date_misses: list[tuple[str, str, str]] = field(default_factory=list)  # (page, expected, got)

    def summary(self) -> dict[str, Any]:
        return {
            "pages": self.n,
            "body_f1": round(sum(self.f1) / len(self.f1), 4) if self.f1 else None,
            "date_accuracy": round(self.date_ok / self.date_n, 4) if self.date_n else None,
            "date_pages": self.date_n,
            "dated_day_accuracy": round(self.dated_ok / self.dated_n, 4) if self.dated_n else None,
            "dated_pages": self.dated_n,
            "undated_no_date": round(self.undated_ok / self.undated_n, 4) if self.undated_n else None,
            "undated_pages": self.undated_n,
            "title_accuracy": round(self.title_ok / self.title_n, 4) if self.title_n else None,
            "title_pages": self.title_n,
            "ms_per_page": round(1000 * self.seconds / self.n, 1) if self.n else None,
        }


def char_f1(pred: str, gold: str) -> float:
    p = Counter(_WS.sub("", fullwidth_to_halfwidth(pred or "")))
    g = Counter(_WS.sub("", fullwidth_to_halfwidth(gold or "")))
    if not p and not g:
        return 1.0
    common = sum((p & g).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _norm_title(t: str | None) -> str:
    return _WS.sub("", fullwidth_to_halfwidth(t or "")).replace("“", '"').replace("”", '"')


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    dt = parse_datetime(str(value))
    return dt.date().isoformat() if dt else None


def _gold_day(raw: str) -> str | None:
    """Gold date as YYYY-MM-DD, or YYYY-MM when the gold has no day ("1998-3")."""
    m = re.match(r"^\s*((?:19|20)\d{2})[-/年](\d{1,2})(?:[-/月](\d{1,2}))?", raw)
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


def load_cases(data: Path) -> tuple[list[Case], dict[str, int]]:
    cases: list[Case] = []
    missing: dict[str, int] = {}
    gold = data / "cwced" / "gold.jsonl"
    if gold.exists():
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            html_field = row.get("html") or ""
            if "<" in html_field[:2000]:
                raw = html_field.encode("utf-8")
                charset = "utf-8"
            else:
                path = data / "cwced" / html_field
                if not path.exists():
                    missing["cwced"] = missing.get("cwced", 0) + 1
                    continue
                raw = path.read_bytes()
                charset = None  # the extractor must find the encoding itself
            date = (row.get("date") or "").strip()
            cases.append(Case("cwced", row["id"], raw, charset, None, None, row.get("content"),
                              "UNKNOWN" if not date or date.upper().startswith("UNKN") else date,
                              row.get("author")))
    gne = data / "gne" / "derived" / "gne_result_2019.jsonl"
    if gne.exists():
        for line in gne.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            path = data / "gne" / row["path"]
            if not path.exists():
                missing["gne"] = missing.get("gne", 0) + 1
                continue
            date = row.get("publish_time") or ""
            cases.append(Case("gne-silver", row["path"], path.read_bytes(), None, None, row.get("title"),
                              row.get("content"), date if re.match(r"^\d{4}", date) else None, row.get("author")))
    from crawlers.testing.short_news import short_news_cases

    for name, page, gold in short_news_cases():  # our own sample: short district news (issue 15), its own slice
        cases.append(Case("short-news", name, page.encode("utf-8"), "utf-8", None, gold["title"],
                          "\n".join(gold["body"]), gold["date"], gold["author"] or None))
    ger = data / "gerapy" / "derived" / "readme_expected_detail_netease_news1.json"
    if ger.exists():
        exp = json.loads(ger.read_text(encoding="utf-8"))["extract_detail_output_in_readme"]
        path = data / "gerapy" / "samples" / "detail" / "netease_news1.html"
        if path.exists():
            cases.append(Case("gerapy", "netease_news1.html", path.read_bytes(), None, None, exp.get("title"),
                              exp.get("content"), exp.get("datetime"), None))
    return cases, missing


def run_ours(case: Case) -> dict[str, Any]:
    a = extract_article(case.html, case.url, encoding=case.charset)
    return {"title": a.title, "content": a.content, "date": a.published_at, "author": a.author}


def run_trafilatura(case: Case) -> dict[str, Any]:
    import trafilatura

    text, _ = decode_html(case.html, declared=case.charset)
    doc = trafilatura.bare_extraction(text, url=case.url, with_metadata=True)
    if doc is None:
        return {"title": None, "content": "", "date": None, "author": None}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {"title": d.get("title"), "content": d.get("text") or "", "date": d.get("date"),
            "author": d.get("author")}


def run_htmldate(case: Case) -> dict[str, Any]:
    """htmldate's publish date alone (original date, extensive search), for the date column."""
    from htmldate import find_date

    text, _ = decode_html(case.html, declared=case.charset)
    try:
        date = find_date(text, url=case.url, original_date=True, extensive_search=True)
    except Exception:  # noqa: BLE001 - a library failure counts as no date
        date = None
    return {"title": None, "content": None, "date": date, "author": None}


def score(cases: list[Case], fn: Any) -> dict[str, Score]:
    out: dict[str, Score] = {}
    for c in cases:
        s = out.setdefault(c.set, Score())
        t0 = time.perf_counter()
        try:
            r = fn(c)
        except Exception as exc:  # noqa: BLE001 - a crash counts as an empty answer, reported below
            print(f"  ! {fn.__name__} failed on {c.set}/{c.page}: {exc}", file=sys.stderr)
            r = {"title": None, "content": "", "date": None, "author": None}
        s.seconds += time.perf_counter() - t0
        s.n += 1
        if c.content is not None and r["content"] is not None:
            f = char_f1(r["content"], c.content)
            s.f1.append(f)
            s.worst.append((f, c.page))
        if c.date is not None:
            s.date_n += 1
            got = _day(r["date"])
            if c.date == "UNKNOWN":
                s.date_ok += got is None
                s.undated_n += 1
                s.undated_ok += got is None
            else:
                want = _gold_day(c.date) or _day(c.date)
                ok = bool(got and want and got.startswith(want))
                s.date_ok += ok
                if want and len(want) == 10:  # the gold names a day (not "1998-3", "2018" or a stray name)
                    s.dated_n += 1
                    s.dated_ok += ok
                if not ok:
                    s.date_misses.append((c.page, c.date, str(r["date"])))
        if c.title and r["title"] is not None:
            s.title_n += 1
            s.title_ok += _norm_title(r["title"]) == _norm_title(c.title)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, help="write the figures as JSON")
    ap.add_argument("--show-worst", type=int, default=0)
    ap.add_argument("--show-dates", action="store_true", help="print expected vs got for every missed date")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"extract_bench: {args.data} is absent (needs ../shared/data/html)", file=sys.stderr)
        return 2
    cases, missing = load_cases(args.data)
    results = {"ours": score(cases, run_ours), "trafilatura_defaults": score(cases, run_trafilatura),
               "htmldate (date only)": score(cases, run_htmldate)}
    report: dict[str, Any] = {"missing_html": missing, "sets": {}}
    for name, per_set in results.items():
        for set_name, s in per_set.items():
            report["sets"].setdefault(set_name, {})[name] = s.summary()
    print(f"{'set':<12} {'extractor':<22} {'pages':>5} {'body F1':>8} {'date acc':>9} {'dated day':>12} "
          f"{'undated none':>12} {'title acc':>9} {'ms/page':>8}")
    for set_name, by in report["sets"].items():
        for name, summ in by.items():
            def f(v: Any) -> str:
                return "-" if v is None else f"{v:.3f}"
            dated = f"{f(summ['dated_day_accuracy'])} ({summ['dated_pages']})"
            undated = f"{f(summ['undated_no_date'])} ({summ['undated_pages']})"
            print(f"{set_name:<12} {name:<22} {summ['pages']:>5} {f(summ['body_f1']):>8} "
                  f"{f(summ['date_accuracy']):>9} {dated:>12} {undated:>12} {f(summ['title_accuracy']):>9} "
                  f"{summ['ms_per_page']:>8}")
    if missing:
        print(f"pages whose HTML is not present (skipped): {missing}")
    if args.show_worst:
        for set_name, s in results["ours"].items():
            for f1, page in sorted(s.worst)[: args.show_worst]:
                print(f"  worst ours {set_name}: {f1:.3f} {page}")
    if args.show_dates:
        for set_name, s in results["ours"].items():
            for page, want, got in s.date_misses:
                print(f"  date miss ours {set_name}: {page} expected {want!r} got {got!r}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
