"""The long-running service: one scheduler per deployment, crawls in subprocesses, the web app, clean stops.

Threads of one ``laborwatch run`` process:

- the **coordinator** (every ``service.heartbeat_s``): takes the scheduler lock when it is free, renews it while
  held, answers ``laborwatch reload`` requests (a flag on the lock row) and notices a changed sources file;
- the **scheduler** (APScheduler ``BackgroundScheduler``, SQLAlchemy job store on the project database) only
  while the lock is held; system jobs in the ``default`` thread pool, crawls in the ``crawls`` pool, each crawl
  waiting on its own subprocess;
- the **web server** (uvicorn, ``laborwatch.web.create_app``), unless disabled.

The main thread waits for SIGTERM/SIGINT (graceful stop) and SIGHUP (reload). A second instance started while a
live scheduler holds the lock serves the web app only, says so, and takes over if the holder dies.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from laborwatch import metrics
from laborwatch.service.crawl import CrawlRunner, close_abandoned_runs
from laborwatch.service.jobs import Runtime, set_runtime
from laborwatch.service.lock import SchedulerLock, new_instance_id
from laborwatch.service.schedule import (
    CRAWL_PREFIX,
    SYSTEM_PREFIX,
    SyncResult,
    crawl_job_specs,
    sync_jobs,
    system_job_specs,
)
from lwcore.db import Database
from lwcore.settings import Settings

__all__ = ["Service", "load_source_configs", "build_scheduler", "config_errors"]

logger = logging.getLogger(__name__)

SourceLoader = Callable[[Path], Sequence[Any]]


def load_source_configs(path: Path) -> list[Any]:
    """``crawlers.sources.load_sources`` (raises ConfigError naming file, key and reason)."""
    from crawlers.sources import load_sources

    return list(load_sources(path))


def config_errors(settings: Settings) -> list[str]:
    """What ``laborwatch config check`` reports as errors (one line each); empty when every file is valid."""
    from laborwatch.config_cli import run_checks

    errors, _warnings = run_checks(settings)
    return [" ".join(e.split()) for e in errors]


def build_scheduler(settings: Settings, db: Database) -> Any:
    """A BackgroundScheduler with the persistent SQLAlchemy job store and explicit job defaults."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    svc = settings.service
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_jobs")},
        executors={
            "default": ThreadPoolExecutor(4),
            "crawls": ThreadPoolExecutor(svc.max_parallel_crawls),
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": svc.misfire_grace_time_s},
        timezone=ZoneInfo(svc.timezone),
    )


@dataclass
class _SourcesState:
    mtime_ns: int | None = None
    size: int | None = None


