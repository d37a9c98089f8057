from __future__ import annotations

import pytest
from sqlalchemy import select
from webui_support import PASSWORD

from laborwatch.web.accounts import PERMISSIONS, Accounts, can, hash_password, verify_password
from laborwatch.web.errors import AccountError
from laborwatch.web.models import AuditEntry, Role, User
from lwcore.db import Database


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = hash_password("secret-pass-1"), hash_password("secret-pass-1")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("secret-pass-1", a)
    assert not verify_password("secret-pass-2", a)
    assert not verify_password("x", "garbage")
    assert not verify_password("x", "pbkdf2$1$2$3$4$5")


def test_add_user_validates_and_never_stores_plain_password(web_db: Database) -> None:
    acc = Accounts(web_db)
    acc.add_user("zhang.san", "longenough1", "verifier", display_name="张三")
    with pytest.raises(AccountError, match="already exists"):
        acc.add_user("zhang.san", "longenough1", "verifier")
    with pytest.raises(AccountError, match="role 'boss'"):
        acc.add_user("li", "longenough1", "boss")
    with pytest.raises(AccountError, match="too short"):
        acc.add_user("li", "short", "admin")
    with pytest.raises(AccountError, match="username"):
        acc.add_user("bad name!", "longenough1", "admin")
    with web_db.session() as s:
        user = s.scalar(select(User).where(User.username == "zhang.san"))
        assert user is not None and "longenough1" not in user.password_hash
        actions = [e.action for e in s.scalars(select(AuditEntry))]
    assert actions == ["user.add"]


def test_login_session_resolve_logout_and_audit(accounts: Accounts, web_db: Database) -> None:
    assert accounts.login("u_duty", "wrong-password") is None
    assert accounts.login("nobody", PASSWORD) is None
    token, principal = accounts.login("u_duty", PASSWORD, ip="127.0.0.1")  # type: ignore[misc]
    assert principal.role is Role.DUTY and principal.can("alert.handle") and not principal.can("users.manage")
    again = accounts.resolve(token)
    assert again is not None and again.csrf_token == principal.csrf_token
    assert accounts.resolve("not-a-token") is None
    accounts.logout(token)
    assert accounts.resolve(token) is None
    with web_db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-4:] == ["login.failed", "login.failed", "login", "logout"]


def test_password_change_and_deactivation_end_sessions(accounts: Accounts) -> None:
    token, _ = accounts.login("u_verifier", PASSWORD)  # type: ignore[misc]
    accounts.set_password("u_verifier", "another-pass-2")
    assert accounts.resolve(token) is None
    assert accounts.login("u_verifier", PASSWORD) is None
    token, _ = accounts.login("u_verifier", "another-pass-2")  # type: ignore[misc]
    accounts.update_user("u_verifier", active=False, by="u_admin")
    assert accounts.resolve(token) is None
    assert accounts.login("u_verifier", "another-pass-2") is None


def test_permission_table() -> None:
    assert all(can(r, "view") for r in Role)
    assert [r.value for r in Role if can(r, "verify")] == ["admin", "duty", "verifier"]
    assert [r.value for r in Role if can(r, "alert.handle")] == ["admin", "duty"]
    assert [r.value for r in Role if can(r, "users.manage")] == ["admin"]
    assert not can("readonly", "case.open") and not can("readonly", "no-such-permission")
    assert set(PERMISSIONS["case.manage"]) == {Role.ADMIN, Role.DUTY}


def test_stale_cookie_never_opens_the_session_of_a_new_user_with_the_same_id(web_db: Database) -> None:
    """Issue 16: delete a user row behind the app's back (no cascade), add a new admin who gets the same id:
    the old cookie must not open anything, and stays dead."""
    import sqlite3

    acc = Accounts(web_db)
    acc.add_user("old.verifier", "longenough1", "verifier")
    token, old = acc.login("old.verifier", "longenough1")  # type: ignore[misc]
    db_file = web_db.url.removeprefix("sqlite:///")
    with sqlite3.connect(db_file) as conn:  # a plain sqlite3 shell: foreign keys off, sessions not cascaded
        conn.execute("DELETE FROM web_users WHERE username = 'old.verifier'")
    new = acc.add_user("new.admin", "longenough2", "admin")
    assert new.id == old.user_id  # SQLite handed the same id out again
    assert acc.resolve(token) is None  # the session was revoked, not re-attached to the new admin
    with web_db.session() as s:
        from laborwatch.web.models import WebSession

        assert list(s.scalars(select(WebSession))) == []


def test_same_name_re_added_does_not_inherit_the_old_session(web_db: Database) -> None:
    acc = Accounts(web_db)
    acc.add_user("wang", "longenough1", "verifier")
    token, _ = acc.login("wang", "longenough1")  # type: ignore[misc]
    acc.delete_user("wang", by="admin")
    assert acc.resolve(token) is None
    acc.add_user("wang", "longenough1", "admin")  # same name and even the same password: a new salt
    assert acc.resolve(token) is None
    token2, p = acc.login("wang", "longenough1")  # type: ignore[misc]
    assert acc.resolve(token2) == p and token2 != token
