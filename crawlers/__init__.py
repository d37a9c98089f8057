"""The crawlers room: config-driven Scrapy spiders that turn news, social posts, boards and forums into Posts.

Public surface (importing this package does not import Scrapy):

- :func:`crawlers.sources.load_sources`, :class:`crawlers.sources.SourceConfig`, :func:`crawlers.sources.check_config`
- :func:`crawlers.run.run_crawl`, :class:`crawlers.stats.CrawlStats`
- :func:`crawlers.extract.extract_article`, :class:`crawlers.extract.Article`
- :class:`crawlers.sample_site.SampleSite`, :func:`crawlers.sample_site.load_demo_sources`
"""

from __future__ import annotations

from crawlers.errors import CrawlError, ExtractionError

__all__ = ["CrawlError", "ExtractionError"]
