"""One crawl = one subprocess with a time limit, recorded in ``crawl_runs``.

Scrapy's reactor cannot be restarted, and a crashed or hung crawl must not take the service down, so every crawl
runs as ``python -m laborwatch [--config FILE] crawl SOURCE --stats-json FILE`` in its own process group. The
runner waits for it, kills the whole group when the time limit passes (SIGTERM, then SIGKILL), reads the stats
file the crawl wrote (pages, items, new_items, errors, finish_reason), and records the run. On a service shutdown
running crawls get ``service.shutdown_grace_s`` to finish, then SIGTERM (Scrapy closes the spider and the item
pipeline flushes its batch), then SIGKILL after ``service.crawl_stop_timeout_s``.

After ``service.source_failure_alert_after`` consecutive failed runs of a source the administrators get one
operational alert (``alerting.notify_admins``), and one more when the source recovers.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from laborwatch import metrics
from laborwatch.models import FAILED_STATUSES, CrawlRun
from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["CrawlRunner", "CrawlResult", "crawl_argv", "parse_stats", "failure_streak", "close_abandoned_runs"]

logger = logging.getLogger(__name__)

_POLL_S = 0.2
_LOG_TAIL_CHARS = 2000

Notifier = Callable[[Settings, Database, str, str], Any]


@dataclass(frozen=True)
class CrawlResult:
    run_id: int
    source_id: str
    status: str
    exit_code: int | None
    pages: int
    items: int
    new_items: int
    errors: int
    duration_s: float
    message: str | None


def crawl_argv(settings: Settings, source_id: str, stats_file: Path, *, config_file: str | None,
               run_key: str | None = None) -> list[str]:
    """The crawl command: ``service.crawl_command`` (with placeholders) or ``python -m laborwatch crawl``.

    ``run_key`` names the run's shared Redis queue (distributed sources; crawl workers join it)."""
    template = settings.service.crawl_command
    if template:
        values = {
            "python": sys.executable,
            "config": config_file or "",
            "source": source_id,
            "stats": str(stats_file),
            "state": str(settings.state_path),
            "run_key": run_key or "default",
        }
        return [part.format(**values) for part in template]
    argv = [sys.executable, "-m", "laborwatch"]
    if config_file:
        argv += ["--config", config_file]
    argv += ["crawl", source_id, "--stats-json", str(stats_file), "--no-record"]  # the runner records it
    return argv + (["--run-key", run_key] if run_key else [])


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, list | tuple | dict):
        return len(value)
    return 0


def parse_stats(data: Any) -> dict[str, Any]:
    """Normalise the crawl's stats (``crawlers.run.CrawlStats`` as JSON; Scrapy's stat names accepted too)."""
    if not isinstance(data, dict):
        return {"pages": 0, "items": 0, "new_items": 0, "errors": 0, "finish_reason": None}
    pages = data.get("pages", data.get("response_received_count", 0))
    items = data.get("items", data.get("item_scraped_count", 0))
    errors = data.get("errors", data.get("log_count/ERROR", 0))
    reason = data.get("finish_reason")
    return {
        "pages": _int(pages),
        "items": _int(items),
        "new_items": _int(data.get("new_items", 0)),
        "errors": _int(errors),
        "finish_reason": str(reason)[:128] if reason is not None else None,
    }


def _read_stats(stats_file: Path, log_file: Path) -> dict[str, Any] | None:
    """The stats file, else the last JSON object line the crawl printed."""
    try:
        return json.loads(stats_file.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        logger.warning("unreadable crawl stats %s: %s", stats_file, exc)
    try:
        lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines[-50:]):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and ("items" in obj or "pages" in obj):
                return obj
    return None


