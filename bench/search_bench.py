"""Search latency benchmark: N synthetic posts in a separate bench index, then p50/p95 of searches with facets.

    python bench/search_bench.py               # 1,000,000 posts (takes long on a small machine)
    python bench/search_bench.py --n 100000    # smaller
    python bench/search_bench.py --n 100000 --reuse --queries 300

The posts go through the real ``index.Indexer`` (same mapping, same bulk path) into ``--prefix`` (default
``laborwatch-bench``, never the production alias) on the cluster of the settings (LW_ES_URL or the local node).
Texts are built from a labour-dispute vocabulary; by default the generator hands its own word boundaries to
the indexer as the segmentation (``--segmenter generator``) so the run measures Elasticsearch, not jieba;
``--segmenter jieba`` segments for real (about 750 posts/s per core here).

Every query is ``index.search`` with all facets (7 terms aggregations + the daily histogram), highlights and
``track_total_hits``; a mix of Chinese words, company names, towns, date ranges and filters. Latency is
measured at the client (wall time of the call) and reported with the server's ``took``. Target: p95 <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

logger = logging.getLogger("search_bench")

TOWNS = (
    "赵巷镇",
    "徐泾镇",
    "华新镇",
    "重固镇",
    "白鹤镇",
    "朱家角镇",
    "练塘镇",
    "金泽镇",
    "香花桥街道",
    "夏阳街道",
    "盈浦街道",
)
INDUSTRY = ("服装", "电子", "物流", "建筑", "餐饮", "机械", "印刷", "食品", "家具", "汽配")
NAMES = ("华丰", "金盛", "宏达", "鑫源", "永康", "立信", "东方", "新亚", "恒通", "嘉禾", "瑞祥", "天成")
EVENTS = {
    "wage_arrears": ["拖欠", "工资", "讨薪", "欠薪", "工人", "三个月", "血汗钱"],
    "social_insurance_arrears": ["社保", "断缴", "补缴", "社会保险", "公积金"],
    "dismissal_layoff": ["裁员", "辞退", "解除", "劳动合同", "经济补偿"],
    "strike_stoppage": ["停工", "罢工", "集体", "司机", "加班费"],
    "closure_relocation": ["倒闭", "搬迁", "老板", "跑路", "关门"],
    "group_action": ["聚集", "拉横幅", "厂门口", "上访", "维权"],
}
FILLER = [
    "今天",
    "记者",
    "了解到",
    "相关部门",
    "已经",
    "介入",
    "调查",
    "表示",
    "目前",
    "情况",
    "正在",
    "处理",
    "网友",
    "反映",
    "希望",
    "尽快",
    "解决",
    "天气",
    "晴好",
    "交通",
    "出行",
    "活动",
    "举办",
    "社区",
    "居民",
]
SOURCES = ("qingpu-news", "weibo-qingpu", "tieba-qingpu", "12345-board", "kdnet", "douyin")
PLATFORMS = ("web", "weibo", "tieba", "board", "forum", "douyin")
SEVERITIES = ("I", "II", "III", "IV")


def company(rng: random.Random) -> tuple[str, str]:
    n = rng.randrange(len(NAMES) * len(INDUSTRY))
    name = f"上海{NAMES[n % len(NAMES)]}{INDUSTRY[n // len(NAMES)]}有限公司"
    return name, f"91310118{n:010d}"


def generate(n: int, seed: int, cache: dict[str, list[str]]) -> Iterator[object]:
    """Yield ``AnalyzedPost``s; record each text's words in ``cache`` for the generator segmenter."""
    from lwcore.domain import SHANGHAI, Analysis, AnalyzedPost, CompanyLink, Post, PostKind, Severity

    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=SHANGHAI)
    span_s = 730 * 86400
    kinds = list(PostKind)
    for i in range(n):
        labor = rng.random() < 0.3
        types = rng.sample(sorted(EVENTS), k=rng.choice((1, 1, 2))) if labor else []
        town = rng.choice(TOWNS)
        cname, cid = company(rng)
        if labor:
            words_t = [town, cname[2:6]] + [rng.choice(EVENTS[t]) for t in types for _ in range(2)]
        else:
            words_t = [town] + rng.sample(FILLER, 3)
        body: list[str] = []
        for _ in range(rng.randint(12, 40)):
            pool = EVENTS[rng.choice(types)] if types and rng.random() < 0.4 else FILLER
            body.append(rng.choice(pool))
        if labor:
            body[rng.randrange(len(body))] = cname
        title, content = "".join(words_t), "".join(body) + "。"
        cache[title] = words_t
        cache[content] = body + ["。"]
        published = start + timedelta(seconds=rng.randrange(span_s))
        pid = f"bench-{seed}-{i}"
        post = Post(
            id=pid,
            url=f"https://bench.example/{i}",
            source_id=rng.choice(SOURCES),
            platform=rng.choice(PLATFORMS),
            kind=rng.choice(kinds),
            title=title,
            content=content,
            published_at=published,
            fetched_at=published + timedelta(hours=1),
        )
        sev = Severity(rng.choice(SEVERITIES)) if labor else None
        analysis = Analysis(
            post_id=pid,
            labor_dispute=labor,
            score=round(rng.random() * 0.5 + (0.5 if labor else 0), 3),
            event_types=tuple(types),
            towns=(town,) if labor else (),
            companies=(CompanyLink(mention=cname[2:6], company_id=cid, name=cname, confidence=0.9, method="exact"),)
            if labor
            else (),
            severity=sev,
            workers=rng.randint(3, 300) if labor else None,
        )
        yield AnalyzedPost(post, analysis)


