"""Event types, precision first: evidence words, the wage claim beside social insurance, the fitted per-type
thresholds and the type rule stored beside a bundle (nlp/type_evidence.py, frames.choose_types)."""

from __future__ import annotations

import numpy as np
import pytest

from lwcore.domain import EVENT_TYPES
from nlp.errors import NlpError
from nlp.frames import choose_types, read_frames, supported_types, type_cues
from nlp.type_evidence import TypeRule, collective_act, evidence, features, fit_type_rule, wage_claim

W, SI, DIS, OTHER = (EVENT_TYPES.index(t) for t in ("wage_arrears", "social_insurance_arrears", "dismissal_layoff",
                                                      "other_labor"))


def test_insurance_without_the_word_shebao_is_evidence_of_social_insurance_arrears() -> None:
    text = "我和同事几人在公司工作几年，公司都未与我们签订任何合同也未购买任何保险"
    ev = evidence(read_frames(text), text)
    assert "social_insurance_arrears" in ev and "other_labor" in ev
    assert "injury_compensation" not in ev


def test_unpaid_overtime_pay_is_evidence_of_wages_not_of_illegal_overtime() -> None:
    text = "供电所拒付我们的加班工资，去年的加班费也一直没给"
    ev = evidence(read_frames(text), text)
    assert "wage_arrears" in ev and "other_labor" not in ev
    forced = "公司强迫员工天天加班，加班费也不给"
    assert "other_labor" in evidence(read_frames(forced), forced)


def test_a_hashtag_is_no_evidence_of_its_type() -> None:
    text = "#复工后工资怎么算#今天人事打电话说我不用来了，直接被辞退"
    ev = evidence(read_frames(text), text)
    assert "dismissal_layoff" in ev and "wage_arrears" not in ev
    cue = type_cues(("dismissal_layoff",), read_frames(text), text)["dismissal_layoff"]
    assert all(text[c.start:c.end] == c.text for c in cue)
    told = "#复工后工资怎么算#老板拖欠我们两个月工资"
    assert "wage_arrears" in evidence(read_frames(told), told)


def test_arbitration_is_no_evidence_of_a_dismissal() -> None:
    text = "公司一直没给我们交社保，我们申请了劳动仲裁，总裁也不出面"
    assert "dismissal_layoff" not in evidence(read_frames(text), text)
    cut = "公司把我们三个人裁了，一分钱补偿都没有"
    assert "dismissal_layoff" in evidence(read_frames(cut), cut)


def test_a_law_cited_is_no_evidence_of_another_labour_conflict() -> None:
    text = "公司严重违反劳动法，拖欠我们三个月工资，劳动争议仲裁也不受理"
    assert "other_labor" not in evidence(read_frames(text), text)
    contract = "公司违反劳动法，一直不和我们签劳动合同"
    assert "other_labor" in evidence(read_frames(contract), contract)


def test_a_refused_resignation_is_evidence_of_another_labour_conflict() -> None:
    text = "多数在蓝思做过人都知道，在这里辞职比登天难，正常提交辞职报告，上级一直拖着不批"
    assert "other_labor" in evidence(read_frames(text), text)
    assert "wage_arrears" not in evidence(read_frames(text), text)


@pytest.mark.parametrize("text", [
    "公司拖欠我们三个月工资，也没给交社保",
    "超时加班没有加班费，很多普工都没买社保",
    "长期苛扣巡逻队员工资、不购买社会保险",
    "工资一直没有按时发放，也没有给员工买养老保险",
    # session 15: refusals and receipts, pay under the minimum wage
    "超市老板不给基本工资，也不交保险",
    "厂里拒绝支付我们应得的工资，社保也没交",
    "干了半年还没拿到工资，养老保险也断了",
    "每月只有800元，低于当地最低工资标准，也没有公积金",
    "临时工的工资还没有达到当地最低标准，住房公积金也没缴",
])
def test_a_wage_claim_of_its_own(text: str) -> None:
    assert wage_claim(read_frames(text), text)


