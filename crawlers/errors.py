"""Errors of the crawlers room.

    LaborwatchError
    └── CrawlError              a crawl could not run (bad source id, no Redis, Scrapy failed to start)
        └── ExtractionError     a saved page could not be read or holds no article
"""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = ["CrawlError", "ExtractionError"]


class CrawlError(LaborwatchError):
    """A crawl could not be started or finished abnormally."""


class ExtractionError(CrawlError):
    """A page could not be decoded or holds no extractable article."""
