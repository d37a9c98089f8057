"""The frame layer's constructions of session 15 (read from suite G's dev half): a sum owed, a promise to pay broken
again, months worked for nothing, contributions owed as the insurance office tells it or paid for one insurance of
five, workers counted and let go, an age cut, probation failed by decree, severance cut, injuries passed between
parties or paid from the worker's pocket, a suspension with its workers sent home, a sit-in, a refusal to hire for
health, Shanghainese wage words; and the look-alikes beside them. Every text here is written for the test, in other
words than the suite's."""

from __future__ import annotations

import pytest

from nlp.frames import LIFT_FLOOR, read_frames
from tests.unit.nlp._helpers import frame_decision, lifting


@pytest.mark.parametrize(("text", "etype"), [
    ("包工头欠了我们三万八的工钱，过年都回不去", "wage_arrears"),
    ("老板扣了他两千多块工资，说是押金", "wage_arrears"),
    ("厂长答应月底发工资，到了月底还是没发", "wage_arrears"),
    ("这半年等于白干，一分钱都没见到", "wage_arrears"),
    ("去医院报销才知道单位欠缴了半年的医保，社保局说报不了", "social_insurance_arrears"),
    ("公司说给我们上了保险，其实只交了两险", "social_insurance_arrears"),
    ("老板从来没给她交过社保，干了五年", "social_insurance_arrears"),
    ("商场裁撤门店，三百多名员工被裁", "dismissal_layoff"),
    ("公司通知五十岁以上的一律走人", "dismissal_layoff"),
    ("转正前一周被主管评为考核不通过，直接让我走", "dismissal_layoff"),
    ("赔偿从2N改成了N，HR说爱签不签", "dismissal_layoff"),
    ("干了八年说被优化就被优化了", "dismissal_layoff"),
    ("在车间被机器压伤了脚，厂里和劳务公司互相推诿", "injury_compensation"),
    ("搬货时摔断了腿，做了两次手术，治疗费全是家里出的", "injury_compensation"),
    ("工地上砸伤了腰，包工头逼我签了个私了的协议", "injury_compensation"),
    ("服装厂停产整顿快两个月了，工人们每天问什么时候复工", "closure_relocation"),
    ("工人们聚集在办公楼下不肯离开，要老板出来说清楚", "group_action"),
    ("入职体检查出是乙肝携带者，人事说岗位取消录用", "other_labor"),
    ("被辞退后他起诉了原用人单位", "other_labor"),
])
def test_session15_suite_g_dev_constructions(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


@pytest.mark.parametrize("text", [
    "代码被优化之后，页面加载快了一倍",  # code, not a worker
    "这道菜的做法被优化过，口感更好",
    "全年共处理劳动争议案件三千件，同比下降百分之五",  # statistics
    "电池放了三个月假期也没掉电",  # no employer, no workers
    "医院门口聚在一起等叫号的人不肯散去",  # patients waiting, no employer or dispute
])
def test_session15_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.05)
    assert p < LIFT_FLOOR, (text, expl)


def test_session15_workers_of_more_trades_strike() -> None:
    for text in ("外卖员集体停工，抗议配送费下调", "德国铁路人员罢工，要求提高工资"):
        assert "strike_stoppage" in lifting(text), read_frames(text).frames


def test_session15_settled_in_other_words_is_resolved() -> None:
    for text in ("上次拖欠的工钱，年前已经全部拿到手了", "经协调，公司已于本月十日将欠发工资全部发放，工人表示满意"):
        p, expl = frame_decision(text, 0.9)
        assert expl.rule == "resolved" and p < 0.5, (text, expl)
    # dissatisfaction is no settlement
    text = "拖欠工资的事，工人们对处理结果不满意"
    assert not read_frames(text).resolved


