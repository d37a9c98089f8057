"""The guidelines' rulings v1.1 in the frame layer (session 13): a strike by workers counts anywhere, a general or
political strike does not; an announced layoff at a named employer counts without visible conflict; a crime story
about a dismissed employee and a sports club firing its coach are no labour claim. Cases invented for these tests."""

from __future__ import annotations

import pytest

from nlp.frames import CLEAR_CAP, LIFT_FLOOR, read_frames
from nlp.surface import relevance_view
from tests.unit.nlp._helpers import relevance_score


@pytest.mark.parametrize("text", [
    "好莱坞编剧罢工进入第三周 多部剧集停拍",
    "韩国一汽车厂工会今起罢工",
    "航空公司机长集体罢工 数百航班取消",
    "巴西码头工人罢工第五天",
    "外卖骑手在站点门口罢工",
    "某乐团演员罢工 演出临时取消",
])
def test_a_strike_by_workers_lifts(text: str) -> None:
    assert relevance_score(text, 0.05) == (LIFT_FLOOR, "lift")


@pytest.mark.parametrize("text", [
    "我的电脑又罢工了，气死",  # a machine
    "天太热，空调罢工了",
    "连续加班一周，大脑已经罢工",  # a body, not a stoppage
    "法国爆发全国总罢工 反对退休制度改革",  # a general strike against a policy
    "多国工会酝酿全国性罢工",
    "希腊工会宣布再次举行大罢工",  # a general strike by the word's usual sense
])
def test_no_worker_strike_or_a_general_one_does_not_lift(text: str) -> None:
    p, rule = relevance_score(text, 0.05)
    assert p < LIFT_FLOOR and rule != "lift", (text, p, rule)


@pytest.mark.parametrize("text", [
    "瑞达物流有限公司宣布裁员300人",  # a legal name and a count
    "某电子厂裁员两百人",  # an employer and a counted layoff
    "星海科技集团计划裁员一成",
    "曝远航集团将裁员",
])
def test_an_announced_layoff_at_a_named_employer_lifts(text: str) -> None:
    assert relevance_score(text, 0.05) == (LIFT_FLOOR, "lift"), read_frames(relevance_view(text)).frames


@pytest.mark.parametrize("text", [
    "国际芯片巨头集体裁员以求减亏",  # no employer named
    "今年多家企业裁员",  # many firms: a trend
    "互联网行业裁员潮来袭",  # a category
    "听说公司要裁员了，好慌",  # a fear
    "星海科技集团否认裁员传闻",  # denied
])
def test_a_layoff_without_a_named_employer_or_not_asserted_does_not_lift(text: str) -> None:
    p, rule = relevance_score(text, 0.05)
    assert rule != "lift", (text, p, rule)


@pytest.mark.parametrize("text", [
    "被开除员工持刀劫杀公司财务总监",
    "男子不满被辞退 深夜盗走公司十万元现金被刑拘",
    "遭解雇后纵火报复前东家 男子获刑八年",
])
def test_a_crime_story_after_a_dismissal_is_cleared(text: str) -> None:
    p, rule = relevance_score(text, 0.9)
    assert rule == "clear" and p <= CLEAR_CAP, (text, p, rule)


def test_a_crime_story_with_a_wage_claim_stays() -> None:
    p, rule = relevance_score("讨薪不成 被拖欠工资的工人砍伤包工头", 0.9)
    assert rule != "clear" and p >= 0.9


@pytest.mark.parametrize("text", [
    "猛龙队宣布解雇主教练 季后赛出局成导火索",
    "英超球队解雇主帅 新赛季开局五连败",
    "主教练下课？球队或将解雇他",
])
def test_a_club_firing_its_coach_is_cleared(text: str) -> None:
    p, rule = relevance_score(text, 0.9)
    assert rule == "clear" and p <= CLEAR_CAP, (text, p, rule)


@pytest.mark.parametrize("text", [
    "外援欠薪出走 球队三个月没发工资",  # unpaid players are unpaid workers
    "球员集体罢训讨要欠薪",
])
def test_a_club_owing_its_players_stays(text: str) -> None:
    p, rule = relevance_score(text, 0.3)
    assert rule == "lift" and p == LIFT_FLOOR, (text, p, rule)


@pytest.mark.parametrize("text", [
    "医护人员罢工逼港府全面封关",  # the guidelines' example of a political strike
    "工会宣布停止罢工，员工明日复工",  # called off
])
def test_a_political_or_ended_strike_does_not_lift(text: str) -> None:
    p, rule = relevance_score(text, 0.05)
    assert rule != "lift" and p < LIFT_FLOOR, (text, p, rule)


def test_the_guidelines_example_of_a_political_strike_is_read_as_politics() -> None:
    assert "politics" in read_frames("医护人员罢工逼港府全面封关").genre_names


@pytest.mark.parametrize("text", [
    "被裁的员工有没有补偿？",  # an A-not-A question (有没有), not 没有补偿
    "公司发不发工资还不知道",
    "单位交没交社保怎么查",
])
def test_an_a_not_a_question_is_no_claim(text: str) -> None:
    r = read_frames(relevance_view(text))
    assert r.frames and not r.lifting, r.frames


@pytest.mark.parametrize("text", [
    "许多单位没有为员工缴纳社保，劳动者要注意",  # employers as a kind: a general statement
    "有的老板拖欠工人工资，大家找工作要小心",
    "一些企业不给员工签劳动合同",
])
def test_employers_as_a_kind_are_no_specific_claim(text: str) -> None:
    r = read_frames(relevance_view(text))
    assert r.frames and not r.lifting, r.frames


@pytest.mark.parametrize("text", [
    "我们公司有没有补偿都不说，直接让我们走人",  # the question aside, a claim stays
    "老板拖欠我们三个月工资，有的工友已经回老家了",  # 有的 quantifies workers, not the employer
    "单位没有为我们缴纳社保",
])
def test_specific_claims_still_lift(text: str) -> None:
    assert read_frames(relevance_view(text)).lifting


def test_no_contract_signed_for_the_workers_is_read() -> None:
    assert {f.event_type for f in read_frames("公司不给员工签劳动合同").lifting} == {"other_labor"}


@pytest.mark.parametrize(("text", "etype"), [
    ("厂里三百多人，给交社保的只有二十来个坐办公室的", "social_insurance_arrears"),  # contributions for a few only
    ("公司只给管理层交社保，我们一线工人一个都没有", "social_insurance_arrears"),
    ("仓库的搬运工全撂下活不干了，卡车在门口排队", "strike_stoppage"),  # a stoppage in other words, workers named
    ("罢工第三天了，公司还是没人出来谈", "strike_stoppage"),  # a stoppage waiting for its talks
    ("一家服装厂停产关闭 工人遣散方案至今没有公布", "closure_relocation"),  # a closure with the workers' stake
])
def test_more_claims_in_other_words_lift(text: str, etype: str) -> None:
    assert etype in {f.event_type for f in read_frames(relevance_view(text)).lifting}, read_frames(text).frames


@pytest.mark.parametrize("text", [
    "妈妈放下手里的活来接我放学",  # no stoppage
    "开发商停工 拆迁安置房迟迟不交付",  # housing, the developer
    "只有交社保满十五年才能领养老金",  # a rule, no employer
])
def test_their_look_alikes_do_not_lift(text: str) -> None:
    assert not read_frames(relevance_view(text)).lifting, read_frames(text).frames


def test_contributions_from_the_first_day_are_no_claim() -> None:
    assert not read_frames("厂里从入职第一天就给我们交社保").lifting  # 就 is "right from", not "only"
