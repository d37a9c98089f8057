"""Sub-commands of the crawlers room: ``sources list|check``, ``crawl``, ``extract``.

Scrapy is imported only inside the ``crawl`` handler.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from lwcore.settings import Settings

__all__ = ["register", "CrawlPipeline", "PipelineFactory"]

logger = logging.getLogger(__name__)


def _sources_file(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.sources) if getattr(args, "sources", None) else settings.config_file("sources.yaml")


def _cmd_sources_list(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.sources import load_sources

    for s in load_sources(_sources_file(args, settings)):
        if not s.enabled and not args.all:
            continue
        sched = f"every {s.schedule.interval_s:g}s" if s.schedule.interval_s else f"cron '{s.schedule.cron}'"
        state = "enabled " if s.enabled else "disabled"
        print(f"{s.id:<28} {state} {s.kind:<7} {s.platform:<12} {sched:<22} {s.name}")
    return 0


#: probe limits of ``sources check --fetch``: list pages followed (the first and two more), items fetched, queries
PROBE_PAGES = 3
PROBE_ITEMS = 4
PROBE_SAMPLES = 2

_FIELD_NAMES = (("title", "标题"), ("url", "链接"), ("published_at", "发布时间"), ("author", "作者"),
                ("content", "正文"))


def _probe_source(s: Any) -> Any:
    """The source as probed: at most PROBE_PAGES pages, its first search term only, no Redis."""
    update: dict[str, Any] = {"max_pages": min(s.max_pages, PROBE_PAGES), "distributed": False}
    if s.places:
        update["places"] = s.places[:1]
    if s.keywords:
        update["keywords"] = s.keywords[:1]
    return s.model_copy(update=update)


def _print_probe(s: Any, one: dict[str, Any], posts: list[Any], reason: str | None) -> None:
    print(f"【{s.id}】{s.name}（{s.kind}）")
    if reason is not None:
        verdict = "失败 FAIL：" + reason
    elif one.get("problems"):
        verdict = "有问题 WARN：采到内容，但见下方问题 collected items, with the problems below"
    else:
        verdict = "正常 OK"
    print(f"  结果 result: {verdict}")
    print(f"  页面 pages {one.get('pages', 0)}，条目 items {one.get('items', 0)}，"
          f"错误 errors {one.get('errors', 0)}，robots.txt 禁止 {one.get('robots_refused', 0)}")
    for key, tm in sorted(one.get("selectors", {}).items()):
        mark = "" if tm["matched"] else "  ← 未匹配 no match"
        print(f"  选择器 selector {key}: 命中 matched {tm['matched']}/{tm['tried']} 页 pages{mark}")
    for name, n in sorted(one.get("problems", {}).items()):
        print(f"  问题 problem: {name}（{n} 次）")
    for reason_key, n in sorted(one.get("dropped", {}).items()):
        print(f"  丢弃 dropped: {reason_key}（{n}）")
    for name, n in sorted(one.get("missing", {}).items()):
        print(f"  缺字段 missing {name}: {n}/{len(posts)} 条")
    for post in posts[:PROBE_SAMPLES]:
        print("  样例 sample:")
        for attr, label in _FIELD_NAMES:
            value = getattr(post, attr)
            if attr == "published_at":
                value = value.isoformat() if value else "（无 none）"
            text = str(value or "（无 none）").replace("\n", " ")
            print(f"    {label} {attr}: {text[:120]}{'…' if len(text) > 120 else ''}")


def _probe(settings: Settings, sources: list[Any]) -> int:
    """Crawl each source as a probe (robots.txt obeyed, paging followed, a few items) and print what came back."""
    from crawlers.run import run_crawl
    from crawlers.stats import CrawlStats

    posts: dict[str, list[Any]] = {s.id: [] for s in sources}

    def sink(batch: list[Any]) -> None:
        for p in batch:
            posts.setdefault(p.source_id, []).append(p)

    stats = run_crawl(settings, [_probe_source(s) for s in sources], sink=sink, use_seen_store=False,
                      item_limit=PROBE_ITEMS, batch_size=1)
    failed = 0
    for s in sources:
        one = stats.per_source.get(s.id, {})
        reason = CrawlStats(**one).failure() if one else "did not run"
        if reason is None and not posts[s.id]:
            reason = "collected nothing (no item on the probed pages)"
        failed += reason is not None
        _print_probe(s, one, posts[s.id], reason)
    return failed


def _cmd_sources_check(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.sources import check_config, load_sources

    path = _sources_file(args, settings)
    sources = load_sources(path)
    if args.sources:
        warnings: list[str] = []
    else:
        warnings = check_config(settings)
    for w in warnings:
        print(f"警告 WARNING {w}")
    print(f"{path}: {len(sources)} source(s) valid, {sum(s.enabled for s in sources)} enabled")
    if not args.fetch:
        return 0
    if args.source_ids:
        by_id = {s.id: s for s in sources}
        unknown = [i for i in args.source_ids if i not in by_id]
        if unknown:
            from crawlers.errors import CrawlError

            raise CrawlError(f"unknown source id(s) {', '.join(unknown)} in {path}")
        chosen = [by_id[i] for i in args.source_ids]
    else:
        chosen = [s for s in sources if s.enabled]
    if not chosen:
        print("没有可检查的启用采集源 no enabled source to fetch")
        return 0
    failed = _probe(settings, chosen)
    if failed:
        print(f"laborwatch: error: {failed} source(s) failed the fetch check", file=sys.stderr)
        return 1
    return 0


def _cmd_sources_schema(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.sources import sources_json_schema

    print(json.dumps(sources_json_schema(), ensure_ascii=False, indent=2))
    return 0


class CrawlPipeline(Protocol):
    """Where a crawl without ``--output`` sends its posts: analysis, index and alerts, then the run's records
    (health against the source's history, ``crawl_runs`` rows, the 采集源异常 notice).

    The shell builds it (``laborwatch.crawl_pipeline``) and injects the factory through :func:`register`, so this
    room does not import the app's wiring.
    """

    #: post ids already stored (the incremental crawl skips them), or None
    seen_ids: Any
    #: items the pipeline had to spool / alerting failures, summed over the crawl
    spooled: int
    alert_errors: int

    def sink(self, posts: list[Any]) -> None: ...

    def finish(self, stats: Any, started: datetime, *, record: bool) -> dict[str, str]:
        """Add the history-based problems to ``stats``, record the runs (``record``), send the source notice;
        returns the failed sources (id -> reason)."""
        ...

    def warnings(self) -> list[str]:
        """Lines for stderr about how the posts were analysed (a degraded analyzer)."""
        ...

    def close(self) -> None: ...


#: Builds the pipeline of a crawl from settings (injected by the shell).
PipelineFactory = Callable[[Settings], CrawlPipeline]


def _cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.errors import CrawlError
    from crawlers.run import run_crawl
    from crawlers.sources import load_sources
    from lwcore.db import utcnow

    path = _sources_file(args, settings)
    by_id = {s.id: s for s in load_sources(path)}
    chosen = []
    for sid in args.source_ids:
        if sid not in by_id:
            raise CrawlError(f"unknown source id {sid!r} in {path} (known: {', '.join(sorted(by_id)) or 'none'})")
        if not by_id[sid].enabled and not args.include_disabled:
            raise CrawlError(f"source {sid!r} is disabled in {path} (enable it or pass --include-disabled)")
        chosen.append(by_id[sid])
    pipeline: CrawlPipeline | None = None
    out_fh = None
    if args.output:
        out_path = Path(args.output)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_fh = out_path.open("a", encoding="utf-8")

        def sink(posts: list[Any]) -> None:
            for p in posts:
                out_fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
            out_fh.flush()

        seen_ids = None
    else:
        alerting = settings.alerting
        if (alerting.secret_key is None or not alerting.secret_key.get_secret_value()) \
                and not alerting.insecure_dev_secret:
            # alerts carry signed acknowledgement links: without the key they would only wait in the spool
            raise CrawlError("LW_SECRET_KEY is unset: the alerts of this crawl could not be signed and would wait "
                             "in the spool; set LW_SECRET_KEY (or crawl with --output FILE)")
        factory: PipelineFactory | None = getattr(args, "pipeline", None)
        if factory is None:
            raise CrawlError("this command line has no pipeline to send the posts to (crawl with --output FILE)")
        pipeline = factory(settings)
        sink = pipeline.sink
        seen_ids = pipeline.seen_ids
    started = utcnow()
    failures: dict[str, str] = {}
    try:
        stats = run_crawl(settings, chosen, sink=sink, seen_ids=seen_ids, batch_size=args.batch_size,
                          run_key=args.run_key, use_seen_store=not args.no_seen_store)
        if pipeline is not None:
            failures = pipeline.finish(stats, started, record=not args.no_record)
        else:
            failures = stats.failures()
    finally:
        if out_fh is not None:
            out_fh.close()
        if pipeline is not None:
            pipeline.close()
    line = stats.to_json()
    if args.stats_json:
        Path(args.stats_json).write_text(line + "\n", encoding="utf-8")
    print(line)
    for warning in pipeline.warnings() if pipeline is not None else ():  # e.g. the analyzer ran degraded
        print(warning, file=sys.stderr)
    for sid, d in stats.per_source.items():
        for name, n in sorted(d.get("problems", {}).items()):
            print(f"laborwatch: warning: {sid}: {name} ({n}x)", file=sys.stderr)
    if failures:
        reasons = "; ".join(f"{sid}: {why}" if sid else why for sid, why in sorted(failures.items()))
        print(f"laborwatch: error: crawl failed for {len(failures)} source(s): {reasons}", file=sys.stderr)
        return 3
    if pipeline is not None and (pipeline.spooled or pipeline.alert_errors):
        print(f"laborwatch: error: {pipeline.spooled} item(s) spooled and "
              f"{pipeline.alert_errors} alerting failure(s) in the pipeline; see the log and "
              "`laborwatch spool status`", file=sys.stderr)
        return 4
    return 0


def _cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.errors import ExtractionError
    from crawlers.extract import extract_article

    path = Path(args.html)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        art = extract_article(raw, args.url, encoding=args.encoding)
    except ExtractionError as exc:
        raise ExtractionError(f"{path}: {exc}") from None
    print(json.dumps(art.to_dict(), ensure_ascii=False, indent=None if args.compact else 2))
    return 0


_SOURCES_HELP = ("sources file (default: sources.yaml in config_dir / LW__CONFIG_DIR when set, else beside the "
                 "--config settings file when there, else configs/sources.yaml; `laborwatch config check` prints it)")


def register(sub: argparse._SubParsersAction, *, pipeline: PipelineFactory | None = None) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser. ``pipeline``: where ``crawl`` sends its posts
    without ``--output`` (the shell passes the app's; see :class:`CrawlPipeline`)."""
    p = sub.add_parser("sources", help="the crawl source registry (configs/sources.yaml)")
    ssub = p.add_subparsers(dest="sources_command", metavar="SUBCOMMAND", required=True)
    lst = ssub.add_parser("list", help="list sources")
    lst.add_argument("--sources", help=_SOURCES_HELP)
    lst.add_argument("--all", action="store_true", help="include disabled sources")
    lst.set_defaults(handler=_cmd_sources_list)
    chk = ssub.add_parser("check", help="validate every source; --fetch crawls a sample of each enabled source")
    chk.add_argument("source_ids", nargs="*", metavar="SOURCE_ID", help="with --fetch: only these sources")
    chk.add_argument("--sources", help=_SOURCES_HELP)
    chk.add_argument("--fetch", action="store_true",
                     help=f"crawl each enabled source as a probe (robots.txt obeyed, {PROBE_PAGES} list pages, "
                          f"{PROBE_ITEMS} items): selector matches, problems and sample items, in Chinese")
    chk.set_defaults(handler=_cmd_sources_check)

    sch = ssub.add_parser("schema", help="print the JSON Schema of the sources file (see docs/SOURCES.md)")
    sch.set_defaults(handler=_cmd_sources_schema)

    c = sub.add_parser("crawl", help="crawl one or more sources now (prints a final JSON stats line)")
    c.add_argument("source_ids", nargs="+", metavar="SOURCE_ID")
    c.add_argument("--sources", help=_SOURCES_HELP)
    c.add_argument("--output", help="write Posts to this JSONL file instead of the pipeline")
    c.add_argument("--stats-json", help="also write the final stats JSON to this file")
    c.add_argument("--batch-size", type=int, default=50)
    c.add_argument("--run-key", help="shared Redis queue name for distributed sources (same key = one crawl)")
    c.add_argument("--include-disabled", action="store_true", help="allow crawling a disabled source")
    c.add_argument("--no-seen-store", action="store_true", help="ignore the local seen-store (re-collect all)")
    c.add_argument("--no-record", action="store_true",
                   help="do not record the run in crawl_runs (the service records the crawls it starts itself)")
    c.set_defaults(handler=_cmd_crawl, pipeline=pipeline)

    e = sub.add_parser("extract", help="extract title/content/published_at/author from a saved page")
    e.add_argument("--html", required=True, help="saved HTML file (any encoding)")
    e.add_argument("--url", help="the page's URL (helps dates and links)")
    e.add_argument("--encoding", help="override the page encoding")
    e.add_argument("--compact", action="store_true", help="one-line JSON")
    e.set_defaults(handler=_cmd_extract)
