"""``pipeline.process(posts)``: analyse -> index -> alert, one direction, nothing lost.

The stages are passed in (built once per process by :mod:`laborwatch.wiring`); each is behind a small
protocol so tests can wire real or fake stages. A batch that cannot be indexed (Elasticsearch down after its
retries, or documents rejected) is written to the spool under the state directory and replayed later, so a dead
cluster never drops a post.

The hand-off to alerting is durable: before a batch is indexed, its relevant posts are written (fsync'd) to an
``alert`` journal file that this process holds as a claim. Only after the alert engine has committed them is the
file deleted; if the engine fails (a locked database) the file is released to the spool, and if the process
dies (``kill -9``, a crawl time limit) the claim of the dead process is adopted by the next drain. So every post
that reaches the index is evaluated for alerts, across any crash; the engine is idempotent per post, so a replay
of posts already evaluated changes nothing. If the journal cannot be written (disk full), the batch fails before
anything is indexed or marked seen, and the crawl collects it again.

Backlogs are drained by :meth:`Pipeline.drain` (the service's ``drain_spools`` job, ``alerts tick``), not
only by the next batch of new posts.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from lwcore.domain import Analysis, AnalyzedPost, IndexOutcome, Post
from lwcore.errors import LaborwatchError

__all__ = [
    "AnalyzerStage",
    "IndexStage",
    "AlertStage",
    "IndexOutcome",
    "PipelineReport",
    "Spool",
    "SpoolError",
    "Pipeline",
    "DEAD_INDEX",
]

logger = logging.getLogger(__name__)

#: Spool stage of the posts Elasticsearch refused for good (kept, counted, retried only on request).
DEAD_INDEX = "dead-index"


class SpoolError(LaborwatchError):
    """A spool file could not be written (disk full, read-only or missing state folder): one line naming the
    path and the reason. Nothing was marked done; the partial file was removed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot write the spool: {reason}")