def queries(rng: random.Random, count: int) -> list[object]:
    from index import SearchQuery
    from lwcore.domain import SHANGHAI

    texts = ["欠薪", "拖欠工资", "社保断缴", "停工", "裁员", "聚集", "老板跑路", "讨薪 工人", "厂门口", "维权 -天气"]
    out = []
    for _ in range(count):
        kw: dict[str, object] = {}
        r = rng.random()
        if r < 0.6:
            kw["text"] = rng.choice(texts)
        elif r < 0.75:
            kw["text"] = company(rng)[0][2:6]
        elif r < 0.85:
            kw["text"] = rng.choice(TOWNS) + " " + rng.choice(texts[:4])
        if rng.random() < 0.5:
            since = datetime(2024, 1, 1, tzinfo=SHANGHAI) + timedelta(days=rng.randrange(600))
            kw["since"], kw["until"] = since, since + timedelta(days=rng.choice((7, 30, 90)))
        if rng.random() < 0.3:
            kw["towns"] = (rng.choice(TOWNS),)
        if rng.random() < 0.3:
            kw["labor_only"] = True
        if rng.random() < 0.2:
            kw["severities"] = ("I", "II")
        kw["sort"] = rng.choice(("relevance", "time", "severity"))
        out.append(SearchQuery(**kw))  # type: ignore[arg-type]
    return out


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="posts to generate (default 1,000,000)")
    ap.add_argument("--queries", type=int, default=200, help="measured searches (default 200)")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--prefix", default="laborwatch-bench", help="bench index prefix/alias")
    ap.add_argument("--batch", type=int, default=5000, help="posts per Indexer.index call")
    ap.add_argument("--segmenter", choices=("generator", "jieba"), default="generator")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="keep an existing bench index that already has N posts")
    ap.add_argument("--keep", action="store_true", help="do not delete the bench index at the end")
    ap.add_argument("--config", help="settings file")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from index import Indexer, connect, search
    from lwcore.settings import load_settings

    settings = load_settings(args.config)
    es = settings.es.model_copy(update={"index_prefix": args.prefix})
    if es.index_prefix == settings.es.index_prefix:
        print("refusing to benchmark into the production alias", file=sys.stderr)
        return 2
    client = connect(settings)
    client = client.options(request_timeout=max(60.0, es.request_timeout_s))
    cache: dict[str, list[str]] = {}
    segmenter: Callable[[str], list[str]]
    if args.segmenter == "jieba":
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        segmenter = jieba.Tokenizer().lcut
    else:

        def segmenter(text: str) -> list[str]:
            return cache.pop(text, None) or list(text)

    indexer = Indexer(client, es, segmenter=segmenter)

    existing = (
        int(client.count(index=args.prefix, ignore_unavailable=True, allow_no_indices=True)["count"])
        if client.indices.exists_alias(name=args.prefix)
        else 0
    )
    report: dict[str, object] = {"n": args.n, "prefix": args.prefix}
    if args.reuse and existing >= args.n:
        print(f"reusing {args.prefix} with {existing} posts")
    else:
        _drop(client, args.prefix)
        indexer.ensure_templates()
        t0 = time.perf_counter()
        failed = 0
        batch: list[object] = []
        done = 0
        for item in generate(args.n, args.seed, cache):
            batch.append(item)
            if len(batch) >= args.batch:
                out = indexer.index(batch)  # type: ignore[arg-type]
                failed += len(out.failed)
                done += len(batch)
                batch.clear()
                cache.clear()
                el = time.perf_counter() - t0
                print(f"\rindexed {done}/{args.n} ({done / el:.0f} posts/s)", end="", flush=True)
        if batch:
            failed += len(indexer.index(batch).failed)  # type: ignore[arg-type]
        indexer.refresh()
        el = time.perf_counter() - t0
        print()
        report.update({"index_seconds": round(el, 1), "index_rate_per_s": round(args.n / el), "index_failed": failed})
        client.options(request_timeout=3600).indices.forcemerge(index=args.prefix, max_num_segments=1)
    total = int(client.count(index=args.prefix)["count"])
    report["docs"] = total

    rng = random.Random(args.seed + 1)
    qs = queries(rng, args.warmup + args.queries)
    wall: list[float] = []
    took: list[float] = []
    hits: list[int] = []
    for i, q in enumerate(qs):
        t = time.perf_counter()
        res = search(client, es, q, segmenter=segmenter if args.segmenter == "jieba" else _query_cut)  # type: ignore[arg-type]
        dt = (time.perf_counter() - t) * 1000
        if i >= args.warmup:
            wall.append(dt)
            took.append(res.took_ms)
            hits.append(res.total)
    report.update(
        {
            "queries": len(wall),
            "p50_ms": round(percentile(wall, 50), 1),
            "p95_ms": round(percentile(wall, 95), 1),
            "p99_ms": round(percentile(wall, 99), 1),
            "max_ms": round(max(wall), 1),
            "mean_ms": round(statistics.fmean(wall), 1),
            "server_took_p50_ms": percentile(took, 50),
            "server_took_p95_ms": percentile(took, 95),
            "median_total_hits": int(statistics.median(hits)),
            "target_p95_ms": 200,
        }
    )
    report["p95_within_target"] = report["p95_ms"] <= 200  # type: ignore[operator]
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not args.keep:
        _drop(client, args.prefix)
    return 0


_QUERY_WORDS = sorted({w for ws in EVENTS.values() for w in ws} | set(FILLER) | set(TOWNS), key=len, reverse=True)


def _query_cut(text: str) -> list[str]:
    """Greedy longest match over the generator's vocabulary (the generator segmenter's query side)."""
    out, i = [], 0
    while i < len(text):
        for w in _QUERY_WORDS:
            if text.startswith(w, i):
                out.append(w)
                i += len(w)
                break
        else:
            out.append(text[i])
            i += 1
    return out


def _drop(client, prefix: str) -> None:  # type: ignore[no-untyped-def]
    from elasticsearch import NotFoundError

    for name in client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True).body:
        client.indices.delete(index=name)
    try:
        for tpl in client.indices.get_index_template(name=f"{prefix}-template-*")["index_templates"]:
            client.indices.delete_index_template(name=tpl["name"])
    except NotFoundError:
        pass


if __name__ == "__main__":
    sys.exit(main())
