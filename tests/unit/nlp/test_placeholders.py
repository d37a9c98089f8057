"""Placeholders for firm names, towns and counts (``nlp.placeholders``): what the short-post member reads, so that
swapping them never moves its score. Every text is written for the test."""

from __future__ import annotations

import pytest

from nlp.placeholders import COUNT, FIRM, TOWN, Placeholders
from nlp.short_member import default_placeholders

PLAIN = Placeholders(places=("朱家角", "朱家角镇", "赵巷"))


@pytest.mark.parametrize(("text", "want"), [
    ("我在上海锐拓汽车配件有限公司上班，公司8个月没发工资了", f"我在{FIRM}上班，公司{COUNT}个月没发工资了"),
    ("尊敬的领导：罗店镇上海恒锐纺织有限公司强制三十余名员工加班", f"尊敬的领导：{FIRM}强制{COUNT}名员工加班"),
    ("泗泾镇一家工厂老板跑路，上百名员工的工资没有着落", f"{TOWN}一家工厂老板跑路，{COUNT}名员工的工资没有着落"),
    ("朱家角的工地欠了我们5万多工钱", f"{TOWN}的工地欠了我们{COUNT}万多工钱"),
    ("石湖荡镇一家厂拖欠12名工人工资35万元", f"{TOWN}一家厂拖欠{COUNT}名工人工资{COUNT}万元"),
    # (a three-character head only where a clause starts: mid-sentence, 拖欠石湖荡镇 would take the verb's 欠)
])
def test_names_towns_and_counts_become_placeholders(text: str, want: str) -> None:
    assert PLAIN(text) == want


@pytest.mark.parametrize("text", [
    "老百姓一直在城镇里生活，一家人十分开心",
    "小镇上的古镇旅游很火",
    "公司说下个月一定发",
])
def test_common_words_stay(text: str) -> None:
    assert PLAIN(text) == text


def test_a_swap_of_firm_town_or_count_reads_the_same() -> None:
    tpl = "{town}{firm}拖欠{n}名工人三个月工资"
    base = PLAIN(tpl.format(town="赵巷", firm="上海顺泾物流有限公司", n="23"))
    for town, firm, n in (("朱家角镇", "九鼎餐饮管理有限公司", "四十"), ("泗泾镇", "星岚网络科技有限公司", "120"),
                          ("赵巷", "松茂建设工程有限公司", "十五")):
        assert PLAIN(tpl.format(town=town, firm=firm, n=n)) == base


def test_the_entity_rules_names_are_replaced_too() -> None:
    mask = Placeholders(names=lambda text: ["老王烧烤店"] if "老王烧烤店" in text else [])
    assert mask("老王烧烤店的服务员被辞退了") == f"{FIRM}的服务员被辞退了"


def test_the_repository_placeholders_read_the_registry_and_regions() -> None:
    mask = default_placeholders()
    out = mask("华新镇一家包装厂的老板欠了工人二十万")
    assert TOWN in out and "华新" not in out, out


@pytest.mark.parametrize(("text", "kept"), [
    ("民众上街抗议政府加税，多地罢工", "抗议政府"),  # the employer rules propose 民众上街抗议政府 as a candidate
    ("民航局通报：机长罢工航班取消", "民航局"),  # and 民航局
])
def test_public_bodies_among_the_candidates_are_not_firm_names(text: str, kept: str) -> None:
    out = default_placeholders()(text)
    assert kept in out and FIRM not in out, out
