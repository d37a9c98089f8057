"""Crawl workers on other machines: they join the scheduler's crawls of ``distributed: true`` sources.

The scheduler (``laborwatch run``, the lease holder) stays the only one that decides *when* a source is
crawled and records the run. With ``crawl.redis_url`` set, each crawl it starts gets a fresh run key
(``run<id>-<random>``): the crawl's scrapy-redis request queue and dupefilter are
``laborwatch:crawl:<source>:<run key>:*``, and the run is announced in the Redis hash
:data:`RUNS_KEY` (field: run key; value: source id and deadline). Each ``laborwatch crawl-worker`` polls
that hash and joins every announced run of a distributed source once, as
``laborwatch crawl SOURCE --run-key KEY --no-record`` (its own process, its own pipeline: analysis, index,
alert hand-off into the shared database). The shared dupefilter makes every request fetched once across all
processes; the outbox claims make every e-mail sent once, whoever queued it.

When the scheduler's crawl ends, the run is withdrawn from the hash and its Redis keys get an expiry of one
crawl time limit (workers still busy with the last requests keep the dupefilter; then Redis forgets them).
A fresh key per run means a re-crawl fetches the list pages again (the old fixed key 'default' persisted the
dupefilter, so a second scheduled run of a distributed source fetched nothing).

A worker lost mid-crawl (``kill -9``, machine gone) loses the requests it had popped, as Scrapy does on one
machine; the next scheduled run fetches them again (the posts' seen-state is only set after the hand-off).
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
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = ["RUNS_KEY", "new_run_key", "announce", "withdraw", "announced", "CrawlWorker", "WorkerError",
           "add_worker_stats"]

logger = logging.getLogger(__name__)

RUNS_KEY = "laborwatch:crawl:runs"


class WorkerError(LaborwatchError):
    pass


def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)


def new_run_key(run_id: int) -> str:
    return f"run{run_id}-{uuid.uuid4().hex[:8]}"


def queue_prefix(source_id: str, run_key: str) -> str:
    """Must match ``crawlers.scrapy_settings.spider_settings``."""
    return f"laborwatch:crawl:{source_id}:{run_key}"


def announce(redis_url: str, source_id: str, run_key: str, *, time_limit_s: float) -> None:
    """Tell the workers that a crawl of ``source_id`` runs under ``run_key`` until the time limit."""
    entry = {"source": source_id, "deadline": time.time() + time_limit_s, "announced_at": time.time()}
    _redis(redis_url).hset(RUNS_KEY, run_key, json.dumps(entry))


def withdraw(redis_url: str, source_id: str, run_key: str, *, keep_s: float, wait_s: float = 0.0
             ) -> dict[str, dict[str, Any]]:
    """The run is over: no new joiners; waits up to ``wait_s`` for the workers still on it to finish, returns
    their stats (worker name -> stats JSON); the run's Redis keys expire after ``keep_s``."""
    client = _redis(redis_url)
    client.hdel(RUNS_KEY, run_key)
    prefix = queue_prefix(source_id, run_key)
    deadline = time.monotonic() + wait_s
    while client.scard(prefix + ":workers") and time.monotonic() < deadline:
        time.sleep(0.5)
    busy = client.scard(prefix + ":workers")
    if busy:
        logger.warning("crawl run %s of %s: %d worker(s) still busy after %.0f s; their counts are not in the "
                       "run record", run_key, source_id, busy, wait_s)
    stats: dict[str, dict[str, Any]] = {}
    for name, raw in client.hgetall(prefix + ":stats").items():
        try:
            stats[name.decode() if isinstance(name, bytes) else str(name)] = json.loads(raw)
        except ValueError:
            continue
    for key in client.scan_iter(prefix + ":*"):
        client.expire(key, max(1, int(keep_s)))
    return stats


