"""Employer mentions, entity round 15: names without a legal suffix that the dictionary does not know, and other
general constructions of how firms are named. Invented texts and invented names only, each rule with a look-alike."""

from __future__ import annotations

import pytest

from nlp.entities import EntityExtractor
from nlp.entities.short_names import UNKNOWN_NAME_RE, unknown_name_ok
from nlp.normalize import normalize
from tests.unit.nlp._helpers import employers_of


@pytest.fixture(scope="module")
def ex(brand_extractor: EntityExtractor) -> EntityExtractor:
    return brand_extractor


# --- a name the dictionary does not know, opening a segment, before its workers' dispute -------------------------
def test_unknown_name_before_its_workers_dispute(ex: EntityExtractor) -> None:
    assert employers_of(ex, "咕咚鲜员工讨薪，门店关了三家") == ["咕咚鲜"]
    assert employers_of(ex, "#嘟嘟猫员工被拖欠工资# 已经两个月了") == ["嘟嘟猫"]
    assert employers_of(ex, "网传酷哈咪的骑手集体罢工") == ["酷哈咪"]


def test_unknown_name_look_alikes_name_no_one(ex: EntityExtractor) -> None:
    # a trade (外卖), a place (香港), a subject taught (中文), a time (今天), a kind of post (临聘, 代课), a share
    # (全体), verbs of the sentence (拖延推诿): no firm
    for text in ("外卖骑手集体罢工", "香港医护罢工", "中文老师讨薪", "今天员工讨薪", "临聘教师讨薪",
                 "代课教师被拖欠工资", "全体员工被拖欠工资", "拖延推诿员工讨薪", "原厂员工讨薪", "老厂员工讨薪"):
        assert employers_of(ex, text) == [], text


def test_unknown_name_needs_its_workers(ex: EntityExtractor) -> None:
    # without the workers between, a word before 停工 / 裁员 is most often a scope (剧组停工, 企业裁员)
    assert [m.group("name") for m in UNKNOWN_NAME_RE.finditer("咕咚鲜员工讨薪")] == ["咕咚鲜"]
    assert [m.group("name") for m in UNKNOWN_NAME_RE.finditer("咕咚鲜停工三天")] == []


def test_unknown_name_ok_rejects_common_words(ex: EntityExtractor) -> None:
    assert unknown_name_ok("咕咚鲜", set(), ex._pos, ex._word_freq)
    assert not unknown_name_ok("医院", set(), ex._pos, ex._word_freq)  # a common word
    assert not unknown_name_ok("青岗", {"青岗"}, ex._pos, ex._word_freq)  # a place of the region
    assert not unknown_name_ok("隐瞒敷衍", set(), ex._pos, ex._word_freq)  # verbs alone
    assert not unknown_name_ok("小区保洁", set(), ex._pos, ex._word_freq)  # a scope word (小区) inside


# --- 字号 + trade word inside a letter, with its workers or the wrong after it ------------------------------------
def test_more_trade_words_end_a_name(ex: EntityExtractor) -> None:
    assert employers_of(ex, "我们是宏图劳务的工人，宏图劳务拖欠工资半年了。") == ["宏图劳务"]
    assert employers_of(ex, "我在金鹰服装上班，老板拖欠我们工资。") == ["金鹰服装"]


def test_a_scope_before_the_trade_word_is_no_name(ex: EntityExtractor) -> None:
    # look-alike: 国内 / 民办 + trade word + workers is a sector, not a firm
    assert employers_of(ex, "国内教育员工被裁的消息越来越多。") == []
    assert employers_of(ex, "民办教育员工工资被拖欠的事也不少。") == []


# --- 某某集团 with a rare noun as its 字号; a known brand as the workplace -------------------------------------------
def test_a_rare_noun_before_jituan_is_a_name(ex: EntityExtractor) -> None:
    assert employers_of(ex, "我们是星河集团的员工，公司已经三个月没发工资了。") == ["星河集团"]
    # look-alike: a common word before a generic suffix stays a description (出租车公司, 石材厂)
    assert employers_of(ex, "我们是出租车公司的司机，公司拖欠我们工资。") == []


def test_a_brand_is_the_workplace_whatever_its_characters() -> None:
    from lwcore.settings import load_settings

    ex = EntityExtractor.from_settings(load_settings(environ={}), model_path=None, brands={"东工重机", "上海"})
    assert list(ex.employers(normalize("我老公在东工重机上班，公司裁员了。"))) == ["东工重机"]
    # look-alike: a place on the brand lists is no workplace name
    assert list(ex.employers(normalize("我现在上海工作，单位已经给我交了社保。"))) == []


# --- a contractor chain: each party named with its own role passes the cap of three --------------------------------
def test_a_contractor_chain_names_every_party_with_its_role(ex: EntityExtractor) -> None:
    text = ("我们是修绿洲大道的民工，绿洲大道项目部一直拖欠我们的工资。当初招我们进场的是施工方宏远路桥公司，"
            "它挂靠的是星海建工集团第三工程公司，业主是蓝天置业有限公司，劳务合同的甲方却是鑫达劳务派遣公司。")
    assert set(employers_of(ex, text)) == {"绿洲大道项目部", "宏远路桥公司", "星海建工集团第三工程公司", "蓝天置业有限公司",
                                   "鑫达劳务派遣公司"}


def test_addressees_listed_with_no_role_stay_out(ex: EntityExtractor) -> None:
    # look-alike: the same firms as the writers' addressees (向 ... 反映) are no parties of the chain
    text = ("我们是修绿洲大道的民工，绿洲大道项目部一直拖欠我们的工资。我们向宏远路桥公司、星海建工集团、"
            "蓝天置业有限公司、鑫达劳务派遣公司都反映过。")
    assert employers_of(ex, text) == ["绿洲大道项目部"]


# --- a brand's plant named by its city (brand + city + 工厂) --------------------------------------------------------
def test_a_brands_plant_keeps_the_brand(ex: EntityExtractor) -> None:
    assert employers_of(ex, "联想郑州工厂员工罢工，要求补发加班费") == ["联想郑州工厂"]
    assert employers_of(ex, "京东上海仓员工罢工") == ["京东上海仓"]


def test_no_owner_is_glued_onto_a_city_plant(ex: EntityExtractor) -> None:
    # look-alike: a time or a pronoun before the city is no owner
    assert not any(n.startswith(("去年", "我们")) for n in employers_of(ex, "去年郑州工厂停工，员工工资没发"))
    assert not any(n.startswith(("去年", "我们")) for n in employers_of(ex, "我们郑州工厂裁员了"))


# --- a firm's account addressed with its wrong: an account word after the handle's name ----------------------------
def test_an_account_word_after_the_handle_is_no_part_of_the_name(ex: EntityExtractor) -> None:
    assert employers_of(ex, "@蓝鲸科技官方微博 你们拖欠我们三个月工资什么时候给？") == ["蓝鲸科技"]
    assert employers_of(ex, "@蓝鲸科技客服：你们欠我的工资什么时候发") == ["蓝鲸科技"]
    # look-alike: a medium's account asked about arrears is no employer
    assert employers_of(ex, "@人民日报 拖欠工资怎么办") == []