@pytest.mark.parametrize("text", [
    "公司按月在工资中扣除了养老保险个人部分，却一直没给我们交社保",
    "自收自支人员的工资待遇问题，五险一金也没有",
    "保洁员每月工资1750元，单位没有给她们缴纳社保",
    # a pension is no wage (退休工资: a social-insurance matter)
    "单位没交养老保险，我到现在还没领到退休工资",
    "厂里三十多年没分文退休工资，社保也没缴",
])
def test_a_wage_word_alone_is_no_wage_claim(text: str) -> None:
    assert not wage_claim(read_frames(text), text)


def test_unpaid_social_insurance_docked_from_wages_does_not_get_wage_arrears() -> None:
    text = "公司按月在工资中扣除了养老保险个人部分，却一直没给我们交社保"
    both = ("wage_arrears", "social_insurance_arrears")
    assert supported_types(both, read_frames(text), text) == ("social_insurance_arrears",)
    claim = "公司拖欠我们三个月工资，社保也断缴了半年"
    assert supported_types(both, read_frames(claim), claim) == both


def test_fitted_thresholds_keep_a_type_only_where_its_probability_separates() -> None:
    # wage arrears: gold where the head says >= 0.6; the texts all carry wage words (the gate lets them through)
    texts = ["公司拖欠工资三个月", "工资按时发了但是加班太多", "老板欠我们工钱", "工资条看不懂"] * 5
    p = np.full((len(texts), len(EVENT_TYPES)), 0.05)
    p[:, W] = [0.9, 0.45, 0.7, 0.5] * 5
    t = np.zeros_like(p, dtype=int)
    t[:, W] = [1, 0, 1, 0] * 5
    rule = fit_type_rule(p, t, [read_frames(x) for x in texts], texts, kind="thresholds")
    assert 0.5 < rule.thresholds[W] <= 0.7
    # a type without gold examples keeps the default
    assert rule.thresholds[DIS] == 0.5


def test_micro_thresholds_raise_a_type_that_costs_more_precision_than_it_brings() -> None:
    # other_labor: the head gives 0.4 to every text, right on a third of them; wage arrears is clean
    texts = ["公司拖欠工资，还天天加班到半夜"] * 6 + ["公司拖欠工资，合同到期了"] * 12
    p = np.full((len(texts), len(EVENT_TYPES)), 0.05)
    p[:, W] = 0.9
    p[:, OTHER] = 0.4
    t = np.zeros_like(p, dtype=int)
    t[:, W] = 1
    t[:6, OTHER] = 1
    readings = [read_frames(x) for x in texts]
    micro = fit_type_rule(p, t, readings, texts, kind="micro")
    assert micro.kind == "thresholds" and micro.thresholds[OTHER] > 0.4  # other_labor is dropped
    assert micro.thresholds[W] <= 0.9
    got = [choose_types(p[i].tolist(), [0.5] * 8, readings[i], texts[i], rule=micro) for i in range(len(texts))]
    assert all(g == ("wage_arrears",) for g in got)


def test_the_combiner_reads_the_frames_of_its_type() -> None:
    text = "公司拖欠我们三个月工资"
    x = features(read_frames(text), text)
    assert x[W, 1] == 1.0 and x[W, 2] == 1.0 and x[W, 3] == 1.0  # strong frame, frame, evidence word
    assert x[SI].sum() == pytest.approx(x[SI, 6] + x[SI, 7])  # no social-insurance evidence, only length
    rule = TypeRule("combiner", (0.5,) * 8, coef=tuple((1.0, 2.0, 0, 0, 0, 0, 0, 0) for _ in EVENT_TYPES),
                    intercept=(-1.0,) * 8)
    s = rule.scores([0.3] * 8, read_frames(text), text)
    assert s[W] > 0.5 > s[SI]  # the strong frame lifts wage arrears over its threshold, not social insurance
    assert choose_types([0.3] * 8, [0.9] * 8, read_frames(text), text, rule=rule) == ("wage_arrears",)


