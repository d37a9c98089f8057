"""The crawlers room: config-driven Scrapy spiders that turn news, social posts, boards and forums into Posts.

Public surface (importing this package does not import Scrapy):

- :func:`load_sources`, :class:`SourceConfig`, :func:`check_config`, :data:`SOURCE_KINDS` (``crawlers.sources``,
  ``crawlers.kinds``)
- :func:`run_crawl`, :class:`CrawlStats` (``crawlers.run``, ``crawlers.stats``)
- :func:`extract_article`, :class:`Article` (``crawlers.extract``)
- :class:`SampleSite`, :func:`load_demo_sources` (``crawlers.sample_site``)
- :class:`CrawlError`, :class:`ExtractionError`

Each is importable from the package (``from crawlers import run_crawl``) and loads its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawlers.errors import CrawlError, ExtractionError
from lwcore.lazy import lazy_exports

if TYPE_CHECKING:
    from crawlers.extract import Article, extract_article
    from crawlers.kinds import SOURCE_KINDS
    from crawlers.run import run_crawl
    from crawlers.sample_site import SampleSite, load_demo_sources
    from crawlers.sources import SourceConfig, check_config, load_sources
    from crawlers.stats import CrawlStats

__all__ = [
    "load_sources",
    "SourceConfig",
    "check_config",
    "SOURCE_KINDS",
    "run_crawl",
    "CrawlStats",
    "extract_article",
    "Article",
    "SampleSite",
    "load_demo_sources",
    "CrawlError",
    "ExtractionError",
]

# Scrapy, lxml and trafilatura load on first use
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        **dict.fromkeys(("load_sources", "SourceConfig", "check_config"), ".sources"),
        "SOURCE_KINDS": ".kinds",
        "run_crawl": ".run",
        "CrawlStats": ".stats",
        **dict.fromkeys(("extract_article", "Article"), ".extract"),
        **dict.fromkeys(("SampleSite", "load_demo_sources"), ".sample_site"),
    },
)
