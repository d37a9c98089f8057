"""Employer mentions, entity round 13 (session 17 helper): invented texts only, each rule with a look-alike."""

from __future__ import annotations

import pytest

from nlp.entities import EntityExtractor
from nlp.entities.employer_cues import _short_form_did_the_wrong, _short_forms
from tests.unit.nlp._helpers import employers_of


@pytest.fixture(scope="module")
def ex() -> EntityExtractor:
    from lwcore.settings import load_settings

    return EntityExtractor.from_settings(load_settings(environ={}), model_path=None)


# --- the wrong written after a short form of a registered name (字号 + trade tail) is the full name's ---------
def test_short_forms_of_a_registered_name() -> None:
    assert _short_forms("上海宏图装饰工程有限公司") == ["宏图工程", "宏图公司"]
    assert _short_forms("A市A2区金禾物业有限公司") == ["金禾物业", "金禾公司"]
    assert _short_forms("宏图装饰") == []  # no legal form: no short form read off it


def test_short_form_with_the_wrong_ranks_its_name_first(ex: EntityExtractor) -> None:
    text = ("这个楼盘由上海恒远建设集团有限公司总承包，木工分包给上海宏图装饰工程有限公司，"
            "宏图工程拖欠我们二十多个木工三个月的工资。")
    assert employers_of(ex, text)[0] == "上海宏图装饰工程有限公司"


def test_short_form_without_the_wrong_leaves_the_order(ex: EntityExtractor) -> None:
    # look-alike: the short form is written, but the wrong follows the general contractor
    text = ("这个楼盘由上海恒远建设集团有限公司总承包，木工分包给上海宏图装饰工程有限公司，"
            "宏图工程的工人说上海恒远建设集团有限公司拖欠工程款。")
    assert employers_of(ex, text)[0] == "上海恒远建设集团有限公司"


def test_short_form_shared_with_another_candidate_is_no_evidence() -> None:
    # 宏图公司 is also another firm of the text: the wrong after it is not linked to the first one
    text = "上海宏图装饰工程有限公司和宏图公司物业部都在这个园区，宏图公司拖欠保安工资。"
    assert not _short_form_did_the_wrong(text, "上海宏图装饰工程有限公司", ["上海宏图装饰工程有限公司", "宏图公司物业部"])
    assert _short_form_did_the_wrong(text, "上海宏图装饰工程有限公司", ["上海宏图装饰工程有限公司"])


# --- a court or procuratorate is proposed by its head, and kept only where it employs the writer ------------------
def test_procuratorate_that_hired_the_writer_is_the_employer(ex: EntityExtractor) -> None:
    text = "我们几个由B县检察院聘用，在机关食堂帮厨四年，上个月被口头辞退，补偿一分没有。"
    assert employers_of(ex, text) == ["B县检察院"]


def test_court_staff_writer(ex: EntityExtractor) -> None:
    assert employers_of(ex, "我是青浦区人民法院的编外人员，单位两年没给我交社保。") == ["青浦区人民法院"]


def test_court_in_its_own_role_is_no_employer(ex: EntityExtractor) -> None:
    # look-alikes: the court judges, the procuratorate investigates; the firm is the employer
    assert employers_of(ex, "上海宏达保洁有限公司拖欠工资，青浦区人民法院判决公司支付，至今没执行。") == ["上海宏达保洁有限公司"]
    assert employers_of(ex, "宏达保洁有限公司拖欠我们工资，A市检察院已经介入调查。") == ["宏达保洁有限公司"]


# --- deductions and unpaid contributions written right after a name are the wrong of the dispute ------------------
def test_deduction_after_a_branch_names_it(ex: EntityExtractor) -> None:
    text = "我们是中国宏运总公司的员工，中国宏运总公司说工资由分公司发，结果I市宏运公司扣除了我们三个月的绩效。"
    assert "I市宏运公司" in employers_of(ex, text)


def test_branch_that_only_speaks_is_no_party(ex: EntityExtractor) -> None:
    text = "我们是中国宏运总公司的员工，中国宏运总公司说工资由分公司发，结果I市宏运公司说绩效已经发到卡上了。"
    assert employers_of(ex, text) == ["中国宏运总公司"]


def test_unpaid_contributions_after_a_name(ex: EntityExtractor) -> None:
    text = "宏远集团有限公司把保洁外包给了绿地物业公司，绿地物业公司多年来欠缴我们的养老保险。"
    assert employers_of(ex, text)[0] == "绿地物业公司"
    # look-alike: contributions paid on time are no wrong; the firm written first with a legal form leads
    text = "宏远集团有限公司把保洁外包给了绿地物业公司，绿地物业公司多年来按时缴纳我们的养老保险。"
    assert employers_of(ex, text)[0] == "宏远集团有限公司"


# --- strikers as a group, a list of places and a round of strikes lead no headline as an employer ------------------
@pytest.mark.parametrize("text", [
    "滨海医护罢工第三天，医院门诊几乎停摆",
    "#滨海黑医护罢工#有人支持有人反对",
    "罢工期间，东港、西港等6个码头暂停作业",
    "#意国新一轮罢工#火车停运",
])
def test_strikers_lists_and_rounds_are_no_employer(ex: EntityExtractor, text: str) -> None:
    assert employers_of(ex, text) == []


def test_hospital_authority_strike_keeps_the_employer(ex: EntityExtractor) -> None:
    # look-alike: the strikers' employer is named and stays
    assert employers_of(ex, "滨海医管局员工罢工，要求加薪") == ["滨海医管局"]


# --- a country, region or origin with a bare head is a description, not a name ------------------------------------
@pytest.mark.parametrize("text", ["一家美国公司拖欠我们三个月工资。", "韩国工厂突然关门，工人被辞退。", "那家外资企业裁员了。"])
def test_origin_with_a_bare_head_is_no_name(ex: EntityExtractor, text: str) -> None:
    assert employers_of(ex, text) == []


def test_origin_before_a_named_firm_stays(ex: EntityExtractor) -> None:
    # look-alike: the country opens a real name
    assert employers_of(ex, "美国苹果公司裁员三千人。") == ["美国苹果公司"]


def test_announcement_and_a_province_market_name_no_employer(ex: EntityExtractor) -> None:
    assert employers_of(ex, "香奈儿官宣停产了，工人怎么办") == []
    assert employers_of(ex, "#疫情下你们的工资还好吗#现在浙江市场不行，工资没发") == []
    # look-alike: a named market that owes its cleaners is an employer
    assert employers_of(ex, "青浦农贸市场拖欠保洁工资") == ["青浦农贸市场"]
