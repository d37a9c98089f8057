"""Issue 16: the service refuses to become the scheduler on an invalid config, and a reload with an invalid
config keeps the last good one and says why (real scheduler and lock on SQLite; the config checker is a stand-in
for the rooms' checks, which `laborwatch config check` tests)."""

from __future__ import annotations

import pytest

from laborwatch.service import Service
from laborwatch.service.lock import lock_info, request_reload


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def service(svc_settings, db, problems):
    svc = Service(svc_settings, db, web=False, instance_id="t-1", source_loader=lambda _path: [],
                  config_checker=lambda _settings: list(problems), notify=lambda *a: None)
    lines: list[str] = []
    svc.on_status = lines.append
    svc.status_lines = lines  # type: ignore[attr-defined]
    yield svc
    svc.stop()


def test_invalid_config_keeps_the_service_from_taking_the_scheduler(service, problems, db):
    problems.append("/etc/lw/alert_rules.yaml: rules[0].type: unknown rule type 'spkie'")
    service._step()
    service._step()
    assert not service.is_leader and lock_info(db) is None
    refusals = [ln for ln in service.status_lines if "invalid config" in ln]
    assert len(refusals) == 1 and "alert_rules.yaml" in refusals[0]  # said once, with file and reason
    problems.clear()  # the operator fixed the file
    service._step()
    assert service.is_leader and lock_info(db).holder == "t-1"


def test_reload_with_an_invalid_config_keeps_the_last_good_one(service, problems, db):
    service._step()
    assert service.is_leader
    engine_before = object()
    service._runtime._engine = engine_before
    problems.append("/etc/lw/companies.csv: file not found")
    requested = request_reload(db)
    service._step()
    info = lock_info(db)
    assert info.reload_done_at is not None and info.reload_done_at >= requested
    assert "NOT applied" in info.reload_result and "companies.csv: file not found" in info.reload_result
    assert service._runtime._engine is engine_before  # the engine built from the good files stays
    problems.clear()
    request_reload(db)
    service._step()
    assert "NOT applied" not in lock_info(db).reload_result and service._runtime._engine is None


def test_run_refuses_to_start_with_one_line_and_a_non_zero_exit(tmp_path, monkeypatch, capsys):
    import shutil

    from laborwatch.cli import main
    from lwcore.settings import DEFAULT_CONFIG_DIR

    cfg = tmp_path / "configs"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    # (a file missing beside --config's settings file is read from configs/, so break one instead)
    (cfg / "alert_rules.yaml").write_text("version: 1\nrules:\n  - name: x\n    type: no_such_type\n",
                                          encoding="utf-8")
    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))
    assert main(["--config", str(cfg / "settings.yaml"), "run", "--no-web"]) == 1
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("laborwatch: error:")]
    assert len(lines) == 1 and "refusing to start" in lines[0] and "alert_rules.yaml" in lines[0]
    assert "Traceback" not in err and "调度器" not in err  # never became (or tried to become) the scheduler


def test_invalid_config_also_blocks_the_takeover_from_a_dead_holder(service, problems, db):
    import subprocess
    import sys

    from sqlalchemy import update

    from laborwatch.models import ServiceLock
    from laborwatch.service.lock import SchedulerLock

    assert SchedulerLock(db, holder="old", lease_s=3600).try_acquire()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with db.engine.begin() as conn:
        conn.execute(update(ServiceLock.__table__).values(pid=gone.pid))
    problems.append("/etc/lw/duty_roster.yaml: shifts[0].start: invalid time")
    service._step()
    assert not service.is_leader and lock_info(db).holder == "old"
    problems.clear()
    service._step()
    assert service.is_leader and lock_info(db).holder == "t-1"  # at once, not after the hour-long lease
