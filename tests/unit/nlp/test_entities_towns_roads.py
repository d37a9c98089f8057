"""A town's name at the head of a road's name names the road, not the town."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def ex(analyzer):  # noqa: ANN001, ANN201
    return analyzer.entities


@pytest.mark.parametrize(("text", "towns"), [
    ("还在等这家饭店发工资，地址在夏阳金泽大道附近", ["夏阳街道"]),
    ("地址在重固徐泾北路附近", ["重固镇"]),
    ("就是白鹤公路上那家，华新镇的工人都知道", ["华新镇"]),
    ("赵巷路口聚集了很多工人", ["赵巷镇"]),  # a crossing in the town is the town
    ("徐泾一家工地拖欠工资", ["徐泾镇"]),
])
def test_a_town_name_heading_a_road_name_is_the_road(ex, text: str, towns: list[str]) -> None:  # noqa: ANN001
    assert ex.towns(text) == towns


@pytest.mark.parametrize(("text", "want"), [
    ("今天中通门口聚集了90多个讨薪的工人", "中通"),  # a registered firm at its own gate is the party
    ("上海青浦百世汇通快递有限公司拖欠工人工资", "上海青浦百世汇通快递有限公司"),  # 汇通 read as a verb before
])
def test_a_registry_name_is_an_employer_whatever_words_it_is_made_of(analyzer, text: str, want: str) -> None:  # noqa: ANN001
    assert analyzer.entities.employers(text)[:1] == [want]
