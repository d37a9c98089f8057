"""The source kinds: one generic spider per kind, named here once (importing this module does not import Scrapy).

Adding a kind = one line here plus its spider module; ``SOURCE_KINDS`` (what ``kind:`` accepts in sources.yaml),
the JSON Schema and ``crawlers.spiders.SPIDERS`` all follow from this mapping.
"""

from __future__ import annotations

__all__ = ["KIND_SPIDERS", "SOURCE_KINDS"]

#: kind -> "module:SpiderClass"
KIND_SPIDERS: dict[str, str] = {
    "news": "crawlers.spiders.news:NewsSpider",
    "feed": "crawlers.spiders.feed:FeedSpider",
    "search": "crawlers.spiders.search:SearchSpider",
    "board": "crawlers.spiders.board:BoardSpider",
    "forum": "crawlers.spiders.forum:ForumSpider",
}

SOURCE_KINDS: tuple[str, ...] = tuple(KIND_SPIDERS)
