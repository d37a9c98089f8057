"""The frame layer's constructions of session 16 (read from suite I's dev half, the cause of its one invariance
flip): a public body's reminder that tells the reader what to do (遇欠薪可拨打...), and an honour's title (诚信用工单位)
beside the word that awards it. Every text here is written for the test, in other words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import LIFT_FLOOR, read_frames
from tests.unit.nlp._helpers import frame_decision, lifting


@pytest.mark.parametrize("text", [
    "镇人社所提醒：遇到拖欠工资可拨打12333热线",
    "区劳动监察大队提示：遇欠薪请及时投诉，保留好考勤记录",
    "工会提醒：遇到单位不缴社保的情况，可申请仲裁",
])
def test_session16_a_reminder_with_an_instruction_is_policy(text: str) -> None:
    assert "policy" in read_frames(text).genre_names, read_frames(text)


@pytest.mark.parametrize("text", [
    "华腾包装有限公司等十二家企业获评守法诚信单位",
    "这家物流公司被评为区级文明单位",
    "两家工厂入选最佳雇主，获评和谐劳动关系示范企业",
])
def test_session16_an_honours_title_is_an_honour(text: str) -> None:
    assert "honour" in read_frames(text).genre_names, read_frames(text)


@pytest.mark.parametrize("text", [
    "镇劳动监察提醒：遇欠薪可拨打12345；永拓机械有限公司等30家企业获评诚信用工单位",
    "镇劳动监察提醒：遇欠薪可拨打12345；永拓机械有限公司等130家企业获评诚信用工单位",
])
def test_session16_reminder_and_honour_roll_do_not_lift_whatever_the_count(text: str) -> None:
    p, expl = frame_decision(text, 0.6, members=("tfidf",))
    assert p < LIFT_FLOOR, (text, expl)


@pytest.mark.parametrize("text", [
    "遇到老板欠薪我也不知道找谁，三个月没发了",  # the writer's own case, first person
    "号称诚信企业，却拖欠我们半年工资",  # a title quoted in a complaint: one honour cue only
])
def test_session16_complaints_stay_complaints(text: str) -> None:
    r = read_frames(text)
    assert "policy" not in r.genre_names and "honour" not in r.genre_names, r
    assert r.lifting, r


@pytest.mark.parametrize(("text", "etype"), [
    ("主管当着大家的面让他明天别来了，工资也不结", "dismissal_layoff"),
    ("镇上几所幼儿园的老师集体罢课，三个月没发工资", "strike_stoppage"),
    ("码头工人拒绝开工，说运费提成被砍了一半", "strike_stoppage"),
    ("二十多个师傅同时关机，在车间里坐着", "strike_stoppage"),
    ("我们的工钱从去年八月拖到现在", "wage_arrears"),
    ("包工头打白条，说明年再说", "wage_arrears"),
    ("去社保中心一查，缴费记录一片空白", "social_insurance_arrears"),
    ("干了三年，公司一个月社保都没给我们交", "social_insurance_arrears"),
    ("他们厂的缴费基数按最低标准报，工资条上可是七千", "social_insurance_arrears"),
    ("讨薪的来了三十多个工友，把项目部围住了", "group_action"),
    ("大家举着写着还我工钱的纸板站在门口", "group_action"),
    ("厂里停工歇业，只发基本生活费", "closure_relocation"),
    ("老板把我们的身份证收走了，说干满一年才还", "other_labor"),
    ("换了个劳务派遣公司签合同，工龄一律作废", "other_labor"),
    ("装车时扭到腰，老板一分钱都没给", "injury_compensation"),
    ("在工地被砖头砸到脚，工头就跑路了", "injury_compensation"),
    ("查出了噪声聋，厂里不肯出具接触噪声的证明材料", "injury_compensation"),
])
def test_session16_constructions_lift(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


@pytest.mark.parametrize("text", [
    "学生们集体罢课，抗议学校取消午休",  # students, not workers
    "下雨天工地不出工，大家在宿舍打牌",  # weather, no dispute
    "疫情期间工厂全部停工，空气好了很多",  # a stoppage by circumstance
    "这局剧本杀我演的保安就像被老板开除了一样惨",  # a simile in a game
    "这部纪录片讲述了矿工罢工的往事",  # a film told
    "新版本上线后这个英雄集体罢工，胜率跌到四成",  # game talk
    "反对派号召大罢工，要求总统下台",  # politics
    "客户公司欠我们公司加工费三十万，准备起诉",  # a debt between firms
    "健身房关门了，刚续了一年的卡，会员群里都在骂",  # consumers
    "老板把拖欠的工资都补上了，这事翻篇了",  # made up in full
    "以为少发了三百，其实一分钱也没少，是扣了公积金",  # nothing short after all
])
def test_session16_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.05)
    assert p < LIFT_FLOOR, (text, expl)


def test_session16_workers_asking_the_government_to_step_in_still_strike() -> None:
    r = read_frames("几十名工人罢工，要求政府出面解决拖欠的工资")
    assert "politics" not in r.genre_names and r.lifting, r


@pytest.mark.parametrize(("text", "etype"), [
    ("我们车间停工了 老板啥时候发钱啥时候开工", "strike_stoppage"),  # a space ends a clause as a comma does
    ("工资单上写着发了 卡里一分没到 这算什么事", "wage_arrears"),
])
def test_session16_a_question_in_the_next_clause_does_not_make_the_claim_modal(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames
    assert etype in lifting(text.replace(" ", "，"))


def test_session16_a_question_and_answer_typed_without_punctuation_is_policy() -> None:
    assert "policy" in read_frames("问 工厂倒闭了 拖欠的工资怎么算 答 工资优先清偿").genre_names


@pytest.mark.parametrize(("text", "etype"), [
    ("幼儿园拖欠了老师们两个月的课时费", "wage_arrears"),
    ("工友们约好周一一起去项目部讨薪", "group_action"),
    ("没拿到工钱的师傅们明早八点在工地门口集合", "group_action"),
    ("十几个人守在老板办公室门口不肯走", "group_action"),
    ("厂里通知下个月起社保暂停缴纳", "social_insurance_arrears"),
    ("被单位以“考核不合格”为由辞退了", "dismissal_layoff"),
    ("辞职就要扣一万块违约金，当初可没说过", "other_labor"),
    ("师傅搬货时中暑晕倒，老板拒绝支付住院费", "injury_compensation"),
])
def test_session16_suite_i_dev_constructions(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


def test_session16_an_injury_then_a_dismissal_keeps_the_injury_frame() -> None:
    # the dismissal-by-the-employer pattern claims last, so the injury told before it keeps its span
    assert "injury_compensation" in lifting("在仓库摔伤以后被公司开除了")


@pytest.mark.parametrize("text", [
    "早教中心倒闭了，家长们集体去门店讨说法",  # customers, not workers
    "担心哪天被公司开除了怎么办",  # a fear
])
def test_session16_suite_i_dev_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.05)
    assert p < LIFT_FLOOR, (text, expl)