def test_each_type_explains_itself_with_a_cue_span() -> None:
    text = "我们在公司干了五年，公司未购买任何保险"
    types = choose_types([0.1, 0.8, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.5] * 8, read_frames(text), text)
    assert types == ("social_insurance_arrears",)
    cues = type_cues(types, read_frames(text), text)
    (cue,) = cues["social_insurance_arrears"]
    assert text[cue.start:cue.end] == cue.text and "保险" in cue.text


def test_type_rule_round_trips_and_bad_input_names_the_field() -> None:
    rule = TypeRule("thresholds", (0.4, 0.3, 0.3, 0.5, 0.6, 0.45, 0.3, 0.3))
    assert TypeRule.from_dict(rule.as_dict()) == rule
    with pytest.raises(NlpError, match="bundle.json: event_types: thresholds must be 8 numbers"):
        TypeRule.from_dict({"kind": "thresholds", "thresholds": [0.4, 0.3]}, where="bundle.json: event_types")
    with pytest.raises(NlpError, match="kind must be"):
        TypeRule.from_dict({"kind": "magic", "thresholds": [0.5] * 8})
    with pytest.raises(NlpError, match="coef must be"):
        TypeRule.from_dict({"kind": "combiner", "thresholds": [0.5] * 8, "features": list(
            __import__("nlp.type_evidence", fromlist=["FEATURES"]).FEATURES), "coef": [[1.0]], "intercept": [0] * 8})


def test_a_short_lifting_frame_adds_its_type_whatever_the_type_model_says() -> None:
    text = "服装厂人去楼空，工人们的工资没着落"
    r = read_frames(text)
    assert any(f.event_type == "closure_relocation" for f in r.lifting)
    probs = [0.9, 0.05, 0.1, 0.05, 0.35, 0.1, 0.05, 0.1]  # closure under its threshold
    thr = [0.4, 0.3, 0.3, 0.5, 0.55, 0.45, 0.3, 0.5]
    assert choose_types(probs, thr, r, text) == ("wage_arrears", "closure_relocation")
    # (own_claims off: 人去楼空 is a closure claim of its own since session 16, which adds the type in any text)
    assert choose_types(probs, thr, r, text, short_claims=False, own_claims=False) == ("wage_arrears",)
    # in a long letter the same frame does not bypass the type model
    long = text + "。" + "我们多次向有关部门反映情况，希望领导重视。" * 12
    assert choose_types(probs, thr, read_frames(long), long, own_claims=False) == ("wage_arrears",)
    assert "closure_relocation" in choose_types(probs, thr, read_frames(long), long)


def test_the_analyzer_uses_the_bundle_thresholds_and_explains_each_type(tmp_path) -> None:  # noqa: ANN001
    import json

    from lwcore.settings import load_settings
    from nlp.analyzer import Analyzer, TextInput
    from nlp.bundle import DEFAULT_MODEL_DIR

    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state"),
                                                   "nlp": {"use_transformer": False}})
    an = Analyzer.from_settings(settings, follow_active=False)
    (a,) = an.analyze_inputs([TextInput("1", "服装厂人去楼空，工人们的工资没着落")])
    stored = json.loads((DEFAULT_MODEL_DIR / "bundle.json").read_text(encoding="utf-8"))["event_types"]
    np.testing.assert_allclose(an._classical.event_thresholds, stored["thresholds"], atol=1e-6)
    assert a.labor_dispute and set(a.event_types) == {"wage_arrears", "closure_relocation"}
    cues = a.explanation["type_cues"]
    assert {c["text"] for c in cues["closure_relocation"]} == {"人去楼空"}
    assert cues["wage_arrears"] and a.explanation["members"][0] == "tfidf"


