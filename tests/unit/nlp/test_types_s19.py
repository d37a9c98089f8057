"""Event types, session 19 (types round 19): a short post's own wording of a stoppage, an injury at work, a group
act and a closure (nlp/type_evidence.py). Invented texts only; every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import PLURAL, claim_cue, collective_act, group_act, own_claims


def test_work_stopped_together_is_a_strike() -> None:
    for text in ("装配线上的人今天全都停下来了，说不涨钱就不开工", "司机们集体不出车，要公司把提成算清楚",
                 "井下班组拒绝下井，要先把补贴发了", "幼儿园老师们集体停课讨说法", "快递站的人都歇工了",
                 "保安队罢岗两天了", "工人们在磨洋工，流水线已经慢下来了"):
        assert "strike_stoppage" in own_claims(text), text


def test_a_stop_that_is_no_strike() -> None:
    for text in ("老板说他自己也都不干了", "工厂全部停下来了，据说要搬走", "公司都不做这个项目了",
                 "电梯全部停下来检修", "机器已经停下来了"):
        assert "strike_stoppage" not in own_claims(text), text


def test_an_injury_at_work_told_plainly() -> None:
    for text in ("表哥在工地从架子上摔下来，包工头一分钱不出", "车间里有人被冲床压断了手指，厂里只给了两千块",
                 "干装卸闪了腰，老板让自己回家养着", "老爸在矿上伤了背，矿方不管"):
        assert "injury_compensation" in own_claims(text), text
        assert claim_cue("injury_compensation", text) is not None, text


def test_a_fall_or_a_hurt_that_is_no_injury() -> None:
    for text in ("这个月工资跌下来了，老板说行情不好", "股价从高位跌下来，公司裁了一批人", "他伤了心，不想再干了",
                 "老板说这批货被压坏了要扣钱"):
        assert "injury_compensation" not in own_claims(text), text


def test_the_short_post_constructions_stay_out_of_long_letters() -> None:
    pad = "我们反映的情况如下，请领导重视。" * 14
    assert "injury_compensation" not in own_claims(pad + "老爸在矿上伤了背，矿方不管")
    assert "strike_stoppage" not in own_claims(pad + "快递站的人都歇工了")
    assert "closure_relocation" not in own_claims(pad + "分店都关掉了")


def test_a_group_act_told_plainly() -> None:
    for text in ("几十个工人封堵了厂区门口的公路讨要工钱", "一帮钢筋工在开发商楼下坐着不走",
                 "班组所有人早上集合，一起去项目部要工资"):
        assert group_act(text), text
        assert collective_act(text), text


def test_a_group_act_look_alike() -> None:
    for text in ("我一个人在门口坐着等老板", "我们集合一起去吃饭", "路口被施工封了一半，我们绕路去上班"):
        assert not collective_act(text), text
    for text in ("一帮装修工人", "班组所有人"):
        assert PLURAL.search(text), text
    assert not PLURAL.search("所有的工资都发了")


def test_a_closure_told_plainly() -> None:
    for text in ("奶茶店分店都关掉了，工资没人管", "今天去上班，卷帘门拉下来了，老板不接电话", "老板在群里说不干了",
                 "店面房租到期不续了，员工就地解散", "总部电话打不通，门店没人"):
        assert "closure_relocation" in own_claims(text), text


def test_a_closure_look_alike() -> None:
    for text in ("店里关了空调热死人", "劳动合同到期不续签了", "老板说不干活就扣钱", "公司关了我的门禁卡"):
        assert "closure_relocation" not in own_claims(text), text
