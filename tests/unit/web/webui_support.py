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
