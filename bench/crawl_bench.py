"""Crawl benchmark: pages per minute through the full item pipeline, side by side with ``scrapy bench``.

Serves an enlarged copy of the sample site on loopback (``--articles`` articles, 6 per list page), crawls it
with ``laborwatch crawl`` (news spider -> extraction -> PostPipeline -> JSONL sink; politeness delay off,
robots.txt obeyed, seen-store on), then runs ``scrapy bench`` (Scrapy's own link-following benchmark, no
item processing) on the same machine, and prints both rates and their ratio.

    python bench/crawl_bench.py [--articles 600] [--concurrency 16] [--scrapy-seconds 20] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.sample_site import SampleSite  # noqa: E402


class BigSite(SampleSite):
    """The sample site with its articles repeated under distinct ids (realistic pages, more of them)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        base = self.articles
        self.articles = []
        for i in range(n):
            a = dict(base[i % len(base)])
            a["id"] = 10_000 + i
            a["slug"] = f"bench/{10_000 + i}"
            a["title"] = f"{a['title']}（{i}）"
            self.articles.append(a)


def run_ours(n: int, concurrency: int) -> dict[str, Any]:
    site = BigSite(n)
    base = site.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            pages = n // 6 + 2
            (t / "sources.yaml").write_text(json.dumps({"sources": [{
                "id": "bench-news", "name": "bench", "kind": "news", "platform": "bench",
                "start_urls": [f"{base}/news/list_1.html"], "max_pages": pages,
                "selectors": {"item_links": ".news-list li a", "next_page": ".pager a.next"},
                "politeness": {"download_delay_s": 0, "concurrency": concurrency, "autothrottle": False}}]},
                ensure_ascii=False), encoding="utf-8")
            env = dict(os.environ, LW_STATE_DIR=str(t / "state"), LW__CRAWL__DOWNLOAD_DELAY_S="0")
            out = t / "out.jsonl"
            proc = subprocess.run([sys.executable, "-m", "laborwatch", "crawl", "bench-news", "--sources",
                                   str(t / "sources.yaml"), "--output", str(out)],
                                  env=env, capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                raise SystemExit(f"crawl failed: {proc.stderr[-2000:]}")
            stats = json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])
            items = sum(1 for _ in out.open(encoding="utf-8"))
    finally:
        site.stop()
    minutes = stats["seconds"] / 60
    return {"pages": stats["pages"], "items": items, "seconds": stats["seconds"],
            "pages_per_min": round(stats["pages"] / minutes, 1), "items_per_min": round(items / minutes, 1)}


def run_scrapy_bench(seconds: int) -> dict[str, Any]:
    proc = subprocess.run(["scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOG_LEVEL=INFO"],
                          capture_output=True, text=True, timeout=seconds + 120, cwd=tempfile.gettempdir())
    log = proc.stderr + proc.stdout
    count = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not count or not elapsed:
        raise SystemExit(f"could not read scrapy bench stats:\n{log[-2000:]}")
    pages, secs = int(count.group(1)), float(elapsed.group(1))
    return {"pages": pages, "seconds": secs, "pages_per_min": round(pages / (secs / 60), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--scrapy-seconds", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    ours = run_ours(args.articles, args.concurrency)
    ref = run_scrapy_bench(args.scrapy_seconds)
    ratio = round(ours["pages_per_min"] / ref["pages_per_min"], 3)
    print(f"laborwatch crawl (full item pipeline): {ours['pages']} pages, {ours['items']} posts in "
          f"{ours['seconds']:.1f}s = {ours['pages_per_min']:.0f} pages/min ({ours['items_per_min']:.0f} posts/min)")
    print(f"scrapy bench (no item processing):     {ref['pages']} pages in {ref['seconds']:.1f}s = "
          f"{ref['pages_per_min']:.0f} pages/min")
    print(f"ratio laborwatch / scrapy bench: {ratio}")
    if args.json:
        args.json.write_text(json.dumps({"ours": ours, "scrapy_bench": ref, "ratio": ratio}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
