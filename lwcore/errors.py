"""The exception root of laborwatch.

    LaborwatchError                      everything the project raises on purpose
    ├── ConfigError                      a config file or environment value is invalid (file, key, reason)
    ├── crawlers.CrawlError              (crawlers room)
    ├── nlp.NlpError                     (nlp room)
    ├── index.IndexError_                (index room: unreachable cluster, bulk failures)
    ├── alerting.AlertingError           (alerting room)
    └── ledger.LedgerError               (ledger room)

Rooms define their own subclass so callers can catch at the level they need.
"""

from __future__ import annotations

__all__ = ["LaborwatchError", "ConfigError"]


class LaborwatchError(Exception):
    """Root of every error laborwatch raises on purpose."""


class ConfigError(LaborwatchError):
    """A configuration file or value is invalid.

    Carries the file, the dotted key and the reason so an operator can fix it in one go.
    """

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {reason}")
