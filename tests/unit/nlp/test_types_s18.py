"""Event types, session 18 (types round 18): group action constructions (nlp/type_evidence.py). Invented texts
only; every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import PLURAL, collective_act


def test_one_person_or_a_hospital_ordinal_is_no_crowd() -> None:
    for text in ("工地上只剩我一个人干活", "全厂只有会计一人管账", "我被送到市第一人民医院抢救",
                 "公司派了一名工人去送货"):
        assert not PLURAL.search(text), text
    assert not collective_act("我叫李明，在工地摔伤后送到第三人民医院，妻子多次去市信访局反映")


def test_a_counted_crowd_stays_plural() -> None:
    for text in ("十一人在厂门口等老板", "一百多人到公司讨薪", "两名工人受伤", "上百名工人聚集在工地",
                 "我们18名员工多次找公司"):
        assert PLURAL.search(text), text
    assert collective_act("三十多名工人在项目部门口静坐讨薪")


def test_an_intended_petition_told_at_length_is_no_collective_act() -> None:
    from nlp.type_evidence import group_act

    for text in ("目前全厂职工情绪激动，欲组织全体工人前往市、区两级政府进行上访",
                 "我们工友准备下个月一起带着材料去省里集体上访"):
        assert not collective_act(text), text
        assert not group_act(text), text


def test_a_petition_done_after_the_intent_stays_a_collective_act() -> None:
    for text in ("我们全体职工上个月到市、区两级政府进行了上访", "工友们计划好了路线，第二天一早集体上访"):
        assert collective_act(text), text


def test_one_writers_own_petition_is_no_collective_act() -> None:
    from nlp.type_evidence import group_act

    for text in ("家里日子艰难，这几年我反复写信信访都没有下文",
                 "我们厂的事没人管，我写信到省信访局也没有回音"):
        assert not collective_act(text), text
        assert not group_act(text), text


def test_a_petition_with_workmates_stays_a_collective_act() -> None:
    for text in ("我和工友们一起上访了三次", "我厂三十多名职工集体上访，要求补发工资", "我们二十多人多次上访"):
        assert collective_act(text), text


def test_a_contract_not_ended_is_no_dismissal_evidence() -> None:
    from nlp.type_evidence import evidence

    for text in ("我是所里的在编职工，从未解除劳动关系，单位却停缴了我的养老保险",
                 "厂子停工好几年，一直没有解除劳动合同，社保一直欠着",
                 "我没有和单位签订解除劳动合同的协议，医保却断了"):
        assert "dismissal_layoff" not in evidence(None, text), text


def test_a_contract_ended_without_consent_stays_dismissal_evidence() -> None:
    from nlp.type_evidence import evidence

    for text in ("公司未与我协商就解除了劳动合同，也不交社保",
                 "单位未经我同意解除劳动关系",
                 "厂里没有解除合同，却把我们辞退了"):
        assert "dismissal_layoff" in evidence(None, text), text


def test_several_workers_going_to_a_government_is_a_collective_act() -> None:
    for text in ("厂里四个月没发工资，上周工友们跑到区政府找区长，区长没露面",
                 "劳动局一直拖着，我们员工去找区政府，还是没有结果"):
        assert collective_act(text), text


def test_the_labour_bureau_or_a_go_between_is_no_collective_act() -> None:
    from nlp.type_evidence import group_act

    for text in ("工资拖了三个月，我们去劳动局投诉，对方说要等调查",
                 "我们几次托村干部向区政府反映，至今没有回音",
                 "我去县政府问过，说让我找公司"):
        assert not collective_act(text), text
        assert not group_act(text), text
