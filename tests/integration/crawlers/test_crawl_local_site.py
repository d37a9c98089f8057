"""Every spider kind against a realistic local site, through the real CLI (Scrapy runs in a subprocess)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from crawlers.testing.fault_site import FaultSite

from .conftest import crawl_cmd, crawl_env, read_posts, run_crawl_cli, write_sources

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_news_spider_survives_every_fault_and_counts_drops(fault_site: FaultSite, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, fault_site)
    state = tmp_path / "state"
    r = run_crawl_cli(sources, tmp_path / "out.jsonl", state, "fault-news")
    assert r.rc == 0, r.stderr[-2000:]
    by_title = {p["title"]: p for p in r.posts}
    # GBK (declared gb2312), undeclared GB18030, no date, broken HTML, 500-then-200, 429-then-200, slow page
    assert len(r.posts) == 7, sorted(by_title)
    gbk = by_title["青浦区重固镇一包装材料企业拖欠工资 工人维权"]
    assert "上海重固包装材料有限公司" in gbk["content"] and gbk["published_at"].startswith("2024-09-13T09:20")
    assert any("上海香花桥印刷有限公司" in p["content"] for p in r.posts)
    assert by_title["金泽镇水产合作社招收季节工"]["published_at"] is None
    assert "约谈" in by_title["徐泾镇一餐饮企业员工反映加班费未发"]["content"]
    assert all(p["kind"] == "news" and p["region"] == ["青浦区"] and p["raw_hash"] for p in r.posts)
    assert fault_site.hits["/faults/flaky.html"] == 2 and fault_site.hits["/faults/throttled.html"] == 2
    assert fault_site.hits["/private/secret.html"] == 0  # robots.txt obeyed
    dropped = r.stats["dropped"]
    assert dropped == {"http_404": 1, "timeout": 1, "redirect_loop": 1, "too_large": 1, "robots_disallowed": 1,
                       "unextractable": 1}, dropped
    # the robots.txt refusal is counted apart, not as an error (issue 15)
    assert r.stats["new_items"] == 7 and r.stats["errors"] >= 4 and r.stats["robots_refused"] == 1
    assert json.loads((tmp_path / "out.stats.json").read_text())["new_items"] == 7

    # second run: nothing already delivered is fetched again
    article_hits = {p: fault_site.hits[p] for p in ("/faults/gbk.html", "/faults/slow.html", "/faults/broken.html")}
    again = run_crawl_cli(sources, tmp_path / "out2.jsonl", state, "fault-news")
    assert again.rc == 0
    assert again.posts == [] and again.stats["new_items"] == 0 and again.stats["skipped_seen"] >= 7
    assert {p: fault_site.hits[p] for p in article_hits} == article_hits


def test_search_malformed_reply_and_feed_fallback(fault_site: FaultSite, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, fault_site)
    r = run_crawl_cli(sources, tmp_path / "out.jsonl", tmp_path / "state", "fault-search", "fault-feed")
    assert r.rc == 0, r.stderr[-2000:]
    per = r.stats["per_source"]
    social = [p for p in r.posts if p["source_id"] == "fault-search"]
    assert len(social) == 3 and per["fault-search"]["dropped"] == {"malformed_reply": 1}
    assert all(p["published_at"] and p["id"].startswith("p-faultweibo-") for p in social)
    feed = [p for p in r.posts if p["source_id"] == "fault-feed"]
    assert len(feed) == 4
    full = [p for p in feed if p["extra"].get("full_article")]
    assert len(full) == 3 and all(len(p["content"]) > 60 for p in full)
    summary_only = [p for p in feed if not p["extra"].get("full_article")]
    assert summary_only[0]["title"] == "无法访问的全文" and "拖欠工资" in summary_only[0]["content"]


def test_sample_site_every_kind(fault_site: FaultSite, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, fault_site, demo=True)
    r = run_crawl_cli(sources, tmp_path / "out.jsonl", tmp_path / "state",
                      "sample-news", "sample-weibo", "sample-board", "sample-forum")
    assert r.rc == 0, r.stderr[-2000:]
    kinds = Counter(p["source_id"] for p in r.posts)
    assert kinds == {"sample-news": 12, "sample-weibo": 10, "sample-board": 4, "sample-forum": 5}
    assert len({p["id"] for p in r.posts}) == len(r.posts)
    # the Weibo posts match several keyword queries: collected once each, reposts kept as their own posts
    assert r.stats["per_source"]["sample-weibo"]["dropped"].get("duplicate_in_run", 0) >= 1
    reposts = [p for p in r.posts if p["content"].startswith("转发微博")]
    assert len(reposts) == 2
    board = {p["title"]: p for p in r.posts if p["kind"] == "board"}
    assert board["盈浦街道企业不给员工缴社保"]["extra"]["reply_status"] == "办理中"
    assert all(p["published_at"] for p in r.posts)
    assert fault_site.hits["/news/list_2.html"] == 1


def test_interrupted_crawl_resumes_without_loss_or_duplicates(fault_site: FaultSite, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, fault_site, demo=True,
                            **{"politeness: {download_delay_s: 0, concurrency: 4}":
                               "politeness: {download_delay_s: 0.4, concurrency: 1, autothrottle: false}"})
    state = tmp_path / "state"
    out1 = tmp_path / "run1.jsonl"
    proc = subprocess.Popen(crawl_cmd(sources, out1, "sample-news", extra=("--batch-size", "1")),
                            env=crawl_env(state), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(read_posts(out1)) < 3:
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    first = read_posts(out1)
    assert 3 <= len(first) < 12
    r = run_crawl_cli(sources, tmp_path / "run2.jsonl", state, "sample-news")
    assert r.rc == 0, r.stderr[-2000:]
    ids = [p["id"] for p in first] + [p["id"] for p in r.posts]
    assert len(ids) == 12 and len(set(ids)) == 12


def test_unknown_and_disabled_sources_fail_cleanly(fault_site: FaultSite, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, fault_site, **{"fault-feed": {"enabled": False}})
    r = run_crawl_cli(sources, tmp_path / "o.jsonl", tmp_path / "s", "no-such-source")
    assert r.rc == 1 and "unknown source id 'no-such-source'" in r.stderr
    r = run_crawl_cli(sources, tmp_path / "o.jsonl", tmp_path / "s", "fault-feed")
    assert r.rc == 1 and "disabled" in r.stderr
