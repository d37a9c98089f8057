"""The analyser's severity factors as staff read them on the post page (Chinese; unknown forms unchanged)."""

from __future__ import annotations

import pytest

from laborwatch.web.labels import severity_factor


@pytest.mark.parametrize(("factor", "text"), [
    ("event:wage_arrears(+2)", "事件类型：拖欠工资（加2分）"),
    ("workers>=30(+3)", "涉及人数不少于30人（加3分）"),
    ("amount_yuan>=200000(+3)", "涉及金额不少于200,000元（加3分）"),
    ("extreme:跳楼/堵路(+3)", "极端或聚集行为：跳楼/堵路（加3分）"),
    ("key_supervision:中通快递股份有限公司(+2)", "重点监管企业：中通快递股份有限公司（加2分）"),
    ("engagement>=1000(+2)", "转评赞不少于1000（加2分）"),
    ("sensitive_period:进博会(level+1)", "敏感时期：进博会，研判等级上调1级"),
    ("standing:blacklist+key_supervision:TEST91310118000002(level+2)",
     "企业已列入拖欠农民工工资失信联合惩戒名单和重点监管服务名单（TEST91310118000002），预警等级上调2级"),
    ("standing:blacklist:X1(level+1)", "企业已列入拖欠农民工工资失信联合惩戒名单（X1），预警等级上调1级"),
    ("test", "test"),
    ("model:foo(+1)", "model:foo(+1)"),
])
def test_factor_in_chinese(factor: str, text: str) -> None:
    assert severity_factor(factor) == text
