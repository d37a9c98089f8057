from __future__ import annotations

import pytest

from lwcore.domain import Analysis
from nlp.frames import CLEAR_CAP, LIFT_FLOOR, decide, read_frames, supported_types, type_cues


def _frame(text: str, etype: str):  # noqa: ANN202
    fs = [f for f in read_frames(text).frames if f.event_type == etype]
    assert fs, f"no {etype} frame in {text!r}: {read_frames(text).frames}"
    return fs[0]


def test_first_hand_claim_is_specific_and_lifts() -> None:
    f = _frame("厂里从来没给我交过社保，现在退休手续办不了", "social_insurance_arrears")
    assert f.first_hand and f.employer == "厂" and f.asserted and f.lifts
    p, ex = decide(0.05, read_frames("厂里从来没给我交过社保"), members=("tfidf",), text="厂里从来没给我交过社保")
    assert p == pytest.approx(LIFT_FLOOR)
    assert ex.rule == "lift" and ex.members == ("tfidf", "frames:lift") and ex.model_score == pytest.approx(0.05)
    assert ex.cues[0].text == "从来没给我交过社保"


def test_negation_modality_and_resolution() -> None:
    assert _frame("本公司从不拖欠工资", "wage_arrears").negated
    assert _frame("会不会裁员啊，好担心", "dismissal_layoff").modal
    assert _frame("听说公司明年要裁员", "dismissal_layoff").modal
    assert _frame("公司拖欠的工资已经全部结清了", "wage_arrears").resolved
    # a predicate carrying its own negation is not negated twice
    assert not _frame("老板不发工资", "wage_arrears").negated


@pytest.mark.parametrize(("text", "genre"), [
    ("某服装厂招聘普工，工资按月发放，从不拖欠，缴纳五险，包吃住", "advert"),
    ("温馨提示：如遇欠薪可拨打12333", "policy"),
    ("数据显示，城镇新增就业同比增长3.2%", "statistics"),
    ("健身房老板跑路了，会员卡里还有三千块钱没退", "consumer"),
    ("开发商延期交房，业主们的房贷照样还", "housing"),
    ("区人社局召开根治欠薪冬季攻势工作部署会议，副区长强调", "government"),
])
def test_genres_clear_look_alikes(text: str, genre: str) -> None:
    r = read_frames(text)
    assert genre in r.genre_names
    p, ex = decide(0.95, r, members=("tfidf",), text=text)
    assert p == pytest.approx(CLEAR_CAP) and ex.rule == "clear"
    assert any(c.kind == f"genre:{genre}" for c in ex.cues)


def test_a_consumer_text_with_an_unpaid_worker_is_not_cleared() -> None:
    text = "我在健身房当教练，老板跑路了，拖欠我们三个月工资，会员卡也退不了"
    p, ex = decide(0.3, read_frames(text), members=("tfidf",), text=text)
    assert ex.rule == "lift" and p == pytest.approx(LIFT_FLOOR)


def test_long_first_person_letters_are_not_cleared_by_a_single_word() -> None:
    text = "尊敬的领导：我们是某厂的工人，" + "公司招聘时承诺的待遇都没有兑现，" * 20 + "请领导为我们做主"
    p, ex = decide(0.9, read_frames(text), members=("tfidf",), text=text)
    assert ex.rule != "clear" and p > 0.5


def test_direction_resolution_lowers_the_score() -> None:
    base = "老板欠我们三个月工资"
    resolved = "老板欠我们的三个月工资已经补发了"
    p0, _ = decide(0.9, read_frames(base), members=("tfidf",), text=base)
    p1, ex = decide(0.9, read_frames(resolved), members=("tfidf",), text=resolved)
    assert p1 < p0 and ex.rule == "resolved"


def test_types_need_evidence() -> None:
    text = "公司把几十个工人的社保停了一年"
    r = read_frames(text)
    assert supported_types(("wage_arrears", "social_insurance_arrears"), r, text) == ("social_insurance_arrears",)
    one = "我一个人在工地干了半年，老板跑路了，工资一分没拿到"
    assert "group_action" not in supported_types(("wage_arrears", "group_action"), read_frames(one), one)
    crane = "讨薪农民工爬上塔吊"
    assert "group_action" in supported_types(("wage_arrears", "group_action"), read_frames(crane), crane)
    cues = type_cues(("social_insurance_arrears",), r, text)
    assert cues["social_insurance_arrears"][0].text == "社保停了"


def test_analysis_explanation_is_backward_compatible() -> None:
    old = {"post_id": "x", "labor_dispute": True, "score": 0.9}
    a = Analysis.from_dict(old)
    assert a.explanation is None
    b = Analysis(post_id="x", labor_dispute=True, score=0.9, explanation={"members": ["tfidf"], "rule": "model"})
    assert Analysis.from_dict(b.to_dict()).explanation == {"members": ["tfidf"], "rule": "model"}
    assert a == Analysis(post_id="x", labor_dispute=True, score=0.9, explanation={"rule": "model"})


def test_choose_types_keeps_a_type_only_with_evidence_in_the_text() -> None:
    from nlp.frames import choose_types, evidenced_types

    text = "厂里一直没给我们交社保，现在办不了退休"
    r = read_frames(text)
    assert "social_insurance_arrears" in evidenced_types(r, text)
    assert "injury_compensation" not in evidenced_types(r, text)
    # the models: social insurance 0.9, injury 0.6 (no evidence word), others low; thresholds 0.5
    probs = [0.2, 0.9, 0.1, 0.1, 0.1, 0.1, 0.6, 0.1]
    thr = [0.5] * 8
    assert choose_types(probs, thr, r, text) == ("social_insurance_arrears",)
    # the rule before keeps the unsupported type
    assert choose_types(probs, thr, r, text, evidence=False) == ("social_insurance_arrears", "injury_compensation")


def test_choose_types_falls_back_to_the_most_probable_evidenced_type() -> None:
    from nlp.frames import choose_types

    text = "老板把我辞退了，一分钱补偿都不给"
    r = read_frames(text)
    # nothing passes its threshold; the most probable type overall (wage arrears) has no evidence here
    probs = [0.45, 0.1, 0.40, 0.1, 0.1, 0.1, 0.1, 0.1]
    assert choose_types(probs, [0.5] * 8, r, text) == ("dismissal_layoff",)
    # a text without evidence of any type: the most probable type at all
    assert choose_types(probs, [0.5] * 8, None, "无关的一句话") == ("wage_arrears",)
