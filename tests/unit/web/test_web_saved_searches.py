"""Saved searches: save from the search page, list, open, delete; private to their owner; the migration
creates what the model declares."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import csrf_of

from laborwatch.web.models import SavedSearch
from lwcore.db import Base, Database


def test_save_list_open_delete(client_as: Callable[..., TestClient], web_db: Database) -> None:
    duty = client_as("duty")
    token = csrf_of(duty.get("/alerts").text)
    r = duty.post("/search/save", data={"name": "华新镇欠薪", "query": "q=欠薪&town=华新镇&evil=1&sort=time",
                                        "subscribed": "1", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/search?q=")
    assert "evil" not in r.headers["location"]  # only the search page's own parameters are kept
    assert duty.post("/search/save", data={"name": " ", "query": "q=x", "csrf_token": token}).status_code == 200
    with web_db.session() as s:
        [row] = list(s.scalars(select(SavedSearch)))
        assert (row.name, row.subscribed) == ("华新镇欠薪", True) and "town=%E5%8D%8E" in row.query
    page = duty.get("/searches").text
    assert "华新镇欠薪" in page and "已订阅" in page and "检索库不可用" in page  # no index in unit tests
    assert "订阅的检索" in duty.get("/").text
    opened = duty.get(f"/searches/{row.id}/open", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/search?{row.query}"
    # another user neither sees nor deletes it
    verifier = client_as("verifier")
    assert "华新镇欠薪" not in verifier.get("/searches").text
    assert verifier.post(f"/searches/{row.id}/delete",
                         data={"csrf_token": csrf_of(verifier.get("/alerts").text)}).status_code == 404
    r = duty.post(f"/searches/{row.id}/delete", data={"csrf_token": token})
    assert "已删除常用检索「华新镇欠薪」" in r.text
    with web_db.session() as s:
        assert list(s.scalars(select(SavedSearch))) == []


def test_saved_search_migration_matches_the_model(web_db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with web_db.engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert [d for d in diffs if "web_saved_searches" in str(d)] == []
