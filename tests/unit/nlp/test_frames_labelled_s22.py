"""The frame layer's constructions of session 22's labelled-slice error analysis (out-of-fold decisions on the short
and headline slices of the labelled data): a predicate describing a class of people
(还没收到工资的老百姓); a request to pay (能不能把...结清) that is no settlement; an injury recognised as a claim
granted; the employer never reporting an injury; contributions stopped, told of the insurance money; contributions
the writer pays alone; a letter of rule questions; a short post's employer in another sentence; 怎么会/怎么还. Every text here
is written for the test, in other words than the labelled items'."""

from __future__ import annotations

import pytest

from nlp.frames import RESOLVED_SHORT_CAP, read_frames
from nlp.surface import relevance_view
from tests.unit.nlp._helpers import frame_score, lifting


@pytest.mark.parametrize("text", [
    "#江苏企业延迟复工# 心疼那些两个月没有收到工资的老百姓",
    "希望多关注一下半年没有收到工资的普通人",
])
def test_a_predicate_describing_a_class_of_people_does_not_lift(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert reading.frames and all(f.generic for f in reading.frames), text
    assert "wage_arrears" not in lifting(relevance_view(text)), text


@pytest.mark.parametrize("text", [
    "我们两个月没有收到工资",
    "厂里两个月没有收到工资的工人今天都去了劳动局",
])
def test_the_same_predicate_about_workers_still_lifts(text: str) -> None:
    assert "wage_arrears" in lifting(relevance_view(text)), text


@pytest.mark.parametrize("text", [
    "老板能不能把上个月的工资结清！房租都交不起了",
    "公司赶紧把欠的加班费补发了吧，拖太久了",
])
def test_a_request_to_pay_is_no_settlement(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert not reading.settled and not reading.resolved, text


def test_money_paid_is_still_a_settlement() -> None:
    reading = read_frames(relevance_view("老板已经把上个月的工资结清了"))
    assert reading.settled or reading.resolved


@pytest.mark.parametrize("text", [
    "快递员送件途中摔伤，被认定为工伤",
    "环卫工清扫时突发疾病身亡 已认定工伤",
])
def test_an_injury_recognised_is_a_claim_granted(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert reading.resolved, text
    score, rule = frame_score(relevance_view(text), 0.9)
    assert rule == "resolved" and score <= RESOLVED_SHORT_CAP, (text, score, rule)


@pytest.mark.parametrize("text", [
    "我在车间被机器轧伤，被认定工伤后公司拒不赔偿医药费",  # the grievance after the recognition
    "摔伤后单位不管，这种情况可否直接认定工伤？",  # a question
])
def test_an_injury_recognition_asked_or_followed_by_a_grievance_is_no_resolution(text: str) -> None:
    assert not read_frames(relevance_view(text)).resolved, text


@pytest.mark.parametrize("text", [
    "我在工地上摔断了腿，公司一直没有给我申报工伤",
    "受伤三个月了，单位始终未主动申报工伤",
])
def test_the_employer_never_reporting_an_injury_lifts(text: str) -> None:
    assert "injury_compensation" in lifting(relevance_view(text)), text


def test_the_writer_not_reporting_an_injury_does_not_lift() -> None:
    assert "injury_compensation" not in lifting(relevance_view("去年扭伤了脚，当时我自己没有申报工伤，现在还能补吗"))


@pytest.mark.parametrize("text", [
    "厂里给我们交的养老保险金突然停交了，问了人事也不说原因",
    "我在公司干了六年，社保费竟然断交了两年",
])
def test_contributions_stopped_lift(text: str) -> None:
    assert "social_insurance_arrears" in lifting(relevance_view(text)), text


def test_the_writers_own_contributions_stopped_after_leaving_do_not_lift() -> None:
    text = "2015年以后的社保已经停交了，现在想续保要去哪里办理，费用怎么算"
    assert "social_insurance_arrears" not in lifting(relevance_view(text))


@pytest.mark.parametrize("text", [
    "从公司离职后三年没有缴纳社保，现在以个体身份参保，之前的能补交吗",
    "我是灵活就业人员，社保断交了半年，怎么续上",
])
def test_contributions_the_writer_pays_on_their_own_do_not_lift(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert any(f.event_type == "social_insurance_arrears" for f in reading.frames), text
    assert "social_insurance_arrears" not in lifting(relevance_view(text)), text


def test_an_employers_unpaid_contributions_beside_self_paid_ones_still_lift() -> None:
    text = "现在我以个体身份交社保，因为之前公司一直没给我交社保"
    assert "social_insurance_arrears" in lifting(relevance_view(text))


@pytest.mark.parametrize("text", [
    "局长好！请问本市企业职工病假期间要不要照发工资？年休假是不是可以不给？单休合法吗？",
    "想咨询一下，试用期能不能不交社保？辞职需不需要提前一个月？",
])
def test_a_letter_of_rule_questions_is_procedural_qa(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert "qa" in reading.genre_names, text
    score, rule = frame_score(relevance_view(text), 0.7)
    assert rule == "clear", (text, score, rule)


@pytest.mark.parametrize("text", [
    "请问公司拖欠我三个月工资不发，要不要先申请仲裁？能不能直接起诉？",  # the writer's own case asked about
    "请问要不要扣工资？",  # one question: the short one-clause rule reads it
])
def test_a_case_with_its_questions_or_one_question_is_no_letter_of_rule_questions(text: str) -> None:
    reading = read_frames(relevance_view(text))
    if "拖欠" in text:
        assert reading.lifting and frame_score(relevance_view(text), 0.3)[1] == "lift", text


def test_a_strong_claim_in_a_short_post_takes_its_employer_from_another_sentence() -> None:
    text = ("明天本来是发薪的日子。结果今天晚上通知：工资发不出了！！现在公司什么时候发也不说，就这么拖着。"
            "房贷信用卡都要还，真的愁。")
    assert "wage_arrears" in lifting(relevance_view(text))


@pytest.mark.parametrize("text", [
    # no employer anywhere in a post over the pro-drop length: a headline-like line about a town's wages
    "刷到好几条新闻，有的说今年本地平均工资又涨了不少。又有人说隔壁城市发不出工资的消息也挺多的。到底哪个是真的呢，大家评论区说说看吧，"
    "反正我是一个都不信。",
])
def test_a_strong_claim_with_no_employer_in_a_longer_post_does_not_lift(text: str) -> None:
    assert "wage_arrears" not in lifting(relevance_view(text)), text


def test_how_come_before_a_claim_is_a_complaint_not_a_question() -> None:
    text = "我在厂里干了八年，怎么会社保突然停交了两年，人事也说不清楚"
    assert "social_insurance_arrears" in lifting(relevance_view(text))
    # asking how to do something stays a question
    assert "social_insurance_arrears" not in lifting(relevance_view("社保断缴了怎么补？"))


@pytest.mark.parametrize("text", [
    "干了一年多了，这个月老板怎么又拖欠工资了，房租都交不起",
    "都月底了，厂里工资怎么还没发，一问就说等等",
])
def test_how_come_again_or_still_is_a_complaint(text: str) -> None:
    assert "wage_arrears" in lifting(relevance_view(text)), text
