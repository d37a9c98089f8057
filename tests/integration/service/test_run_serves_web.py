"""`laborwatch run` (a real subprocess) serves the web app: GET /login and /healthz over HTTP, then stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from laborwatch.mailsink import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FAKE_CRAWL = Path(__file__).resolve().parents[2] / "unit" / "service" / "fake_crawl.py"


def test_run_serves_login_and_healthz(tmp_path: Path) -> None:
    port = free_port()
    state, configs = tmp_path / "state", tmp_path / "configs"
    state.mkdir()
    import shutil

    from lwcore.settings import DEFAULT_CONFIG_DIR

    shutil.copytree(DEFAULT_CONFIG_DIR, configs)  # `run` refuses to start unless every config file is valid
    settings = {
        "state_dir": str(state),
        "db": {"url": f"sqlite:///{tmp_path / 'lw.db'}"},
        "es": {"url": "http://127.0.0.1:9"},  # unreachable on purpose: /healthz reports it, the web still serves
        "web": {"host": "127.0.0.1", "port": port},
        "service": {
            "heartbeat_s": 0.3,
            "lock_lease_s": 2.0,
            "shutdown_grace_s": 0.5,
            "crawl_stop_timeout_s": 5.0,
            "crawl_command": [sys.executable, str(FAKE_CRAWL), "{source}", "{stats}", "{state}"],
        },
    }
    (configs / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    source = {"id": "ok-a", "name": "ok-a", "kind": "news", "platform": "web",
              "start_urls": ["http://127.0.0.1:9/"], "schedule": {"interval": "1h"}}
    (configs / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}, allow_unicode=True), encoding="utf-8")
    err = tmp_path / "run.err"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    with err.open("wb") as err_f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "laborwatch", "--config", str(configs / "settings.yaml"), "run", "--allow-degraded"],
            env=env, stdout=subprocess.DEVNULL, stderr=err_f,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            health = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    health = httpx.get(f"{base}/healthz", timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            log = err.read_text(encoding="utf-8", errors="replace")
            assert health is not None, f"`laborwatch run` never answered on {base} (exit {proc.poll()}):\n{log}"
            assert health.status_code == 200, health.text  # the database answers; ES down is 'degraded'
            body = health.json()
            assert body["status"] in ("ok", "degraded")
            login = httpx.get(f"{base}/login", timeout=5)
            assert login.status_code == 200
            assert 'name="csrf_token"' in login.text and 'name="password"' in login.text
            assert "text/html" in login.headers["content-type"]
            # every other page needs a login
            r = httpx.get(f"{base}/alerts", timeout=5, follow_redirects=False)
            assert r.status_code in (302, 303, 401) and "/login" in r.headers.get("location", "/login")
            # a second `run` on the same port: one line naming the port, before any "web UI" or scheduler line
            second = subprocess.run(
                [sys.executable, "-m", "laborwatch", "--config", str(configs / "settings.yaml"), "run", "--allow-degraded"],
                env=env, capture_output=True, text=True, timeout=60,
            )
            assert second.returncode == 1, second.stderr
            assert f"cannot serve the web UI on 127.0.0.1:{port}" in second.stderr
            assert "网页服务" not in second.stderr and "调度器" not in second.stderr and "Traceback" not in second.stderr
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise
    assert rc == 0, err.read_text(encoding="utf-8", errors="replace")
    with pytest.raises(httpx.TransportError):  # the web server went away with the service
        httpx.get(f"{base}/healthz", timeout=2)
