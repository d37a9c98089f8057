"""``pipeline.process(posts)``: analyse -> index -> alert, one direction, nothing lost.

The stages are passed in (built once per process by :meth:`Pipeline.from_settings`); each is behind a small
protocol so tests can wire real or fake stages. A batch that cannot be indexed (Elasticsearch down after its
retries, or documents rejected) is written to the spool under the state directory and replayed on the next
call, so a dead cluster never drops a post. Alerting failures are likewise spooled and retried.
"""

from __future__ import annotations

import json
import logging
import os
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
    """Files of analysed posts waiting for a stage that failed (``index`` or ``alert``).

    Safe for several processes (the service runs crawls in parallel) and for crashes:

    - each :meth:`put` writes its own file (``<stage>-<ns>-<pid>.jsonl``, written aside and renamed in), so
      concurrent writers never interleave;
    - :meth:`take` claims files by renaming them (``.claim``); only the process whose rename succeeded reads
      them. A claim left behind by a process that died before re-spooling or finishing is adopted again
      after ``stale_claim_s``, so a crash between take and success loses nothing (at worst the batch is
      processed twice; indexing is idempotent by post id and alerts are per event).
    """

    def __init__(self, directory: Path, *, stale_claim_s: float = 600.0) -> None:
        self.directory = directory
        self.stale_claim_s = stale_claim_s
        self._claimed: dict[str, list[Path]] = {}

    def put(self, stage: str, items: Sequence[AnalyzedPost], reason: str) -> None:
        if not items:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{stage}-{time.time_ns()}-{os.getpid()}"
        tmp = self.directory / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            for it in items:
                rec = {"post": it.post.to_dict(), "analysis": it.analysis.to_dict(), "reason": reason}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.rename(self.directory / f"{name}.jsonl")
        logger.warning("spooled %d item(s) for stage %s: %s", len(items), stage, reason)

    def _files(self, stage: str, suffix: str) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"{stage}-*{suffix}"))

    def take(self, stage: str) -> list[AnalyzedPost]:
        """Claim and return everything spooled for ``stage``; the caller re-spools what fails again and
        calls :meth:`done` once the items are safely handled."""
        now = time.time()
        claimed: list[Path] = []
        candidates = self._files(stage, ".jsonl") + [
            p for p in self._files(stage, ".claim") if now - _mtime(p) > self.stale_claim_s
        ]
        for path in candidates:
            target = path.with_name(f"{path.name.split('.')[0]}.{os.getpid()}.claim")
            try:
                path.rename(target)
            except FileNotFoundError:  # another process claimed it first
                continue
            os.utime(target)
            claimed.append(target)
        items: list[AnalyzedPost] = []
        for path in claimed:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        items.append(AnalyzedPost(Post.from_dict(rec["post"]), Analysis.from_dict(rec["analysis"])))
        self._claimed.setdefault(stage, []).extend(claimed)
        return items

    def done(self, stage: str) -> None:
        """Forget the files claimed by :meth:`take` for ``stage`` (their items were handled or re-spooled)."""
        for path in self._claimed.pop(stage, []):
            path.unlink(missing_ok=True)

    def count(self, stage: str) -> int:
        """Items waiting for ``stage`` (claimed ones included: they are not handled yet)."""
        total = 0
        for path in self._files(stage, ".jsonl") + self._files(stage, ".claim"):
            try:
                with path.open(encoding="utf-8") as fh:
                    total += sum(1 for line in fh if line.strip())
            except FileNotFoundError:
                continue
        return total


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


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
                self.spool.done("index")
                report.spooled += len(batch)
            else:
                report.indexed = len(outcome.indexed)
                report.index_failed = len(outcome.failed)
                if outcome.failed:
                    failed_ids = {pid for pid, _ in outcome.failed}
                    reasons = "; ".join(f"{pid}: {why}" for pid, why in outcome.failed[:5])
                    self.spool.put("index", [it for it in batch if it.post.id in failed_ids], reasons)
                    report.spooled += len(failed_ids)
                self.spool.done("index")

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
            self.spool.done("alert")
        report.seconds = time.perf_counter() - t0
        return report
