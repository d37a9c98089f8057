"""Reading a registry file: header names in English or Chinese, duplicate rows merged, aliases kept, every refused
row named by row and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from companies import RegistryFileError, parse_registry
from companies.registry import read_table

GOOD = "91350100M000100Y43"
GOOD2 = "91110000802100433B"


def test_chinese_headers_in_any_order_and_merge_of_duplicates() -> None:
    rows = [
        ["企业名称", "所属街镇", "统一社会信用代码", "别名", "重点监管"],
        ["甲公司", "华新镇", GOOD, "甲|甲甲", "否"],
        ["乙公司", "", GOOD2, "", ""],
        ["甲公司（曾用名）", "赵巷镇", GOOD.lower(), "甲、甲丙", "是"],
        ["", "", "", "", ""],  # blank rows are skipped, not counted
    ]
    parsed = parse_registry("reg.csv", rows)
    assert parsed.rows == 3 and parsed.merged_rows == 1 and not parsed.problems
    a = parsed.records[GOOD]
    assert a.name == "甲公司"  # the first name stays the name
    assert a.aliases == ["甲", "甲甲", "甲公司（曾用名）", "甲丙"]  # other names kept, no repeats
    assert a.town == "华新镇" and a.key_supervision is True and a.rows == [2, 4]
    assert parsed.records[GOOD2].key_supervision is False


def test_row_problems_name_row_and_field() -> None:
    rows = [
        ["credit_code", "name", "key_supervision"],
        [GOOD, "甲公司", "maybe"],
        ["91350100M000100Y44", "乙公司", "true"],
        [GOOD2, "", "false"],
    ]
    parsed = parse_registry("reg.csv", rows)
    assert [(p.row, p.field) for p in parsed.problems] == [(2, "key_supervision"), (3, "credit_code"),
                                                            (4, "name")]
    assert "check character" in parsed.problems[1].reason
    assert not parsed.records


def test_missing_required_column_names_the_file_and_columns() -> None:
    with pytest.raises(RegistryFileError) as err:
        parse_registry("bureau.csv", [["企业名称", "行业"], ["甲", "x"]])
    assert "bureau.csv" in str(err.value) and "credit_code" in str(err.value) and "企业名称" in str(err.value)


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_text("", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="empty file"):
        parse_registry(f)


def test_unsupported_type_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryFileError, match="no such file"):
        list(read_table(tmp_path / "nope.csv"))
    doc = tmp_path / "registry.doc"
    doc.write_text("x", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="unsupported file type .doc"):
        list(read_table(doc))


def test_gb18030_csv_and_xlsx_are_read(tmp_path: Path) -> None:
    csv_file = tmp_path / "gbk.csv"
    csv_file.write_bytes(f"统一社会信用代码,企业名称\n{GOOD},青浦甲公司\n".encode("gb18030"))
    assert parse_registry(csv_file).records[GOOD].name == "青浦甲公司"
    xlsx = tmp_path / "reg.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "别名"])
    ws.append([GOOD2, "青浦乙公司", "乙"])
    wb.save(xlsx)
    parsed = parse_registry(xlsx)
    assert parsed.records[GOOD2].aliases == ["乙"]
