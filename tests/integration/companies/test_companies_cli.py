"""``laborwatch companies ...`` end to end through the real CLI entry point on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from laborwatch.cli import main
from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LW_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*argv: str) -> tuple[int, str, str]:
        rc = main(list(argv))
        out = capsys.readouterr()
        return rc, out.out, out.err

    return run


def test_import_find_list_visit(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = cli("companies", "import", str(REPO_ROOT / "configs" / "companies.csv"))
    assert rc == 0 and "56 家企业" in out and "新增 56" in out
    rc, out, _ = cli("companies", "find", "韵达", "--json")
    assert rc == 0 and json.loads(out)[0]["credit_code"] == "TEST91310118000004"
    rc, out, _ = cli("companies", "supervision", "add", "韵达", "--ground", "major_change", "--reason", "拟搬迁",
                     "--level", "II", "--person", "张三", "--key-area", "--since", "2026-10-01", "--by", "admin")
    assert rc == 0 and "上海韵达货运有限公司" in out
    rc, out, _ = cli("companies", "supervision", "list", "--json")
    entry = json.loads(out)[0]
    assert entry["ground_label"] == "生产经营即将发生重大变化" and entry["status_label"] == "在册"
    rc, out, _ = cli("companies", "visits", "add", "TEST91310118000004", "--date", "2026-10-13", "--visitor",
                     "李四", "--findings", "已告知搬迁安置要求", "--by", "admin")
    assert rc == 0
    rc, out, _ = cli("companies", "visits", "due", "--today", "2026-10-28", "--fail-on-overdue")
    assert rc == 1 and "逾期未走访 1 周次" in out and "2026-10-19至2026-10-25" in out


def test_errors_are_one_line_with_file_row_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("统一社会信用代码,企业名称\n91350100M000100Y44,甲\n", encoding="utf-8")
    rc, _, err = cli("companies", "import", str(bad))
    assert rc == 1 and str(bad) in err and "row 2, field credit_code" in err and len(err.splitlines()) == 1
    rc, _, err = cli("companies", "supervision", "add", "不存在的公司", "--ground", "violations", "--reason", "x",
                     "--level", "I", "--by", "a")
    assert rc == 1 and "no registry company matches" in err
