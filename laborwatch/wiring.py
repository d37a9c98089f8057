"""Composition root: builds the pipeline's stages from Settings, once per process.

Only the app shell knows every room; the rooms never import each other's runtime. Heavy rooms (nlp with torch,
elasticsearch) are imported here lazily, when a pipeline is actually built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from laborwatch.pipeline import Pipeline, PipelineReport, Spool
from lwcore.db import Database
from lwcore.settings import Settings

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

    from index import Indexer

__all__ = ["Wiring", "build_pipeline", "build_wiring", "drain_spools", "enqueue_only", "with_company_standing"]

logger = logging.getLogger(__name__)


@dataclass
class Wiring:
    """Everything a process needs to run posts through the system."""

    settings: Settings
    pipeline: Pipeline
    db: Database | None
    es_client: Elasticsearch | None
    indexer: Indexer | None
    segmenter: Callable[[str], list[str]]

    def seen_ids(self, ids: Sequence[str]) -> set[str]:
        """Post ids already in the index (the crawlers' incremental check)."""
        if self.indexer is None or not ids:
            return set()
        return set(self.indexer.existing_ids(list(ids)))

    def close(self) -> None:
        if self.es_client is not None:
            self.es_client.close()
        if self.db is not None:
            self.db.dispose()


def build_wiring(
    settings: Settings,
    *,
    with_index: bool = True,
    with_alerts: bool = True,
    analyzer: Any | None = None,
    send: bool = False,
) -> Wiring:
    """Build analyser, indexer and alert engine from settings (the DB schema is brought up to date).

    The alert engine only enqueues e-mail unless ``send`` is true: delivery is the service's sender job
    (``alerts send`` / ``alerts tick`` by hand), so a hung SMTP server never slows a crawl."""
    from nlp import Analyzer
    from nlp.segment import Segmenter

    segmenter = Segmenter.from_settings(settings).cut
    analyzer = analyzer or Analyzer.from_settings(settings)

    es_client = indexer = None
    if with_index:
        import index

        es_client = index.connect(settings)
        indexer = index.Indexer(es_client, settings.es, segmenter=segmenter)
        indexer.ensure_templates()

    db: Database | None = None
    alerts = None
    if with_alerts:
        import alerting

        db = Database.from_settings(settings)
        db.upgrade()
        alerts = alerting.AlertEngine.from_settings(settings if send else enqueue_only(settings), db)
        analyzer = with_company_standing(settings, db, analyzer)

    pipeline = Pipeline(
        analyzer=analyzer,
        indexer=indexer,
        alerts=alerts,
        spool=Spool(settings.state_path / "spool"),
    )
    return Wiring(settings, pipeline, db, es_client, indexer, segmenter)


def with_company_standing(settings: Settings, db: Database, analyzer: Any) -> Any:
    """The analyser stage with the companies room's list standing applied: alerts about firms on the wage-arrears
    blacklist or the key supervision list rise (``severity_raise`` in ``configs/supervision.yaml``)."""
    from companies.config import FILE_NAME, load_supervision_config
    from companies.standing import StandingAnalyzer, StandingSource

    rule = load_supervision_config(settings.config_file(FILE_NAME)).severity_raise
    if not (rule.blacklist or rule.key_supervision):
        return analyzer
    return StandingAnalyzer(analyzer, StandingSource(db), rule)


def build_pipeline(settings: Settings) -> Pipeline:
    return build_wiring(settings).pipeline


def enqueue_only(settings: Settings) -> Settings:
    """The same settings with inline dispatch off: the alert engine writes outbox rows, the sender sends them."""
    return settings.model_copy(
        update={"alerting": settings.alerting.model_copy(update={"dispatch_inline": False})}
    )


def drain_spools(settings: Settings, *, alerts: Any | None) -> PipelineReport:
    """Replay the pipeline's spools with no new posts: the ``index`` backlog (when there is one; Elasticsearch
    is only contacted then), the ``alert`` backlog and the hand-off journals of processes that died.

    Called by the service on a timer (``service.spool_drain_s``) and by ``laborwatch alerts tick``."""
    spool = Spool(settings.state_path / "spool")
    es_client = indexer = None
    if spool.count("index"):
        try:
            import index
            from nlp.segment import Segmenter

            es_client = index.connect(settings)
            indexer = index.Indexer(es_client, settings.es, segmenter=Segmenter.from_settings(settings).cut)
            indexer.ensure_templates()
        except Exception as exc:  # isolation boundary: ES down keeps the index backlog; alerts still drain
            logger.warning("index backlog kept: Elasticsearch unavailable (%s)", exc)
            indexer = None
    try:
        return Pipeline(analyzer=None, indexer=indexer, alerts=alerts, spool=spool).drain()
    finally:
        if es_client is not None:
            es_client.close()