def _tail(path: Path, chars: int = _LOG_TAIL_CHARS) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - chars * 3))
            return fh.read().decode("utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def _killpg(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def failure_streak(db: Database, source_id: str, *, limit: int = 1000) -> int:
    """Number of consecutive failed runs of ``source_id``, newest first (``stopped`` ends no streak)."""
    streak = 0
    with db.sessions() as s:
        statuses = s.scalars(
            select(CrawlRun.status)
            .where(CrawlRun.source_id == source_id, CrawlRun.status.not_in(("running", "stopped")))
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(limit)
        )
        for status in statuses:
            if status not in FAILED_STATUSES:
                break
            streak += 1
    return streak


def _crawl_alive(row: CrawlRun) -> bool:
    """The crawl process of ``row`` still runs on this host (a crawl outlives a service killed by SIGKILL)."""
    host = (row.holder or "").split(":", 1)[0]
    if row.pid is None or host != socket.gethostname():
        return False
    try:
        os.kill(row.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_abandoned_runs(db: Database, *, except_holder: str, run_dir: Path | None = None) -> int:
    """Close runs left ``running`` by a service instance that died (called by the lock holder, at takeover and
    on every heartbeat). A crawl still running on this host is left alone until it ends; one that ended and
    wrote its stats file is recorded with its real outcome and counts; only one that left nothing is
    ``abandoned``."""
    now = utcnow()
    n = 0
    with db.session() as s:
        rows = s.scalars(
            select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.holder != except_holder)
        ).all()
        for row in rows:
            if _crawl_alive(row):
                continue
            raw = None
            if run_dir is not None:
                stats_file = run_dir / f"{row.id}.stats.json"
                try:
                    raw = json.loads(stats_file.read_text(encoding="utf-8"))
                    stats_file.unlink(missing_ok=True)
                except (OSError, ValueError):
                    raw = None
            row.ended_at = now
            row.duration_s = (now - row.started_at).total_seconds()
            if isinstance(raw, dict):
                stats = parse_stats(raw)
                row.status = "finished" if stats["finish_reason"] == "finished" else "failed"
                row.pages, row.items, row.new_items, row.errors = (
                    stats["pages"], stats["items"], stats["new_items"], stats["errors"])
                row.finish_reason = stats["finish_reason"]
                row.stats_json = json.dumps(raw, ensure_ascii=False, default=str)
                row.message = (f"ended after its service instance {row.holder} stopped; outcome read from its "
                               "stats file")
            else:
                row.status = "abandoned"
                row.message = f"the service instance {row.holder} stopped without recording the end of this run"
            n += 1
    if n:
        logger.warning("closed %d crawl run(s) abandoned by a previous service instance", n)
    return n


class CrawlRunner:
    """Runs crawls as subprocesses, records them, and stops them cleanly on shutdown."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        holder: str,
        config_file: str | None = None,
        notify: Notifier | None = None,
        time_limit_s: float | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.holder = holder
        self.config_file = config_file
        self.notify = notify
        self.time_limit_s = time_limit_s or settings.crawl.run_time_limit_s
        self.stopping = threading.Event()
        self._stop_deadline: float | None = None
        self._lock = threading.Lock()
        self._active: dict[int, subprocess.Popen[bytes]] = {}
        self.run_dir = settings.state_path / "crawl-runs"

    # --- shutdown ------------------------------------------------------------------------------------------
    def begin_shutdown(self, grace_s: float | None = None) -> None:
        """Running crawls get ``grace_s`` to finish; after that they are stopped (SIGTERM, then SIGKILL)."""
        grace = self.settings.service.shutdown_grace_s if grace_s is None else grace_s
        self._stop_deadline = time.monotonic() + grace
        self.stopping.set()

    @property
    def active_count(self) -> int:
        with self._lock:
            return len(self._active)

    # --- one run -------------------------------------------------------------------------------------------
    def _start_row(self, source_id: str, trigger: str, started: datetime) -> int:
        with self.db.session() as s:
            row = CrawlRun(
                source_id=source_id,
                trigger=trigger,
                status="running",
                started_at=started,
                holder=self.holder,
                pages=0,
                items=0,
                new_items=0,
                errors=0,
                alerted=False,
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def run(self, source_id: str, *, trigger: str = "schedule") -> CrawlResult:
        """Run one crawl of ``source_id`` to its end and record it. Never raises for a failed crawl."""
        if self.stopping.is_set():
            raise RuntimeError("the service is shutting down; crawl not started")
        started = utcnow()
        run_id = self._start_row(source_id, trigger, started)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        stats_file = self.run_dir / f"{run_id}.stats.json"
        log_file = self.run_dir / f"{run_id}.log"
        run_key = self._announce(source_id, run_id)
        argv = crawl_argv(self.settings, source_id, stats_file, config_file=self.config_file, run_key=run_key)
        logger.info("crawl %s (run %d) starting: %s", source_id, run_id, argv)
        t0 = time.monotonic()
        status: str
        exit_code: int | None = None
        message: str | None = None
        pid: int | None = None
        try:
            with log_file.open("wb") as log:
                proc = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # own process group: a timeout kills the crawl and its children
                    cwd=str(self.settings.state_path),
                )
        except OSError as exc:
            status, message = "launch_error", f"cannot start {argv[0]}: {exc}"
        else:
            pid = proc.pid
            with self._lock:
                self._active[run_id] = proc
            self._set_pid(run_id, pid)
            try:
                status, exit_code, message = self._wait(proc, source_id, run_id, t0)
            finally:
                with self._lock:
                    self._active.pop(run_id, None)
        workers = self._withdraw(source_id, run_key)
        duration = time.monotonic() - t0
        raw = _read_stats(stats_file, log_file)
        stats = parse_stats(raw)
        if workers:  # crawl workers on other machines did part of this run: the record counts the whole crawl
            from laborwatch.service.workers import add_worker_stats

            stats = add_worker_stats(stats, workers)
            if isinstance(raw, dict):
                raw = {**raw, "workers": workers}
        if status == "finished" and raw is None:
            message = "the crawl exited 0 but wrote no stats"
        if status not in ("finished", "stopped") and not message:
            message = f"exit code {exit_code}"
        if status not in ("finished",):
            tail = _tail(log_file).strip()
            if tail:
                message = f"{message}\n--- log tail ---\n{tail}"
        result = CrawlResult(
            run_id=run_id,
            source_id=source_id,
            status=status,
            exit_code=exit_code,
            pages=stats["pages"],
            items=stats["items"],
            new_items=stats["new_items"],
            errors=stats["errors"],
            duration_s=duration,
            message=message,
        )
        self._finish_row(result, stats, raw, log_file)
        metrics.record_crawl_run(source_id, status, duration_s=duration, items=result.items,
                                 new_items=result.new_items, pages=result.pages, errors=result.errors)
        if isinstance(raw, dict):
            metrics.observe_pipeline_stats(raw)
            metrics.observe_crawl_lags(raw)
        emit = logger.info if status == "finished" else logger.warning
        emit(
            "crawl %s (run %d) %s in %.1fs: pages=%d items=%d new=%d errors=%d",
            source_id, run_id, status, duration, result.pages, result.items, result.new_items, result.errors,
        )
        try:
            self._check_streak(result)
        except Exception:  # isolation boundary: an alerting outage must not lose the run record
            logger.exception("could not evaluate/send the failure alert for source %s", source_id)
        try:
            stats_file.unlink(missing_ok=True)
        except OSError:
            pass
        return result

    def _announce(self, source_id: str, run_id: int) -> str | None:
        """With Redis configured: a fresh run key, announced to the crawl workers (laborwatch.service.workers)."""
        url = self.settings.crawl.redis_url
        if not url:
            return None
        from laborwatch.service.workers import announce, new_run_key

        key = new_run_key(run_id)
        try:
            announce(url, source_id, key, time_limit_s=self.time_limit_s)
        except Exception as exc:  # workers only add hands: the crawl itself goes on (and says so if it needs Redis)
            logger.warning("crawl %s (run %d): cannot announce the run to the crawl workers: %s", source_id, run_id,
                           exc)
        return key

    def _withdraw(self, source_id: str, run_key: str | None) -> dict[str, dict[str, Any]]:
        """Close the run to joiners; wait (``service.worker_wait_s``) for the workers on it; their stats."""
        url = self.settings.crawl.redis_url
        if not url or not run_key:
            return {}
        from laborwatch.service.workers import withdraw

        try:
            return withdraw(url, source_id, run_key, keep_s=self.time_limit_s,
                            wait_s=0.0 if self.stopping.is_set() else self.settings.service.worker_wait_s)
        except Exception as exc:  # the entry expires at its deadline anyway
            logger.warning("crawl %s: cannot withdraw run %s from Redis: %s", source_id, run_key, exc)
            return {}

    def _set_pid(self, run_id: int, pid: int) -> None:
        with self.db.session() as s:
            row = s.get(CrawlRun, run_id)
            if row is not None:
                row.pid = pid

    def _wait(
        self, proc: subprocess.Popen[bytes], source_id: str, run_id: int, t0: float
    ) -> tuple[str, int | None, str | None]:
        deadline = t0 + self.time_limit_s
        svc = self.settings.service
        while True:
            rc = proc.poll()
            if rc is not None:
                _killpg(proc.pid, signal.SIGKILL)  # leftovers of the group, if any
                if rc == 0:
                    return "finished", rc, None
                if rc < 0:
                    return "killed", rc, f"killed by signal {signal.Signals(-rc).name}"
                return "failed", rc, None
            now = time.monotonic()
            if now >= deadline:
                logger.warning("crawl %s (run %d) hit its time limit of %.0fs; killing it", source_id, run_id,
                               self.time_limit_s)
                rc = self._terminate(proc, term_timeout_s=min(10.0, svc.crawl_stop_timeout_s))
                return "timeout", rc, f"time limit of {self.time_limit_s:.0f}s reached; process group killed"
            if self.stopping.is_set() and self._stop_deadline is not None and now >= self._stop_deadline:
                logger.warning("service stopping: asking crawl %s (run %d) to stop", source_id, run_id)
                rc = self._terminate(proc, term_timeout_s=svc.crawl_stop_timeout_s)
                if rc == 0 or rc == -signal.SIGTERM:
                    return "stopped", rc, "stopped by service shutdown (SIGTERM; batch flushed)"
                if rc is not None and rc < 0:
                    return "stopped", rc, "stopped by service shutdown; did not stop in time and was killed"
                return "stopped", rc, f"stopped by service shutdown; exit code {rc}"
            time.sleep(_POLL_S)

    @staticmethod
    def _terminate(proc: subprocess.Popen[bytes], *, term_timeout_s: float) -> int | None:
        _killpg(proc.pid, signal.SIGTERM)
        try:
            rc = proc.wait(timeout=term_timeout_s)
        except subprocess.TimeoutExpired:
            _killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
        _killpg(proc.pid, signal.SIGKILL)
        return rc

    def _finish_row(
        self, result: CrawlResult, stats: dict[str, Any], raw: Any, log_file: Path
    ) -> None:
        with self.db.session() as s:
            row = s.get(CrawlRun, result.run_id)
            assert row is not None
            row.status = result.status
            row.ended_at = utcnow()
            row.duration_s = result.duration_s
            row.exit_code = result.exit_code
            row.pages = result.pages
            row.items = result.items
            row.new_items = result.new_items
            row.errors = result.errors
            row.finish_reason = stats["finish_reason"]
            row.message = result.message
            row.stats_json = json.dumps(raw, ensure_ascii=False, default=str) if raw is not None else None
            row.log_path = str(log_file)

    # --- failure alerts ------------------------------------------------------------------------------------
    def _check_streak(self, result: CrawlResult) -> None:
        threshold = self.settings.service.source_failure_alert_after
        if result.status == "stopped":
            return
        if result.status in FAILED_STATUSES:
            streak = failure_streak(self.db, result.source_id, limit=threshold + 1)
            if streak != threshold:
                return
            subject = f"[舆情监测] 采集源 {result.source_id} 连续 {streak} 次采集失败"
            body = self._failure_body(result, streak)
            self._notify(subject, body)
            with self.db.session() as s:
                row = s.get(CrawlRun, result.run_id)
                if row is not None:
                    row.alerted = True
        elif result.status == "finished":
            previous = self._previous_streak(result)
            if previous >= threshold:
                subject = f"[舆情监测] 采集源 {result.source_id} 已恢复正常"
                body = (
                    f"采集源 {result.source_id} 在连续 {previous} 次失败后已恢复正常。\n"
                    f"本次采集：页面 {result.pages}，条目 {result.items}，新增 {result.new_items}，"
                    f"用时 {result.duration_s:.0f} 秒。\n"
                )
                self._notify(subject, body)

    def _previous_streak(self, result: CrawlResult) -> int:
        streak = 0
        with self.db.sessions() as s:
            statuses = s.scalars(
                select(CrawlRun.status)
                .where(
                    CrawlRun.source_id == result.source_id,
                    CrawlRun.id != result.run_id,
                    CrawlRun.status.not_in(("running", "stopped")),
                )
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(self.settings.service.source_failure_alert_after + 1)
            )
            for status in statuses:
                if status not in FAILED_STATUSES:
                    break
                streak += 1
        return streak

    def _failure_body(self, result: CrawlResult, streak: int) -> str:
        lines = [
            f"采集源 {result.source_id} 已连续 {streak} 次采集失败，请检查网站是否改版、网络或账号配置。",
            "",
            "最近几次运行：",
        ]
        with self.db.sessions() as s:
            rows = s.scalars(
                select(CrawlRun)
                .where(CrawlRun.source_id == result.source_id)
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(streak)
            ).all()
        for row in rows:
            when = row.started_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            first = (row.message or "").splitlines()[0] if row.message else ""
            lines.append(f"- #{row.id} {when} 状态 {row.status} 退出码 {row.exit_code}：{first}")
        if result.message:
            lines += ["", "最近一次的日志：", result.message[-_LOG_TAIL_CHARS:]]
        lines += ["", f"运行记录：laborwatch crawl-runs --source {result.source_id}"]
        return "\n".join(lines)

    def _notify(self, subject: str, body: str) -> None:
        notify = self.notify
        if notify is None:
            from alerting import notify_admins

            notify = notify_admins
        notify(self.settings, self.db, subject, body)
        logger.warning("operational alert sent to administrators: %s", subject)

    # --- helpers for callers -------------------------------------------------------------------------------
    def active_pids(self) -> Sequence[int]:
        with self._lock:
            return [p.pid for p in self._active.values()]
