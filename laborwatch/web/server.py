"""Build the web app from settings (DB, Elasticsearch client, segmenter) and serve it with uvicorn."""

from __future__ import annotations

import logging
from typing import Any

from laborwatch.db import Database
from laborwatch.settings import Settings

__all__ = ["build_app", "serve"]

logger = logging.getLogger(__name__)


def build_app(settings: Settings, *, db: Database | None = None) -> Any:
    """The app with its real collaborators; search is switched off (with a notice) if ES cannot be reached."""
    from laborwatch.web.app import create_app

    if db is None:
        db = Database.from_settings(settings)
        db.upgrade()
    es_client = segmenter = None
    try:
        import index
        from nlp.segment import Segmenter

        segmenter = Segmenter.from_settings(settings).cut
        es_client = index.connect(settings)
    except Exception as exc:  # noqa: BLE001 - isolation boundary: the UI still serves alerts and the ledger
        logger.error("search disabled: cannot connect to Elasticsearch: %s", exc)
    return create_app(settings, db, es_client=es_client, segmenter=segmenter)


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    app = build_app(settings)
    uvicorn.run(app, host=host or settings.web.host, port=port or settings.web.port, log_level="info",
                proxy_headers=False)
