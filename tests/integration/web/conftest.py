"""Fixtures of the web integration tests: a real Elasticsearch index with seeded Chinese posts (isolated
prefix, removed afterwards), a migrated SQLite DB with one user per role, alerts and cases."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from webint_support import PASSWORD, POSTS, ROLES, SeededIndex

from laborwatch.web.accounts import Accounts
from lwcore.db import Database, utcnow
from lwcore.domain import Analysis, AnalyzedPost, CompanyLink, Post, PostKind, Severity
from lwcore.settings import Settings


@pytest.fixture
def web_settings(settings_es_isolated: Settings) -> Settings:
    """Settings on the live cluster with a test-only index prefix (dropped afterwards by the shared fixture)."""
    alerting = settings_es_isolated.alerting.model_copy(update={"insecure_dev_secret": True})
    return settings_es_isolated.model_copy(update={"alerting": alerting})


@pytest.fixture
def seeded_index(web_settings: Settings, es_client: Any) -> SeededIndex:
    import index
    from nlp.segment import Segmenter

    client = es_client
    segmenter = Segmenter.from_settings(web_settings).cut
    indexer = index.Indexer(client, web_settings.es, segmenter=segmenter)
    indexer.ensure_templates()
    now = utcnow()
    items = []
    for i, (title, content, dispute, types, sev, town, company) in enumerate(POSTS):
        post = Post(id=f"p-webtest-{i}", url=f"https://news.example.com/qingpu/{i}.html", source_id="qingpu-news",
                    platform="news" if i % 2 == 0 else "weibo", kind=PostKind.NEWS, title=title, content=content,
                    published_at=now - timedelta(days=i), fetched_at=now)
        links = (CompanyLink(mention=company, company_id=f"91310118TEST0000{i}X", name=company, confidence=0.95,
                             method="exact", town=town),) if company else ()
        analysis = Analysis(post_id=post.id, labor_dispute=dispute, score=0.95 if dispute else 0.05, event_types=types,
                            employers=(company,) if company else (), companies=links, towns=(town,) if town else (),
                            workers=30 if dispute else None, severity=Severity(sev) if sev else None,
                            model_version="test")
        items.append(AnalyzedPost(post, analysis))
    outcome = indexer.index(items)
    assert not outcome.failed, outcome.failed
    indexer.refresh()
    return SeededIndex(web_settings, client, segmenter, [it.post.id for it in items])


@pytest.fixture
def web_db(web_settings: Settings) -> Iterator[Database]:
    db = Database.from_settings(web_settings)
    db.upgrade()
    acc = Accounts(db)
    for role in ROLES:
        acc.add_user(f"u_{role}", PASSWORD, role, display_name={"admin": "管理员", "duty": "张值班",
                                                               "verifier": "李核实", "readonly": "王只读"}[role])
    yield db
    db.dispose()


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(seeded_index: SeededIndex, web_db: Database) -> Iterator[str]:
    import socket

    import uvicorn

    from laborwatch.web import create_app

    app = create_app(seeded_index.settings, web_db, es_client=seeded_index.client, segmenter=seeded_index.segmenter)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