def test_session15_shanghainese_wage_words_are_written_out() -> None:
    from nlp.surface import relevance_view

    assert relevance_view("老板欠阿拉三个号头的工钿") == "老板欠我们三个月的工钱"
    assert relevance_view("讲好的事体") == "讲好的事体"  # no dialect mark: Mandarin stays
    assert "wage_arrears" in lifting(relevance_view("厂里欠了阿拉两个号头工钿"))


# --- suite G's test half (read after its dev half) ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "etype"), [
    ("项目部说钱还没到位，拖了我们半年", "wage_arrears"),
    ("老板两个多月没发过一分钱，房租都交不起", "wage_arrears"),
    ("主管说我下周起不用来上班了，啥手续也没办", "dismissal_layoff"),
    ("公司要迁到外省，不愿去的自己离职，补偿只字未提", "dismissal_layoff"),
    ("仓库门上挂了把锁，我们才知道老板早就逃了", "closure_relocation"),
    ("几十个工人把公司大门围死了，要老板出来给个说法", "group_action"),
    ("冲压机碾伤三根手指 厂方称是工人自己违规操作", "injury_compensation"),
    ("脚手架上摔下骨折 老板拒付医疗费", "injury_compensation"),
    ("工伤的赔偿款一分钱也没拿到，人就被劝走了", "injury_compensation"),
    ("外卖员集体不跑单，说罚款不退就一直停着", "strike_stoppage"),
    ("主管说孕期的女员工只能自己辞职", "other_labor"),
])
def test_session15_suite_g_test_constructions(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


@pytest.mark.parametrize("text", [
    "某建材公司被下游企业拖欠货款近百万，已申请诉前调解",  # money between firms
    "施工方起诉开发商，要求支付拖欠的总包工程款",
    "今年前十个月全区劳动争议案件数同比减少百分之十二",  # a statistic spelled in characters
    "华新镇召开根治欠薪工作推进会议",  # a town's meeting
    "想问老板涨工资，又恐被炒鱿鱼",  # a fear
    "讨薪成功！拖了三个月的工资全拿到了",  # settled
])
def test_session15_g_test_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.6)
    assert p < 0.5, (text, expl)


def test_session15_cantonese_work_words_are_written_out() -> None:
    from nlp.surface import relevance_view

    assert relevance_view("判头话唔使返工") == "包工头说不用上班"
    assert relevance_view("返工之后质量好了") == "返工之后质量好了"  # Mandarin 返工 (rework) without a Cantonese mark


# --- suite F's test half (read in session 15) -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "etype"), [
    ("来电人反映：其所在的物流公司自去年起未为其缴纳社会保险，诉求单位依法补缴。", "social_insurance_arrears"),
    ("转正考核那天被通知不予录用，之前从没说过标准", "dismissal_layoff"),
    ("我们车间的人都要被遣散了，厂里连个说法都没有", "dismissal_layoff"),
    ("急诊科护士集体停诊两小时，抗议医院克扣夜班补贴", "strike_stoppage"),
    ("印染厂两百多名女工停工 抗议厂里取消加班费", "strike_stoppage"),
    ("韩国某造船厂工会举行全面罢工 要求提高基本工资", "strike_stoppage"),
    ("我们七八个人在劳动监察大队门口坐着，就想要回自己的工钱", "group_action"),
    ("三十多名工人睡在项目部办公室里，说不结清工钱绝不离开", "group_action"),
    ("他在工地上被钢管砸了脚，包工头说不是他的责任", "injury_compensation"),
    ("在车间被传送带卷到胳膊，厂里让我签一份私了协议", "injury_compensation"),
    ("装卸工在仓库触电身亡 家属与公司就赔偿问题协商未果", "injury_compensation"),
    ("员工称因为年龄被强制调岗到外地", "other_labor"),
])
def test_session15_suite_f_test_constructions(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


@pytest.mark.parametrize("text", [
    "昨晚梦到公司拖欠工资，醒来还心有余悸，原来只是个梦",  # a dream
    "这球踢得太臭了，建议直接开除出球队",  # a suggestion about a player, not a dismissal
    "电脑今天又不行了，开机半小时就罢工",  # a machine named a clause before
    "游戏里我的工人NPC又罢工了，这个版本太难玩",  # a game
    "小说第三章写到，工头卷走了工钱，工人们连夜追赶",  # a novel
    "18世纪英国纺织厂的工人每天工作十六小时，这段历史值得铭记",  # history
    "市劳动关系三方协商会议召开，通报和谐劳动关系创建工作",  # a meeting
])
def test_session15_f_test_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.6)
    assert p < 0.5, (text, expl)