def add_worker_stats(stats: dict[str, Any], workers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The scheduler's own crawl stats plus those of the workers that joined the run (pages, items, ...)."""
    out = dict(stats)
    for w in workers.values():
        for field_ in ("pages", "items", "new_items", "errors"):
            value = w.get(field_, 0)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[field_] = int(out.get(field_, 0) or 0) + int(value)
    return out


def announced(redis_url: str) -> dict[str, dict[str, Any]]:
    """Announced runs whose deadline has not passed: run key -> entry. Expired entries are removed."""
    client = _redis(redis_url)
    now = time.time()
    out: dict[str, dict[str, Any]] = {}
    for raw_key, raw in client.hgetall(RUNS_KEY).items():
        key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
        try:
            entry = json.loads(raw)
            deadline = float(entry["deadline"])
        except (ValueError, KeyError, TypeError):
            client.hdel(RUNS_KEY, key)
            continue
        if deadline <= now:
            client.hdel(RUNS_KEY, key)  # a scheduler that died without withdrawing its run
            continue
        out[key] = entry
    return out


@dataclass
class _Joined:
    run_key: str
    source_id: str
    proc: subprocess.Popen[bytes]
    deadline: float
    log: Path
    stats: Path
    started: float = field(default_factory=time.monotonic)


class CrawlWorker:
    """``laborwatch crawl-worker``: poll the announced runs, join those of distributed sources."""

    def __init__(self, settings: Settings, *, config_file: str | None, max_crawls: int = 2, poll_s: float = 2.0,
                 name: str | None = None) -> None:
        if not settings.crawl.redis_url:
            raise WorkerError("crawl.redis_url (LW_REDIS_URL) is unset: a crawl worker takes its work from Redis")
        self.settings = settings
        self.redis_url = settings.crawl.redis_url
        self.config_file = config_file
        self.max_crawls = max(1, max_crawls)
        self.poll_s = poll_s
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stop = threading.Event()
        self.joined: set[str] = set()
        self.active: dict[str, _Joined] = {}
        self.finished: list[dict[str, Any]] = []
        self.run_dir = settings.state_path / "worker-runs"
        self._last_sources: dict[str, bool] = {}
        self._sources_error: str | None = None

    def _distributed(self) -> dict[str, bool]:
        """Which sources are shared, from sources.yaml; a broken file keeps the last good reading (one line)."""
        from crawlers.sources import load_sources, sources_path

        try:
            self._last_sources = {s.id: s.distributed for s in load_sources(sources_path(self.settings))}
            self._sources_error = None
        except LaborwatchError as exc:
            if str(exc) != self._sources_error:
                logger.error("crawl worker %s: %s (keeping the last good sources)", self.name, exc)
                self._sources_error = str(exc)
        return self._last_sources

    def _argv(self, source_id: str, run_key: str, stats: Path) -> list[str]:
        argv = [sys.executable, "-m", "laborwatch"]
        if self.config_file:
            argv += ["--config", self.config_file]
        return argv + ["crawl", source_id, "--run-key", run_key, "--no-record", "--stats-json", str(stats)]

    def poll_once(self) -> None:
        self._reap()
        try:
            runs = announced(self.redis_url)
        except Exception as exc:  # Redis away: keep the running crawls, try again next poll
            logger.warning("crawl worker %s: cannot read the announced runs from Redis: %s", self.name, exc)
            return
        if not runs:
            return
        fresh = {k: v for k, v in runs.items() if k not in self.joined}
        if not fresh:
            return
        distributed = self._distributed()
        for run_key, entry in sorted(fresh.items(), key=lambda kv: kv[1].get("announced_at", 0)):
            source = str(entry.get("source"))
            if not distributed.get(source):
                self.joined.add(run_key)  # not ours to share (or unknown here): never look at it again
                continue
            if len(self.active) >= self.max_crawls:
                break
            self._join(run_key, source, float(entry["deadline"]))

    def _join(self, run_key: str, source_id: str, deadline: float) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        log = self.run_dir / f"{run_key}.log"
        stats = self.run_dir / f"{run_key}.stats.json"
        argv = self._argv(source_id, run_key, stats)
        self.joined.add(run_key)
        try:  # the scheduler waits for the workers in this set before it records the run
            _redis(self.redis_url).sadd(queue_prefix(source_id, run_key) + ":workers", self.name)
        except Exception as exc:
            logger.warning("crawl worker %s: cannot register on %s: %s", self.name, run_key, exc)
        with log.open("wb") as fh:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True, cwd=str(self.settings.state_path))
        # the scheduler's deadline is wall-clock; our own limit is monotonic from now
        limit = max(1.0, deadline - time.time())
        self.active[run_key] = _Joined(run_key, source_id, proc, time.monotonic() + limit, log, stats)
        logger.info("crawl worker %s joined %s of %s (pid %d)", self.name, run_key, source_id, proc.pid)

    def _reap(self) -> None:
        now = time.monotonic()
        for key, j in list(self.active.items()):
            rc = j.proc.poll()
            if rc is None and now > j.deadline:
                logger.warning("crawl worker %s: %s of %s passed its time limit: stopping it", self.name, key,
                               j.source_id)
                self._terminate(j)
                rc = j.proc.returncode
            if rc is None:
                continue
            del self.active[key]
            try:
                stats = json.loads(j.stats.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stats = None
            record = {"run_key": key, "source": j.source_id, "exit_code": rc,
                      "seconds": round(now - j.started, 2), "stats": stats}
            self.finished.append(record)
            (logger.info if rc == 0 else logger.warning)(
                "crawl worker %s: %s of %s ended (exit %s): %s", self.name, key, j.source_id, rc,
                json.dumps(stats, ensure_ascii=False) if stats else "no stats")
            j.stats.unlink(missing_ok=True)
            try:
                client = _redis(self.redis_url)
                prefix = queue_prefix(j.source_id, key)
                if isinstance(stats, dict):
                    client.hset(prefix + ":stats", self.name, json.dumps(stats))
                client.srem(prefix + ":workers", self.name)
            except Exception as exc:
                logger.warning("crawl worker %s: cannot report %s to Redis: %s", self.name, key, exc)

    def _terminate(self, j: _Joined, grace_s: float | None = None) -> None:
        grace = self.settings.service.crawl_stop_timeout_s if grace_s is None else grace_s
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(j.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                j.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def run(self) -> int:
        """Poll until SIGTERM/SIGINT; then stop the joined crawls (they flush their batch) and return 0."""
        def _stop(_sig: int, _frame: Any) -> None:
            self.stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        while not self.stop.is_set():
            self.poll_once()
            self.stop.wait(self.poll_s)
        for j in list(self.active.values()):
            self._terminate(j)
        self._reap()
        return 0
