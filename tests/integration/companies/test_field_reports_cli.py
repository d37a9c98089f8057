"""``laborwatch reports ...`` through the real CLI entry point on a SQLite file, and the service job that hands
pending reports to ``reports process`` in its own process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from laborwatch.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LW_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*argv: str) -> tuple[int, str, str]:
        rc = main(list(argv))
        out = capsys.readouterr()
        return rc, out.out, out.err

    return run


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["工单编号", "受理时间", "诉求内容", "涉事企业", "涉及人数"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_errors_list_and_reimport(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = _xlsx(tmp_path / "bad.xlsx", [["T1", "2026-11-01 09:00", "某厂拖欠工资两个月", "某厂", "3"],
                                        ["T2", "2026-11-01", "公司未缴社保", "", "几个"]])
    rc, out, err = cli("reports", "import", str(bad), "--no-process")
    assert rc == 1 and out == ""
    assert f"{bad}：1 处错误，未导入任何工单：第3行「涉及人数」：「几个」不是大于0的整数" in err
    rc, out, _ = cli("reports", "import", str(bad), "--no-process", "--skip-invalid")
    assert rc == 0 and "已导入 1 条工单" in out and "第3行「涉及人数」" in out and "尚未研判" in out
    rc, out, _ = cli("reports", "import", str(bad), "--no-process", "--skip-invalid", "--json")
    data = json.loads(out)
    assert data["added"] == 0 and data["already"] == [[2, "T1"]] and len(data["skipped"]) == 1
    rc, out, _ = cli("reports", "add", "--content", "网格员发现某工地工人聚集讨薪", "--town", "华新镇",
                     "--by", "wangwu", "--no-process")
    assert rc == 0 and "已登记网格上报 #2" in out
    rc, out, _ = cli("reports", "list", "--json")
    rows = json.loads(out)
    assert [(r["origin"], r["status"]) for r in rows] == [("grid", "pending"), ("hotline", "pending")]
    rc, out, _ = cli("reports", "list")
    assert "网格上报" in out and "12345热线" in out and "待研判" in out
    rc, _, err = cli("reports", "add", "--content", "某厂欠薪三个月", "--code", "123", "--no-process")
    assert rc == 1 and "credit_code" in err and "GB 32100-2015" in err
    rc, _, err = cli("reports", "add", "--content", "某厂欠薪三个月", "--amount", "很多", "--no-process")
    assert rc == 1 and "--amount: 「很多」不是金额（元）" in err
    rc, _, err = cli("reports", "add", "--content", "某厂欠薪三个月", "--at", "昨天", "--no-process")
    assert rc == 1 and "--at: 「昨天」不是日期时间" in err


def test_service_job_runs_reports_process_and_keeps_reports_when_it_fails(tmp_path: Path) -> None:
    from companies.fieldreports import FieldReports, NewFieldReport
    from laborwatch.service import jobs
    from laborwatch.service.crawl import CrawlRunner
    from laborwatch.service.errors import ServiceError
    from lwcore.db import Database
    from lwcore.settings import load_settings

    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state")})
    db = Database.from_settings(settings)
    db.upgrade()
    broken = tmp_path / "missing-settings.yaml"  # the subprocess cannot load its settings: it exits 1
    jobs.set_runtime(jobs.Runtime(settings, db, CrawlRunner(settings, db, holder="t", config_file=str(broken))))
    try:
        assert jobs.field_reports() == 0  # nothing pending: no process started
        FieldReports(db).add(NewFieldReport(origin="grid", content="某厂拖欠工资两个月"), actor="t")
        with pytest.raises(ServiceError, match="reports process exited 1"):
            jobs.field_reports()
        assert [r.status for r in FieldReports(db).recent()] == ["pending"]
    finally:
        jobs.set_runtime(None)
        db.dispose()
