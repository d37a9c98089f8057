"""``pipeline.process(posts)``: analyse -> index -> alert, one direction, nothing lost.

The stages are passed in (built once per process by :meth:`Pipeline.from_settings`); each is behind a small
protocol so tests can wire real or fake stages. A batch that cannot be indexed (Elasticsearch down after its
retries, or documents rejected) is written to the spool under the state directory and replayed on the next
call, so a dead cluster never drops a post. Alerting failures are likewise spooled and retried.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from laborwatch.domain import Analysis, AnalyzedPost, Post

__all__ = [
    "AnalyzerStage",
    "IndexStage",
    "AlertStage",
    "IndexOutcome",
    "PipelineReport",
    "Spool",
    "Pipeline",
]

logger = logging.getLogger(__name__)


class AnalyzerStage(Protocol):
    def analyze(self, posts: Sequence[Post]) -> list[Analysis]: ...


@dataclass
class IndexOutcome:
    """What an index stage reports: ids stored and (id, reason) for each failed action."""

    indexed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class IndexStage(Protocol):
    def index(self, items: Sequence[AnalyzedPost]) -> IndexOutcome: ...


class AlertStage(Protocol):
    def process(self, items: Sequence[AnalyzedPost]) -> Sequence[Any]: ...


@dataclass
class PipelineReport:
    received: int = 0
    analyzed: int = 0
    relevant: int = 0
    indexed: int = 0
    index_failed: int = 0
    spooled: int = 0
    replayed: int = 0
    alerts: int = 0
    alert_errors: int = 0
    seconds: float = 0.0
    relevant_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Spool:
    """Append-only JSONL files of analysed posts waiting for a stage that failed (``index`` or ``alert``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, stage: str) -> Path:
        return self.directory / f"{stage}.jsonl"

    def put(self, stage: str, items: Sequence[AnalyzedPost], reason: str) -> None:
        if not items:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._path(stage).open("a", encoding="utf-8") as fh:
            for it in items:
                rec = {"post": it.post.to_dict(), "analysis": it.analysis.to_dict(), "reason": reason}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        logger.warning("spooled %d item(s) for stage %s: %s", len(items), stage, reason)

    def take(self, stage: str) -> list[AnalyzedPost]:
        """Remove and return everything spooled for ``stage`` (the caller re-spools what fails again)."""
        path = self._path(stage)
        if not path.exists():
            return []
        claimed = path.with_suffix(f".{int(time.time() * 1000)}.claim")
        path.rename(claimed)
        items: list[AnalyzedPost] = []
        with claimed.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    items.append(
                        AnalyzedPost(Post.from_dict(rec["post"]), Analysis.from_dict(rec["analysis"]))
                    )
        claimed.unlink()
        return items

    def count(self, stage: str) -> int:
        path = self._path(stage)
        if not path.exists():
            return 0
        with path.open(encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())


class Pipeline:
    def __init__(
        self,
        *,
        analyzer: AnalyzerStage,
        indexer: IndexStage | None,
        alerts: AlertStage | None,
        spool: Spool,
    ) -> None:
        self.analyzer = analyzer
        self.indexer = indexer
        self.alerts = alerts
        self.spool = spool

    def process(self, posts: Sequence[Post]) -> PipelineReport:
        t0 = time.perf_counter()
        report = PipelineReport(received=len(posts))
        analyses = self.analyzer.analyze(posts) if posts else []
        if len(analyses) != len(posts):
            raise RuntimeError(f"analyzer returned {len(analyses)} analyses for {len(posts)} posts")
        items = [AnalyzedPost(p, a) for p, a in zip(posts, analyses, strict=True)]
        report.analyzed = len(items)
        relevant = [it for it in items if it.analysis.labor_dispute]
        report.relevant = len(relevant)
        report.relevant_ids = [it.post.id for it in relevant]

        if self.indexer is not None:
            backlog = self.spool.take("index")
            report.replayed = len(backlog)
            batch = backlog + items
            try:
                outcome = self.indexer.index(batch)
            except Exception as exc:  # isolation boundary: a dead cluster must not drop the batch
                logger.exception("indexing failed; spooling %d item(s)", len(batch))
                self.spool.put("index", batch, f"{type(exc).__name__}: {exc}")
                report.spooled += len(batch)
            else:
                report.indexed = len(outcome.indexed)
                report.index_failed = len(outcome.failed)
                if outcome.failed:
                    failed_ids = {pid for pid, _ in outcome.failed}
                    reasons = "; ".join(f"{pid}: {why}" for pid, why in outcome.failed[:5])
                    self.spool.put("index", [it for it in batch if it.post.id in failed_ids], reasons)
                    report.spooled += len(failed_ids)

        if self.alerts is not None:
            backlog = self.spool.take("alert")
            todo = backlog + relevant
            if todo:
                try:
                    report.alerts = len(self.alerts.process(todo))
                except Exception as exc:  # isolation boundary: never lose an alert candidate
                    logger.exception("alerting failed; spooling %d item(s)", len(todo))
                    self.spool.put("alert", todo, f"{type(exc).__name__}: {exc}")
                    report.alert_errors += 1
        report.seconds = time.perf_counter() - t0
        return report
