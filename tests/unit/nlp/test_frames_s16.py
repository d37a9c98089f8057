"""The frame layer's constructions of session 16 (read from suite I's dev half, the cause of its one invariance
flip): a public body's reminder that tells the reader what to do (遇欠薪可拨打...), and an honour's title (诚信用工单位)
beside the word that awards it. Every text here is written for the test, in other words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import LIFT_FLOOR, decide, read_frames


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
    p, expl = decide(0.6, read_frames(text), members=("tfidf",), text=text)
    assert p < LIFT_FLOOR, (text, expl)


@pytest.mark.parametrize("text", [
    "遇到老板欠薪我也不知道找谁，三个月没发了",  # the writer's own case, first person
    "号称诚信企业，却拖欠我们半年工资",  # a title quoted in a complaint: one honour cue only
])
def test_session16_complaints_stay_complaints(text: str) -> None:
    r = read_frames(text)
    assert "policy" not in r.genre_names and "honour" not in r.genre_names, r
    assert r.lifting, r
