"""Event types, session 22 (types round 22): Taiwan's labour and health insurance not taken out, contributions
stopped; a dismissal in Taiwanese wording, a crew told to go, not kept after probation, posts cut; a crew refusing to
sail, a trade's work refused together, a classical walk-out, a go-slow; a workplace disbanded or announced closed, its
head out of reach; a watch or a sit-in at the payer's door, workers of a trade blocking a gate or protesting; a
non-compete forced, work time not counted, a penalty before leaving (nlp/type_evidence.py). Invented texts only;
every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import EVIDENCE, NOT_EVIDENCE, claim_cue, collective_act, evidence, own_claims


def test_taiwan_insurance_not_taken_out_or_contributions_stopped() -> None:
    for text in ("上班半年了老板都没有帮我们加保劳保", "店长说试用期不给保健保，我觉得不对",
                 "去年起厂方停缴全体工人的养老医疗各险", "公司从三月开始断缴了我们的社保"):
        assert "social_insurance_arrears" in own_claims(text), text
        assert claim_cue("social_insurance_arrears", text) is not None, text
    assert EVIDENCE["social_insurance_arrears"].search("公司没帮我保劳保")


def test_insurance_look_alike() -> None:
    for text in ("工地发的劳保鞋和劳保手套都是次品", "我自己停缴了灵活就业的社保", "劳保用品没有发"):
        assert "social_insurance_arrears" not in own_claims(text), text
    assert not EVIDENCE["social_insurance_arrears"].search("车间没发劳保手套")


def test_dismissal_taiwanese_crew_told_probation_posts_cut() -> None:
    for text in ("主管说下个月要资遣我们整个客服组", "门市收掉，员工全部就地遣散", "开完会就通知整个剪辑组走人",
                 "试用期满被通知不转正，说我能力不够", "集团宣布在欧洲的工厂裁撤两千个岗位",
                 "物业公司削减了三成人手，剩下的人干双倍活"):
        assert "dismissal_layoff" in own_claims(text), text


def test_dismissal_look_alike() -> None:
    for text in ("资遣费怎么算？是按年资吗", "我还没转正，能请年假吗", "公司削减了今年的广告预算",
                 "通知大家明天开会", "遣散费要交税吗"):
        assert "dismissal_layoff" not in own_claims(text), text


def test_refusing_to_sail_work_refused_together_walk_out_go_slow() -> None:
    for text in ("渔船上的船员拒绝起航，船老大欠了半年工钱", "商场的保洁集体不打扫，说扣钱太狠",
                 "外卖骑手全体拒绝送餐，抗议配送费下调", "窑工数十人相率罢工，索要欠资",
                 "车间这几天在搞慢工，计件单价又降了"):
        assert "strike_stoppage" in own_claims(text), text


def test_strike_look_alike() -> None:
    for text in ("慢工出细活，别着急", "大家都不做饭，点外卖", "台风天渔船不起航", "酒店客房阿姨集体去体检",
                 "他一个人拒绝值班被批评了"):
        assert "strike_stoppage" not in own_claims(text), text


def test_workplace_disbanded_or_announced_closed() -> None:
    for text in ("游戏工作室上周宣布解散，美术的钱还没结", "健身房突然关门，教练的提成没了",
                 "仓库关了，搬运工都回家了", "外企宣布关闭苏州的生产线，员工等补偿方案",
                 "培训学校欠着课时费，校长电话打不通", "东家卷款潜逃，工人无处讨薪"):
        assert "closure_relocation" in own_claims(text), text


def test_closure_look_alike() -> None:
    for text in ("公司解散了我们部门，我被调到客服", "群主说这个群下周解散", "公司决定关闭评论区",
                 "仓库晚上关门，明天再来拿货", "校长在开会，电话没人接", "公司宣布将在深圳开设新工厂",
                 "俱乐部宣布解散二队，队员并入一队", "厂里宣布关闭一条老生产线，工人转岗"):
        assert "closure_relocation" not in own_claims(text), text


def test_watch_sit_in_blockade_protest() -> None:
    for text in ("三十多名装修工人在业主公司门前守候两天讨要工钱", "一帮工友去老板办公室坐着，不结账就不走",
                 "港口司机堵住了货场大门，抗议运价被压", "被欠薪的职工到市政府门口陈抗"):
        assert collective_act(text), text


def test_watch_sit_in_look_alike() -> None:
    for text in ("保安在门口守着，不让外人进", "一名工人堵住了大门", "工人用水泥堵住了漏水的管道",
                 "你先坐着，我去倒茶，不走远", "司机说这条路线不好走"):
        assert not collective_act(text), text


def test_non_compete_forced_time_not_counted_penalty_to_leave() -> None:
    for text in ("老板逼新人签竞业协议，没有任何补偿", "店里强制员工签了竞业条款",
                 "公司要求每天开晨会，但晨会时间不算工时", "主管让我们下班后留下培训，不计入加班",
                 "经纪公司说要交十万违约金才放人", "中介说赔钱才让我走"):
        assert "other_labor" in own_claims(text), text


def test_other_labour_look_alike() -> None:
    for text in ("公司要求签竞业协议，给了补偿", "午休一小时不算工时，这是规定", "违约金是多少？辞职要赔钱吗",
                 "房东说交了押金才放钥匙"):
        assert "other_labor" not in own_claims(text), text


def test_posts_cut_at_a_plant_is_no_closure_and_a_non_compete_fee_no_severance() -> None:
    text = "集团宣布在欧洲的工厂裁撤两千个岗位"
    assert "closure_relocation" not in own_claims(text)
    assert "closure_relocation" in own_claims("公司通知深圳分公司整体撤销，员工去总部")
    bare = NOT_EVIDENCE["dismissal_layoff"].sub(lambda m: " " * len(m.group(0)), "老板逼我们签竞业协议，一分补偿都没有")
    assert not EVIDENCE["dismissal_layoff"].search(bare)
    assert EVIDENCE["dismissal_layoff"].search("公司裁员，一分补偿都没有")


def test_leave_taken_together_is_no_leave_dispute() -> None:
    assert "other_labor" not in evidence(None, "护工们集体请假不上班，抗议只发底薪")
    assert "other_labor" in evidence(None, "主管不批我请假，还说要扣钱")
