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

    pages: int = 0  # HTTP responses received, 304s included (robots.txt itself not counted)
    items: int = 0  # distinct items the spiders produced (in-run duplicates not counted; before the checks)
    new_items: int = 0  # Posts handed to the sink
    duplicates: int = 0  # items produced again in the same run (e.g. one post found by two queries)
    skipped_seen: int = 0  # links/items not fetched or not passed on because they were already collected
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    errors: int = 0  # requests that failed for good (after retries), API error bodies and callback errors
    robots_refused: int = 0  # requests robots.txt forbids (not errors: the site's wish, obeyed)
    missing: dict[str, int] = field(default_factory=dict)  # field -> delivered posts without it (published_at,
    #   author, content: a post whose body is only its title)
    problems: dict[str, int] = field(default_factory=dict)  # signs of a broken or changed source:
    #   selector_no_match:<key>, api_error, page_repeated -> count
    selectors: dict[str, dict[str, int]] = field(default_factory=dict)  # configured selector -> pages it was
    #   tried on and pages where it matched ({"tried": 3, "matched": 3})
    finish_reason: str = "finished"
    seconds: float = 0.0
    kind: str = ""  # the source's kind (one source's stats)
    not_modified: int = 0  # conditional requests answered 304 (the page is unchanged: nothing to parse)
    lag_s: list[int] = field(default_factory=list)  # per delivered post: fetched_at - published_at, seconds
    relevant: int | None = None  # delivered posts the analyzer judged labour-dispute relevant (None: not analysed)
    queries: dict[str, int] = field(default_factory=dict)  # search sources: term searched -> relevant posts it found
    queries_new: dict[str, int] = field(default_factory=dict)  # term searched -> new posts it found
    partial_terms: bool = False  # the scheduler planned only some of the source's terms (issue 21)
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, other: CrawlStats, source_id: str) -> None:
        self.pages += other.pages
        self.items += other.items
        self.new_items += other.new_items
        self.skipped_seen += other.skipped_seen
        self.duplicates += other.duplicates
        self.errors += other.errors
        self.robots_refused += other.robots_refused
        self.not_modified += other.not_modified
        self.lag_s.extend(other.lag_s)
        if other.relevant is not None:
            self.relevant = (self.relevant or 0) + other.relevant
        for mine, theirs in ((self.dropped, other.dropped), (self.missing, other.missing),
                             (self.problems, other.problems)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v
        for k, tm in other.selectors.items():
            acc = self.selectors.setdefault(k, {"tried": 0, "matched": 0})
            acc["tried"] += tm["tried"]
            acc["matched"] += tm["matched"]
        if other.finish_reason != "finished":
            self.finish_reason = other.finish_reason
        self.per_source[source_id] = {k: v for k, v in asdict(other).items() if k != "per_source"}

    @property
    def collected_nothing(self) -> bool:
        """No post delivered, nothing skipped as already collected, no page unchanged since the last run (304):
        the run learnt nothing of the source."""
        return self.new_items == 0 and self.skipped_seen == 0 and self.items == 0 and self.not_modified == 0

    def failure(self) -> str | None:
        """Why this run (one source's stats, or a total without ``per_source``) failed, or None.

        A run fails when it did not finish normally (a time limit counts as normal), or when it collected
        nothing and something went wrong: errors, problems (a selector that matches nothing, an API error body,
        a repeated page) or robots.txt refusals. A source with simply nothing new is not a failure."""
        if self.finish_reason not in ("finished", "closespider_timeout"):
            return f"ended with {self.finish_reason}"
        if self.pages == 0 and self.errors > 0:
            return f"no page fetched, {self.errors} error(s)"
        if self.collected_nothing and (self.errors or self.problems or self.robots_refused):
            what = [f"{n} {k}" for k, n in sorted(self.problems.items())]
            if self.errors:
                what.append(f"{self.errors} error(s)")
            if self.robots_refused:
                what.append(f"{self.robots_refused} robots.txt refusal(s)")
            return "collected nothing: " + ", ".join(what)
        return None

    def failures(self) -> dict[str, str]:
        """Source id -> reason, for each source of the run that failed (the total itself when no per_source)."""
        if not self.per_source:
            reason = self.failure()
            return {"": reason} if reason else {}
        out = {}
        for sid, d in self.per_source.items():
            reason = CrawlStats(**d).failure()
            if reason:
                out[sid] = reason
        return out

    @property
    def ok(self) -> bool:
        """Every source finished normally and none collected nothing because of an error or a problem."""
        return not self.failures()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
