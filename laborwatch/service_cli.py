"""Sub-commands of the service: ``run``, ``reload``, ``crawl-now``, ``crawl-runs``, ``web``.

Heavy imports (APScheduler, uvicorn, FastAPI) happen inside the handlers so ``laborwatch --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = ["register"]


def _open_db(settings: Settings) -> Any:
    from lwcore.db import Database

    db = Database.from_settings(settings)
    try:
        db.upgrade()
    except Exception:  # noqa: BLE001 - two processes upgrading a fresh database at once: the loser retries
        time.sleep(2.0)
        db.upgrade()
    return db


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from laborwatch.service import Service, load_source_configs
    from laborwatch.service.core import config_errors
    from laborwatch.service.errors import ServiceError
    from nlp.members import member_status

    # Refuse to become the scheduler on any invalid config file (as `config check` sees it): every crawl and
    # alert tick would fail. Later reloads keep the last good configuration.
    errors = config_errors(settings)
    if errors:
        raise ServiceError(f"refusing to start: {len(errors)} invalid config file(s) (`laborwatch config check`): "
                           + "; ".join(errors))
    sources = load_source_configs(settings.config_file("sources.yaml"))
    members = member_status(settings)
    if members.degraded:
        detail = "; ".join(f"{m}: {r}" for m, r in members.missing.items())
        if not args.allow_degraded:
            raise LaborwatchError(f"analyzer degraded, refusing to start ({detail}); run `laborwatch nlp build-base` "
                                  "or pass --allow-degraded")
        _say(f"laborwatch run: WARNING {members.message_zh()} ({detail})")
    enabled = sum(1 for s in sources if getattr(s, "enabled", True))
    db = _open_db(settings)
    service = Service(settings, db, config_file=args.config, web=not args.no_web)
    service.on_status = _say
    _say(f"laborwatch run: {enabled}/{len(sources)} source(s) enabled; instance {service.instance_id}")
    try:
        return service.run_forever()
    finally:
        db.dispose()


def _cmd_reload(args: argparse.Namespace, settings: Settings) -> int:
    from laborwatch.service import lock_info, request_reload
    from laborwatch.service.errors import ServiceError

    db = _open_db(settings)
    try:
        requested = request_reload(db)
        if requested is None:
            raise ServiceError("no running scheduler holds the lock; `laborwatch run` reads the sources file at start")
        info = lock_info(db)
        holder = info.holder if info else "?"
        if args.no_wait:
            print(f"已请求重新加载 reload requested from {holder}")
            return 0
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            info = lock_info(db)
            if info and info.reload_done_at and info.reload_done_at >= requested:
                print(f"已重新加载 reloaded by {info.holder}: {info.reload_result}")
                return 1 if info.reload_result and "NOT applied" in info.reload_result else 0
            time.sleep(0.5)
        raise ServiceError(f"the scheduler ({holder}) did not confirm the reload within {args.timeout:.0f}s")
    finally:
        db.dispose()


def _cmd_crawl_now(args: argparse.Namespace, settings: Settings) -> int:
    from laborwatch.service import lock_info
    from laborwatch.service.errors import ServiceError
    from laborwatch.service.lock import new_instance_id, request_crawl, request_result

    db = _open_db(settings)
    try:
        info = lock_info(db)
        if info is None or not info.alive():
            raise ServiceError("no running scheduler holds the lock; start `laborwatch run` first")
        req = request_crawl(db, args.source_id, by=new_instance_id())
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            done, result = request_result(db, req)
            if done:
                print(result)
                return 1 if (result or "").startswith("error") else 0
            time.sleep(0.3)
        raise ServiceError(f"the scheduler ({info.holder}) did not answer within {args.timeout:.0f}s")
    finally:
        db.dispose()


def _cmd_crawl_runs(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import select

    from laborwatch.models import FAILED_STATUSES, CrawlRun
    from laborwatch.service import failure_streak
    from lwcore.domain import SHANGHAI

    db = _open_db(settings)
    try:
        q = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(args.limit)
        if args.source:
            q = q.where(CrawlRun.source_id == args.source)
        if args.failed:
            q = q.where(CrawlRun.status.in_(FAILED_STATUSES))
        with db.sessions() as s:
            rows = s.scalars(q).all()
        if args.json:
            for r in rows:
                print(json.dumps({
                    "id": r.id, "source_id": r.source_id, "status": r.status, "trigger": r.trigger,
                    "started_at": r.started_at.isoformat(),
                    "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                    "duration_s": r.duration_s, "exit_code": r.exit_code, "pages": r.pages, "items": r.items,
                    "new_items": r.new_items, "errors": r.errors, "finish_reason": r.finish_reason,
                    "message": r.message, "log_path": r.log_path,
                }, ensure_ascii=False))
            return 0
        print(f"{'id':>6} {'source':<24} {'started (Shanghai)':<19} {'status':<12} {'sec':>7} "
              f"{'pages':>6} {'items':>6} {'new':>5} {'errors':>6}  reason")
        for r in rows:
            started = r.started_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            secs = f"{r.duration_s:.1f}" if r.duration_s is not None else "-"
            reason = (r.message or r.finish_reason or "").splitlines()[0][:60] if (r.message or r.finish_reason) else ""
            print(f"{r.id:>6} {r.source_id:<24.24} {started:<19} {r.status:<12} {secs:>7} {r.pages:>6} "
                  f"{r.items:>6} {r.new_items:>5} {r.errors:>6}  {reason}")
        if args.source:
            print(f"连续失败次数 consecutive failures of {args.source}: {failure_streak(db, args.source)}")
        return 0
    finally:
        db.dispose()


def _cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from laborwatch.service import build_web_app

    db = _open_db(settings)
    try:
        app = build_web_app(settings, db)
        host = args.host or settings.web.host
        port = args.port or settings.web.port
        _say(f"网页服务 http://{host}:{port}/ (web UI only, no scheduler)")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")
        return 0
    finally:
        db.dispose()


def _cmd_crawl_worker(args: argparse.Namespace, settings: Settings) -> int:
    from laborwatch.service.workers import CrawlWorker

    worker = CrawlWorker(settings, config_file=args.config, max_crawls=args.max_crawls, poll_s=args.poll)
    _say(f"采集工作进程 {worker.name} 已启动：从 Redis 领取分布式信息源的采集任务（Ctrl-C 或 SIGTERM 停止）")
    return worker.run()


def register(sub: argparse._SubParsersAction) -> None:
    """Add sub-commands to the ``laborwatch`` parser."""
    p = sub.add_parser("run", help="the long-running service: schedule, crawls, alerts, web UI")
    p.add_argument("--no-web", action="store_true", help="do not serve the web UI from this process")
    p.add_argument("--allow-degraded", action="store_true",
                   help="start even when an analyzer member the bundle asks for is missing (e.g. no built base)")
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("reload", help="make the running scheduler re-read configs/sources.yaml")
    p.add_argument("--no-wait", action="store_true", help="do not wait for the scheduler's confirmation")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for confirmation (default 60)")
    p.set_defaults(handler=_cmd_reload)

    p = sub.add_parser("crawl-now", help="ask the running scheduler to crawl a source now (recorded as usual)")
    p.add_argument("source_id")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the scheduler's answer")
    p.set_defaults(handler=_cmd_crawl_now)

    p = sub.add_parser("crawl-runs", help="recorded crawl runs, newest first")
    p.add_argument("--source", help="only this source id")
    p.add_argument("--failed", action="store_true", help="only failed runs")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=_cmd_crawl_runs)

    p = sub.add_parser("crawl-worker", help="join the scheduler's crawls of distributed sources (Redis queue)")
    p.add_argument("--max-crawls", type=int, default=2, help="crawls joined at the same time (default 2)")
    p.add_argument("--poll", type=float, default=2.0, help="seconds between looks at the announced runs")
    p.set_defaults(handler=_cmd_crawl_worker)

    p = sub.add_parser("web", help="serve the web UI only (no scheduler)")
    p.add_argument("--host", help="default: web.host from settings")
    p.add_argument("--port", type=int, help="default: web.port from settings")
    p.set_defaults(handler=_cmd_web)
