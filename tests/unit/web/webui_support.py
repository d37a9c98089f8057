"""Helpers shared by the web unit tests (imported by module name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct-horse-9"
ROLES = ("admin", "duty", "verifier", "readonly")


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF field"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text),
                                    "next": "/admin/users"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def seed_alert(db, *, level: str = "II", title: str = "某物流公司拖欠30名员工工资", n_posts: int = 2,  # type: ignore[no-untyped-def]
               deadline_minutes: int = 30, town: str = "赵巷镇", key: str | None = None) -> int:
    """Insert one open alert with evidence posts straight into the alerting tables (test data)."""
    from datetime import timedelta

    from alerting.models import Alert, AlertEvent, AlertPost
    from lwcore.db import utcnow

    now = utcnow()
    with db.session() as s:
        alert = Alert(
            cluster_key=key or f"ev-{title}-{now.timestamp()}", level=level, status="open", silenced=False,
            title=title, company_id="91310118TEST00001X", company_name="上海青浦某物流有限公司",
            company_registered=True, key_supervision=False, town=town, industry="物流",
            event_types=["wage_arrears"], rules=["match"], reasons=["关键词：欠薪", "人数≥30"], post_count=n_posts,
            workers=30, amount_yuan=300000.0, max_severity=level, unit="劳动监察大队", first_seen=now,
            last_seen=now, created_at=now, updated_at=now, notified_level=level, notified_at=now,
            notified_post_count=n_posts, ack_deadline=now + timedelta(minutes=deadline_minutes), escalation_step=0,
        )
        s.add(alert)
        s.flush()
        for i in range(n_posts):
            s.add(AlertPost(
                alert_id=alert.id, post_id=f"p-test-{alert.id}-{i}", url=f"https://example.com/{alert.id}/{i}",
                title=f"{title}（{i}）", snippet="三十多名工人聚集讨薪，公司拖欠三个月工资约30万元。",
                source_id="weibo-qingpu", platform="weibo", published_at=now, severity=level, score=0.93,
                event_types=["wage_arrears"], workers=30, amount_yuan=300000.0, severity_factors=[], added_at=now,
            ))
        s.add(AlertEvent(alert_id=alert.id, at=now, kind="created", actor=None, detail={}))
        return int(alert.id)
