"""``laborwatch ledger ...`` and ``laborwatch incidents ...`` end to end on a SQLite file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from laborwatch.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LW_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))

    def _run(*argv: str) -> tuple[int, str, str]:
        rc = main(list(argv))
        out, err = capsys.readouterr()
        return rc, out, err

    return _run


def test_case_commands(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = run(
        "ledger",
        "create",
        "--title",
        "某物流公司拖欠工资",
        "--company",
        "上海某物流有限公司",
        "--town",
        "华新镇",
        "--level",
        "二级",
        "--types",
        "欠薪",
        "--workers",
        "12",
        "--amount",
        "8.6万",
        "--by",
        "张三",
    )
    assert rc == 0 and "已登记案件" in out
    number = re.search(r"TZ\d{4}-\d{5}", out).group(0)  # type: ignore[union-attr]
    rc, out, _ = run("ledger", "list", "--json")
    data = json.loads(out)
    assert data["total"] == 1 and data["cases"][0]["amount_yuan"] == "86000.00"
    rc, out, err = run("ledger", "transition", number, "化解中", "--by", "张三")
    assert rc == 1 and "not allowed" in err and "\n" not in err.strip()
    assert (
        run(
            "ledger", "update", number, "--person", "王五", "--plan", "约谈", "--deadline", "2020-01-01", "--by", "张三"
        )[0]
        == 0
    )
    assert run("ledger", "transition", number, "核实中", "--by", "张三")[0] == 0
    assert run("ledger", "transition", number, "化解中", "--by", "张三")[0] == 0
    rc, out, _ = run("ledger", "list", "--overdue", "--status", "化解中")
    assert rc == 0 and number in out and "超期" in out
    rc, out, _ = run("ledger", "show", number)
    assert "化解中" in out and "办理记录" in out and "王五" in out
    rc, out, _ = run("ledger", "show", number, "--json")
    assert [h["action"] for h in json.loads(out)["history"]].count("transition") == 2
    rc, out, err = run("ledger", "update", number, "--workers", "很多", "--by", "张三")
    assert rc == 1 and "workers" in err
    xlsx, csvf = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert run("ledger", "export", "-o", str(xlsx))[0] == 0 and xlsx.stat().st_size > 0
    assert run("ledger", "export", "-o", str(csvf), "--town", "华新镇")[0] == 0
    assert "上海某物流有限公司" in csvf.read_text(encoding="utf-8-sig")


def test_import_command_reports_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "企业名称", "所属街镇", "风险等级", "涉及人数"])
    ws.append(["Q-1", "甲公司", "华新镇", "一级", 10])
    ws.append(["Q-2", "乙公司", "赵巷镇", "特级", 5])
    wb.save(tmp_path / "in.xlsx")
    rc, out, err = run("ledger", "import", str(tmp_path / "in.xlsx"), "--by", "x")
    assert rc == 1 and "Sheet!D3" in out and "nothing was imported" in err
    rc, out, err = run("ledger", "import", str(tmp_path / "in.xlsx"), "--by", "x", "--partial", "--json")
    assert rc == 1 and json.loads(out)["created"] == ["Q-1"]
    assert json.loads(run("ledger", "list", "--json")[1])["total"] == 1


def test_incident_commands(run) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = run(
        "incidents",
        "open",
        "--title",
        "某工地二十余人聚集讨薪",
        "--level",
        "I",
        "--town",
        "赵巷镇",
        "--by",
        "值班员",
        "--json",
    )
    inc = json.loads(out)
    assert rc == 0 and inc["steps"][0]["stage_label"] == "接报"
    num = inc["number"]
    rc, out, _ = run(
        "incidents",
        "update",
        num,
        "--by",
        "值班员",
        "--report-to",
        "区政府总值班室",
        "--channel",
        "电话",
        "--step",
        "报告上级",
    )
    assert rc == 0 and "报告" in out
    rc, out, _ = run("incidents", "update", num, "--by", "监察大队", "--dispatch", "王五、赵六", "--step", "到场")
    assert rc == 0
    rc, out, err = run("incidents", "update", num, "--by", "x", "--step", "接报")
    assert rc == 1 and "接报" in err
    rc, out, _ = run("incidents", "show", num)
    assert "到场" in out and "王五、赵六" in out and "区政府总值班室" in out
    rc, out, _ = run("incidents", "list", "--json")
    assert json.loads(out)["total"] == 1
    assert run("ledger", "create", "--title", "赵巷工地欠薪", "--by", "x")[0] == 0
    rc, out, _ = run("incidents", "update", num, "--by", "x", "--link-case", "1", "--json")
    assert json.loads(out)["case_id"] == 1
