"""Event types, session 16: spans that are no evidence of a type (nlp/type_evidence.NOT_EVIDENCE) and the rules
of the session's types round. Invented texts only."""

from __future__ import annotations

from nlp.frames import read_frames, type_cues
from tests.unit.nlp._helpers import evidence_of


def test_a_contract_law_cited_is_no_evidence_of_another_labour_conflict() -> None:
    text = "根据劳动合同法第三十八条，公司应当补缴我们的养老保险"
    assert "other_labor" not in evidence_of(text)
    unsigned = "老板一直不跟我们签劳动合同，还说这是行规"
    assert "other_labor" in evidence_of(unsigned)


def test_a_contract_ended_is_a_dismissal_not_another_labour_conflict() -> None:
    text = "厂里上个月单方面解除了我的劳动合同，一分钱补偿也不给"
    ev = evidence_of(text)
    assert "other_labor" not in ev and "dismissal_layoff" in ev
    text = "车队突然终止了和我们几个司机的劳动关系"
    assert "other_labor" not in evidence_of(text)


def test_an_id_number_given_as_contact_is_no_evidence_but_a_withheld_id_is() -> None:
    text = "公司拖欠我半年工资，反映人：李某，身份证号：略，电话：略"
    assert "other_labor" not in evidence_of(text)
    held = "入职时中介扣押了我们的身份证，说干满三个月才还"
    assert "other_labor" in evidence_of(held)


def test_the_cue_of_a_type_skips_its_no_evidence_spans() -> None:
    text = "依照劳动合同法，公司逼我们每天加班到深夜"
    cue = type_cues(("other_labor",), read_frames(text), text)["other_labor"]
    assert cue and all(text[c.start:c.end] == c.text for c in cue)
    assert all("合同" not in c.text for c in cue)


def test_a_closure_as_history_or_status_is_no_evidence_of_a_closure() -> None:
    for text in ("纺织厂破产后，我一直在新厂上班，新老板不给我们交社保",
                 "我是原机械厂破产改制人员，当年说好的养老保险一直没交",
                 "老板说如果大家不同意降薪，公司就要倒闭了"):
        assert "closure_relocation" not in evidence_of(text), text
    told = "服装厂上个月突然倒闭，老板跑路，工人三个月工资没发"
    assert "closure_relocation" in evidence_of(told)


def test_a_closure_in_a_hashtag_is_no_evidence_of_a_closure() -> None:
    text = "#工厂停产多年的生产线复工#我们车间主任天天骂人，工资还降了"
    assert "closure_relocation" not in evidence_of(text)


def test_a_short_post_with_a_closure_as_history_gets_no_closure() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.frames import choose_types

    text = "化工厂倒闭后老板又开了新厂，我们在新厂干了半年，工资一分没发"
    probs = [0.9 if t == "wage_arrears" else 0.05 for t in EVENT_TYPES]
    types = choose_types(probs, [0.5] * len(EVENT_TYPES), read_frames(text), text)
    assert "closure_relocation" not in types and "wage_arrears" in types


def test_asking_for_the_contract_to_end_is_no_dismissal() -> None:
    text = "我们多次申请依法解除劳动合同，单位就是不同意，社保也一直欠着"
    assert "dismissal_layoff" not in evidence_of(text)
    fired = "单位未经协商就解除了我们的劳动合同"
    assert "dismissal_layoff" in evidence_of(fired)


def test_another_labour_conflict_claimed_in_its_own_words() -> None:
    from nlp.type_evidence import own_claims

    for text in ("干了两年，老板始终没有跟我们签劳动合同",
                 "车间主任强迫员工每天加班四个小时",
                 "周末还要无偿加班，谁也不敢说",
                 "工地扣押了我们的身份证，不让走",
                 "离职半年了，公司就是不给开离职证明",
                 "我提了三次辞职，领导一直不批"):
        assert "other_labor" in own_claims(text), text
    for text in ("公司和我们签订了三年的劳动合同",
                 "公司逼我们自己辞职，好不给补偿",
                 "我没有签解除劳动合同的协议"):
        assert "other_labor" not in own_claims(text), text


