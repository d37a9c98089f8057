"""Fixtures of the web unit tests: a migrated SQLite DB, one user per role, logged-in test clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webui_support import PASSWORD, ROLES, login

from laborwatch.web.accounts import Accounts
from lwcore.db import Database
from lwcore.settings import Settings


@pytest.fixture
def web_db(tmp_settings: Settings) -> Iterator[Database]:
    db = Database.from_settings(tmp_settings)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def accounts(web_db: Database) -> Accounts:
    acc = Accounts(web_db)
    for role in ROLES:
        acc.add_user(f"u_{role}", PASSWORD, role, display_name=f"{role}用户")
    return acc


@pytest.fixture
def make_app(tmp_settings: Settings, web_db: Database, accounts: Accounts) -> Callable[..., Any]:
    from laborwatch.web import create_app

    def factory(**kwargs: Any) -> Any:
        return create_app(tmp_settings, web_db, **kwargs)

    return factory


@pytest.fixture
def client_as(make_app: Callable[..., Any]) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def factory(role: str, **kwargs: Any) -> TestClient:
        client = TestClient(make_app(**kwargs))
        clients.append(client)
        return login(client, f"u_{role}")

    yield factory
    for c in clients:
        c.close()
