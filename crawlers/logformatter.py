"""Scrapy log lines for dropped items: one short line with the reason and the URL, never the item body.

Every drop is still counted by reason in the crawl stats (``crawlers.stats``); the log only names it.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter

__all__ = ["ConciseLogFormatter"]


class ConciseLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        return {
            "level": logging.INFO,
            "msg": "Dropped (%(reason)s): %(url)s",
            "args": {"reason": exception, "url": getattr(item, "url", None) or getattr(response, "url", "")},
        }
