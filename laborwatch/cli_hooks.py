"""What the shell injects into the rooms' command-line modules.

A room's ``cli`` module imports no other room and not the app's wiring; where one of its commands needs another
room's runtime or the app's own data, it takes a callable through ``register(subparsers, **hooks)`` and the shell
(:func:`laborwatch.cli.build_parser`) passes the ones listed in :data:`ROOM_HOOKS`. Each hook imports what it needs
when called, so ``laborwatch --help`` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from lwcore.settings import Settings

if TYPE_CHECKING:
    from laborwatch.crawl_pipeline import AppCrawlPipeline
    from laborwatch.pipeline import PipelineReport

__all__ = ["ROOM_HOOKS", "crawl_pipeline", "drain_spools", "export_labels", "feedback_rows", "model_audit",
           "nlp_segmenter", "town_names"]


def nlp_segmenter(settings: Settings) -> Callable[[str], list[str]]:
    """The nlp room's segmenter for ``laborwatch search`` (index room)."""
    from nlp.segment import Segmenter

    return Segmenter.from_settings(settings).cut


def crawl_pipeline(settings: Settings) -> AppCrawlPipeline:
    """Analysis, index, alerts and the run records for ``laborwatch crawl`` (crawlers room)."""
    from laborwatch.crawl_pipeline import open_crawl_pipeline

    return open_crawl_pipeline(settings)


def export_labels(args: argparse.Namespace, settings: Settings) -> int:
    """``laborwatch nlp export-labels``: the staff's verification decisions (the shell's feedback store)."""
    from laborwatch.feedback import cmd_export_labels

    return int(cmd_export_labels(args, settings) or 0)


def model_audit(settings: Settings, username: str) -> Callable[[str, str, dict[str, Any]], None]:
    """An audit writer for the nlp room's bundle promotions and rollbacks: one row in the web audit log each. A
    database that cannot be reached is an error (a promotion must not go unrecorded)."""

    def write(action: str, bundle_id: str, detail: dict[str, Any]) -> None:
        from laborwatch.web.accounts import audit
        from lwcore.db import Database

        db = Database.from_settings(settings)
        try:
            db.upgrade()
            with db.session() as s:
                audit(s, user_id=None, username=username, action=action, target_type="model", target_id=bundle_id,
                      detail=detail, ip=None)
        finally:
            db.dispose()

    return write


def feedback_rows(settings: Settings) -> list[dict[str, Any]]:
    """The staff's verification decisions in the ``export-labels`` format, for ``nlp retrain`` and ``nlp gate``."""
    from laborwatch.feedback import iter_training_labels
    from lwcore.db import Database

    db = Database.from_settings(settings)
    try:
        db.upgrade()
        return list(iter_training_labels(db))
    finally:
        db.dispose()


def drain_spools(settings: Settings, *, alerts: Any | None) -> PipelineReport:
    """The hand-off backlog replayed by ``laborwatch alerts tick`` (alerting room)."""
    from laborwatch.wiring import drain_spools as drain

    return drain(settings, alerts=alerts)


def town_names(settings: Settings) -> set[str] | None:
    """The district's towns from regions.yaml (nlp room) for ``laborwatch companies export-csv``; None when the
    file is unusable (the export then checks no town)."""
    from lwcore.errors import ConfigError
    from nlp.regions import Regions

    try:
        return {t.name for t in Regions.load(settings.config_file("regions.yaml")).towns}
    except ConfigError:
        return None


#: Command module -> the keyword arguments its ``register`` receives.
ROOM_HOOKS: Mapping[str, Mapping[str, Callable[..., Any]]] = {
    "index.cli": {"segmenter": nlp_segmenter},
    "crawlers.cli": {"pipeline": crawl_pipeline},
    "nlp.cli": {"export_labels": export_labels, "model_audit": model_audit, "feedback_rows": feedback_rows},
    "alerting.cli": {"drain_spools": drain_spools},
    "companies.cli": {"town_names": town_names},
}