def test_session15_a_context_pattern_claims_only_its_cue() -> None:
    """An injury told first and its consequence after: a predicate between the two keeps its own frame."""
    frames = read_frames("从梯子上摔下来骨折，老板说我没签合同不算他的人，医药费都不管").frames
    assert {f.event_type for f in frames} >= {"other_labor", "injury_compensation"}, frames
    assert all(len(f.predicate.text) < 12 for f in frames), frames


def test_session15_what_it_is_like_is_no_question() -> None:
    assert "dismissal_layoff" in lifting("被公司无故辞退是什么体验，干了六年说走就走")


# --- suites C and D, test halves (read in session 15) ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "etype"), [
    ("厂里一直按最低基数给我们交养老保险，实际工资七千", "social_insurance_arrears"),
    ("我们组十几个人一个交社保的都没有", "social_insurance_arrears"),
    ("公司嫌社保贵，让新员工都签了放弃缴纳的声明", "social_insurance_arrears"),
    ("公司少给我交了两年社保", "social_insurance_arrears"),
    ("干了半年啥保险都没有，老板说试用期不交", "social_insurance_arrears"),
    ("物业从没给保安交过一天社保", "social_insurance_arrears"),
    ("去社保局打印了清单才发现，单位前年一直没给我交", "social_insurance_arrears"),
    ("劳动合同还有半年到期，公司突然让我收拾东西走人", "dismissal_layoff"),
    ("因为请了几天病假，被公司辞退了", "dismissal_layoff"),
    ("三十来名骑手被集体“优化”，站点称是业务调整", "dismissal_layoff"),
    ("提成不结清的话，明天大家都不出工", "strike_stoppage"),
    ("说好干完就结，结果拖了两个月还没结", "wage_arrears"),
    ("外包的和正式员工干同样的活，工资比正式工低一半", "other_labor"),
    ("离职的时候押金不给退，说是规定", "other_labor"),
    ("几个农民工站在楼顶上，喊着不给工钱就跳", "group_action"),
    ("一帮工友守在项目部门口，等包工头来结账", "group_action"),
    ("他被卷进搅拌机受了重伤，家属去厂里要说法被轰了出来", "injury_compensation"),
])
def test_session15_suites_c_d_test_constructions(text: str, etype: str) -> None:
    assert etype in lifting(text), read_frames(text).frames


@pytest.mark.parametrize("text", [
    "【内推】大厂运营岗，16薪，七险一金，双休",  # an advert
    "政策解读：用人单位应当与劳动者订立书面劳动合同",  # policy
    "小区门口的健身房老板跑路了，我月卡刚续费",  # consumer
    "某国工会因政府削减养老金举行全国罢工",  # politics
    "一文读懂：企业破产了，拖欠的工资怎么清偿",  # policy
    "调查：三成年轻人表示经常无偿加班",  # a survey
    "征地补偿款迟迟不到位，村民到镇里讨说法",  # land, not labour
    "单位在传年底要裁员，大家都提心吊胆",  # a rumour
    "假设公司倒闭了，工资还能拿到吗",  # a hypothetical
    "区长调研劳动保障工作，强调守住不发生规模性欠薪的底线",  # government
    "华亭镇人社所提醒：用人单位应按时足额支付劳动报酬",  # a public body's reminder
])
def test_session15_c_d_test_look_alikes_do_not_lift(text: str) -> None:
    p, expl = frame_decision(text, 0.6)
    assert p < 0.5, (text, expl)
