"""``laborwatch demo``: the whole pipeline on the bundled sample site, end to end, on the local ES.

Starts the sample site (fictional Qingpu news + a Weibo-style feed) and a real SMTP server on loopback,
crawls the site with the generic spiders, analyses, indexes into Elasticsearch, raises alerts and sends
them by email, then prints what it found and how to search it. State (DB, spool) goes to a demo folder
under the state directory so the demo never touches production data.
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

from laborwatch.mailsink import MailSink
from lwcore.settings import Settings

__all__ = ["register", "run_demo", "DemoResult"]

logger = logging.getLogger(__name__)


@dataclass
class DemoResult:
    crawled: int = 0
    relevant: list[dict[str, Any]] = field(default_factory=list)
    indexed: int = 0
    alerts: int = 0
    emails: list[str] = field(default_factory=list)
    search_hits: list[dict[str, Any]] = field(default_factory=list)
    search_total: int = 0
    index_alias: str = ""


def run_demo(settings: Settings, *, keep_state: bool = False) -> DemoResult:
    """Run the demo; returns what it found (also used by the end-to-end test)."""
    import crawlers.run
    from alerting import AlertEngine
    from crawlers.sample_site import SampleSite, load_demo_sources
    from laborwatch.wiring import build_wiring
    from lwcore.errors import LaborwatchError

    result = DemoResult()
    demo_state = settings.state_path / "demo"
    with MailSink() as smtp:
        demo_settings = settings.model_copy(
            update={
                "db": settings.db.model_copy(update={"url": f"sqlite:///{demo_state / 'demo.db'}"}),
                "smtp": settings.smtp.model_copy(update={"host": "127.0.0.1", "port": smtp.port,
                                                         "security": "none", "username": None,
                                                         "password": None}),
                "es": settings.es.model_copy(update={"index_prefix": settings.es.index_prefix + "-demo"}),
                # acknowledgement links need a signing key; the demo makes a throw-away one if none is set
                "alerting": settings.alerting.model_copy(
                    update={"secret_key": settings.alerting.secret_key or SecretStr(secrets.token_hex(16))}
                ),
            }
        )
        if not keep_state and (demo_state / "demo.db").exists():
            (demo_state / "demo.db").unlink()
        site = SampleSite()
        base_url = site.start()
        try:
            wiring = build_wiring(demo_settings)
            try:
                indexer, es_client = wiring.indexer, wiring.es_client
                if indexer is None or es_client is None:
                    raise LaborwatchError("演示需要 Elasticsearch：请设置 LW_ES_URL 或先运行 `laborwatch es up`")
                sources = load_demo_sources(base_url)
                relevant_ids: list[str] = []

                def sink(posts: list[Any]) -> None:
                    report = wiring.pipeline.process(posts)
                    result.crawled += report.received
                    result.indexed += report.indexed
                    result.alerts += report.alerts
                    relevant_ids.extend(report.relevant_ids)

                crawlers.run.run_crawl(demo_settings, sources, sink=sink, seen_ids=None, use_seen_store=False)
                engine = wiring.pipeline.alerts
                if isinstance(engine, AlertEngine):
                    engine.tick()
                mails = smtp.wait_for(1, timeout=10) if result.alerts else []
                result.emails = [str(m["Subject"]) for m in mails]
                indexer.refresh()
                for pid in relevant_ids:
                    doc = indexer.get(pid) or {}
                    a = doc.get("analysis", {})
                    result.relevant.append(
                        {
                            "id": pid,
                            "title": doc.get("title") or (doc.get("content") or "")[:40].replace("\n", " "),
                            "severity": a.get("severity"),
                            "event_types": a.get("event_types"),
                            "companies": [c.get("name") or c.get("mention") for c in a.get("companies", [])],
                            "url": doc.get("url"),
                        }
                    )
                import index

                res = index.search(
                    es_client,
                    demo_settings.es,
                    index.SearchQuery(text="欠薪", size=5),
                    segmenter=wiring.segmenter,
                )
                result.search_hits = [{"title": h.title, "highlights": h.highlights} for h in res.hits]
                result.search_total = res.total
                result.index_alias = demo_settings.es.index_prefix
            finally:
                wiring.close()
        finally:
            site.stop()
    return result


def _print_result(r: DemoResult) -> None:
    print(f"采集 crawled: {r.crawled} 条, 入库 indexed: {r.indexed} 条 (索引 {r.index_alias})")
    print(f"发现疑似劳动争议 labour-dispute posts: {len(r.relevant)} 条")
    for item in r.relevant:
        sev = item.get("severity") or "-"
        comps = "、".join(c for c in item.get("companies") or [] if c) or "（未识别企业）"
        print(f"  [{sev}] {item.get('title')}  企业: {comps}  类型: {','.join(item.get('event_types') or [])}")
    print(f"预警 alerts: {r.alerts} 条, 已发送邮件 emails accepted by the loopback SMTP server: {len(r.emails)}")
    for s in r.emails:
        print(f"  邮件主题: {s}")
    print(f"检索示例 search '欠薪': 共 {r.search_total} 条")
    for h in r.search_hits:
        frags = [f for v in (h["highlights"] or {}).values() for f in v]
        frag = " … ".join(frags).replace("\n", " ")[:120]
        print(f"  - {h['title']}  {frag}")
    print(f"自行检索 search yourself:  laborwatch search 欠薪   (ES index alias: {r.index_alias};"
          f" use LW__ES__INDEX_PREFIX={r.index_alias} to search the demo index)")


def _cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    result = run_demo(settings, keep_state=args.keep_state)
    if args.json:
        print(json.dumps(result.__dict__, ensure_ascii=False, indent=2, default=str))
    else:
        _print_result(result)
    if not result.relevant:
        print("laborwatch: error: the demo found no labour-dispute posts", file=__import__("sys").stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on the bundled sample site (local ES)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--keep-state", action="store_true", help="keep the demo DB from a previous run")
    p.set_defaults(handler=_cmd_demo)
