"""Event types, session 21 (types round 21): a short post's own wording of walking off together, a trade's post
refused, a sick-out or a go-slow; a workplace shut, gone under or wound up; a worker sent off or replaced; a deposit
charged to take the job or a no-child pledge; a cardboard sign or a delegation to the payer (nlp/type_evidence.py).
Invented texts only; every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import claim_cue, collective_act, group_act, own_claims


def test_walking_off_together_is_a_strike() -> None:
    for text in ("仓库的装卸工昨天集体撂挑子了，说计件单价被砍", "食堂的帮厨们全都撂挑子，午饭没人做",
                 "搬运队大家一起撂摊子，货堆在月台上没人管"):
        assert "strike_stoppage" in own_claims(text), text
        assert claim_cue("strike_stoppage", text) is not None, text


def test_one_worker_walking_off_is_no_strike() -> None:
    for text in ("干了三天我就撂挑子走人了", "老板撂挑子不管了，店交给他侄子", "别动不动就撂挑子"):
        assert "strike_stoppage" not in own_claims(text), text


def test_a_trade_post_refused_is_a_strike() -> None:
    for text in ("货轮上的水手们拒绝出海，说公司欠着上个航次的钱", "茶园的采茶工今天一个也没下地",
                 "培训学校的老师们都不来上班了，三个月没拿到钱",
                 "码头的装卸工坐在仓库外面不干", "俱乐部的青训队员集体拒绝参加训练，要求补发津贴"):
        assert "strike_stoppage" in own_claims(text), text


def test_a_trade_post_look_alike() -> None:
    for text in ("台风要来了，渔船今天都不出海", "老板说不下地就扣工钱", "我今天请假没去上班",
                 "员工不来上班要扣钱吗", "这活我不干，太累了，辞职了", "下雨天谁也不下地"):
        assert "strike_stoppage" not in own_claims(text), text


def test_a_trade_strike_verb_a_sick_out_and_a_go_slow() -> None:
    for text in ("影视基地的特约演员今天集体罢演，日薪又被压了", "航司的机长们全体罢飞，抗议排班",
                 "幼儿园的老师集体请了“病假”，园长慌了", "流水线上的工人用“慢慢干”表示不满",
                 "厂里取消了全勤奖，大家就按最低产量做"):
        assert "strike_stoppage" in own_claims(text), text


def test_a_strike_verb_look_alike() -> None:
    for text in ("一名棋手不满裁判罢赛离场", "班长开玩笑说要罢考", "说罢，他转身走了", "不达目的决不罢休",
                 "我感冒了，明天请病假", "新手慢慢干，别着急", "人大依法罢免了他的代表资格"):
        assert "strike_stoppage" not in own_claims(text), text


def test_a_workplace_shut_gone_under_or_wound_up() -> None:
    for text in ("我们快递驿站前天突然关了，站长联系不上", "厂子黄了，老板连夜卷铺盖走了",
                 "美术培训班下学期不办了，老师们的课时费还欠着", "该公司已于今年三月停止生产，职工安置未落实",
                 "公司通知深圳分公司整体撤销，员工要么去总部要么走人", "烧烤店上个月就倒闭了，欠我两个月工资"):
        assert "closure_relocation" in own_claims(text), text


def test_a_closure_look_alike() -> None:
    for text in ("树叶黄了，秋天到了", "这桩生意黄了", "火锅店今天突然停业，门口贴着装修升级",
                 "公司不办社保了", "公司明年就不招人了", "我把店里的空调关了",
                 "如果公司停止生产，我们怎么办"):
        assert "closure_relocation" not in own_claims(text), text


def test_a_worker_sent_off_or_replaced() -> None:
    for text in ("做了半个月，组长说我手慢，让我明天走人", "导演嫌我年纪大，把我换掉了，钱只结了三天",
                 "暑假工招多了，厂里直接清退了二十个", "外包到期，公司统一辞退了四十名老员工",
                 "主管一句话就把我们几个开了"):
        assert "dismissal_layoff" in own_claims(text), text


def test_a_sending_off_look_alike() -> None:
    for text in ("违者直接开除", "否则一律开除，绝不姑息", "会不会哪天把我开了", "担心老板让我走人",
                 "这种裁判建议直接开除出裁判队伍", "我把灯开了", "不想干可以走人", "领导把我们开了个会"):
        assert "dismissal_layoff" not in own_claims(text), text


def test_a_deposit_to_take_the_job_or_a_no_child_pledge() -> None:
    for text in ("中介让新来的保安先交一千块保证金，说干满三个月才退", "入职第一天就要交三百块工服费",
                 "进厂要缴五百押金，不交不给排班", "医院要求新护士签“两年内不怀孕”的保证书",
                 "单位规定试用期内不结婚"):
        assert "other_labor" in own_claims(text), text


def test_a_deposit_or_pledge_look_alike() -> None:
    for text in ("房东让我们交两个月的房租押金", "租车要交五百押金", "我们计划三年内不要孩子",
                 "交社保要从工资里扣", "押金已经退给我了"):
        assert "other_labor" not in own_claims(text), text


def test_a_cardboard_sign_or_a_delegation_is_a_group_act() -> None:
    for text in ("一群保洁阿姨拿着纸板站在物业门口，上面写着还我工钱", "十几个工友举住纸牌企喺门口",
                 "二十多名工人多次集体到项目部交涉，一直没有结果"):
        assert group_act(text), text
        assert collective_act(text), text


def test_a_sign_look_alike() -> None:
    for text in ("排队的人手里拿着号码牌", "我们拿着纸板给孩子做手工", "我一个人到项目部交涉了三次"):
        assert not collective_act(text), text


def test_the_short_constructions_stay_out_of_long_letters() -> None:
    pad = "我们反映的情况如下，请领导重视。" * 14
    for etype, text in (("strike_stoppage", "货轮上的水手们拒绝出海"), ("closure_relocation", "厂子黄了"),
                        ("dismissal_layoff", "组长让我明天走人"), ("other_labor", "入职第一天就要交三百块工服费")):
        assert etype not in own_claims(pad + text), text
