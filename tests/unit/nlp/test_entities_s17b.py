"""Employer mentions, entity round 14 (session 17 helper): names without a legal suffix in short posts. Invented
texts only, each rule with a look-alike."""

from __future__ import annotations

import pytest

from nlp.entities import EntityExtractor
from nlp.entities.short_names import TRADE_NAME_RE, trade_name_ok
from nlp.normalize import normalize
from tests.unit.nlp._helpers import employers_of


@pytest.fixture(scope="module")
def ex(brand_extractor: EntityExtractor) -> EntityExtractor:
    return brand_extractor


# --- 字号 + trade word opening a segment, as the party of a dispute ----------------------------------------------
# (the 字号 here are words the tagger calls verbs, 飞跃 / 启航 / 奋进, which end the suffix walk and the headline rule)
def test_trade_name_with_the_wrong_after_it(ex: EntityExtractor) -> None:
    assert employers_of(ex, "网传飞跃物流拖欠员工三个月工资，司机们去总部讨说法。") == ["飞跃物流"]


def test_trade_name_with_its_workers_before_the_wrong(ex: EntityExtractor) -> None:
    assert employers_of(ex, "#启航科技员工被拖欠工资# 快过年了还没拿到钱") == ["启航科技"]
    assert employers_of(ex, "奋进快递员工被拖欠工资还被压榨") == ["奋进快递"]


def test_a_debt_between_firms_is_no_wage_dispute(ex: EntityExtractor) -> None:
    # look-alike: 拖欠 + 货款 is a debt to a supplier, not the workers' wages
    assert employers_of(ex, "网传飞跃物流拖欠供应商货款") == []
    assert employers_of(ex, "网传飞跃物流拖欠员工加班费") == ["飞跃物流"]


def test_trade_name_look_alikes_name_no_one(ex: EntityExtractor) -> None:
    # a kind (民办), a place (上海), a time (今年), a scope (小区) before the trade word: no 字号, no employer
    assert employers_of(ex, "民办教育老师被拖欠工资的事越来越多。") == []
    assert employers_of(ex, "今年物流员工都降薪了，大家都不容易。") == []
    assert employers_of(ex, "小区物业员工罢工，垃圾没人收。") == []


def test_trade_name_inside_a_sentence_is_not_taken() -> None:
    # the name must open a segment: 我们在 + 乐学教育 is read by the other rules, not glued here
    assert [m.group("name") for m in TRADE_NAME_RE.finditer("网传乐学教育拖欠工资")] == ["乐学教育"]
    assert [m.group("name") for m in TRADE_NAME_RE.finditer("我们在乐学教育拖欠工资")] == []


def test_trade_name_ok_checks_the_zihao(ex: EntityExtractor) -> None:
    assert trade_name_ok("乐学教育", 2, set(), ex._pos)
    assert not trade_name_ok("北京物流", 2, set(), ex._pos)  # a city
    assert not trade_name_ok("赵巷物流", 2, {"赵巷"}, ex._pos)  # a town of the district
    assert not trade_name_ok("这家物流", 2, set(), ex._pos)  # a pronoun


# --- a known brand as a word of its own before its workers and the wrong ----------------------------------------------
def test_brand_before_its_workers_and_the_wrong(ex: EntityExtractor) -> None:
    # inside a sentence (no headline rule), a brand the tagger calls a place (京东 / ns) still names the firm
    assert employers_of(ex, "我朋友说京东的快递员集体讨薪，三个月没发工资了。") == ["京东"]
    assert employers_of(ex, "据说这次联想员工被裁员了不少") == ["联想"]


def test_brand_look_alikes(ex: EntityExtractor) -> None:
    # the brand is the tail of another word (北京东...), or a place on the brand list (上海): no employer from it
    assert "京东" not in employers_of(ex, "在北京东的员工被拖欠工资。")
    assert ex._short_post_names("他说上海的员工被拖欠工资，没人管。") == []
    # an organisation word on the brand list (子公司) names no one
    assert ex._short_post_names("网友说美国子公司裁员了") == []
    # a brand without a dispute after it names no employer here
    assert employers_of(ex, "京东的快递员今天送来了口罩。") == []


# --- a headline's strikers are no part of their employer's name -------------------------------------------------------
def test_headline_employer_before_its_strikers(ex: EntityExtractor) -> None:
    assert employers_of(ex, "远航航空员工罢工 总裁辞职") == ["远航航空"]
    assert employers_of(ex, "#蓝鲸二手车部分员工今起停工# 公司称周转困难") == ["蓝鲸二手车"]


def test_headline_workers_alone_name_no_employer(ex: EntityExtractor) -> None:
    assert employers_of(ex, "小区保安罢工 业主自己倒垃圾") == []
    assert employers_of(ex, "医院护士罢工，病人无人照看") == []
    assert employers_of(ex, "出租车司机罢工 街头打不到车") == []


# --- headline junk: a country's unions, a share or a kind ------------------------------------------------------------
def test_headline_union_of_a_firm_and_of_a_country(ex: EntityExtractor) -> None:
    assert employers_of(ex, "蓝鲸航空工会宣布第二波罢工 近百航班取消") == ["蓝鲸航空"]
    assert employers_of(ex, "希腊工会拟下周再次大罢工 学校公交关闭") == []


def test_headline_share_or_kind_names_no_one(ex: EntityExtractor) -> None:
    assert employers_of(ex, "山西部分工地停工三天 为考生让路") == []
    assert employers_of(ex, "海外芯片巨头集体裁员以求减亏") == []
    # look-alike: a firm's name before its strike stays
    assert employers_of(ex, "蓝鲸二手车裁员三成 员工称补偿未到位") == ["蓝鲸二手车"]


# --- a listed company's stem (顺丰控股 -> 顺丰) before its workers' dispute --------------------------------------------
@pytest.fixture(scope="module")
def ex_stems() -> EntityExtractor:
    from lwcore.settings import load_settings

    # invented stems, and two common words that a stem list could hold (老板 of 老板电器, 中文 of a 中文传媒)
    return EntityExtractor.from_settings(load_settings(environ={}), model_path=None, brands=set(),
                                         brand_stems={"捷丰", "老板", "中文"})


def test_stem_before_its_workers_and_the_wrong(ex_stems: EntityExtractor) -> None:
    assert list(ex_stems.employers(normalize("听说捷丰的快递员集体讨薪，三个月没发工资。"))) == ["捷丰"]


def test_common_word_stems_name_no_one(ex_stems: EntityExtractor) -> None:
    assert list(ex_stems.employers(normalize("听说老板的员工被拖欠工资，大家都很着急。"))) == []
    assert list(ex_stems.employers(normalize("中文老师被辞退了，说是学校裁员。"))) == []
