"""Issue 16: the multi-machine topology on one host, every part its own process with its own state folder.

A scheduler (``laborwatch run``) and its standby, two crawl workers (``laborwatch crawl-worker``), the sender
(``laborwatch alerts send --loop``) and the web UI (``laborwatch web``) against one PostgreSQL database, one Redis,
the Elasticsearch node and a real SMTP server on loopback; the sample site, every source ``distributed: true``.
Checks: every page of the site fetched once across all crawl processes, every post indexed once, the workers did
part of the crawl, every outbox message delivered once (Message-IDs at the server), the standby never scheduled,
the web UI reads the shared state.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text

from crawlers.sample_site import DEMO_SOURCES
from crawlers.testing.fault_site import FaultSite
from laborwatch.mailsink import MailSink
from lwcore.settings import DEFAULT_CONFIG_DIR

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(cond: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Machine:
    """One 'machine': its own state folder and settings file; shared database, Redis, index, SMTP."""

    def __init__(self, root: Path, name: str, shared: dict[str, Any], sources: Path) -> None:
        import shutil

        self.name = name
        self.dir = root / name
        self.configs = self.dir / "configs"
        shutil.copytree(DEFAULT_CONFIG_DIR, self.configs)
        shutil.copy(sources, self.configs / "sources.yaml")
        data = {**shared, "state_dir": str(self.dir / "state")}
        (self.configs / "settings.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        self.procs: list[subprocess.Popen[bytes]] = []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
        env.update(LW_SECRET_KEY="topology-secret", PYTHONPATH=str(REPO))
        return env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "laborwatch", "--config", str(self.configs / "settings.yaml"), *args]

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        self.log = self.dir / "process.log"
        proc = subprocess.Popen(self.argv("--log-level", "INFO", *args), env=self.env(),
                                stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), env=self.env(), capture_output=True, text=True, timeout=timeout)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[str]:
    from sqlalchemy.engine import make_url

    name = f"lw_topo_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_scheduler_standby_two_workers_sender_and_web_share_one_crawl_and_send_each_alert_once(
    tmp_path: Path, pg_db: str, redis_url: str, es_client, es_settings_isolated
) -> None:
    site = FaultSite()
    site.start()
    sink = MailSink()
    sink.__enter__()
    machines: list[Machine] = []
    try:
        text_ = DEMO_SOURCES.read_text(encoding="utf-8").replace("{base_url}", site.base_url)
        # every source shared through Redis; a small delay so that the crawl lasts long enough to be shared
        text_ = text_.replace("politeness: {download_delay_s: 0, concurrency: 4}",
                              "politeness: {download_delay_s: 0.3, concurrency: 1, autothrottle: false}\n"
                              "  distributed: true")
        text_ = text_.replace("schedule: {interval: 30m}", "schedule: {interval: 12h}")
        sources = tmp_path / "sources.yaml"
        sources.write_text(text_, encoding="utf-8")
        shared = {
            "db": {"url": pg_db},
            "es": {"url": es_settings_isolated.url, "index_prefix": es_settings_isolated.index_prefix},
            "smtp": {"host": "127.0.0.1", "port": sink.port, "security": "none", "sender": "yuqing@example.org",
                     "timeout_s": 5},
            "alerting": {"admin_emails": ["admin@example.org"], "outbox_backoff_s": 0.0},
            "crawl": {"obey_robots": False, "redis_url": redis_url, "autothrottle": False},
            "nlp": {"use_transformer": False},
            "service": {"heartbeat_s": 1.0, "lock_lease_s": 30.0, "send_interval_s": 2.0, "spool_drain_s": 5.0},
        }
        sched, standby, w1, w2, sender, web = (Machine(tmp_path, n, shared, sources) for n in
                                               ("scheduler", "standby", "worker1", "worker2", "sender", "web"))
        machines = [sched, standby, w1, w2, sender, web]
        assert sched.cli("index", "init").returncode == 0

        engine = create_engine(pg_db)
        sched.start("run", "--no-web", "--allow-degraded")
        wait_for(lambda: "本进程运行调度器" in sched.text(), 120, "the scheduler to take the lease")
        standby.start("run", "--no-web", "--allow-degraded")
        w1.start("crawl-worker", "--poll", "0.5")
        w2.start("crawl-worker", "--poll", "0.5")
        sender.start("alerts", "send", "--loop", "--interval", "1")
        port = _free_port()
        web.start("web", "--port", str(port))
        wait_for(lambda: "held by" in standby.text(), 120, "the standby to wait for the lease")
        wait_for(lambda: "采集工作进程" in w1.text() and "采集工作进程" in w2.text(), 60, "both workers")

        source_ids = ["sample-news", "sample-weibo", "sample-board", "sample-forum"]
        for sid in source_ids:
            r = sched.cli("crawl-now", sid, "--timeout", "120")
            assert r.returncode == 0, r.stderr

        def runs_done() -> bool:
            with engine.connect() as c:
                rows = c.execute(text("SELECT source_id, status FROM crawl_runs")).all()
            return len(rows) == 4 and all(s not in ("running",) for _, s in rows)

        wait_for(runs_done, 400, "the four crawl runs to finish")
        with engine.connect() as c:
            statuses = dict(c.execute(text("SELECT source_id, status FROM crawl_runs")).all())
        assert statuses == dict.fromkeys(source_ids, "finished")

        # the workers finish the last requests they took; then every outbox row is delivered by someone
        wait_for(lambda: w1.text().count("ended (exit") + w2.text().count("ended (exit") >= 1, 200,
                 "a worker's crawl to end")

        def quiet() -> bool:
            with engine.connect() as c:
                pending = c.execute(text("SELECT count(*) FROM alert_outbox WHERE status <> 'sent'")).scalar_one()
                total = c.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one()
            return total > 0 and pending == 0 and len(sink.messages) >= total

        wait_for(quiet, 300, "every outbox message to be sent")
        time.sleep(4)  # two more sender periods: nothing may go out twice
        with engine.connect() as c:
            total = c.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one()
            alerts = c.execute(text("SELECT count(*) FROM alerts")).scalar_one()
            clusters = c.execute(text("SELECT count(DISTINCT cluster_key) FROM alerts")).scalar_one()
        ids = Counter(m["Message-ID"] for m in sink.messages)
        assert len(sink.messages) == total and max(ids.values()) == 1, ids.most_common(3)
        assert alerts >= 1 and alerts == clusters

        # each page of the site fetched once across the scheduler's crawl and the two workers
        pages = {p: n for p, n in site.url_hits.items() if not p.endswith("robots.txt")}
        assert pages and set(pages.values()) == {1}, {p: n for p, n in pages.items() if n != 1}
        es_client.indices.refresh(index=es_settings_isolated.index_prefix)
        indexed = es_client.count(index=es_settings_isolated.index_prefix).body["count"]
        joined = [json.loads(m.group(1)) for w in (w1, w2)
                  for m in re.finditer(r"ended \(exit 0\): (\{.*\})", w.text())]
        by_workers = sum(int(s.get("items", 0)) for s in joined)
        assert by_workers > 0, "the workers did none of the crawl"
        with engine.connect() as c:
            recorded = c.execute(text("SELECT coalesce(sum(items), 0) FROM crawl_runs")).scalar_one()
            stats = [json.loads(r) for r in c.execute(text("SELECT stats_json FROM crawl_runs")).scalars()]
        in_records = sum(int(w.get("items", 0)) for st in stats for w in (st.get("workers") or {}).values())
        assert in_records == by_workers  # each run's record names the workers' share ...
        assert indexed > 0 and recorded == indexed  # ... and counts the whole crawl; no post collected twice

        # the standby never scheduled; the web UI (its own machine) reads the shared state
        assert "本进程运行调度器" not in standby.text()

        def metrics() -> str | None:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
            except OSError:
                return None

        body = wait_for(metrics, 60, "the web UI to answer")
        sent = sum(float(v) for v in re.findall(r'^laborwatch_outbox_messages\{status="sent"\} (\S+)', body, re.M))
        assert sent == total
        assert re.search(r"^laborwatch_scheduler_lock_held 1\.0", body, re.M)
    finally:
        for m in machines:
            m.stop()
        sink.__exit__(None, None, None)
        site.stop()
