"""Shared fixtures. Room-specific fixtures live in the room's own test folder's conftest.py.

Real services: the SMTP server here is a real aiosmtpd server on loopback; PostgreSQL and Redis URLs come
from scripts/test.sh (LW_TEST_PG_URL, LW_TEST_REDIS_URL); Elasticsearch fixtures are in the section below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from laborwatch.mailsink import MailSink
from lwcore.db import Database
from lwcore.settings import Settings, load_settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip with a clear message where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-world data folder {SHARED_DATA} is absent; this tier needs ../shared/data")
    return SHARED_DATA


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings from the repo's configs with state and DB in a temporary folder (no environment layer)."""
    env = {k: v for k, v in os.environ.items() if k in ("LW_ES_URL",)}
    return load_settings(environ=env, overrides={"state_dir": str(tmp_path / "state")})


@pytest.fixture
def smtp_server() -> Iterator[MailSink]:
    """A real SMTP server (aiosmtpd) on loopback that records what it accepts (``refuse = True``: 451)."""
    with MailSink() as sink:
        yield sink


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("LW_TEST_PG_URL")
    if not url:
        pytest.skip("LW_TEST_PG_URL unset: PostgreSQL is started by scripts/test.sh")
    return url


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[Database]:
    """A fresh, empty PostgreSQL database per test (created beside the test database, dropped afterwards)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"lw_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("LW_TEST_REDIS_URL")
    if not url:
        pytest.skip("LW_TEST_REDIS_URL unset: Redis is started by scripts/test.sh")
    return url


# --- Elasticsearch fixtures (index room) -------------------------------------------------------------
# es_client (session): a live client; LW_ES_URL if set, else the local node that scripts/test.sh started with
# `laborwatch es up` under LW_STATE_DIR. Neither answering: the test FAILS when CI is set, else it skips.
# es_settings_isolated (function): EsSettings whose url is the live cluster and whose index_prefix is unique
# to the test (fast bulk backoff); its indices and templates are deleted afterwards.
# settings_es_isolated (function): full Settings (tmp state dir) carrying those EsSettings.


def _es_settings_from_env() -> Settings:
    keep = ("LW_ES_URL", "LW_ES_USERNAME", "LW_ES_PASSWORD", "LW_ES_API_KEY", "LW_ES_CA_FILE", "LW_STATE_DIR")
    return load_settings(environ={k: v for k, v in os.environ.items() if k in keep})


@pytest.fixture(scope="session")
def es_client():
    from index import EsUnavailable, connect

    try:
        client = connect(_es_settings_from_env())
    except EsUnavailable as exc:
        msg = f"Elasticsearch needed: {exc} (scripts/test.sh starts one)"
        if os.environ.get("CI"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    yield client
    client.close()


def _drop_es_prefix(client, prefix: str) -> None:
    names = client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True).body
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)
    from elasticsearch import NotFoundError

    try:
        templates = client.indices.get_index_template(name=f"{prefix}-template-*").body.get("index_templates", [])
    except NotFoundError:
        templates = []
    for tpl in templates:
        client.indices.delete_index_template(name=tpl["name"])


@pytest.fixture
def es_settings_isolated(es_client):
    import uuid

    from lwcore.settings import EsSettings

    base = _es_settings_from_env().es
    url = es_client.transport.node_pool.get().base_url
    prefix = f"lwtest-{uuid.uuid4().hex[:12]}"
    es = EsSettings.model_validate(
        {**base.model_dump(), "url": url, "index_prefix": prefix, "bulk_initial_backoff_s": 0.05}
    )
    yield es
    _drop_es_prefix(es_client, prefix)


@pytest.fixture
def settings_es_isolated(es_settings_isolated, tmp_path: Path) -> Settings:
    return load_settings(
        environ={},
        overrides={"state_dir": str(tmp_path / "state"), "es": es_settings_isolated.model_dump()},
    )
