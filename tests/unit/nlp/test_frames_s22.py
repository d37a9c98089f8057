"""The frame layer's constructions of session 22 (read from suite O once suites P and Q were written blind): a counted
layoff of a trade's staff, a severance in Taiwanese wording (资遣), a termination signed under duress; a pause with
pay going on (带薪休息, 工资照常发放) and how it used to be (以前...) that is no resolution; a pet's "strike"; a language
lesson's word list; pinyin homophone slips on labour words (工紫, 社宝, 才员, 陪偿). Every text here is written for
the test, in other words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import CLEAR_CAP, RESOLVED_SHORT_CAP, read_frames
from nlp.surface import relevance_view
from tests.unit.nlp._helpers import frame_score, lifting


@pytest.mark.parametrize(("text", "etype"), [
    ("这家快递公司宣布裁减约一千二百名分拣及运输岗位", "dismissal_layoff"),
    ("某连锁酒店裁撤近两百名前台和客房员工", "dismissal_layoff"),
    ("我们厂这周裁员四十多个车间工人", "dismissal_layoff"),
    ("老板上午开会说要资遣我们整个门市部", "dismissal_layoff"),
    ("我被公司资遣了，只给了一个月的钱", "dismissal_layoff"),
])
def test_a_counted_or_severance_layoff_lifts(text: str, etype: str) -> None:
    assert etype in lifting(relevance_view(text)), text


@pytest.mark.parametrize("text", [
    "如果订单继续下滑，公司可能会裁减约三百名员工",  # a forecast
    "资遣费怎么算？工作满三年的话",  # a question on the word
])
def test_a_layoff_look_alike_does_not_lift(text: str) -> None:
    assert "dismissal_layoff" not in lifting(relevance_view(text)), text


def test_signing_under_duress_is_read_but_alone_lifts_nothing() -> None:
    # a weak predicate: a gym's hard sell or an onboarding NDA say the same words
    for text in ("健身房销售把我堵在前台，不签就不让走，最后报警了", "签字之前不许离开会议室，这是保密协议的要求，新员工都要签"):
        reading = read_frames(relevance_view(text))
        assert any(f.event_type == "dismissal_layoff" for f in reading.frames), text
        assert not reading.lifting, text


@pytest.mark.parametrize("text", [
    "因为线路改造，车间停产两天，员工正常带薪休息",
    "仓库盘点停工一天，工资照常发放",
    "工厂春节放假通知：腊月二十八起停工，正月初十复工，放假期间工资照发",
])
def test_a_pause_with_pay_going_on_is_no_dispute(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert reading.settled or (reading.frames and all(f.resolved for f in reading.frames)), text
    score, rule = frame_score(relevance_view(text), 0.9)
    assert rule != "lift" and (rule == "model" or score <= RESOLVED_SHORT_CAP), (text, score, rule)


@pytest.mark.parametrize("text", [
    "以前工资照常发，今年开始已经拖了三个月了",  # how it used to be
    "说好停工期间工资照常发放，结果到现在一分没见",  # a promise
])
def test_pay_going_on_in_the_past_or_promised_is_no_resolution(text: str) -> None:
    score, rule = frame_score(relevance_view(text), 0.5)
    assert rule != "resolved", (text, score, rule)


def test_a_debt_paid_before_is_still_a_resolution() -> None:
    assert frame_score(relevance_view("之前拖欠的工资已经结清了"), 0.9)[1] == "resolved"


@pytest.mark.parametrize("text", ["我家狗今天罢工了，怎么拉都不肯出门散步", "猫咪又罢工了，一口猫粮都不吃"])
def test_a_pets_strike_is_a_figure(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert "figurative" in reading.genre_names and not reading.lifting, text


def test_a_drivers_strike_beside_a_pet_is_still_a_strike() -> None:
    text = "今天公交司机集体罢工，要求补发三个月工资"
    assert "strike_stoppage" in lifting(relevance_view(text))


@pytest.mark.parametrize("text", ["英语词汇：overtime 加班；bonus 奖金。例句：He was fired.",
                                  "单词表第三课：wage 工资，strike 罢工"])
def test_a_language_lessons_word_list_is_cleared(text: str) -> None:
    score, rule = frame_score(relevance_view(text), 0.9)
    assert rule == "clear" and score <= CLEAR_CAP, (text, score, rule)


@pytest.mark.parametrize(("slip", "word"), [
    ("这个月工紫又没发", "工资"), ("公司社宝一直没交", "社保"), ("我们组被才员了", "裁员"), ("陪偿金一分没给", "赔偿"),
    ("老版说下周再结", "老板"),
])
def test_homophone_slips_are_written_out(slip: str, word: str) -> None:
    assert word in relevance_view(slip), slip


@pytest.mark.parametrize("text", ["人才员工宿舍下月启用", "老版本的系统又卡了", "老版的电视剧更好看", "天才员外"])
def test_homophone_look_alikes_stay(text: str) -> None:
    assert relevance_view(text) == text


@pytest.mark.parametrize("text", ["劳务中介扣着我们几个人的身份证，说干满三个月才还", "某航空公司宣布裁减两百名空乘"])
def test_the_workers_side_of_an_agency_or_an_airline_lifts(text: str) -> None:
    reading = read_frames(relevance_view(text))
    assert reading.lifting and not any(f.counterparty for f in reading.lifting), text


@pytest.mark.parametrize("text", ["租房中介扣着我的押金不退", "航空公司取消了我的航班，退票还要扣手续费"])
def test_an_agency_or_an_airline_as_a_shop_stays_a_counterparty(text: str) -> None:
    assert not read_frames(relevance_view(text)).lifting, text


@pytest.mark.parametrize("text", ["公交公司的司机们春节集体停运休假", "工厂停产检修一周，下周一恢复生产"])
def test_a_stop_for_a_holiday_or_upkeep_lifts_nothing(text: str) -> None:
    assert not read_frames(relevance_view(text)).lifting, text


@pytest.mark.parametrize("firm", ["德邦快递", "东方物流集团", "上海锐拓汽车配件有限公司"])
def test_a_report_said_untrue_is_denied_whatever_the_firm(firm: str) -> None:
    # found by bench/nlp_invariance.py: a denial that only some firm names let the model clear
    reading = read_frames(relevance_view(f"【声明】网传赵巷镇{firm}拖欠工资不实，公司35名员工工资均按时足额发放。"))
    assert reading.denied and all(f.resolved for f in reading.frames), firm


def test_an_untrue_report_taken_back_stays_a_claim() -> None:
    reading = read_frames(relevance_view("公司说网传拖欠工资不实，但我们确实三个月没拿到钱"))
    assert not reading.denied