def test_a_stoppage_over_pay_is_a_strike_claim() -> None:
    from nlp.type_evidence import own_claims

    for text in ("工地因拖欠农民工工资被迫停工半个月",
                 "代课老师因为四个月工资没发进行罢课",
                 "改革方案引发罢运"):
        assert "strike_stoppage" in own_claims(text), text
    for text in ("矿山被环保关停，现在停工了", "#罢工是否违法#公司拖欠我们两个月工资"):
        assert "strike_stoppage" not in own_claims(text), text


def test_choose_types_adds_an_own_claim_whatever_the_head_says() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.frames import choose_types

    text = "公司拖欠我们三个月工资，到现在也没有跟我们签订劳动合同"
    probs = [0.9 if t == "wage_arrears" else 0.05 for t in EVENT_TYPES]
    thr = [0.5] * len(EVENT_TYPES)
    reading = read_frames(text)
    assert set(choose_types(probs, thr, reading, text)) >= {"wage_arrears", "other_labor"}
    assert "other_labor" not in choose_types(probs, thr, reading, text, own_claims=False, short_claims=False)


def test_a_wage_claim_of_its_own_adds_wage_arrears_beside_another_grievance() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.frames import choose_types
    from nlp.type_evidence import own_claims

    assert "wage_arrears" in own_claims("厂里不景气那几年停发了工资，社保也断了")
    assert "wage_arrears" not in own_claims("我的工资是每月三千元，社保公司一直没交")
    text = ("我在物流公司上班三年，公司从来没给我们交过社保，去年公司又拖欠我们两个月工资，"
            "我们找过人事很多次，人事说等领导回来再说，领导一直不见人。") * 2  # long: no short claims
    probs = [0.1 if t == "wage_arrears" else 0.9 if t == "social_insurance_arrears" else 0.05 for t in EVENT_TYPES]
    types = choose_types(probs, [0.5] * len(EVENT_TYPES), read_frames(text), text, short_claims=False)
    assert {"wage_arrears", "social_insurance_arrears"} <= set(types)


def test_work_injury_insurance_not_bought_is_no_injury_evidence() -> None:
    text = "公司只给我们买了工伤险，养老医疗都没买"
    ev = evidence_of(text)
    assert "injury_compensation" not in ev and "social_insurance_arrears" in ev
    benefit = "公司拒绝支付我的工伤保险待遇"
    assert "injury_compensation" in evidence_of(benefit)


def test_injuries_named_by_kind_are_injury_evidence() -> None:
    for text in ("上班时被吊车上掉下的钢管砸伤了腿，老板一分钱不出",
                 "在矿上干了十年得了尘肺，矿主不认账"):
        assert "injury_compensation" in evidence_of(text), text


def test_a_boss_gone_is_a_closure_claim_but_a_feared_closure_is_not() -> None:
    from nlp.type_evidence import own_claims

    for text in ("包工头带着工程款携款潜逃，工人们找不到人", "年前老板跑路了，两个月工资没发"):
        assert "closure_relocation" in own_claims(text), text
    for text in ("老板说你们不来上班，公司就要倒闭了", "我是原机械厂改制破产了以后下岗的"):
        assert "closure_relocation" not in own_claims(text), text


def test_below_is_a_wage_claim_only_below_the_minimum_wage() -> None:
    from nlp.type_evidence import own_claims, wage_claim

    text = "公司给我交的公积金基数远低于我实际工资，请督促补缴"
    assert not wage_claim(None, text) and "wage_arrears" not in own_claims(text)
    low = "厂里发的工资低于最低工资标准，一个月才八百"
    assert wage_claim(None, low) and "wage_arrears" in own_claims(low)


def test_a_strained_back_is_injury_evidence_beside_injury_insurance_not_paid() -> None:
    text = "搬货时闪了腰，老板说没给交工伤保险，让我自己掏钱看病"
    assert "injury_compensation" in evidence_of(text)


def test_a_type_added_by_an_own_claim_is_explained_by_the_claim() -> None:
    text = "干完活包工头就玩失踪了，电话也联系不上"  # no closure frame, no closure evidence word
    cues = type_cues(("closure_relocation",), read_frames(text), text)["closure_relocation"]
    assert [c.kind for c in cues] == ["claim"] and all(text[c.start:c.end] == c.text for c in cues)
