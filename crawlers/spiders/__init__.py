"""Generic spiders, one per source kind. Import of this package imports Scrapy (only the crawl process does)."""

from __future__ import annotations

from crawlers.spiders.base import SourceSpider
from crawlers.spiders.board import BoardSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.forum import ForumSpider
from crawlers.spiders.news import NewsSpider
from crawlers.spiders.search import SearchSpider

__all__ = ["SourceSpider", "NewsSpider", "FeedSpider", "SearchSpider", "BoardSpider", "ForumSpider",
           "SPIDERS"]

def _spiders() -> dict[str, type[SourceSpider]]:
    import importlib

    from crawlers.kinds import KIND_SPIDERS

    out = {}
    for kind, ref in KIND_SPIDERS.items():
        module, name = ref.split(":")
        out[kind] = getattr(importlib.import_module(module), name)
    return out


#: kind -> spider class, built from :data:`crawlers.kinds.KIND_SPIDERS` (the one place kinds are named)
SPIDERS: dict[str, type[SourceSpider]] = _spiders()
