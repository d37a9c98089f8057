from __future__ import annotations

import io
from pathlib import Path

import pytest

from laborwatch.cli import main


def test_users_add_list_passwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("LW_DB_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("first-pass-1\n"))
    assert main(["users", "add", "zhang", "--role", "duty", "--name", "张三", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("first-pass-1\n"))
    assert main(["users", "add", "zhang", "--role", "duty", "--password-stdin"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "zhang" in out and "duty" in out and "张三" in out and "first-pass-1" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "passwd", "zhang", "--password-stdin"]) == 1
    assert "too short" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass-2\n"))
    assert main(["users", "passwd", "zhang", "--password-stdin"]) == 0

    from laborwatch.web.accounts import Accounts
    from lwcore.db import Database
    from lwcore.settings import load_settings

    db = Database.from_settings(load_settings(environ={"LW_STATE_DIR": str(tmp_path / "state")}))
    try:
        acc = Accounts(db)
        assert acc.login("zhang", "first-pass-1") is None and acc.login("zhang", "second-pass-2") is not None
    finally:
        db.dispose()


def test_users_delete_revokes_the_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("LW_DB_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("first-pass-1\n"))
    assert main(["users", "add", "li", "--role", "admin", "--password-stdin"]) == 0

    from laborwatch.web.accounts import Accounts
    from lwcore.db import Database
    from lwcore.settings import load_settings

    db = Database.from_settings(load_settings())
    try:
        token, _ = Accounts(db).login("li", "first-pass-1")  # type: ignore[misc]
        assert main(["users", "delete", "li"]) == 0
        assert "user deleted" in capsys.readouterr().out
        assert Accounts(db).resolve(token) is None
        assert main(["users", "delete", "li"]) == 1
        assert "no such user" in capsys.readouterr().err
    finally:
        db.dispose()
