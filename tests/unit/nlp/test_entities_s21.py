"""Employer mentions, entity round 16 (session 21 helper): constructions read in the errors of folds 2-3 (fold 4
held out). Invented texts and invented names only (no string of the labelled data), each rule with a look-alike
that must not change."""

from __future__ import annotations

import pytest

from nlp.entities import EntityExtractor
from tests.unit.nlp._helpers import employers_of


@pytest.fixture(scope="module")
def ex(brand_extractor: EntityExtractor) -> EntityExtractor:
    return brand_extractor


# --- a role written as a form's field (派遣单位：X, 用工单位：Y) names its party ----------------------------------
def test_role_field_with_a_colon_names_both_parties(ex: EntityExtractor) -> None:
    text = ("本人于2019年3月与派遣单位：东莞青禾人力资源服务有限公司签订劳动合同，岗位：保洁员，"
            "用工单位：B市车务段南湖站，至今三个月工资未发。")
    assert sorted(employers_of(ex, text)) == ["B市车务段南湖站", "东莞青禾人力资源服务有限公司"]


def test_a_colon_after_other_words_adds_no_party(ex: EntityExtractor) -> None:
    # a field that is no role (咨询单位：, 地址：) adds nothing: only the employer told with the wrong is named
    text = ("B市车务段南湖站拖欠我们保洁员工资三个月。咨询单位：东莞青禾人力资源服务有限公司，"
            "地址：B市东湖路8号。")
    assert employers_of(ex, text) == ["B市车务段南湖站"]


# --- an authority in the praise formula, appealed to, or @-mentioned oversees, it does not employ ---------------
def test_authority_in_praise_formula_or_appealed_to_is_no_employer(ex: EntityExtractor) -> None:
    assert employers_of(ex, "在市委、市政府及市城乡建设局的正确领导下，改革取得成效，但我们司机的社保一直没交。") == []
    assert employers_of(ex, "寒暑假我们幼师没有工资。在此，呼吁C2县教育局，敦促所辖幼儿园按最低工资标准支付假期工资。") == []
    assert employers_of(ex, "@南江政府 @南江劳动局 公司两个月不发工资，我们都是打工的") == []


def test_authority_that_did_the_wrong_or_employs_stays(ex: EntityExtractor) -> None:
    assert employers_of(ex, "C2县教育局拖欠我们代课教师工资三个月") == ["C2县教育局"]
    assert employers_of(ex, "我是C2县教育局聘用的保安，三个月工资被拖欠") == ["C2县教育局"]
    # a firm appealed to is still the employer (the rule reads authorities only)
    assert employers_of(ex, "呼吁青禾物流有限公司尽快支付我们的工资") == ["青禾物流有限公司"]


# --- a labour contractor named as a person, with what he says or promises; his title is no name ----------------
def test_gang_boss_named_before_what_he_says_is_a_party(ex: EntityExtractor) -> None:
    text = ("我在B3县滨江花园工地打工，施工单位是B市宏泰建筑有限公司，手受伤后找包工头结工资，"
            "包工头刘志强约了好几次都没给我结清")
    assert employers_of(ex, text) == ["B市宏泰建筑有限公司", "刘志强"]
    assert employers_of(ex, "包工头陈国栋答应年底结清，至今没给我们八个人一分钱") == ["陈国栋"]


def test_gang_boss_title_or_no_name_adds_no_party(ex: EntityExtractor) -> None:
    text = "B市宏泰建筑有限公司开发的项目，属下的包工头杨老板拖欠我们工人十多人工资"
    assert employers_of(ex, text) == ["B市宏泰建筑有限公司"]
    assert employers_of(ex, "包工头说这个月没钱，工资下个月发") == []
    assert employers_of(ex, "包工头王某说工资下个月发") == []


# --- a masked place + a bare school word is a kind of employer (a district has many schools) ---------------------
def test_masked_place_with_bare_school_word_is_a_kind(ex: EntityExtractor) -> None:
    assert employers_of(ex, "反映C6区小学合同制教师待遇差问题 合同制教师一年年终绩效才发3000") == []
    assert employers_of(ex, "C6区幼儿园老师工资太低，还拖欠三个月") == []


