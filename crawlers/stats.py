"""What a crawl reports: :class:`CrawlStats` (also the final JSON line of ``laborwatch crawl``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CrawlStats", "DROP_PREFIX"]

#: Scrapy stats keys under which dropped items are counted by reason.
DROP_PREFIX = "laborwatch/dropped/"


@dataclass
class CrawlStats:
    """Counts of one crawl run (all sources of the run added up; ``per_source`` keeps them apart)."""

    pages: int = 0  # HTTP responses received
    items: int = 0  # items the spiders produced (before de-duplication and checks)
    new_items: int = 0  # Posts handed to the sink
    skipped_seen: int = 0  # links/items not fetched or not passed on because they were already collected
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    errors: int = 0  # requests that failed for good (after retries) and callback errors
    finish_reason: str = "finished"
    seconds: float = 0.0
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, other: CrawlStats, source_id: str) -> None:
        self.pages += other.pages
        self.items += other.items
        self.new_items += other.new_items
        self.skipped_seen += other.skipped_seen
        self.errors += other.errors
        for k, v in other.dropped.items():
            self.dropped[k] = self.dropped.get(k, 0) + v
        if other.finish_reason != "finished":
            self.finish_reason = other.finish_reason
        self.per_source[source_id] = {k: v for k, v in asdict(other).items() if k != "per_source"}

    @property
    def ok(self) -> bool:
        """Finished normally (a time limit counts as normal), and not a total failure to reach the source."""
        if self.finish_reason not in ("finished", "closespider_timeout"):
            return False
        return not (self.pages == 0 and self.errors > 0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