class Service:
    """``laborwatch run``. Use :meth:`run_forever` from the main thread, or :meth:`start`/:meth:`stop`."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        config_file: str | None = None,
        web: bool = True,
        instance_id: str | None = None,
        source_loader: SourceLoader = load_source_configs,
        notify: Callable[[Settings, Database, str, str], Any] | None = None,
        config_checker: Callable[[Settings], list[str]] = config_errors,
    ) -> None:
        self.settings = settings
        self.db = db
        self.config_file = config_file
        self.web_enabled = web
        self.instance_id = instance_id or new_instance_id()
        self.source_loader = source_loader
        self.config_checker = config_checker
        self._refused: tuple[str, ...] = ()  # the config errors last announced while refusing the lock
        svc = settings.service
        self.heartbeat_s = svc.heartbeat_s
        self.lock = SchedulerLock(db, holder=self.instance_id, lease_s=svc.lock_lease_s)
        self.crawler = CrawlRunner(settings, db, holder=self.instance_id, config_file=config_file, notify=notify)
        self._runtime = Runtime(settings, db, self.crawler)
        self.sources_path = settings.config_file("sources.yaml")
        self.scheduler: Any | None = None
        self._sources = _SourcesState()
        self._stop = threading.Event()  # the service is stopping
        self._coord_stop = threading.Event()  # the coordinator may end (after the scheduler is down)
        self._reload_local = threading.Event()  # SIGHUP
        self._state_lock = threading.RLock()
        self._coordinator: threading.Thread | None = None
        self._web_thread: threading.Thread | None = None
        self._web_server: Any | None = None
        self.last_sync: SyncResult | None = None
        self.became_leader = threading.Event()
        self._standby_announced = False
        self.on_status: Callable[[str], None] = lambda msg: None  # the CLI prints these lines

    # --- lifecycle -----------------------------------------------------------------------------------------
    @property
    def is_leader(self) -> bool:
        return self.scheduler is not None

    def start(self) -> None:
        """Start coordinator (and web server); returns at once. The first lock attempt happens before it does."""
        sock = self._bind_web() if self.web_enabled else None  # a taken port fails before anything else starts
        set_runtime(self._runtime)
        metrics.enable_state_collector(self.settings, self.db)
        self._step()  # first attempt synchronously: the caller learns at once whether it is the scheduler
        self._coordinator = threading.Thread(target=self._coordinate, name="lw-coordinator", daemon=True)
        self._coordinator.start()
        if sock is not None:
            self._start_web(sock)

    def request_stop(self) -> None:
        self._stop.set()

    def request_reload(self) -> None:
        self._reload_local.set()

    def stop(self) -> None:
        """Graceful stop: no new jobs, running crawls finish or are stopped (SIGTERM, batch flushed), running
        system jobs finish, the lock is released, the web server drains."""
        self._stop.set()
        with self._state_lock:
            scheduler = self.scheduler
            if scheduler is not None:
                try:
                    scheduler.pause()
                except Exception:  # the scheduler may already be down
                    logger.debug("scheduler pause failed", exc_info=True)
        self.crawler.begin_shutdown()
        n = self.crawler.active_count
        if n:
            self.on_status(f"正在停止：等待 {n} 个采集任务结束 (stopping: waiting for {n} running crawl(s))")
        if scheduler is not None:
            scheduler.shutdown(wait=True)  # waits for running jobs; crawls end by grace or SIGTERM
        self._coord_stop.set()
        if self._coordinator is not None:
            self._coordinator.join(timeout=self.heartbeat_s + 30)
        with self._state_lock:
            was_leader = self.scheduler is not None
            self.scheduler = None
        if was_leader:
            try:
                self.lock.release()
            except SQLAlchemyError:
                logger.exception("could not release the scheduler lock; it expires by itself")
        metrics.set_scheduler_leader(False)
        self._stop_web()
        set_runtime(None)
        logger.info("service %s stopped", self.instance_id)

    def run_forever(self) -> int:
        """Main-thread entry: signals, start, wait, stop. Returns the exit code."""
        stopping_signals = (signal.SIGTERM, signal.SIGINT)

        def on_stop(signum: int, _frame: Any) -> None:
            if self._stop.is_set():
                logger.warning("already stopping (signal %s again)", signal.Signals(signum).name)
                return
            logger.warning("signal %s: stopping gracefully", signal.Signals(signum).name)
            self._stop.set()

        def on_hup(_signum: int, _frame: Any) -> None:
            self._reload_local.set()

        previous = {s: signal.signal(s, on_stop) for s in stopping_signals}
        previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, on_hup)
        try:
            self.start()
            while not self._stop.wait(0.5):
                if self._web_thread is not None and not self._web_thread.is_alive():
                    logger.error("the web server stopped unexpectedly; stopping the service")
                    self.stop()
                    return 1
            self.stop()
        finally:
            for s, h in previous.items():
                signal.signal(s, h)
        return 0

    # --- coordinator ---------------------------------------------------------------------------------------
    def _coordinate(self) -> None:
        while not self._coord_stop.wait(self.heartbeat_s):
            self._step()

    def _step(self) -> None:
        try:
            if self.scheduler is None:
                if self._stop.is_set():
                    return
                if self._lock_is_free() and not self._config_ok():
                    return
                if self.lock.try_acquire():
                    self._become_leader()
                elif not self._standby_announced:
                    self._standby_announced = True
                    from laborwatch.service.lock import lock_info

                    info = lock_info(self.db)
                    holder = info.holder if info else "?"
                    msg = (
                        f"调度器已由 {holder} 运行，本进程不运行调度器 "
                        f"(the scheduler lock is held by {holder}; running without a scheduler"
                        f"{', web only' if self.web_enabled else ''}; taking over if it stops)"
                    )
                    logger.warning("%s", msg)
                    self.on_status(msg)
            else:
                if not self.lock.renew():
                    self._lose_leadership("the lock was taken over by another instance")
                    return
                if not self._stop.is_set():
                    self._maybe_reload()
                    self._answer_requests()
                    # crawls a killed predecessor left running: recorded with their real outcome once they end
                    close_abandoned_runs(self.db, except_holder=self.instance_id, run_dir=self.crawler.run_dir)
        except SQLAlchemyError:
            logger.exception("coordinator: database error")
            if self.scheduler is not None and not self.lock.held:
                self._lose_leadership("the lease ran out while the database was unreachable")
        except Exception:  # isolation boundary: the coordinator must keep running
            logger.exception("coordinator step failed")

    def _lock_is_free(self) -> bool:
        from laborwatch.service.lock import dead_on_this_host, lock_info

        info = lock_info(self.db)
        return (info is None or info.holder == self.instance_id or not info.alive()
                or dead_on_this_host(info.host, info.pid))

    def _config_ok(self) -> bool:
        """Check every config file before taking the scheduler; on errors, say why once and stay standby."""
        errors = tuple(self.config_checker(self.settings))
        if not errors:
            self._refused = ()
            return True
        if errors != self._refused:
            self._refused = errors
            msg = (f"配置文件有错误，本进程不运行调度器 (not taking the scheduler: {len(errors)} invalid config "
                   f"file(s): {'; '.join(errors)})")
            logger.error("%s", msg)
            self.on_status(msg)
        return False

    def _become_leader(self) -> None:
        close_abandoned_runs(self.db, except_holder=self.instance_id, run_dir=self.crawler.run_dir)
        scheduler = build_scheduler(self.settings, self.db)
        with self._state_lock:
            if self._stop.is_set():
                self.lock.release()
                return
            scheduler.start(paused=True)
            self.scheduler = scheduler
            try:
                self._sync(reason="start")
            finally:
                scheduler.resume()
        metrics.set_scheduler_leader(True)
        self._standby_announced = False
        self.became_leader.set()
        done = self.last_sync.describe() if self.last_sync else ""
        msg = f"本进程运行调度器 (scheduler started by {self.instance_id}; jobs: {done})"
        logger.warning("%s", msg)
        self.on_status(msg)

    def _lose_leadership(self, why: str) -> None:
        logger.error("giving up the scheduler: %s", why)
        with self._state_lock:
            scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        metrics.set_scheduler_leader(False)
        self.became_leader.clear()
        self.on_status(f"调度器已停止：{why}")

    # --- schedule sync / reload ----------------------------------------------------------------------------
    def _sources_signature(self) -> _SourcesState:
        try:
            st = self.sources_path.stat()
        except FileNotFoundError:
            return _SourcesState(None, None)
        return _SourcesState(st.st_mtime_ns, st.st_size)

    def _sync(self, *, reason: str) -> SyncResult:
        """Bring the job store in line with config. A broken sources file keeps the current crawl jobs."""
        scheduler = self.scheduler
        assert scheduler is not None
        signature = self._sources_signature()
        system = system_job_specs(self.settings)
        try:
            sources = self.source_loader(self.sources_path)
            crawl_specs = crawl_job_specs(self.settings, sources)
        except Exception as exc:  # isolation boundary: ConfigError, or a bug in a new sources file
            self._sources = signature  # don't retry the same broken file every heartbeat
            logger.error("sources file not applied (%s): %s; keeping the current crawl schedule", reason, exc)
            keep = [j for j in scheduler.get_jobs() if j.id.startswith(CRAWL_PREFIX)]
            result = sync_jobs(scheduler, system, managed_prefixes=(SYSTEM_PREFIX,))
            result.kept.extend(j.id for j in keep)
            result.error = str(exc)
            self.last_sync = result
            return result
        result = sync_jobs(scheduler, system + crawl_specs)
        self._sources = signature
        self.last_sync = result
        logger.info("schedule (%s): %s", reason, result.summary())
        return result

    def _maybe_reload(self) -> None:
        requested = self.lock.pending_reload()
        local = self._reload_local.is_set()
        changed = self._sources_signature() != self._sources
        if not (requested or local or changed):
            return
        self._reload_local.clear()
        reason = "reload requested" if (requested or local) else "sources file changed"
        if requested or local:
            errors = self.config_checker(self.settings)
            if errors:
                self._sources = self._sources_signature()  # don't retry the same broken files every heartbeat
                text = (f"configuration NOT applied: {len(errors)} invalid config file(s): {'; '.join(errors)}; "
                        "keeping the last good configuration")
                logger.error("reload refused: %s", text)
                if requested is not None:
                    self.lock.mark_reloaded(requested, text)
                self.on_status(f"重新加载被拒绝，继续使用上次的有效配置 ({text})")
                return
            self._runtime.reset()  # the alert engine re-reads rules and roster at its next tick
        with self._state_lock:
            if self.scheduler is None:
                return
            result = self._sync(reason=reason)
        if requested is not None:
            self.lock.mark_reloaded(requested, result.describe())
        self.on_status(f"重新加载配置 ({reason}): {result.describe()}")

    def _answer_requests(self) -> None:
        from laborwatch.service.lock import answer_request, pending_requests

        for req_id, kind, arg in pending_requests(self.db):
            with self._state_lock:
                scheduler = self.scheduler
                if scheduler is None:
                    return
                if kind == "crawl" and arg:
                    job = scheduler.get_job(f"{CRAWL_PREFIX}{arg}")
                    if job is None:
                        result = f"error: no crawl job for source {arg!r} (unknown or disabled)"
                    else:
                        from datetime import datetime

                        job.modify(next_run_time=datetime.now(ZoneInfo(self.settings.service.timezone)))
                        result = f"crawl of {arg} started by {self.instance_id}"
                else:
                    result = f"error: unknown request {kind!r}"
            answer_request(self.db, req_id, result)
            logger.info("request %d (%s %s): %s", req_id, kind, arg, result)

    def reload_now(self) -> SyncResult | None:
        """Re-read the sources file now (tests, SIGHUP path); None when not the scheduler."""
        with self._state_lock:
            if self.scheduler is None:
                return None
            return self._sync(reason="reload")

    # --- web -----------------------------------------------------------------------------------------------
    def build_app(self) -> Any:
        return build_web_app(self.settings, self.db)

    def _bind_web(self) -> Any:
        """The web UI's listening socket, bound now: a port in use is a one-line error before the scheduler."""
        import socket

        from laborwatch.service.errors import ServiceError

        host, port = self.settings.web.host, self.settings.web.port
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            family, _, _, _, addr = infos[0]
            sock = socket.socket(family, socket.SOCK_STREAM)
        except OSError as exc:
            raise ServiceError(f"cannot serve the web UI on {host}:{port}: {exc.strerror or exc}") from None
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
            sock.listen(2048)
        except OSError as exc:
            sock.close()
            raise ServiceError(f"cannot serve the web UI on {host}:{port}: {exc.strerror or exc} "
                               "(is another `laborwatch run` or `laborwatch web` using it? set web.port)") from None
        sock.setblocking(False)
        return sock

    def _start_web(self, sock: Any) -> None:
        import uvicorn

        app = self.build_app()
        config = uvicorn.Config(
            app,
            host=self.settings.web.host,
            port=self.settings.web.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
        server = uvicorn.Server(config)
        self._web_server = server
        self._web_thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lw-web",
                                            daemon=True)
        self._web_thread.start()
        self.on_status(f"网页服务 http://{self.settings.web.host}:{self.settings.web.port}/ (web UI)")

    def _stop_web(self) -> None:
        if self._web_server is not None:
            self._web_server.should_exit = True
        if self._web_thread is not None:
            self._web_thread.join(timeout=30)
        self._web_server = None
        self._web_thread = None


def build_web_app(settings: Settings, db: Database) -> Any:
    """``laborwatch.web.create_app`` with the health/metrics routes; a health-only app where the web UI is absent."""
    try:
        from laborwatch.web import create_app
    except ImportError as exc:
        logger.warning("web UI unavailable (%s): serving /healthz and /metrics only", exc)
        from fastapi import FastAPI

        app = FastAPI(title="laborwatch", docs_url=None, redoc_url=None, openapi_url=None)
        metrics.install(app, settings, db)
        return app
    es_client = None
    segmenter = None
    try:
        import index

        es_client = index.connect(settings)
    except Exception as exc:  # ES down must not stop the web UI; search pages say so
        logger.warning("Elasticsearch unavailable for the web UI: %s", exc)
    try:
        from nlp.segment import Segmenter

        segmenter = Segmenter.from_settings(settings).cut
    except Exception as exc:
        logger.warning("segmenter unavailable for the web UI: %s", exc)
    app = create_app(settings, db, es_client=es_client, segmenter=segmenter)
    metrics.install(app, settings, db, es_client=es_client)
    return app
