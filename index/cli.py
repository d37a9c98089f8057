"""Sub-commands of the index room.

    laborwatch es fetch | up | down | status     the project's local Elasticsearch node
    laborwatch index init                        install the versioned index template
    laborwatch search QUERY [--since --until --source ... --json]

The Elasticsearch client and the segmenter are imported inside the handlers so ``laborwatch --help`` stays fast.
The segmenter comes from the shell (``register(sub, segmenter=...)``): storage does not import the analysis room.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from lwcore.settings import Settings

if TYPE_CHECKING:
    from index.documents import Segmenter

__all__ = ["register", "parse_when", "cli_segmenter", "SegmenterFactory"]

logger = logging.getLogger(__name__)

#: Builds the search segmenter from settings (injected by the shell; see :func:`cli_segmenter`).
SegmenterFactory = Callable[[Settings], "Segmenter"]


# --- es ----------------------------------------------------------------------------------------------------


def _cmd_es_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from index.node import LocalNode

    if settings.es.url:
        print(f"LW_ES_URL is set ({settings.es.url}); fetching the local node anyway")
    home = LocalNode(settings).fetch()
    print(f"Elasticsearch {settings.es.local.version} ready in {home}")
    return 0


def _cmd_es_up(args: argparse.Namespace, settings: Settings) -> int:
    from index.node import LocalNode

    if settings.es.url:
        print(f"LW_ES_URL is set: using {settings.es.url}; no local node started")
        return 0
    url = LocalNode(settings).up()
    print(url)
    return 0


def _cmd_es_down(args: argparse.Namespace, settings: Settings) -> int:
    from index.node import LocalNode

    stopped = LocalNode(settings).down()
    print("local Elasticsearch stopped" if stopped else "local Elasticsearch was not running")
    return 0


def _cmd_es_status(args: argparse.Namespace, settings: Settings) -> int:
    info: dict[str, Any]
    if settings.es.url:
        from index.client import client_for, ping

        client = client_for(settings.es.url, settings.es, check=False)
        health = ping(client, settings.es.url)
        info = {
            "mode": "external",
            "url": settings.es.url,
            "running": True,
            "health": health.get("status"),
            "nodes": health.get("number_of_nodes"),
            "cluster": health.get("cluster_name"),
        }
        try:
            nodes = client.nodes.info(node_id="_local", metric="settings", filter_path="nodes.*.version")
            versions = [n.get("version") for n in (nodes.body.get("nodes") or {}).values()]
            info["version"] = versions[0] if versions else None
        except Exception as exc:  # version is informative only; a restricted user may not read node info
            info["version"] = None
            logger.debug("node info unavailable: %s", exc)
    else:
        from index.node import LocalNode

        info = {"mode": "local", **LocalNode(settings).status()}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    elif info.get("running"):
        print(f"{info['mode']} Elasticsearch {info.get('version')} at {info.get('url')}: health {info.get('health')}")
    else:
        print(f"local Elasticsearch {info.get('version')} is not running (start it with `laborwatch es up`)")
    return 0 if info.get("running") else 3


# --- index -------------------------------------------------------------------------------------------------


def cli_segmenter(settings: Settings, factory: SegmenterFactory | None = None) -> Segmenter:
    """The segmenter the shell injects (``factory``: the nlp room's, wired in ``laborwatch.cli_hooks``), or a private
    jieba tokenizer when none is given or it fails: this room does not import the analysis room."""
    if factory is not None:
        try:
            return factory(settings)
        except Exception as exc:  # isolation boundary: search must work while the nlp room's resources are broken
            logger.warning("nlp segmenter unavailable (%s); falling back to plain jieba", exc)
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    return lambda text: [w for w in tk.lcut(text) if w.strip()]


def _cmd_index_init(args: argparse.Namespace, settings: Settings) -> int:
    from index.client import connect
    from index.indexer import Indexer

    client = connect(settings)
    summary = Indexer(client, settings.es, segmenter=lambda text: text.split()).ensure_templates()
    print(
        f"template {summary['template']} (mapping v{summary['version']}) installed for alias "
        f"{settings.es.index_prefix}; removed {summary['removed'] or 'none'}; "
        f"updated indices {summary['updated_indices'] or 'none'}"
    )
    return 0


# --- search ------------------------------------------------------------------------------------------------


def parse_when(value: str, *, end: bool = False) -> datetime:
    """``YYYY-MM-DD`` or an ISO datetime; naive means Asia/Shanghai. ``end``: a bare date means the next day."""
    from index.errors import SearchQueryError
    from lwcore.domain import SHANGHAI

    text = value.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            dt = datetime.combine(d + timedelta(days=1) if end else d, time(), tzinfo=SHANGHAI)
        else:
            dt = datetime.fromisoformat(text)
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=SHANGHAI)
    except ValueError:
        flag = "--until" if end else "--since"
        raise SearchQueryError(f"{flag} {value!r}: expected YYYY-MM-DD or an ISO date-time") from None
    return dt


def _em_to_terminal(fragment: str) -> str:
    import html

    return html.unescape(fragment.replace("<em>", "【").replace("</em>", "】"))


def _cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from index.client import connect
    from index.query import SearchQuery, search

    query = SearchQuery(
        text=" ".join(args.query),
        since=parse_when(args.since) if args.since else None,
        until=parse_when(args.until, end=True) if args.until else None,
        sources=tuple(args.source or ()),
        platforms=tuple(args.platform or ()),
        event_types=tuple(args.event_type or ()),
        severities=tuple(args.severity or ()),
        towns=tuple(args.town or ()),
        companies=tuple(args.company or ()),
        verification_states=tuple(args.verification or ()),
        labor_only=args.labor_only,
        sort=args.sort,
        page=args.page,
        size=args.size,
    )
    client = connect(settings)
    result = search(client, settings.es, query, segmenter=cli_segmenter(settings, getattr(args, "segmenter", None)))
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"共 {result.total} 条结果 (第 {result.page} 页, {result.took_ms} ms)")
    for n, hit in enumerate(result.hits, start=(result.page - 1) * result.size + 1):
        a = hit.analysis
        sev = a.get("severity") or "-"
        types = ",".join(a.get("event_types") or []) or "-"
        when = (hit.post_time or "")[:16].replace("T", " ")
        title = _em_to_terminal(hit.highlights["title"][0]) if hit.highlights.get("title") else hit.title
        print(f"{n}. [{when}] [{hit.source_id}] {title}")
        print(f"   等级 {sev}  类型 {types}  核实 {hit.verification.get('state')}  {hit.url}")
        for frag in hit.highlights.get("content", [])[:2]:
            print(f"   … {_em_to_terminal(frag)}")
    shown = {k: v for k, v in result.facets.items() if v and k != "day"}
    for name, buckets in shown.items():
        print(f"[{name}] " + "  ".join(f"{k}({n})" for k, n in buckets[:8]))
    return 0


def register(sub: argparse._SubParsersAction, *, segmenter: SegmenterFactory | None = None) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser. ``segmenter``: how ``search`` segments the query
    (the shell passes the nlp room's; plain jieba without it)."""
    es = sub.add_parser("es", help="the project's local Elasticsearch node")
    esub = es.add_subparsers(dest="es_command", metavar="SUBCOMMAND", required=True)
    esub.add_parser("fetch", help="download (Maven Central, cached) and unpack the server").set_defaults(
        handler=_cmd_es_fetch
    )
    esub.add_parser("up", help="start the local node (no-op when running); prints its URL").set_defaults(
        handler=_cmd_es_up
    )
    esub.add_parser("down", help="stop the local node").set_defaults(handler=_cmd_es_down)
    st = esub.add_parser("status", help="version and health (exit 3 when not running)")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(handler=_cmd_es_status)

    ix = sub.add_parser("index", help="index (Elasticsearch) administration")
    isub = ix.add_subparsers(dest="index_command", metavar="SUBCOMMAND", required=True)
    isub.add_parser("init", help="install/upgrade the versioned index template").set_defaults(handler=_cmd_index_init)

    s = sub.add_parser("search", help="search indexed posts (Chinese full text, filters, highlights)")
    s.add_argument("query", nargs="*", help="words; all must match; -word excludes")
    s.add_argument("--since", help="from this date/time (YYYY-MM-DD or ISO; Asia/Shanghai if naive)")
    s.add_argument("--until", help="up to this date (inclusive) or date-time (exclusive)")
    s.add_argument("--source", action="append", help="source id (repeatable)")
    s.add_argument("--platform", action="append", help="platform (repeatable)")
    s.add_argument("--event-type", action="append", help="event type, e.g. wage_arrears (repeatable)")
    s.add_argument("--severity", action="append", choices=["I", "II", "III", "IV"], help="(repeatable)")
    s.add_argument("--town", action="append", help="town/street (repeatable)")
    s.add_argument("--company", action="append", help="company name or registry id (repeatable)")
    s.add_argument("--verification", action="append", help="pending, confirmed, dismissed... (repeatable)")
    s.add_argument("--labor-only", action="store_true", help="only posts classified as labour disputes")
    s.add_argument("--sort", choices=["relevance", "time", "severity"], default="relevance")
    s.add_argument("--page", type=int, default=1)
    s.add_argument("--size", type=int, default=20)
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(handler=_cmd_search, segmenter=segmenter)
