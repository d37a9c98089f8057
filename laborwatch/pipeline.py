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
    "DEAD_INDEX",
]

logger = logging.getLogger(__name__)

#: Spool stage of the posts Elasticsearch refused for good (kept, counted, retried only on request).
DEAD_INDEX = "dead-index"


class AnalyzerStage(Protocol):
    def analyze(self, posts: Sequence[Post]) -> list[Analysis]: ...


@dataclass
class IndexOutcome:
    """What an index stage reports: ids stored, (id, reason) for each failed action (worth retrying: the cluster
    was down or busy) and (id, reason) for each post it refused for good (a mapping conflict, a document that
    cannot be built): retrying those would fail forever, so they go to the dead-letter spool instead."""

    indexed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


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
    index_rejected: int = 0
    spooled: int = 0
    replayed: int = 0
    alerts: int = 0
    alert_errors: int = 0
    seconds: float = 0.0
    relevant_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Spool:
    """Files of analysed posts waiting for a stage that failed (``index`` or ``alert``), and the dead letters
    (``DEAD_INDEX``: posts Elasticsearch refused for good; kept, counted, never retried by themselves; after the
    cause is fixed, ``laborwatch spool requeue`` gives them back to ``index``).

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

    def requeue(self, dead: str, stage: str) -> int:
        """Move every file of ``dead`` back to ``stage`` (the next batch retries them); returns the items moved."""
        moved = 0
        for path in self._files(dead, ".jsonl"):
            with path.open(encoding="utf-8") as fh:
                n = sum(1 for line in fh if line.strip())
            try:
                path.rename(path.with_name(stage + path.name[len(dead):]))
            except FileNotFoundError:
                continue
            moved += n
        return moved

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
                report.index_rejected = len(outcome.rejected)
                if outcome.rejected:
                    dead_ids = {pid for pid, _ in outcome.rejected}
                    reasons = "; ".join(f"{pid}: {why}" for pid, why in outcome.rejected[:5])
                    logger.error("Elasticsearch refused %d post(s) for good; kept in the dead-letter spool (%s): %s",
                                 len(dead_ids), DEAD_INDEX, reasons)
                    self.spool.put(DEAD_INDEX, [it for it in batch if it.post.id in dead_ids], reasons)
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
