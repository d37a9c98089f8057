"""Run by test_crash_recovery.py in a child process: queue an alert, then die (SIGKILL) at a chosen point.

argv: CONFIG_FILE STATE_DIR SMTP_PORT MODE   (MODE: after_commit | in_send | after_accept)
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime

from alerting import AlertEngine
from alerting.notifiers.mail import EmailNotifier
from alerting.testing import make_item
from lwcore.db import Database
from lwcore.settings import load_settings


def main() -> None:
    config, state, port, mode = sys.argv[1:5]
    settings = load_settings(
        config,
        environ={},
        overrides={
            "state_dir": state,
            "alerting": {
                "secret_key": "integration-secret",
                "dispatch_inline": mode in ("in_send", "after_accept"),
                "admin_emails": ["admin@example.org"],
            },
            "smtp": {"host": "127.0.0.1", "port": int(port), "sender": "yuqing@example.org", "timeout_s": 5},
        },
    )
    db = Database.from_settings(settings)
    if mode == "in_send":

        def die(self, msg):  # type: ignore[no-untyped-def]
            os.kill(os.getpid(), signal.SIGKILL)  # claimed and committed as 'sending', never handed to SMTP

        EmailNotifier.send = die  # type: ignore[method-assign]
    if mode == "after_accept":
        from alerting.outbox import Outbox

        real_log = Outbox._log_accepted

        def accepted_then_die(self, row_id, token):  # type: ignore[no-untyped-def]
            real_log(self, row_id, token)  # the server answered 250 and the sender noted it
            os.kill(os.getpid(), signal.SIGKILL)  # ... but its 'sent' mark is never committed

        Outbox._log_accepted = accepted_then_die  # type: ignore[method-assign]
    engine = AlertEngine.from_settings(settings, db)
    now = datetime.now(UTC)
    engine.process([make_item(event_id=f"crash-{mode}", at=now)])
    os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any send


if __name__ == "__main__":
    main()
