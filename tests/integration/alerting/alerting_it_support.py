"""Helpers of the alerting integration tests: a bouncing loopback SMTP server, settings."""

from __future__ import annotations

import shutil
from pathlib import Path

from laborwatch.mailsink import MailSink
from lwcore.settings import DEFAULT_CONFIG_DIR, Settings, load_settings

BOUNCE = "bounce@qingpu.example.gov.cn"


def bouncing_sink() -> MailSink:
    """A real SMTP server on loopback that answers 550 to RCPT TO:<bounce@...>; restartable on its port."""
    return MailSink(bounce=[BOUNCE])


def settings_for(tmp_path: Path, port: int, *, db_url: str | None = None, **alerting: object) -> Settings:
    cfg = tmp_path / "configs"
    if not cfg.exists():
        shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
        (cfg / "settings.yaml").write_text("{}\n", encoding="utf-8")
    overrides: dict[str, object] = {
        "state_dir": str(tmp_path / "state"),
        "alerting": {
            "secret_key": "integration-secret",
            "admin_emails": ["admin@example.org"],
            "outbox_backoff_s": 5.0,
            "outbox_backoff_max_s": 60.0,
            **alerting,
        },
        "smtp": {"host": "127.0.0.1", "port": port, "sender": "yuqing@example.org", "timeout_s": 5},
    }
    if db_url:
        overrides["db"] = {"url": db_url}
    return load_settings(cfg / "settings.yaml", environ={}, overrides=overrides)
