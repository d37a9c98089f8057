"""The frame layer's constructions of session 20 (read from suite M once suite N was written blind): a firm's denial
of untrue reports, a lawyer's or a column's explainer, a question on what is allowed, a figure of speech, a service
fee not refunded, wages paid in kind, contributions not paid for workers named by their trade, and English labour
words in a Chinese post. Every text here is written for the test, in other words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import CLEAR_CAP, RESOLVED_SHORT_CAP, read_frames
from nlp.surface import relevance_view
from tests.unit.nlp._helpers import frame_score, lifting


@pytest.mark.parametrize("text", [
    "集团声明：针对网上流传的不实消息，本集团从不存在拖欠员工薪酬的问题",
    "厂方回应：网传我厂全员停工一事系误传，目前生产一切正常",
    "关于个别自媒体不实报道的说明：本单位不存在克扣职工加班费的现象",
])
def test_a_firms_denial_of_untrue_reports_is_settled(text: str) -> None:
    reading = read_frames(text)
    assert reading.denied
    score, rule = frame_score(text)
    # settled as a resolution, or cleared where the denial negates the dispute word itself (不存在拖欠)
    assert rule in ("resolved", "clear") and score <= RESOLVED_SHORT_CAP


def test_a_denial_the_writer_then_contradicts_stays_a_dispute() -> None:
    text = "公司出来辟谣说从不拖欠工资，可我们车间已经两个月没拿到一分钱"
    assert not read_frames(text).denied
    assert frame_score(text)[1] != "resolved"


@pytest.mark.parametrize("text", [
    "职场法律小课堂：试用期被辞退有没有补偿？答案是分情况",
    "快手律师：老板拖着不发工资怎么办？分三种情况来看",
    "律师：公司要求员工自愿放弃社保合法吗？答案是无效",
])
def test_a_lawyers_or_a_columns_explainer_is_policy_and_cleared(text: str) -> None:
    reading = read_frames(text)
    assert "policy" in reading.genre_names
    score, rule = frame_score(text)
    assert rule == "clear" and score <= CLEAR_CAP


@pytest.mark.parametrize("text", [
    "单位能不能随便扣员工的押金",
    "用人单位可不可以扣押员工身份证",
])
def test_a_question_on_what_is_allowed_is_no_claim(text: str) -> None:
    assert not lifting(text)


def test_a_plea_with_the_same_words_still_claims() -> None:
    # (能不能别 / 能不能把: asking the employer to stop or to pay is the writer's own complaint)
    assert "wage_arrears" in lifting("老板能不能别再拖欠我们的工资了，都三个月了")


@pytest.mark.parametrize("text", [
    "跑完半马，我的腰和腿已经集体罢工了",
    "连续加了一周班，脑子今天彻底罢工",
])
def test_a_figure_of_speech_is_no_strike(text: str) -> None:
    reading = read_frames(text)
    assert "figurative" in reading.genre_names and not reading.lifting
    assert frame_score(text)[1] == "clear"


def test_workers_striking_beside_a_figure_of_speech_still_strike() -> None:
    # the figure covers only its own span: a strike by workers told apart is still read
    text = "电脑又罢工了。隔壁厂的工人今天集体罢工，要求补发加班费"
    assert "strike_stoppage" in lifting(text)


@pytest.mark.parametrize("text", [
    "通过中介请了个月嫂，干了十天就走了，服务费不给退",
    "家政公司收了一年服务费，阿姨换了三个，剩下的钱拒绝退",
])
def test_a_service_fee_not_refunded_is_a_consumer_dispute(text: str) -> None:
    assert "consumer" in read_frames(text).genre_names
    assert frame_score(text, 0.6)[1] == "clear"


@pytest.mark.parametrize("text", [
    "厂里说资金周转不开，这个月工资发的是提货卡，只能去指定超市用",
    "老板拿库存的电动车抵了我们三个月工资",
    "干了半年，包工头给了一张白条顶工资",
])
def test_wages_paid_in_kind_or_in_an_iou_lift(text: str) -> None:
    assert "wage_arrears" in lifting(text)


def test_goods_bought_with_wages_are_no_arrears() -> None:
    assert not lifting("发了工资先去超市买了点产品，顺便给老妈充了话费")


@pytest.mark.parametrize("text", [
    "这家物业公司从来没给保安员缴纳过社保",
    "曝光：某医院多年未为护工交养老保险",
])
def test_contributions_not_paid_for_workers_named_by_trade_lift(text: str) -> None:
    assert "social_insurance_arrears" in lifting(text)


@pytest.mark.parametrize(("raw", "view"), [
    ("在外企做了三年，salary已经两个月没发了", "在外企做了三年，工资已经两个月没发了"),
    ("上周突然layoff了一半人，severance一分没给", "上周突然裁员了一半人，经济补偿一分没给"),
    ("搬货砸伤了脚，公司说这不算work injury", "搬货砸伤了脚，公司说这不算工伤"),
    ("公司不交social insurance也不交housing fund", "公司不交社保也不交公积金"),
])
def test_english_labour_words_in_a_chinese_post_are_written_out(raw: str, view: str) -> None:
    assert relevance_view(raw) == view


@pytest.mark.parametrize("text", [
    "The salary survey 2026 is out",  # no Chinese: an English text is left as it is
    "今晚打副本，终极boss掉了一把神器",  # a game's boss: not an employer
    "Lucky Strike香烟的老广告",  # a brand
    "这个office的装修很有设计感",  # words with no labour reading are left alone
])
def test_english_words_without_a_labour_reading_are_left_alone(text: str) -> None:
    assert relevance_view(text) == text


def test_a_crowd_demanding_severance_by_its_formula_lifts() -> None:
    assert "group_action" in lifting("昨天厂门口来了一群被裁的工人，举着牌子要N+1")
    assert not lifting("N+1的补偿是怎么计算的")  # the formula alone asks, claims nothing


@pytest.mark.parametrize("text", [
    "以案释法：王某在某餐饮公司工作期间被拖欠加班费，仲裁委裁决公司支付，现已执行完毕",
    "典型案例｜赵某某诉某科技公司违法解除劳动合同纠纷，一审判决公司支付赔偿金",
])
def test_an_anonymised_court_case_is_a_case_report_and_cleared(text: str) -> None:
    reading = read_frames(text)
    assert "case_report" in reading.genre_names
    assert frame_score(text)[1] == "clear"


@pytest.mark.parametrize("text", [
    "上海恒达建筑工程有限公司拖欠四十名农民工工资，法院判决公司三日内支付",  # a named employer: news of a conflict
    "我在某公司干了三年被无故辞退，已经申请仲裁，仲裁委还没开庭",  # the writer's own case
])
def test_a_named_or_own_case_before_a_court_is_no_case_report(text: str) -> None:
    assert "case_report" not in read_frames(text).genre_names
