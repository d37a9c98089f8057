from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from webui_support import csrf_of, seed_alert

from laborwatch.web.labels import EVENT_TYPE_LABELS
from lwcore.db import Database
from lwcore.domain import EVENT_TYPES
from lwcore.settings import Settings

PUBLIC_POSTS = {"/login", "/ack/{token}"}  # protected by the login cookie token / the signed ack token


def _post_paths() -> list[str]:
    """Every POST route of the protected routers: every module of laborwatch.web.routes with a ``router``
    (a new routes module is included without editing this test)."""
    import importlib
    import pkgutil

    import laborwatch.web.routes as routes

    modules = [importlib.import_module(f"{routes.__name__}.{m.name}") for m in pkgutil.iter_modules(routes.__path__)]
    return sorted(
        r.path for m in modules if hasattr(m, "router") for r in m.router.routes
        if isinstance(r, APIRoute) and "POST" in r.methods
    )


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(make_app: Callable[..., Any],
                                                                 client_as: Callable[..., TestClient],
                                                                 web_db: Database) -> None:
    alert_id = seed_alert(web_db)
    paths = _post_paths()
    assert len(paths) == 38, paths  # a new POST route must be added here knowingly (+ merge, move-post, companies,
    # field reports: /reports/new, /reports/import; list imports: blacklist, supervision; review, model promote/rollback)
    admin = client_as("admin")
    for path in paths:
        url = re.sub(r"\{[a-z_]+\}", "1", path).replace("/alerts/1", f"/alerts/{alert_id}")
        if path in PUBLIC_POSTS:
            continue
        for data in ({}, {"csrf_token": "forged-token"}):
            r = admin.post(url, data=data)
            assert r.status_code == 403, (path, data, r.status_code)
    # the public forms refuse forged tokens too
    assert admin.post("/login", data={"username": "u_admin", "password": "x", "csrf_token": "no"}).status_code == 403


def test_event_type_labels_cover_the_contract() -> None:
    assert set(EVENT_TYPE_LABELS) == set(EVENT_TYPES)


def test_email_ack_link_shows_then_acknowledges_on_post(tmp_settings: Settings, web_db: Database,
                                                         make_app: Callable[..., Any]) -> None:
    from alerting.ack import make_token
    from alerting.models import Alert

    settings = tmp_settings.model_copy(update={"alerting": tmp_settings.alerting.model_copy(
        update={"insecure_dev_secret": True})})
    from laborwatch.web import create_app

    alert_id = seed_alert(web_db, title="邮件签收测试")
    token = make_token(settings, alert_id, "duty@example.gov.cn")
    with TestClient(create_app(settings, web_db)) as c:
        page = c.get(f"/ack/{token}")  # no login: the signed token is the credential
        assert page.status_code == 200 and "邮件签收测试" in page.text and "确认签收" in page.text
        with web_db.session() as s:
            alert = s.get(Alert, alert_id)
            assert alert is not None and alert.status == "open"  # a GET changes nothing (mail scanners)
        assert c.post(f"/ack/{token}", data={"csrf_token": "forged"}).status_code == 403
        r = c.post(f"/ack/{token}", data={"csrf_token": csrf_of(page.text)})
        assert r.status_code == 200 and "已签收" in r.text
        with web_db.session() as s:
            alert = s.get(Alert, alert_id)
            assert alert is not None and alert.acked_by == "duty@example.gov.cn" and alert.acked_via == "link"
        again = c.get(f"/ack/{token}")  # the link reused: it says so, and offers no button
        assert "无需重复签收" in again.text and 'id="ack-confirm"' not in again.text
        bad = c.get(f"/ack/{token}x")
        assert bad.status_code == 400 and "无效" in bad.text
        assert c.get("/alerts", follow_redirects=False).status_code == 303  # the token gives no session
