"""The frame layer's constructions of session 21 (read from suite N once suite O was written blind): a sum of pay
never seen, pay put off again, contributions moved to the lowest base, missing from the records or paid on and off,
workers without contributions; a contract ended one-sidedly, a department or a counted crew cut; papers kept by the
employer; a crew's collective refusal to film; a firm's freight or payment term held back, an old photo, leaving of
one's own will, a law column's case; internet spellings (木有, 酱紫, 偶, 银). Every text here is written for the test,
in other words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import CLEAR_CAP, read_frames
from nlp.surface import relevance_view
from tests.unit.nlp._helpers import frame_score, lifting


@pytest.mark.parametrize(("text", "etype"), [
    ("在饭店端了两个月盘子，老板说月底一起算，到现在六千块一分都没拿到", "wage_arrears"),
    ("物业公司的工资又推迟了，说下周再发，这个月第三回了", "wage_arrears"),
    ("包工头一拖再拖，说等开发商给钱了再结工钱", "wage_arrears"),
    ("装修队散伙半年了，我们几个的人工费还欠着", "wage_arrears"),
    ("公司把大家的公积金缴存基数调到了最低，也没跟员工商量", "social_insurance_arrears"),
    ("入职两年了，去社保局一查，根本没有缴费记录，公司一直说在交", "social_insurance_arrears"),
    ("我们超市的员工社保时交时停，店长说看营业额", "social_insurance_arrears"),
    ("我们车间的工人几乎都没有社保，问老板就说临时工不用交", "social_insurance_arrears"),
    ("健身教练被会所单方面解除劳动合同，提成也没结", "dismissal_layoff"),
    ("这家物流公司上周裁掉了整个客服团队", "dismissal_layoff"),
    ("某汽配厂裁减员工三百余人，补偿方案尚未公布", "dismissal_layoff"),
    ("老板把我们几个人的护照收走了，说干满一年才还", "other_labor"),
    ("短剧剧组的演员集体罢拍，要求先把上个月的片酬结了", "strike_stoppage"),
])
def test_session_21_claims_lift(text: str, etype: str) -> None:
    assert etype in lifting(text)


@pytest.mark.parametrize("text", [
    "花了三千块报的课，一分钱没退，培训机构直接关门",   # a refund, not pay
    "快递又延期了，说是仓库爆仓",                      # a parcel, not pay
    "裁了一块布料做窗帘，剩下的还能做两个靠垫",          # cutting cloth
    "公司这次裁了整个部门的差旅预算",                    # a budget, not a department
    "警方扣押了嫌疑人的护照和身份证",                    # the police, not an employer
    "自由职业者没社保，老了怎么办",                      # no worker subject
    "学生们集体罢课抗议作业太多？原来是愚人节玩笑",       # students, not a crew
])
def test_session_21_look_alikes_do_not_lift(text: str) -> None:
    assert not lifting(text)


@pytest.mark.parametrize("text", [
    "客户压了我们运输公司半年的运费，说等他们回款",
    "甲方把账期从六十天延长到一百二十天，小供应商扛不住",
])
def test_a_firms_freight_or_payment_term_held_back_is_company_debt(text: str) -> None:
    reading = read_frames(text)
    assert "company_debt" in reading.genre_names
    assert frame_score(text) == (CLEAR_CAP, "clear")


def test_a_firms_debt_beside_workers_paid_no_longer_lifts() -> None:
    text = "业主拖欠我们施工企业材料款三百万，我们先垫钱把工人工资发完了"
    assert not lifting(text)


@pytest.mark.parametrize("text", [
    "老照片：九十年代纺织厂的女工们在车间门口合影",            # an old photo
    "提了离职，老板再三挽留，最后还是走了，工资都结清了",          # leaving of one's own will
    "在这家公司五年，决定出去闯闯，明天开始新的工作",
    "【以案释法】邻居装修漏水，拒绝赔偿被判赔六千元",             # a law column's case
])
def test_look_alike_genres_are_cleared(text: str) -> None:
    assert frame_score(text)[1] == "clear"


def test_a_claim_beside_a_will_to_leave_stays() -> None:
    # leaving of one's own will, but the firm keeps the pay: the claim lifts whatever else the post says
    text = "决定出去看看，提了离职，结果公司扣着我两个月工资不给"
    assert "wage_arrears" in lifting(text)
    assert frame_score(text)[1] != "clear"


def test_a_hashtag_for_workers_is_no_worker_actor() -> None:
    # 打工人 in a topic names no worker of the claim (a dog bite's compensation refused is no labour claim)
    frames = read_frames("#打工人日常# 邻居的狗咬了人，狗主人拒绝赔偿").frames
    assert frames and all(f.worker is None for f in frames)


@pytest.mark.parametrize(("text", "want"), [
    ("偶在厂里干了三个月，工资木有发", "我在厂里干了三个月，工资没有发"),
    ("老板酱紫拖着，几十号银都等着", "老板这样拖着，几十号人都等着"),
    ("窝们滴工钱肿么还不发咧", "我们的工钱怎么还不发了"),
])
def test_internet_spellings_are_written_out(text: str, want: str) -> None:
    assert relevance_view(text) == want


@pytest.mark.parametrize("text", ["偶尔去银行取钱", "偶像的演唱会门票好贵", "一滴水都没有"])
def test_internet_spellings_leave_plain_words_alone(text: str) -> None:
    assert relevance_view(text) == text


@pytest.mark.parametrize("text", [
    "别的车间的加班费都已经补发了，就我们车间一直拖着不给",
    "隔壁工地的工钱早就已经结清了，我们的包工头还在拖",
])
def test_others_paid_is_no_resolution_of_the_writers_case(text: str) -> None:
    reading = read_frames(text)
    assert not reading.settled and not reading.resolved


def test_the_writers_own_pay_settled_is_still_a_resolution() -> None:
    reading = read_frames("拖了三个月的工资，昨天已经全部结清了")
    assert reading.resolved
