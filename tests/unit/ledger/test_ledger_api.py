from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import ledger
from ledger.fields import parse_amount, parse_date, parse_workers
from ledger.vocab import CaseStatus, parse_dispute_types, parse_risk_level, parse_stage, parse_status
from lwcore.domain import EVENT_TYPES, Severity


def test_public_names_resolve() -> None:
    for name in ledger.__all__:
        assert getattr(ledger, name) is not None, name
    assert set(ledger.__all__) <= set(dir(ledger))
    with pytest.raises(AttributeError):
        _ = ledger.NoSuchThing  # type: ignore[attr-defined]


def test_cli_import_does_not_load_the_orm() -> None:
    code = "import sys, ledger.cli; print('sqlalchemy.orm' in sys.modules, 'openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_labels_and_parsers() -> None:
    assert [s.label_zh for s in CaseStatus] == ["待核实", "核实中", "化解中", "已化解", "不属实"]
    assert set(ledger.DISPUTE_TYPE_LABELS) == set(EVENT_TYPES)
    assert ledger.RiskLevel is Severity
    for text, level in [("一级", "I"), ("Ⅱ", "II"), ("三级风险", "III"), ("iv", "IV"), (4, "IV")]:
        assert parse_risk_level(text).value == level
    assert parse_status("已办结") is CaseStatus.RESOLVED
    assert parse_stage("到场").label_zh == "到场"
    assert parse_dispute_types("拖欠工资，社保/裁员") == (
        "wage_arrears",
        "social_insurance_arrears",
        "dismissal_layoff",
    )
    assert parse_amount("1,250,000元") == Decimal("1250000.00")
    assert parse_amount(3.5, unit=10000) == Decimal("35000.00")
    assert parse_workers("30余人") == 30
    assert parse_date(45658).isoformat() == "2025-01-01"  # Excel serial day
    assert parse_date("2025.1.2").isoformat() == "2025-01-02"
