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
