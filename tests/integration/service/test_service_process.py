"""`laborwatch run` as real processes on a real database (SQLite file, and PostgreSQL where available).

Crawls are real subprocesses of the fake crawl (tests/unit/service/fake_crawl.py) configured through
``service.crawl_command``; everything else is the production code path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FAKE_CRAWL = Path(__file__).resolve().parents[2] / "unit" / "service" / "fake_crawl.py"


def _source(id_: str, **schedule: Any) -> dict[str, Any]:
    return {"id": id_, "name": id_, "kind": "news", "platform": "web", "start_urls": ["http://127.0.0.1:9/"],
            "schedule": schedule or {"interval": "1h"}}


class Deployment:
    """One deployment: a settings file, a sources file, a database; start `laborwatch run` processes on it."""

    def __init__(self, root: Path, db_url: str) -> None:
        self.root = root
        self.db_url = db_url
        self.state = root / "state"
        self.configs = root / "configs"
        # the shipped config files: `run` refuses to start unless every config file is valid
        import shutil

        from lwcore.settings import DEFAULT_CONFIG_DIR

        shutil.copytree(DEFAULT_CONFIG_DIR, self.configs)
        self.state.mkdir()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.engine = create_engine(db_url)

    def write(self, sources: list[dict[str, Any]], **service: Any) -> None:
        settings = {
            "state_dir": str(self.state),
            "db": {"url": self.db_url},
            "es": {"url": "http://127.0.0.1:9"},  # unreachable on purpose: ES is not under test here
            "crawl": {"run_time_limit_s": service.pop("run_time_limit_s", 60)},
            "service": {
                "heartbeat_s": 0.3,
                "lock_lease_s": 2.0,
                "shutdown_grace_s": 0.5,
                "crawl_stop_timeout_s": 5.0,
                "crawl_command": [sys.executable, str(FAKE_CRAWL), "{source}", "{stats}", "{state}"],
                **service,
            },
        }
        (self.configs / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True))
        self.write_sources(sources)

    def write_sources(self, sources: list[dict[str, Any]]) -> None:
        path = self.configs / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True))

    @property
    def env(self) -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if not k.startswith("LW_")}

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "laborwatch", "--config", str(self.configs / "settings.yaml"), *args],
            env=self.env, capture_output=True, text=True, timeout=timeout,
        )

    def start(self, *extra: str) -> subprocess.Popen[bytes]:
        n = len(self.procs)
        proc = subprocess.Popen(
            [sys.executable, "-m", "laborwatch", "--config", str(self.configs / "settings.yaml"),
             "--log-level", "INFO", "run", "--no-web", "--allow-degraded", *extra],
            env=self.env,
            stdout=(self.root / f"run{n}.out").open("wb"),
            stderr=(self.root / f"run{n}.err").open("wb"),
        )
        proc.log = self.root / f"run{n}.err"  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def holder_pid(self) -> int | None:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT pid FROM service_locks WHERE name = 'scheduler'")).first()
        return None if row is None else int(row[0])

    def jobs(self) -> dict[str, float]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all()
        return {r[0]: r[1] for r in rows}

    def runs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM crawl_runs ORDER BY id")).mappings().all()
        return [dict(r) for r in rows]

    def stop_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.engine.dispose()


def wait_for(cond: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = cond()
        except Exception:  # table not created yet, etc.
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _log(proc: subprocess.Popen[bytes]) -> str:
    return proc.log.read_text(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lw.db'}"
    else:
        url = request.getfixturevalue("pg_url")
        eng = create_engine(url)
        with eng.begin() as conn:  # a clean schema for each test
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    dep = Deployment(tmp_path, url)
    yield dep
    dep.stop_all()


def test_two_service_starts_give_one_scheduler_and_takeover(deployment: Deployment):
    deployment.write([_source("ok-a")])
    a = deployment.start()
    wait_for(lambda: deployment.holder_pid() == a.pid, what="first service to take the lock")
    b = deployment.start()
    wait_for(lambda: "held by" in _log(b), what="second service to say it runs without a scheduler")
    wait_for(lambda: "本进程运行调度器" in _log(a), what="the first service to start its scheduler")
    time.sleep(1.5)  # several heartbeats: the lock must not move
    assert deployment.holder_pid() == a.pid
    assert "本进程运行调度器" in _log(a) and "本进程运行调度器" not in _log(b)
    a.kill()  # a crash: no release; b takes over once the lease (2 s) expires
    a.wait()
    wait_for(lambda: deployment.holder_pid() == b.pid, timeout=15, what="takeover by the second service")
    wait_for(lambda: "本进程运行调度器" in _log(b), timeout=10, what="the second service to start its scheduler")
    b.send_signal(signal.SIGTERM)
    assert b.wait(timeout=30) == 0
    assert deployment.holder_pid() is None  # released on a clean stop


def test_restart_after_kill_9_schedules_within_seconds_not_after_the_lease(deployment: Deployment):
    """Issue 16: on the same host a restarted service sees the old holder's process is gone and takes over at
    once, even with a ten-minute lease."""
    deployment.write([_source("ok-a")], lock_lease_s=600.0)
    a = deployment.start()
    wait_for(lambda: deployment.holder_pid() == a.pid, what="first service to take the lock")
    a.kill()  # kill -9: no release, the lease has ten minutes to run
    a.wait()
    t0 = time.monotonic()
    b = deployment.start()
    wait_for(lambda: deployment.holder_pid() == b.pid, timeout=10, what="the restarted service to take over")
    wait_for(lambda: "本进程运行调度器" in _log(b), timeout=10, what="the restarted service to schedule")
    took = time.monotonic() - t0
    print(f"restarted service scheduling {took:.1f} s after its start (old holder killed with -9)")
    assert took < 10.0


def test_schedules_from_config_survive_restart_and_follow_the_sources_file(deployment: Deployment):
    deployment.write([_source("ok-a", interval="1h", jitter=30), _source("ok-b", cron="0 */2 * * 1-5"),
                      {**_source("ok-off"), "enabled": False}])
    a = deployment.start()
    wait_for(lambda: deployment.holder_pid() == a.pid, what="scheduler start")
    jobs = wait_for(lambda: deployment.jobs() if "crawl:ok-b" in deployment.jobs() else None, what="jobs")
    assert {"crawl:ok-a", "crawl:ok-b", "system:alert_tick", "system:digest_hourly", "system:digest_daily",
            "system:daily_briefing", "system:index_retention", "system:config_check", "system:send_outbox",
            "system:drain_spools", "system:notify_subscriptions", "system:field_reports", "system:nlp_drift",
            "system:nlp_retrain"} == set(jobs)
    a.send_signal(signal.SIGTERM)
    assert a.wait(timeout=30) == 0
    assert deployment.jobs() == jobs  # persisted through the stop

    b = deployment.start()
    wait_for(lambda: deployment.holder_pid() == b.pid, what="scheduler restart")
    time.sleep(1.0)
    after = deployment.jobs()
    assert after["crawl:ok-a"] == jobs["crawl:ok-a"], "restart must keep the next run time of unchanged jobs"
    assert after["crawl:ok-b"] == jobs["crawl:ok-b"]

    # a changed sources file is picked up without a restart
    deployment.write_sources([_source("ok-a", interval="1h", jitter=30), _source("ok-c", interval="2h")])
    wait_for(lambda: "crawl:ok-c" in deployment.jobs() and "crawl:ok-b" not in deployment.jobs(),
             timeout=15, what="the scheduler to apply the changed sources file")
    assert deployment.jobs()["crawl:ok-a"] == jobs["crawl:ok-a"]

    # a broken sources file keeps the last good schedule; `laborwatch reload` reports it
    (deployment.configs / "sources.yaml").write_text("sources:\n  - id: x\n    kind: nonsense\n")
    res = deployment.cli("reload", "--timeout", "20")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "NOT applied" in res.stdout
    assert "crawl:ok-c" in deployment.jobs()
    deployment.write_sources([_source("ok-a", interval="1h", jitter=30)])
    res = deployment.cli("reload", "--timeout", "20")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "reloaded by" in res.stdout and "NOT applied" not in res.stdout
    wait_for(lambda: "crawl:ok-c" not in deployment.jobs(), timeout=5, what="the fixed file to be applied")


def test_sigterm_during_a_crawl_loses_nothing(deployment: Deployment):
    deployment.write([_source("slow-a"), _source("ok-b")])
    svc = deployment.start()
    wait_for(lambda: deployment.holder_pid() == svc.pid, what="scheduler start")
    res = deployment.cli("crawl-now", "slow-a", "--timeout", "20")
    assert res.returncode == 0, res.stdout + res.stderr
    wait_for(lambda: (deployment.state / "started-slow-a").exists(), what="the crawl to start")
    wait_for(lambda: any(r["status"] == "running" for r in deployment.runs()), what="a running run row")
    svc.send_signal(signal.SIGTERM)
    assert svc.wait(timeout=40) == 0, _log(svc)
    flushed = (deployment.state / "flushed-slow-a.jsonl").read_text().splitlines()
    assert len(flushed) == 7, "the crawl's in-flight batch was not flushed"
    runs = deployment.runs()
    assert len(runs) == 1
    run = runs[0]
    assert run["status"] == "stopped" and run["items"] == 7 and run["finish_reason"] == "shutdown"
    assert run["ended_at"] is not None
    assert deployment.holder_pid() is None
    assert "crawl:slow-a" in deployment.jobs() and "crawl:ok-b" in deployment.jobs()
    crawl_pid = int((deployment.state / "started-slow-a").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(crawl_pid, 0)
    # the service's own record of it, through the CLI
    out = deployment.cli("crawl-runs", "--source", "slow-a")
    assert out.returncode == 0 and "stopped" in out.stdout


def test_hanging_crawl_is_killed_and_service_keeps_running(deployment: Deployment):
    deployment.write([_source("hang-a"), _source("ok-b")], run_time_limit_s=2)
    svc = deployment.start()
    wait_for(lambda: deployment.holder_pid() == svc.pid, what="scheduler start")
    assert deployment.cli("crawl-now", "hang-a", "--timeout", "20").returncode == 0
    run = wait_for(lambda: next((r for r in deployment.runs() if r["status"] == "timeout"), None), timeout=30,
                   what="the hung crawl to be killed")
    assert "time limit" in run["message"]
    pids = [int(x) for x in (deployment.state / "hang-hang-a.pids").read_text().split()]
    for pid in pids:
        wait_for(lambda pid=pid: not Path(f"/proc/{pid}").exists() or
                 open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z", timeout=10, what="kill")
    assert svc.poll() is None, "the service must survive a hung crawl"
    assert deployment.cli("crawl-now", "ok-b", "--timeout", "20").returncode == 0
    wait_for(lambda: any(r["source_id"] == "ok-b" and r["status"] == "finished" for r in deployment.runs()),
             what="the next crawl to run normally")
    res = deployment.cli("crawl-now", "nope", "--timeout", "20")
    assert res.returncode == 1 and "unknown or disabled" in res.stdout
