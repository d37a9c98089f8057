"""Event types, session 20 (types round 20): a short post's own wording of a refusal to work, a dismissal, another
labour conflict, a move or a break-up of the firm, an injury, a sit-in or placards, and a counted crowd of a trade
(nlp/type_evidence.py). Invented texts only; every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import PLURAL, claim_cue, collective_act, evidence, group_act, own_claims


def test_a_refusal_to_work_is_a_strike() -> None:
    for text in ("物流站的快递员们今天都不派件了，说单价又降了", "八个塔吊司机把车停在场院里不出车",
                 "夜班的护工阿姨们集体不上楼，要护理站给个说法", "客服中心全体坐席今天集体不接电话",
                 "小区的保洁大姐们明天不出工了，物业两个月没给钱", "今天车间没有一个上线的，都在等老板",
                 "组长说了，今天谁也别开工", "因拖欠工资，环卫工昨天起停扫"):
        assert "strike_stoppage" in own_claims(text), text
        assert claim_cue("strike_stoppage", text) is not None, text


def test_a_refusal_that_is_no_strike() -> None:
    for text in ("老板说工人不干活就扣钱", "老板都不接电话了", "员工不上班要扣钱吗", "我们都不上班了吗",
                 "领导一个都没出面", "工资一个都没发", "工伤停工留薪期的工资一直没发",
                 "包工头垫了点医药费就不接电话了", "工地停工三个月，工人们在工棚里等工钱",
                 "老板说他自己也都不干了", "工厂都不接单了"):
        assert "strike_stoppage" not in own_claims(text), text


def test_a_dismissal_told_plainly() -> None:
    for text in ("干了六年的仓管，上周被公司优化了", "新来的经理一句你明天不用来了就把我打发走了",
                 "外包公司通知我们三十个保安不再续用", "公司让我们自己写离职申请，写了才结工资",
                 "说是岗位取消，不去外地的仓库就算自己辞职", "新老板不要我们这些老员工",
                 "项目结束，公司让大家签协商解除", "厂里这个月已经逼走了五个老师傅", "干了两年，昨天被老板炒了"):
        assert "dismissal_layoff" in own_claims(text), text


def test_a_dismissal_look_alike() -> None:
    for text in ("万一哪天被优化了怎么办", "假如被公司辞退，补偿怎么算", "好怕年底被裁员",
                 "春节放假不用来了，初八开工", "我自己写了辞职信，下个月走", "公司不要我们加班了",
                 "仓库的门被风吹开了", "这事被媒体炒了好几天"):
        assert "dismissal_layoff" not in own_claims(text), text


def test_dismissal_stays_out_of_long_letters() -> None:
    pad = "我们反映的情况如下，请领导重视。" * 14
    assert "dismissal_layoff" not in own_claims(pad + "干了六年的仓管，上周被公司优化了")


def test_another_labour_conflict_told_plainly() -> None:
    for text in ("入职要签保证书，三年内不准生孩子", "怀孕以后就被调去门卫室，工资也降了",
                 "超市强制员工认购年货，从工资里扣", "主管让我们签一份自愿放弃年假的声明",
                 "离职时竞业补偿一分都不给", "辞工以后中介的保证金一分不退"):
        assert "other_labor" in own_claims(text), text


def test_another_labour_conflict_look_alike() -> None:
    for text in ("公司没交社保，我不能享受生育保险待遇", "我怀孕了，想问问产假有多少天",
                 "单位强制缴纳公积金是对的吗", "保证金已经退了", "签了竞业协议，补偿按月打过来了"):
        assert "other_labor" not in own_claims(text), text


def test_a_move_or_a_break_up_of_the_firm() -> None:
    for text in ("我们厂说搬到河南就搬了，不去的按自动离职", "保安公司合同到期直接散伙，工资没结",
                 "物业公司撤场了，保安的工资没人管"):
        assert "closure_relocation" in own_claims(text), text


def test_a_move_look_alike() -> None:
    for text in ("我搬到公司附近住了", "假如公司搬到外地，我还去不去", "担心年后工厂已经搬走了",
                 "聚餐散伙以后大家各回各家"):
        assert "closure_relocation" not in own_claims(text), text


def test_an_injury_told_plainly() -> None:
    for text in ("一名钢筋工从脚手架摔下 家属称公司不赔", "在车间被铁管砸了脚，老板只给了五百",
                 "焊工眼睛被电弧灼伤，厂里不管", "前天摔下来的那个师傅，公司到现在没露面"):
        assert "injury_compensation" in own_claims(text), text


def test_an_injury_look_alike() -> None:
    for text in ("工资从八千跌下来到五千，老板说行情不好", "手机被压坏了，公司不给报销", "业绩摔下来了，公司要裁员"):
        assert "injury_compensation" not in own_claims(text), text


def test_a_sit_in_or_placards_by_a_crowd() -> None:
    for text in ("二十来个保洁员坐在物业大堂不走，要结工钱", "十几个主播拉着横幅要底薪",
                 "几十个快递员举着牌子在站点门口", "仓库十来个拣货员一起到管委会讨要工资",
                 "一帮保洁员坐在地上，说公司欠了三个月工资"):
        assert group_act(text), text
        assert collective_act(text), text


def test_a_sit_in_look_alike() -> None:
    for text in ("我一个人坐在大堂等人事", "我们几个举手表决", "大家一起到食堂吃饭", "我在地上坐了一会儿"):
        assert not collective_act(text), text


def test_a_counted_crowd_of_a_trade() -> None:
    for text in ("十几个主播", "二十多名保安", "几十个拣货员", "一排装卸工", "一大批农民工"):
        assert PLURAL.search(text), text
    for text in ("三个月工资", "两个工地", "几个工作日", "三个会员", "一批货", "一个员工", "十来个月"):
        assert not PLURAL.search(text), text


def test_a_supposed_dismissal_or_move_is_no_evidence() -> None:
    assert "dismissal_layoff" not in evidence(None, "万一被辞退了怎么办")
    assert "dismissal_layoff" in evidence(None, "上个月被辞退了")
