"""Event types, session 16: spans that are no evidence of a type (nlp/type_evidence.NOT_EVIDENCE) and the rules
of the session's types round. Invented texts only."""

from __future__ import annotations

from nlp.frames import read_frames, type_cues
from nlp.type_evidence import evidence


def _ev(text: str) -> frozenset[str]:
    return evidence(read_frames(text), text)


def test_a_contract_law_cited_is_no_evidence_of_another_labour_conflict() -> None:
    text = "根据劳动合同法第三十八条，公司应当补缴我们的养老保险"
    assert "other_labor" not in _ev(text)
    unsigned = "老板一直不跟我们签劳动合同，还说这是行规"
    assert "other_labor" in _ev(unsigned)


def test_a_contract_ended_is_a_dismissal_not_another_labour_conflict() -> None:
    text = "厂里上个月单方面解除了我的劳动合同，一分钱补偿也不给"
    ev = _ev(text)
    assert "other_labor" not in ev and "dismissal_layoff" in ev
    text = "车队突然终止了和我们几个司机的劳动关系"
    assert "other_labor" not in _ev(text)


def test_an_id_number_given_as_contact_is_no_evidence_but_a_withheld_id_is() -> None:
    text = "公司拖欠我半年工资，反映人：李某，身份证号：略，电话：略"
    assert "other_labor" not in _ev(text)
    held = "入职时中介扣押了我们的身份证，说干满三个月才还"
    assert "other_labor" in _ev(held)


def test_the_cue_of_a_type_skips_its_no_evidence_spans() -> None:
    text = "依照劳动合同法，公司逼我们每天加班到深夜"
    cue = type_cues(("other_labor",), read_frames(text), text)["other_labor"]
    assert cue and all(text[c.start:c.end] == c.text for c in cue)
    assert all("合同" not in c.text for c in cue)


def test_a_closure_as_history_or_status_is_no_evidence_of_a_closure() -> None:
    for text in ("纺织厂破产后，我一直在新厂上班，新老板不给我们交社保",
                 "我是原机械厂破产改制人员，当年说好的养老保险一直没交",
                 "老板说如果大家不同意降薪，公司就要倒闭了"):
        assert "closure_relocation" not in _ev(text), text
    told = "服装厂上个月突然倒闭，老板跑路，工人三个月工资没发"
    assert "closure_relocation" in _ev(told)


def test_a_closure_in_a_hashtag_is_no_evidence_of_a_closure() -> None:
    text = "#工厂停产多年的生产线复工#我们车间主任天天骂人，工资还降了"
    assert "closure_relocation" not in _ev(text)


def test_a_short_post_with_a_closure_as_history_gets_no_closure() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.frames import choose_types

    text = "化工厂倒闭后老板又开了新厂，我们在新厂干了半年，工资一分没发"
    probs = [0.9 if t == "wage_arrears" else 0.05 for t in EVENT_TYPES]
    types = choose_types(probs, [0.5] * len(EVENT_TYPES), read_frames(text), text)
    assert "closure_relocation" not in types and "wage_arrears" in types
