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

SPIDERS: dict[str, type[SourceSpider]] = {
    "news": NewsSpider,
    "feed": FeedSpider,
    "search": SearchSpider,
    "board": BoardSpider,
    "forum": ForumSpider,
}
