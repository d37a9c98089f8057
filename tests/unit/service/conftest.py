from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lwcore.db import Database
from lwcore.settings import Settings, load_settings

FAKE_CRAWL = Path(__file__).with_name("fake_crawl.py")


def fake_settings(tmp_path: Path, **service: object) -> Settings:
    svc = {
        "crawl_command": [sys.executable, str(FAKE_CRAWL), "{source}", "{stats}", "{state}"],
        "crawl_stop_timeout_s": 1.0,
        "source_failure_alert_after": 2,
        **service,
    }
    return load_settings(
        environ={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "config_dir": str(tmp_path / "configs"),
            "crawl": {"run_time_limit_s": 30},
            "service": svc,
        },
    )


@pytest.fixture
def make_settings():
    """``make_settings(tmp_path, **service_overrides) -> Settings`` using the fake crawl."""
    return fake_settings


@pytest.fixture
def svc_settings(tmp_path: Path) -> Settings:
    (tmp_path / "configs").mkdir()
    s = fake_settings(tmp_path)
    s.state_path.mkdir(parents=True, exist_ok=True)
    return s


@pytest.fixture
def db(svc_settings: Settings):
    d = Database.from_settings(svc_settings)
    d.upgrade()
    yield d
    d.dispose()