def test_a_named_school_after_a_masked_place_stays(ex: EntityExtractor) -> None:
    assert employers_of(ex, "C6区青松实验小学拖欠合同制教师工资三个月") == ["C6区青松实验小学"]
    assert employers_of(ex, "C6区启明幼儿园拖欠老师工资三个月") == ["C6区启明幼儿园"]


# --- what a public works station does (排灌, 灌溉, 提灌...) stays in its name; a scope before it names no one -----
def test_station_activity_word_stays_in_the_name(ex: EntityExtractor) -> None:
    assert employers_of(ex, "我们是C8县电力排灌站的在职职工，社保只缴了六年") == ["C8县电力排灌站"]
    assert employers_of(ex, "D3县水利提灌站拖欠我们职工工资") == ["D3县水利提灌站"]


def test_scope_before_a_station_activity_word_names_no_one(ex: EntityExtractor) -> None:
    assert employers_of(ex, "村里排灌站拖欠我们工资") == []
    assert employers_of(ex, "我们天天给村里排灌站抽水，工资三个月没发") == []


# --- a project named with 工程 after 项目 keeps it; 工程款 is money, not the name -------------------------------------
def test_project_named_with_works_keeps_it(ex: EntityExtractor) -> None:
    text = "D2区翠湖花园商品房开发建设项目工程拖欠农民工工资 关于D2区翠湖花园商品房开发建设项目工程的农民工工资问题"
    assert employers_of(ex, text) == ["D2区翠湖花园商品房开发建设项目工程"]


def test_project_works_money_is_no_part_of_the_name(ex: EntityExtractor) -> None:
    assert employers_of(ex, "D2区翠湖花园项目工程款一直拖欠，农民工工资没有着落") == ["D2区翠湖花园项目"]


# --- of a former / current name pair, only the form written with a dispute cue of its own --------------------------
def test_bracketed_former_name_without_a_cue_is_an_aside(ex: EntityExtractor) -> None:
    text = ("C5市山林公路局拖欠农民养路工八年工资 我们是上世纪由C5市山林公路局（原公路管理站）在松山镇招收的"
            "农民养路工")
    assert employers_of(ex, text) == ["C5市山林公路局"]


def test_former_and_current_name_with_no_cue_or_both_cues_stay(ex: EntityExtractor) -> None:
    assert employers_of(ex, "C5市运输服务公司（原C5市水运公司）一直没有给我们一百多名职工补建养老保险") == [
        "C5市运输服务公司", "C5市水运公司"]
    assert employers_of(ex, "我们是C5市运输服务公司（原C5市水运公司）的职工，一直没有补建养老保险") == [
        "C5市运输服务公司", "C5市水运公司"]


# --- the other party of a labour contract (与 / 在 XX 签订劳动合同) employs, whoever wrote it -------------------------
def test_labour_contract_party_is_a_further_employer(ex: EntityExtractor) -> None:
    text = ("2008年由被告安排与青山劳务派遣公司签订委派劳动合同，在被告处B3县供电分公司东湖供电所原岗位工作。"
            "B3县供电分公司东湖供电所拖欠我们工资")
    assert employers_of(ex, text) == ["B3县供电分公司东湖供电所", "青山劳务派遣公司"]
    text = "在青禾物流有限公司签订劳动合同的人员却一直在B市远方快运有限公司上班，B市远方快运有限公司拖欠我们加班费"
    assert sorted(employers_of(ex, text)) == ["B市远方快运有限公司", "青禾物流有限公司"]


def test_a_contract_between_firms_adds_no_party(ex: EntityExtractor) -> None:
    # a sales contract signed at another firm is no labour contract
    text = "B市宏达建设有限公司拖欠我们工人工资。听说老板上个月还在青山建材有限公司签订了购销合同"
    assert employers_of(ex, text) == ["B市宏达建设有限公司"]