def test_a_malformed_event_types_block_is_a_clear_error(tmp_path) -> None:  # noqa: ANN001
    import json
    import shutil

    from lwcore.settings import load_settings
    from nlp.analyzer import Analyzer, TextInput
    from nlp.bundle import DEFAULT_MODEL_DIR

    bdir = tmp_path / "bundle"
    bdir.mkdir()
    for name in ("bundle.json", "classical.npz"):
        shutil.copy(DEFAULT_MODEL_DIR / name, bdir / name)
    d = json.loads((bdir / "bundle.json").read_text(encoding="utf-8"))
    d["event_types"] = {"kind": "thresholds", "thresholds": [0.5, 1.5]}
    (bdir / "bundle.json").write_text(json.dumps(d), encoding="utf-8")
    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state"),
                                                   "nlp": {"model_dir": str(bdir), "use_transformer": False}})
    an = Analyzer.from_settings(settings)
    with pytest.raises(NlpError, match=r"bundle\.json: event_types: thresholds must be 8 numbers"):
        an.analyze_inputs([TextInput("1", "公司拖欠工资")])


@pytest.mark.parametrize(("text", "kept"), [
    ("十几个工人堵住厂门要工资，老板躲着不出来", True),
    ("三十多名农民工爬上塔吊讨薪", True),
    ("老板跑路了，我一个人的工资没着落", False),
    ("我们几个工友的工资都三个月没发了", False),  # a plural subject, no gathering
    # session 15: self-harm as a claim, a sit-in at the payer's door, workers beaten while claiming their pay
    ("包工头拖欠工资，一名工人在工地喝农药讨要工钱", True),
    ("欠薪半年，工人家属在公司门口割腕讨说法", True),
    ("我们二十多人一直守在开发商门前，工资还是没结", True),
    ("农民工讨要工资遭保安殴打，三人受伤", True),
    ("十几名工人讨薪被打，工资至今没发", True),
    ("他父亲多年前自杀了，厂里至今拖欠工资", False),  # a death told as background, no claim
    # one writer's own petition is no collective action; with several workers, or an extreme act, it is
    ("我叫张三，在矿上受伤后老板拖欠工资，我多次上访无果", False),
    ("本人在工地干了一年，工资没结，去信访局反映了三次", False),
    ("我叫张三，我们三十多名工人多次上访讨要工资", True),
    ("本人被拖欠工资两年，无奈爬上塔吊讨薪", True),
])
def test_group_action_needs_a_gathering_or_an_extreme_act(text: str, kept: bool) -> None:
    got = supported_types(("wage_arrears", "group_action"), read_frames(text), text)
    assert ("group_action" in got) is kept and "wage_arrears" in got


@pytest.mark.parametrize(("text", "acted"), [
    ("我们全体职工万般无奈，只得多次向市信访局反映", True),
    ("工地三十多名农民工拉起横幅讨要工资", True),
    ("我们公司拖欠工资半年。老板说要上访的人自己去", False),  # the crowd and the act in different sentences
    ("我叫李四，在厂里受伤后多次上访无果", False),  # one writer's own petition
    ("我们几个工友的工资都三个月没发了", False),  # a crowd, no act
    ("男子嫌工资太低，欲在医院跳楼", True),  # an extreme act, by one worker
    ("我叫王五，是工地的一名塔吊操作工，老板拖欠我工资", False),  # a crane as a trade
])
def test_a_collective_act_is_several_workers_and_an_act_in_one_sentence(text: str, acted: bool) -> None:
    assert collective_act(text) is acted


def test_a_collective_act_adds_group_action_whatever_the_type_head_says() -> None:
    text = ("尊敬的领导：我们是某建材厂的员工，厂里拖欠我们八个月工资。" * 8
            + "我们全体职工多次到县信访局上访，至今没有答复。")  # a letter, longer than a short post
    probs = [0.9, 0.05, 0.05, 0.05, 0.05, 0.02, 0.05, 0.05]
    reading = read_frames(text)
    assert "group_action" in choose_types(probs, [0.5] * 8, reading, text)
    assert "group_action" not in choose_types(probs, [0.5] * 8, reading, text, collective_acts=False)
