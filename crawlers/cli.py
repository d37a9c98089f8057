"""Sub-commands of the crawlers room: ``sources list|check``, ``crawl``, ``extract``.

Scrapy is imported only inside the ``crawl`` handler.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from laborwatch.settings import Settings

__all__ = ["register"]

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


def _probe_url(s: Any) -> str | None:
    if s.endpoint:
        q = (s.queries or [""])[0]
        from urllib.parse import quote

        return str(s.endpoint.format(keyword=quote(q), query=quote(q), page=1, start="", end=""))
    return s.start_urls[0] if s.start_urls else None


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
    failed = 0
    if args.fetch:
        import httpx

        for s in sources:
            if not s.enabled:
                continue
            url = _probe_url(s)
            if not url:
                continue
            try:
                r = httpx.get(url, headers={"User-Agent": settings.crawl.user_agent}, timeout=15,
                              follow_redirects=True)
                ok = r.status_code < 400
                print(f"  {'OK  ' if ok else 'FAIL'} {s.id}: HTTP {r.status_code}, {len(r.content)} bytes")
                failed += not ok
            except httpx.HTTPError as exc:
                print(f"  FAIL {s.id}: {type(exc).__name__}: {exc}")
                failed += 1
    if failed:
        print(f"laborwatch: error: {failed} source(s) failed the fetch check", file=sys.stderr)
        return 1
    return 0


def _cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.errors import CrawlError
    from crawlers.run import run_crawl
    from crawlers.sources import load_sources

    path = _sources_file(args, settings)
    by_id = {s.id: s for s in load_sources(path)}
    chosen = []
    for sid in args.source_ids:
        if sid not in by_id:
            raise CrawlError(f"unknown source id {sid!r} in {path} (known: {', '.join(sorted(by_id)) or 'none'})")
        if not by_id[sid].enabled and not args.include_disabled:
            raise CrawlError(f"source {sid!r} is disabled in {path} (enable it or pass --include-disabled)")
        chosen.append(by_id[sid])
    wiring = None
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
        from laborwatch.wiring import build_wiring

        wiring = build_wiring(settings)

        def sink(posts: list[Any]) -> None:
            wiring.pipeline.process(posts)

        seen_ids = wiring.seen_ids
    try:
        stats = run_crawl(settings, chosen, sink=sink, seen_ids=seen_ids, batch_size=args.batch_size,
                          run_key=args.run_key, use_seen_store=not args.no_seen_store)
    finally:
        if out_fh is not None:
            out_fh.close()
        if wiring is not None:
            wiring.close()
    line = stats.to_json()
    if args.stats_json:
        Path(args.stats_json).write_text(line + "\n", encoding="utf-8")
    print(line)
    if wiring is not None:  # the posts went through the analyzer: say when it ran degraded
        from nlp.members import member_status

        members = member_status(settings)
        if members.degraded:
            print(f"警告 WARNING {members.message_zh()} (missing: {', '.join(members.missing)})", file=sys.stderr)
    if not stats.ok:
        print(f"laborwatch: error: crawl ended with {stats.finish_reason}, {stats.pages} page(s), "
              f"{stats.errors} error(s)", file=sys.stderr)
        return 3
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser."""
    p = sub.add_parser("sources", help="the crawl source registry (configs/sources.yaml)")
    ssub = p.add_subparsers(dest="sources_command", metavar="SUBCOMMAND", required=True)
    lst = ssub.add_parser("list", help="list sources")
    lst.add_argument("--sources", help="sources file (default: configs/sources.yaml)")
    lst.add_argument("--all", action="store_true", help="include disabled sources")
    lst.set_defaults(handler=_cmd_sources_list)
    chk = ssub.add_parser("check", help="validate every source; --fetch tries one request per enabled source")
    chk.add_argument("--sources", help="sources file (default: configs/sources.yaml)")
    chk.add_argument("--fetch", action="store_true", help="try one request per enabled source")
    chk.set_defaults(handler=_cmd_sources_check)

    c = sub.add_parser("crawl", help="crawl one or more sources now (prints a final JSON stats line)")
    c.add_argument("source_ids", nargs="+", metavar="SOURCE_ID")
    c.add_argument("--sources", help="sources file (default: configs/sources.yaml)")
    c.add_argument("--output", help="write Posts to this JSONL file instead of the pipeline")
    c.add_argument("--stats-json", help="also write the final stats JSON to this file")
    c.add_argument("--batch-size", type=int, default=50)
    c.add_argument("--run-key", help="shared Redis queue name for distributed sources (same key = one crawl)")
    c.add_argument("--include-disabled", action="store_true", help="allow crawling a disabled source")
    c.add_argument("--no-seen-store", action="store_true", help="ignore the local seen-store (re-collect all)")
    c.set_defaults(handler=_cmd_crawl)

    e = sub.add_parser("extract", help="extract title/content/published_at/author from a saved page")
    e.add_argument("--html", required=True, help="saved HTML file (any encoding)")
    e.add_argument("--url", help="the page's URL (helps dates and links)")
    e.add_argument("--encoding", help="override the page encoding")
    e.add_argument("--compact", action="store_true", help="one-line JSON")
    e.set_defaults(handler=_cmd_extract)
