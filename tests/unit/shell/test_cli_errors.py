"""Issue 16: errors of the machine (state folder, database) are one line naming the path and the reason, with
a non-zero exit and no traceback; a closed pipe ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from laborwatch.cli import environment_error_line, main

REPO = Path(__file__).resolve().parents[3]


def _env(state: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    env.update(LW_STATE_DIR=state, PYTHONPATH=str(REPO))
    return env


def test_state_folder_that_cannot_be_created_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("LW_STATE_DIR", str(blocker / "state"))
    assert main(["alerts", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"laborwatch: error: {blocker / 'state'}: Not a directory"


def test_disk_full_names_the_file_and_the_reason() -> None:
    import errno

    exc = OSError(errno.ENOSPC, "No space left on device", "/srv/lw/state/spool/x.tmp")
    assert environment_error_line(exc, None) == "/srv/lw/state/spool/x.tmp: No space left on device"


def test_locked_database_is_one_line_with_the_url_and_a_hint(tmp_settings) -> None:
    from sqlalchemy.exc import OperationalError

    exc = OperationalError("INSERT INTO x", {}, Exception("database is locked"))
    line = environment_error_line(exc, tmp_settings)
    assert line is not None and line.startswith("database sqlite:///") and "database is locked" in line
    assert "another process holds a write lock" in line and "\n" not in line


def test_a_bug_keeps_its_traceback() -> None:
    assert environment_error_line(ValueError("bug"), None) is None


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`laborwatch crawl-runs | head`: no BrokenPipeError traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "laborwatch", "crawl-runs"], cwd=REPO,
                            env=_env(str(tmp_path / "state")), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert proc.returncode == 141


def test_network_errors_are_not_blamed_on_the_state_folder(tmp_settings) -> None:
    assert environment_error_line(ConnectionRefusedError(111, "Connection refused"), tmp_settings) is None


def test_disk_full_without_a_file_name_names_the_state_folder(tmp_settings) -> None:
    import errno

    line = environment_error_line(OSError(errno.ENOSPC, "No space left on device"), tmp_settings)
    assert line == f"{tmp_settings.state_path}: No space left on device"