class AnalyzerStage(Protocol):
    def analyze(self, posts: Sequence[Post]) -> list[Analysis]: ...


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

    - each :meth:`put` writes its own file (``<stage>-<ns>-<pid>.jsonl``, written aside, fsync'd and renamed
      in), so concurrent writers never interleave; a write that fails (disk full) removes its partial file and
      raises :class:`SpoolError` before anything is marked done;
    - :meth:`hold` writes the same kind of file directly as a claim of this process (the write-ahead journal of
      the alert hand-off): nobody else takes it while this process lives;
    - :meth:`take` claims files by renaming them (``<stem>.<host>~<pid>.claim``); only the process whose rename
      succeeded reads them. A claim whose process is gone (same host, the pid no longer exists) is adopted at
      once; any other claim after ``stale_claim_s``. A crash between take and success loses nothing (at worst
      the batch is processed twice; indexing is idempotent by post id and alerts are per post and event).
    - :meth:`release` hands this process's claims back unread (a rename: it needs no free space).
    """

    def __init__(self, directory: Path, *, stale_claim_s: float = 600.0) -> None:
        self.directory = directory
        self.stale_claim_s = stale_claim_s
        self._claimed: dict[str, list[Path]] = {}

    @staticmethod
    def _owner_tag() -> str:
        return f"{socket.gethostname().replace('.', '_').replace('~', '_')}~{os.getpid()}"

    def _write(self, stage: str, items: Sequence[AnalyzedPost], reason: str, *, claim: bool) -> Path:
        name = f"{stage}-{time.time_ns()}-{os.getpid()}"
        final = self.directory / (f"{name}.{self._owner_tag()}.claim" if claim else f"{name}.jsonl")
        tmp = self.directory / f".{name}.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tmp.open("w", encoding="utf-8") as fh:
                for it in items:
                    rec = {"post": it.post.to_dict(), "analysis": it.analysis.to_dict(), "reason": reason}
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            tmp.rename(final)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise SpoolError(self.directory, exc.strerror or str(exc)) from exc
        return final

    def put(self, stage: str, items: Sequence[AnalyzedPost], reason: str) -> None:
        if not items:
            return
        self._write(stage, items, reason, claim=False)
        logger.warning("spooled %d item(s) for stage %s: %s", len(items), stage, reason)

    def hold(self, stage: str, items: Sequence[AnalyzedPost], reason: str) -> None:
        """Write ``items`` for ``stage`` as a claim of this process (before the work they stand for starts);
        :meth:`done` deletes it after success, :meth:`release` hands it to the next drain after a failure, and
        if this process dies the next drain adopts it."""
        if not items:
            return
        path = self._write(stage, items, reason, claim=True)
        self._claimed.setdefault(stage, []).append(path)

    def _files(self, stage: str, suffix: str) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"{stage}-*{suffix}"))

    def _abandoned(self, path: Path, now: float) -> bool:
        """A claim nobody works on any more: its process is gone (same host) or it is older than the limit."""
        if now - _mtime(path) > self.stale_claim_s:
            return True
        owner = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 2 else ""
        host, sep, pid = owner.rpartition("~")
        if not sep or not pid.isdigit():
            return False  # a claim from an older version: only the age decides
        if host != self._owner_tag().rpartition("~")[0]:
            return False  # another machine's process: only the age decides
        return int(pid) != os.getpid() and not _pid_alive(int(pid))

    def take(self, stage: str) -> list[AnalyzedPost]:
        """Claim and return everything spooled for ``stage``; the caller calls :meth:`done` once the items are
        safely handled, or :meth:`release` to give them back."""
        now = time.time()
        claimed: list[Path] = []
        mine = set(self._claimed.get(stage, ()))
        candidates = self._files(stage, ".jsonl") + [
            p for p in self._files(stage, ".claim") if p not in mine and self._abandoned(p, now)
        ]
        for path in candidates:
            target = path.with_name(f"{path.name.split('.')[0]}.{self._owner_tag()}.claim")
            try:
                path.rename(target)
            except FileNotFoundError:  # another process claimed it first
                continue
            try:
                os.utime(target)
            except OSError:
                pass
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
        """Forget the files claimed or held for ``stage`` (their items were handled or re-spooled)."""
        for path in self._claimed.pop(stage, []):
            path.unlink(missing_ok=True)

    def release(self, stage: str) -> None:
        """Give the files claimed or held for ``stage`` back to the spool, unread (the next drain retries them)."""
        for path in self._claimed.pop(stage, []):
            try:
                path.rename(path.with_name(f"{path.name.split('.')[0]}.jsonl"))
            except FileNotFoundError:
                continue

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

    def sweep_tmp(self, *, older_than_s: float = 3600.0) -> int:
        """Remove partial ``.tmp`` files a killed writer left behind (never read: their data was not handed on)."""
        n = 0
        now = time.time()
        if not self.directory.is_dir():
            return 0
        for path in self.directory.glob(".*.tmp"):
            if now - _mtime(path) > older_than_s:
                path.unlink(missing_ok=True)
                n += 1
        return n


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


class Pipeline:
    def __init__(
        self,
        *,
        analyzer: AnalyzerStage | None,
        indexer: IndexStage | None,
        alerts: AlertStage | None,
        spool: Spool,
    ) -> None:
        self.analyzer = analyzer
        self.indexer = indexer
        self.alerts = alerts
        self.spool = spool

    def process(self, posts: Sequence[Post]) -> PipelineReport:
        """Analyse, journal the relevant posts, index (with the index backlog), alert (with the alert backlog).

        Raises :class:`SpoolError` when a spool or journal file cannot be written; nothing of the batch is then
        marked done (the journal is written before indexing, so a failing journal means nothing was indexed)."""
        t0 = time.perf_counter()
        report = PipelineReport(received=len(posts))
        if posts and self.analyzer is None:
            raise RuntimeError("this pipeline has no analyzer: it only drains the spools")
        analyses = self.analyzer.analyze(posts) if posts and self.analyzer is not None else []
        if len(analyses) != len(posts):
            raise RuntimeError(f"analyzer returned {len(analyses)} analyses for {len(posts)} posts")
        items = [AnalyzedPost(p, a) for p, a in zip(posts, analyses, strict=True)]
        report.analyzed = len(items)
        relevant = [it for it in items if it.analysis.labor_dispute]
        report.relevant = len(relevant)
        report.relevant_ids = [it.post.id for it in relevant]

        if self.alerts is not None:
            # write-ahead: the alert candidates are on disk before anything of the batch reaches the index
            self.spool.hold("alert", relevant, "journal")

        try:
            if self.indexer is not None:
                self._index(items, report)
        except BaseException:
            self.spool.release("alert")  # not evaluated: the next drain does it
            raise

        if self.alerts is not None:
            backlog = self.spool.take("alert")
            todo = backlog + relevant
            report.replayed += len(backlog)
            if todo:
                try:
                    report.alerts = len(self.alerts.process(todo))
                except BaseException as exc:  # isolation boundary: never lose an alert candidate
                    if isinstance(exc, Exception):
                        logger.exception("alerting failed; %d item(s) stay in the spool", len(todo))
                        report.alert_errors += 1
                    self.spool.release("alert")
                    if not isinstance(exc, Exception):
                        raise
                else:
                    self.spool.done("alert")
            else:
                self.spool.done("alert")
        report.seconds = time.perf_counter() - t0
        return report

    def drain(self) -> PipelineReport:
        """Replay the ``index`` and ``alert`` backlogs (no new posts): the service's timer and ``alerts tick``."""
        self.spool.sweep_tmp()
        return self.process([])

    def _index(self, items: list[AnalyzedPost], report: PipelineReport) -> None:
        assert self.indexer is not None
        backlog = self.spool.take("index")
        report.replayed += len(backlog)
        batch = backlog + items
        if not batch:
            self.spool.done("index")
            return
        try:
            outcome = self.indexer.index(batch)
        except Exception as exc:  # isolation boundary: a dead cluster must not drop the batch
            logger.exception("indexing failed; %d item(s) wait in the spool", len(batch))
            try:
                self.spool.put("index", items, f"{type(exc).__name__}: {exc}")  # the new ones; the backlog
            finally:
                self.spool.release("index")  # files go back as they were
            report.spooled += len(batch)
            return
        report.indexed = len(outcome.indexed)
        report.index_failed = len(outcome.failed)
        report.index_rejected = len(outcome.rejected)
        try:
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
        except SpoolError:
            self.spool.release("index")  # the backlog is replayed again (indexing is idempotent)
            raise
        self.spool.done("index")
