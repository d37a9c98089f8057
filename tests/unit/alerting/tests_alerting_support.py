"""Settings variants for alerting tests (a roster with a gap)."""

from __future__ import annotations

import shutil
from pathlib import Path

from lwcore.settings import DEFAULT_CONFIG_DIR, Settings, load_settings


def config_copy(tmp_path: Path) -> Path:
    cfg = tmp_path / "configs"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    return cfg


def settings_with_gap(tmp_path: Path) -> Settings:
    cfg = config_copy(tmp_path)
    (cfg / "duty_roster.yaml").write_text(
        "people:\n  a: {name: 甲, email: a@example.org}\n"
        "shifts:\n  - {days: [sat, sun], start: '08:30', end: '20:30', officer: a}\n",
        encoding="utf-8",
    )
    routing = (cfg / "routing.yaml").read_text(encoding="utf-8")
    routing = routing.replace(
        "fallback_emails: [zhaomin@qingpu.example.gov.cn]", "fallback_emails: [fallback@example.org]"
    )
    (cfg / "routing.yaml").write_text(routing, encoding="utf-8")
    (cfg / "settings.yaml").write_text("{}\n", encoding="utf-8")
    return load_settings(
        cfg / "settings.yaml",
        environ={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "alerting": {"secret_key": "unit-test-secret"},
            "smtp": {"host": "127.0.0.1", "port": 2},
        },
    )


def make_settings(tmp_path: Path, **alerting: object) -> Settings:
    overrides = {
        "state_dir": str(tmp_path / "state"),
        "alerting": {
            "secret_key": "unit-test-secret",
            "admin_emails": ["admin@example.org"],
            "outbox_backoff_s": 1.0,
            "outbox_backoff_max_s": 8.0,
            **alerting,
        },
        "smtp": {"host": "127.0.0.1", "port": 2, "sender": "yuqing@example.org"},
    }
    return load_settings(environ={}, overrides=overrides)
