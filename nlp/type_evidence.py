"""Event-type evidence and the fitted type rule (issue 14, "event types, precision first").

A relevant text gets an event type only with evidence of it in the text (:func:`evidence`): an asserted frame of
the type (:mod:`nlp.frames`: 拖欠工资, 未签劳动合同...) or one of the type's evidence words (:data:`EVIDENCE`:
工资/欠薪 for wage arrears, 社保/保险 for social insurance, 裁员/辞退/补偿 for dismissal, 合同/加班/辞职 for the other
labour conflicts...), outside #topics# and outside the spans that are no evidence of the type (:data:`NOT_EVIDENCE`:
a contract law cited, a closure as history or fear). Among the types with evidence, the type heads' probabilities
decide, each against its own threshold; a type claimed in its own words (:func:`own_claims`: 未签劳动合同, 因欠薪停工,
老板跑路了, 拖欠工资) is added whatever the head says (session 16).

:class:`TypeRule` holds what is fitted for that decision, per type:

- ``kind="thresholds"``: a threshold on the type head's probability, picked under the evidence gate on out-of-fold
  probabilities (:func:`fit_type_rule`);
- ``kind="combiner"``: a small logistic regression over the head's logit and the type's frame evidence
  (:func:`features`: asserted strong frame, asserted frame, evidence words, only negated/modal frames, length),
  with a threshold picked on its own cross-fitted probabilities.

Both are fitted on *out-of-fold* type probabilities only (``ClassicalModel.fit``'s inner folds; for the shipped
bundle the same procedure re-run by ``python bench/nlp_types.py fit-bundle``). Measured side by side on nested
grouped folds by ``python bench/nlp_types.py compare`` (``bench/nlp_results.md``, round 11).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

# a text of at most this many characters is short: a frame that lifts decides there (nlp.frames re-exports it)
MAX_LIFT_CHARS = 200



class FrameReading(Protocol):
    """What the type rules read of :class:`nlp.frames.FrameReading` (a protocol, so that this leaf imports nothing
    of the frame layer, which imports it)."""

    @property
    def frames(self) -> Sequence[Any]: ...
    @property
    def asserted(self) -> Sequence[Any]: ...
    @property
    def lifting(self) -> Sequence[Any]: ...
    def type_evidence(self) -> dict[str, list[Any]]: ...

__all__ = ["CLOSURE_CLAIM", "CLOSURE_SHORT", "CROWD_ACT", "DISMISSAL_SHORT", "EVIDENCE", "EXTREME_ACT", "EXTREME_CLAIM",
           "FEATURES", "GROUP_ACT", "INJURY_CLAIM", "NOT_EVIDENCE", "OTHER_CLAIM", "OTHER_SHORT", "SI_SHORT",
           "STRIKE_CLAIM", "STRIKE_SHORT", "TypeRule", "WAGE_CLAIM",
           "claim_cue", "collective_act", "evidence", "evidence_cue", "features", "fit_type_rule", "frame_counts",
           "group_act", "lone_writer", "own_claims", "wage_claim"]

_WAGE_OBJ = r"(?:工资|工钱|薪水|薪资|薪酬|血汗钱|辛苦钱|加班费|工程款|劳务费|劳务款|报酬|绩效|奖金|提成|年终奖|人工费)"
_SI_OBJ = r"(?:社保|社会保险|五险一金|五险|养老保险|医疗保险|医保|失业保险|工伤保险|公积金|住房公积金)"
#: Taiwan's labour insurance (劳保), not protective gear (劳保用品, 劳保鞋, 劳保手套: session 22) nor the mainland's
#: labour-security office or welfare (劳保站, 劳保部门, 劳保福利)
_LABOUR_INS = r"劳健保|劳保(?!用品|鞋|服|手套|防护|品|口罩|物资|工装|眼镜|帽|站|部门|局|所|福利|科|处)"

#: Per event type, the words that make the type possible in a text (its frames' predicates aside). Wider than the
#: frames' predicates on purpose: they only gate the type heads, which decide among the possible types.
#: Additions over round 10's list were picked from the error listing of the out-of-fold predictions
#: (``bench/nlp_types.py analyse``): gold types the gate removed for want of a word (未购买任何保险; 辞职难,
#: 强制延长工作时间, 劳动关系), not single texts. Session 15 took 劳动法/劳动争议/劳动纠纷 out of other labour's words
#: (a law or a forum cited: precision 0.794 -> 0.799 out of fold).
EVIDENCE: dict[str, re.Pattern[str]] = {
    "wage_arrears": re.compile(rf"{_WAGE_OBJ}|欠薪|讨薪|薪"),
    # session 22: Taiwan's health insurance (健保) and labour insurance taken out (保劳保, 加保劳保: 劳保 alone is
    # also protective gear or the mainland's labour-security office), contributions stopped (停缴, 断缴)
    "social_insurance_arrears": re.compile(rf"{_SI_OBJ}|保险|参保|缴费基数|健保|劳健保|(?:保|缴|交)(?:{_LABOUR_INS})|"
                                           r"停缴|断缴|欠缴|漏缴"),
    # 裁 alone, not in 仲裁/总裁/裁决/裁定 (a forum, a boss, a ruling: session 15)
    "dismissal_layoff": re.compile(r"裁员|(?<!仲|总|体|制)裁(?!决|定|判|缝|剪)|辞退|开除|解雇|解除|解聘|辞职|离职|"
                                   r"下岗|补偿|失业|解约|劝退|待岗|内退|买断|资遣|遣散"),
    "strike_stoppage": re.compile(r"罢工|停工|怠工|罢课|罢运|拒绝上班|不上班|停运"),
    "closure_relocation": re.compile(r"跑路|失联|倒闭|破产|关门|停产|关厂|搬迁|停业|注销|关停|歇业|卷款|清算|解散"),
    "group_action": re.compile(r"集体|聚集|围堵|堵门|堵路|上访|横幅|静坐|请愿|塔吊|楼顶|跳楼|跳桥|群体|举牌|维权|"
                               r"殴打|打伤"),
    # session 16: injuries by kind (砸伤, 烧伤, 扭伤, 闪了腰, 截肢), occupational lung disease (矽肺, 尘肺), 公伤,
    # 因公 (on duty)
    "injury_compensation": re.compile(r"工伤|受伤|伤残|工亡|死亡|摔伤|骨折|事故|职业病|公伤|矽肺|尘肺|击中|砸伤|烧伤|"
                                      r"烫伤|压伤|扭伤|割伤|划伤|撞伤|碰伤|夹伤|刺伤|摔断|闪了腰|闪腰|截肢|因公"),
    # session 15: 加班费/加班工资 unpaid is wage arrears (guidelines: overtime pay), not illegal overtime; a law or a
    # forum cited (违反劳动法, 劳动争议仲裁) names no conflict of its own
    "other_labor": re.compile(r"合同|加班(?!费|工资|补贴|的工资)|押金|身份证|离职证明|派遣|歧视|休假|调岗|罚款|"
                              r"扣钱|辞职|劳动关系|工作时间|延长|请假|双休|休息|调动|超负荷|无偿|实习|试用期"),
}

#: Per event type, spans whose words are no evidence of it (blanked, same length, before its words are looked for;
#: session 16). Other labour: a contract law cited (《劳动合同法》, 合同法第46条: a citation, as 劳动法 in session 15),
#: a contract or labour relation ended (解除劳动合同, 终止劳动关系: a dismissal, not another conflict), an ID
#: number given as a contact detail (身份证号: withheld IDs are 扣押身份证).
#: Closure: a closure as a time anchor (破产后, 倒闭时, 停产前, 改制以后: the history a letter starts from), a
#: status (破产企业职工, 破产改制人员, 改制破产), a closure feared or threatened (如果...破产, 甚至造成...倒闭,
#: 就要倒闭了, 濒临破产), an allowance named after a stoppage (停业津贴).
#: Injury: work-injury insurance as a policy not bought (没买工伤险: unpaid social insurance; 工伤保险待遇 stays).
#: Dismissal: the workers asking for their contract to be ended (要求/申请...解除劳动合同: a demand, not a dismissal).
NOT_EVIDENCE: dict[str, re.Pattern[str]] = {
    "injury_compensation": re.compile(r"工伤(?:保险|险)(?!待遇|基金|赔|金)"),
    # session 17: a pension (退休工资, guidelines), the double pay owed for no contract (双倍工资: an other-labour
    # remedy), the payroll as an administrative tie (工资关系) or a pay slip as proof (工资领据) name no wage owed
    "wage_arrears": re.compile(r"退休工资|(?:双倍|二倍|两倍)工资|工资关系|工资领据"),
    "dismissal_layoff": re.compile(r"(?:要求|请求|申请|督促|希望|请|恳请)[^，。！？；,!?;]{0,10}?(?:依法)?解除"
                                   r"[^，。！？；,!?;]{0,8}?(?:劳动)?(?:合同|关系)|"
                                   # session 17: a dismissal feared or threatened (怕被裁员, 就要被裁了, 会不会下岗,
                                   # 以下岗相要挟): no dismissal told
                                   r"(?:怕|害怕|担心|担忧|恐怕|生怕|可能|会不会|会被|就要|将要|也要|面临|要挟|威胁)"
                                   r"[^，。！？；,!?;]{0,8}?(?:裁员|被裁|下岗|失业|辞退|开除|解雇)|"
                                   # session 20: a dismissal supposed (万一被裁了, 假如被辞退, 要是被优化)
                                   r"(?:万一|假如|假设|假使|要是|如果|倘若|一旦|哪天|怕|担心)[^，。！？；,!?;]{0,8}?"
                                   r"(?:裁员|被裁|下岗|失业|辞退|开除|解雇|优化|被炒|劝退|不用来|"
                                   # session 21: 会不会哪天把我开了, 担心让我们走人
                                   r"把(?:我|我们)(?:给)?(?:开了|辞了|换掉|踢了|裁了)|(?:让|叫)(?:我|我们)走人)|"
                                   # session 18: a contract or labour relation not ended (从未解除劳动关系, 一直没有解
                                   # 除劳动合同, 没有跟厂方办理解除合同的手续): no dismissal told
                                   r"(?:没|没有|未|并未|尚未|从未|从没有|不曾)(?:有)?(?:和|与|跟|同)?"
                                   r"(?:单位|公司|厂里|厂方|我|我们)?(?:签立|签订|签署|办理|办)?(?:了)?(?:任何)?解除"
                                   r"[^，。！？；,!?;]{0,8}?(?:劳动)?(?:合同|关系)|"
                                   # session 22: a non-compete's compensation (签竞业协议，一分补偿都没有) is no
                                   # severance
                                   r"竞业[^。！？!?]{0,10}?补偿"),
    "closure_relocation": re.compile(
        r"(?:破产|倒闭|停产|改制|关闭)(?:后|时|前|以后|之后|以前|之前|于)|"
        r"破产(?:改制)?(?:企业|单位|人员|职工|工人)|改制破产|破产改制|"
        r"(?:如果|如|若|否则|甚至|可能|将会|就要|就会|会|将|面临|濒临)[^，。！？；,!?;]{0,8}(?:破产|倒闭|关门|停产|"
        # session 21: 如果公司停止生产, 万一厂子黄了
        r"停止(?:生产|经营|营业)|黄了)|"
        r"(?:停业|停产)(?:津贴|补贴)|"
        # session 20: a move supposed or feared (假如公司搬到外地, 担心工厂已经搬走了, 可能要搬到外地)
        r"(?:如果|假如|假设|万一|要是|担心|怕|可能|会不会)[^，。！？；,!?;]{0,8}(?:搬走|搬到|搬去|迁到|迁往|散伙|撤场)|"
        # session 17: a closure denied (没破产, 尚未倒闭, 并未停产)
        r"(?:没|没有|未|尚未|并未|并没有|从未)(?:有)?(?:破产|倒闭|关门|停产|解散|关停)"),
    # session 17: a petition or gathering not done: negated, warned off, intended or threatened (不要上访, 并不想
    # 上访, 欲组织...上访, 我们将逐级上访, 逼我们去越级上访), and a petition's papers (信访件, 信访事项,
    # 信访〔2017〕1号: a document, not an act; 到信访办去 stays); extreme acts are not blanked (threatening to jump
    # counts)
    "group_action": re.compile(
        r"(?:不要|不想|并不想|不愿|不会|不再|不准|不许|不让|警告|劝|欲|将要|将|准备|打算|计划|要去|逼(?:着)?(?:我们)?(?:去)?)"
        r"[^，。！？；,!?;]{0,10}?(?:越级)?(?:集体)?(?:上访|信访|聚集|请愿|静坐|堵门|堵路)|"
        # session 18: an intended petition told at length (欲组织全厂工人分别前往区、市两级政府进行上访)
        r"(?:欲|准备|打算|计划)[^，。！？；,!?;]{0,20}?(?:越级)?(?:集体)?(?:上访|信访|聚集|请愿|静坐|堵门|堵路)|"
        # session 18: one writer's own petition (我这些年一直信访, 我写信给省信访局: 我 alone, not 我们,
        # 我厂, nor 我和工友们一起上访)
        r"我(?![们厂司校院局])[^，。！？；,!?;我们和与跟同带领等及、集体起]{0,8}?(?:上访|信访)|"
        r"信访(?:条例|案例|事项|件|答复|回复|[\[〔（(])"),
    # session 22: leave taken together (集体请假不上班, 集体请“病假”: a sick-out, a strike) is no leave dispute
    "other_labor": re.compile(r"(?:劳动)?合同法|(?:解除|终止)[^，。！？；,!?;]{0,10}?(?:劳动)?(?:合同|关系)|身份证号|"
                              r"(?:集体|全体|一起)(?:请|告|休)(?:了)?[“\"']?(?:病)?假"),
}

#: The combiner's inputs per type (see :func:`features`).
FEATURES = ("head_logit", "strong_frame", "frame", "word", "word_count", "only_negated", "short", "log_len")
#: A wage object in a claim: 退休工资 is a pension (a social-insurance matter, guidelines), not a wage.
_WAGE = rf"(?<!退休){_WAGE_OBJ}"
_CL4 = r"[^，。！？；,!?;]{0,4}"  # up to 4 characters within a clause
#: What a wage claim names (session 17): a wage object, or a living allowance or an allowance paid with the wage
#: (基本生活费 of workers sent home, 津贴, 津补贴: pay by the guidelines' "withheld wages")
_WAGE_CLAIMED = rf"(?:{_WAGE}|生活费|津贴|津补贴)"
#: A wage claim of its own: a wage object with an arrears or docking verb a few characters away (拖欠...工资,
#: 工资...没有按时发放, 没有加班费, 乱扣工人工资, 工资低于最低工资: 低于 only before 最低 since session 16, as
#: 公积金基数远低于我实际工资 is no wage claim), or a wage-dispute word (血汗钱, 讨薪, 欠薪). Plain
#: 扣 after the wage is left out on purpose: "工资里扣除了五险一金" is the channel of unpaid social insurance, not a
#: wage grievance.
WAGE_CLAIM = re.compile(
    rf"(?:拖欠|欠|克扣|苛扣|扣发|乱扣|停发|未发|没发|没有发|不发|未付|未支付|没有|没|无|少发|拖延|私吞|侵吞|拒付|"
    # session 15: 不给基本工资, 拒绝支付我应得的工资, 未领到/没拿到工资, 低于最低工资
    rf"不给|不付|不支付|拒绝支付|拒发|未领|没领|未拿到|没拿到|拿不到|领不到|未结|没结|低于(?={_CL4}最低))"
    rf"[^，。！？；,!?;]{{0,6}}{_WAGE_CLAIMED}|"
    rf"{_WAGE_CLAIMED}[^，。！？；,!?;]{{0,8}}(?:拖欠|未发|没发|没有发|不发|没有按时|不按时|不按期|拖到|未付|没给|未支付|被扣|"
    rf"被克扣|被苛扣|私吞|侵吞|低于(?={_CL4}最低)|无着落|没着落|拿不到|领不到|(?:没有|没|未)(?:达到|到)[^，。！？；,!?;]{{0,4}}最低)|"
    rf"血汗钱|讨薪|欠薪")
_STRONG_WORDS: dict[str, re.Pattern[str]] = {
    # a claim of the type on its own beside the frames
    "wage_arrears": WAGE_CLAIM,
    "social_insurance_arrears": re.compile(rf"(?:未|没|没有|不|欠|停|断|少|漏)(?:给|为)?[^，。！？；,!?;]{{0,6}}"
                                           rf"(?:缴纳|缴|交|买|购买|上)[^，。！？；,!?;]{{0,4}}(?:{_SI_OBJ}|保险)"),
}


#: Self-harm as a claim (an extreme act, guidelines): not 自杀 alone (a death told as background).
_SELF_HARM = r"喝农药|服毒|割腕|自焚|(?:泼|浇)(?:洒)?汽油"
#: A gathering or an extreme act (group action is collective action, guidelines: gathering, petitioning together,
#: banners, blocking roads or gates, sit-ins, threatening to jump, climbing a crane): a plural subject alone
#: (我们, 工人们) or a boss who vanished is none.
GROUP_ACT = re.compile(r"聚集|围堵|堵门|堵路|堵住|堵在|横幅|静坐|请愿|上访|信访|塔吊|吊塔|楼顶|跳楼|跳桥|跳河|举牌|"
                       r"集体(?:讨薪|维权|上访|停工|罢工|请愿|投诉|反映|签名|讨要)|联名|殴打|打伤|冲突|群体(?:性)?事件|"
                       r"围攻|示威|游行|抗议|"
                       # session 14: going together to a public body to complain (员工集体去人社局投诉)
                       r"(?:集体|一起|结伴)(?:去|到|向)[^，。！？；]{0,8}?(?:投诉|反映|上访|讨薪|维权|请愿|讨说法|交涉|理论|讨公道)|"
                       r"围(?:在|住|着)|拦(?:住|下)(?:了)?|打地铺|堵(?:了|死)|坐在(?:马路|路中间|门口)|聚(?:了|集了)(?:好多|很多|一群|上百|几十)|"
                       # session 15: self-harm as a claim (喝农药, 割腕, 泼汽油), a sit-in at the payer's door, workers
                       # beaten while claiming their pay (讨要工钱遭打: a confrontation)
                       rf"{_SELF_HARM}|守在[^，。！？；]{{0,10}}(?:门前|门口|楼下)|"
                       r"(?:讨薪|讨要|讨工钱|要工资|要工钱)[^，。！？；]{0,12}(?:遭|被)[^，。！？；]{0,10}(?:打|殴|鸥)|"
                       # session 18: several workers going to a government (职工们到区政府找区长, 我们工人去找市政府:
                       # petitioning together; not the labour bureau, an ordinary complaint channel)
                       r"(?:我们|职工们|员工们|工人们|工友们|民工们)(?:员工|职工|工人)?(?:多次|一起|集体|又|再次|曾|也|都)?"
                       r"(?:去|到|跑|找|前往|赶到|来到)(?:过|了)?[^，。！？；,!?;向领]{0,4}?(?:[县市区省镇]政府|[县市区省]委)|"
                       # session 19: a road or a gate blocked (封堵国道, 堵了大门), a sit-in at the payer's door told
                       # plainly (在公司门口坐着不走), going together to claim the pay (集合一起去要工钱)
                       r"封堵|封路|堵(?:国道|公路|马路|大门|路口|高速|厂门)|"
                       r"(?:门口|门前|楼下|大厅|工地上)[^，。！？；,!?;]{0,4}(?:坐着|躺着|跪着|站着|守着|赖着)(?:不走|不肯走|不离开)|"
                       r"(?:集合|约好|约齐|组织)[^。！？；!?;]{0,6}(?:一起|一块|一道)(?:去|到)[^，。！？；,!?;]{0,6}?"
                       r"(?:要|讨)(?:工钱|工资|钱|血汗钱|说法)|"
                       # session 20: a sit-in wherever it is (坐在大堂不走, 躺在项目部不肯离开), placards and slogans
                       # (举着牌子, 拉起条幅, 打出标语), going together to claim the pay (一起到管委会门口讨要工资)
                       r"(?:坐|躺|跪|守|蹲)(?:在|着)[^，。！？；,!?;]{0,8}?(?:不走|不肯走|不离开|不肯离开)|"
                       r"(?:坐|躺)(?:在|辣海|勒海|了)?(?:地上|地下)|"
                       r"举(?:着|起|住)?(?:牌子|标语|纸牌|纸板|牌)|"
                       # session 21: a cardboard sign (拿着纸板写着...; 举住纸牌, Cantonese 住 for 着)
                       r"拿(?:着|住|起)(?:一块|块)?(?:纸板|纸牌|硬纸板|纸壳)[^。！？!?]{0,12}?写(?:着|了|上)|"
                       r"拿(?:着|住|起)(?:标语|横幅)|(?:拉|挂|打)(?:着|起|出|开)?(?:条幅|标语)|"
                       r"(?:集体|一起|结伴)(?:去|到)[^，。！？；,!?;]{0,10}?(?:讨要|讨钱|要钱|要工资|要工钱|讨工钱|要说法)|"
                       # session 22: keeping watch at the payer's door (在项目部门前守候三天: not a guard's 门口守着),
                       # a sit-in told across a condition (去项目部坐着，不给工钱就不走), a protest in Taiwanese
                       # wording (到劳动部前陈抗)
                       r"(?:门前|门口|楼下|大门外|门外)(?:守候|蹲守)|守候在|陈抗|"
                       r"(?:去|到|在)[^，。！？；,!?;]{0,10}?(?:坐着|守着|躺着|蹲着)[，,]?[^。！？!?]{0,10}?不(?:走|肯走|离开)")


#: An extreme act by one worker counts as a group action by the guidelines (threatening to jump, a tower crane,
#: self-harm as a claim).
EXTREME_ACT = re.compile(rf"塔吊|吊塔|楼顶|跳楼|跳桥|跳河|要跳|扬言|{_SELF_HARM}")


#: A text written by one worker about themself (我叫..., 本人, 我是...的一名): their petition (上访, 信访) or a beating
#: is one person's, no collective action, unless the text speaks of several (:data:`PLURAL`) or tells an extreme act.
SINGLE_WRITER = re.compile(r"我叫|本人|我系|我是[^，。！？；,!?;]{0,24}?一名")
_NUM = r"\d一二三四五六七八九十两百千几数上"
#: Several workers in the text: we, all of us, a counted crowd (十几名工人, 200名队员, 等385人). Not one person
#: (一人, 一个人, 一名工人) nor a hospital's ordinal (第一人民医院: session 18, it made a lone writer's wife at the
#: petition office a crowd).
PLURAL = re.compile(r"我们|咱们|全体|大家|(?:工人|员工|职工|工友|民工|同事)们|一群|联名|"
                    # session 19: a band or everyone of a crew (一帮装修工人, 班组所有人)
                    r"一帮|一伙|一大帮|所有(?:人|工人|员工|工友)|"
                    r"等[\d一二三四五六七八九十百千]+人|"
                    rf"(?<![第{_NUM}])(?:[{_NUM.replace('一', '')}]|一(?=[{_NUM}多余]))[{_NUM}]*[多余]?[名位个号]?"
                    r"(?:工人|员工|职工|农民工|民工|工友|人(?!民)|队员|司机|教师|老师)|"
                    # session 20: a counted crowd of a trade (十几个主播, 二十多名保安, 几十个拣货员, 一排装卸工): up to
                    # three characters of trade before a worker noun, not a span of time or money (三个月工资, 两个工地)
                    rf"(?:(?<![第{_NUM}])(?:[{_NUM.replace('一', '')}]|一(?=[{_NUM}多余]))[{_NUM}]*[多余来]?"
                    r"[名位个排群批]|"
                    r"一(?:排|批|大批|大群))[^\W\d月天年周次时点钱块元万项工]{0,3}?"
                    r"(?:主播|保安|保洁|骑手|护士|医生|师傅|阿姨|坐席|店员|(?<![会项目])员|工(?![地资钱程厂作期种号时龄价]))")


_CL = r"[^，。！？；,!?;]"  # within a clause
#: Workers named by their trade as the subject of a blockade or a protest (session 22: 码头工人堵住了堆场出口, 关厂工人
#: 到劳动部前陈抗): a bare worker noun is several there, as one worker does not block a gate; not one counted worker
#: (一名工人堵住...), nor a pipe stopped up (工人堵住了漏水的管子: a blockade needs a way out, a gate or a road).
CROWD_ACT = re.compile(
    rf"(?<![一个名位])(?:工人|员工|职工|工友|民工|农民工|司机|骑手|船员|护士|教师|矿工|装卸工)(?:们)?{_CL}{{0,8}}?"
    rf"(?:(?:堵住|堵了|封堵|围堵|堵死|拦住)(?:了)?{_CL}{{0,8}}?(?:出口|入口|大门|门口|厂门|路口|道路|马路|公路|通道|"
    rf"路(?!线|费))|陈抗|示威|游行)")
#: Another labour conflict claimed in its own words (session 16; the guidelines' examples of ``other_labor``): no
#: contract signed (未与我们签订劳动合同, 不签劳务合同, 没有签合同), forced or unpaid overtime or work (强迫员工加班,
#: 逼我们上班, 无偿加班), deposits or IDs withheld (扣押身份证, 押金不退), resignation papers refused (不给开离职证明,
#: 辞职不批).
OTHER_CLAIM = re.compile(
    rf"(?:未|没|没有|不|从未|拒绝|拒不|不肯|不愿)(?:与|和|跟|给|同)?{_CL}{{0,8}}?(?:签|订立|签署|签定)"
    rf"[^，。！？；,!?;解]{{0,6}}?合同|"
    rf"(?:强制|强迫|逼迫|逼)(?!{_CL}{{0,4}}(?:辞职|离职|自己)){_CL}{{0,6}}?(?:加班|上班|补班|值班|内退)|"
    rf"(?:无偿|义务|免费|白)加班|"
    rf"(?:扣押|扣留|收走|压着|不退|不还)(?:了)?{_CL}{{0,6}}?(?:身份证|押金|证件|毕业证|保证金)|"
    # session 20: a guarantee deposit is a deposit (保证金一分不退)
    rf"(?:押金|保证金){_CL}{{0,6}}(?:不退|不还|没退)|"
    rf"(?:不给|不开|拒开|拒绝开|不出具|拒绝出具){_CL}{{0,4}}(?:离职证明|解除劳动合同证明)|"
    rf"辞职[^。！？；!?;]{{0,10}}(?:不批|不让|不准|不同意)|"
    # session 17: rest denied (不放假, 全年无休, 不让休息), unpaid leave forced (强制员工停薪留职)
    rf"不放假|不让(?:我们|员工|工人)?(?:休息|放假|休假)|全年无休|没有(?:休息日|节假日|双休|假期)|"
    rf"(?:强制|强迫|逼迫|逼){_CL}{{0,6}}?(?:停薪留职|放长假|休长假)")
#: Another labour conflict told in a short post's own words (session 20): a ban on marrying or pregnancy
#: (签承诺书两年内不许怀孕), a pregnant worker moved or cut (怀孕后被调去仓库), a forced purchase
#: (强制员工购买公司产品), a waiver of overtime pay or leave to sign (签自愿放弃加班费), a non-compete with no
#: compensation (竞业补偿都不给).
OTHER_SHORT = re.compile(
    rf"(?:不许|不准|不能|不得|禁止){_CL}{{0,2}}(?:结婚|怀孕|生育(?!保险|险|津贴|待遇|假)|生孩子|生二胎|要孩子)|"
    rf"怀孕{_CL}{{0,3}}?(?:被|就)?{_CL}{{0,2}}(?:调岗|调去|调到|降薪|降工资|辞退|开除|劝退)|"
    rf"(?:强制|强迫|逼迫|逼){_CL}{{0,6}}?(?:购买|认购|集资|入股|买)(?!{_CL}{{0,4}}(?:社保|保险))|"
    rf"(?:签|写){_CL}{{0,8}}?放弃{_CL}{{0,2}}(?:加班费|加班工资|年假|休假|调休)|"
    rf"竞业{_CL}{{0,4}}补偿{_CL}{{0,4}}(?:不给|没有|不付|不发|没给)|(?:不给|没有|不付|没给){_CL}{{0,6}}竞业补偿|"
    # session 21: a deposit or fee charged to take the job (让新员工先交两千块保证金, 入职要交服装费: not a landlord's
    # 押金), a pledge not to have a child made a condition (要求女职工签“三年内不生育”承诺书)
    rf"(?:让|要求|逼|强制|必须|入职|上岗|进厂)(?:(?!房|租){_CL}){{0,8}}?(?:交|缴|缴纳)(?:了)?"
    rf"(?:(?!房|租){_CL}){{0,6}}?(?:保证金|押金|培训费|服装费|工装费|工服费|风险金|抵押金)|"
    rf"(?:要求|签|写|承诺|规定|保证|逼){_CL}{{0,12}}?(?:不|不得|不准|不许|禁止)(?:结婚|怀孕|生育(?!保险|险|津贴|待遇|假)|"
    rf"生孩子|要孩子|生二胎)|"
    # session 22: a non-compete forced on the staff (逼所有员工签竞业协议), work time required but not counted
    # (要求提前半小时到岗，这半小时不算工时), a penalty before one may leave (要赔违约金才放人)
    rf"(?:逼|强迫|强制|不签就){_CL}{{0,8}}?签{_CL}{{0,4}}?竞业|"
    rf"(?:要求|必须|强制|让|逼)[^。！？!?]{{0,24}}?(?:不算|不计入|不计)(?:作)?(?:工时|工作时间|上班时间|加班)|"
    rf"(?:赔|交|付|缴)(?:钱|{_CL}{{0,6}}?违约金|{_CL}{{0,6}}?培训费){_CL}{{0,6}}?才(?:放人|放我走|让走|让我走|肯放|能走|"
    rf"给走|给办离职|让离职|同意离职|批离职)")
#: A stop of work (session 19): what a quantifier of all before it makes a strike (:data:`STRIKE_CLAIM`).
_STOP = (r"(?:停下来|停了下来|停下了|停工|停手|停摆|歇工|歇起|歇了|歇着|不干了|不做了|勿做|不开工|不上工|不下井|罢班|"
         r"罢岗|停课|停诊|不出车|"
         # session 21: walking off the job (集体撂挑子: a worker alone who 撂挑子 quits, so only with a quantifier)
         r"撂挑子|撂摊子)")
#: A refusal to work (session 20): a stop verb, or not going to one's post (不上工, 不出车, 不开播, 不接电话,
#: 不拣货, 不做生活, 不开伙, 不上楼).
_REFUSE = (rf"(?:(?!停工留薪){_STOP}|(?:不|没|没有|拒绝)(?:来|去)?(?:上班|上工|上岗|上线|上楼|上车|出车|出工|"
           r"开工|开播|开伙|开机|接单|接电话|接活|干活|做生活|做工|下井|复工|拣货|送货|派件|出摊)|"
           # session 21: not coming in (都没来上班) and 不干 at a clause's end (大家坐在外面不干)
           r"不干(?=[，。！？；,!?;\s]|$)|停(?:扫|播|诊|驶))")
#: A stoppage told as the workers' over their pay (session 16): 因拖欠工资被迫停工, 由于工资发放不到位停工, 因欠薪而
#: 罢课; or a strike told as held (进行罢工, 引发罢运).
STRIKE_CLAIM = re.compile(
    rf"(?:因|由于|因为){_CL}{{0,16}}?(?:{_WAGE_OBJ}|欠薪|拖欠){_CL}{{0,12}}?(?:停工|罢工|罢课|罢运|怠工|"
    # session 20: a trade's own stop verb (停扫, 停诊, 停播, 停驶)
    rf"停扫|停诊|停播|停驶|停课|停运|罢诊)|"
    rf"(?:进行|举行|发起|引发|组织|集体)(?:了)?(?:罢工|罢课|罢运|怠工)")
STRIKE_SHORT = re.compile(
    # session 19: work stopped together, told in a short post's own words (车间全部停下来了, 大家都歇工了, 矿工们拒绝
    # 下井, 集体停课, 护士罢班, 工人们怠工, 产线慢下来了): a quantifier of all (全部, 都, 集体) before a stop verb, not
    # with the boss, the firm or a machine as the clause's subject (老板都不干了, 工厂全部停下来: a
    # closure; 电梯全部停下来: a repair)
    rf"(?:^|(?<=[，。！？；,!?;\s]))(?:(?!老板|老总|公司|工厂|企业|店|电梯|机器|设备|系统|网络){_CL}){{0,12}}?"
    rf"(?:全部|全都|全体|集体|一起|统统|所有人|大家|都)(?:人)?(?:都)?(?:已经)?{_STOP}|"
    rf"拒绝(?:下井|上工|开工|复工|上岗|出车|接单|"
    # session 21: a trade's own post refused (船员拒绝出海, 拒绝参加训练赛: not 都不出海, which the weather may tell)
    rf"出海|出船|开船|下地|下田|(?:参加)?(?:训练|排练|比赛|演出)|"
    # session 22: a crew refusing to sail (船员拒绝开航, 拒绝起航)
    rf"开航|起航|启航|出港|离港)|集体(?:停课|罢班|罢岗|停诊|不下井|不上工|不出车|歇工)|"
    # session 22: a trade's own work refused together (客房阿姨集体不进房, 保洁集体不打扫, 骑手集体拒绝送餐: 集体 or
    # 全体 only, as 大家都不做饭 may be a home), work stopped together in classical wording (相约罢作, 相率罢工), a
    # go-slow (在搞慢工: not the saying 慢工出细活)
    rf"(?:集体|全体)(?:拒绝|不)(?:进房|打扫|清扫|做卫生|搞卫生|送餐|送货|配送|装货|卸货|装卸|出诊|接诊|收银|值班|"
    rf"巡逻|营业|出勤|打卡|出工|揽件)|(?:相约|约定|相率|一齐|纷纷|集体|全体|一同)罢(?:作|工|做|业|活)|"
    rf"(?:搞|闹|开始|集体|一起)慢工(?!出细活)|"
    rf"罢班|罢岗|罢驶|磨洋工|"
    # session 21: a trade's own strike verb held together (集体罢拍, 全体罢演, 骑手集体罢送: not 罢了, 罢免, 罢休,
    # nor one player's 罢赛 or a pupil's joke 罢考), a sick-out (集体请“病假”), a go-slow (用“慢慢干”来抗议, 按最低
    # 产量做)
    rf"(?:集体|全体|一起|全部|都)罢(?:拍|演|录|飞|教|训|赛|练|送|诊)|集体(?:请|告|休)(?:了)?[“\"']?(?:病)?假|"
    rf"(?:用|集体|大家|都|全部)[“\"']?慢(?:慢|吞吞)(?:地)?(?:干|做)|按最低(?:产量|定额|标准)(?:来)?(?:做|干)|"
    rf"(?:产线|生产线|流水线|生产|进度|活)(?:已经|都)?(?:慢下来|放慢|变慢)|"
    # session 20: the workers, a quantifier of all or a crowd as the subject of a refusal to work (装卸工坐着不做生活,
    # 司机们把车停在场里不出车, 保洁阿姨们集体不上楼, 坐席集体不接电话, 兄弟们今天都不拣货了, 工人都坐在车间门口不
    # 上工), not a condition (不干活就扣钱), a worker quitting (不干了，辞职了) nor the boss or the firm as the subject
    rf"(?:(?<!老板)(?<!老总)(?<!公司)(?<!领导)(?<!经理)(?<!主管)(?<!厂里)"
    rf"(?:工人|员工|职工|工友|师傅|阿姨|司机|骑手|主播|坐席|保洁|保安|兄弟|姐妹|员|工(?![伤头地资程钱作厂期龄价棚]))|"
    # a quantifier with no boss or third person in its clause before it (老板说他自己也都不干了) and not right after
    # the firm (工厂都不接单了: a closure)
    rf"(?:^|(?<=[，。！？；,!?;\s]))(?:(?!老板|老总|领导|经理|主管|他|她){_CL}){{0,24}}?"
    rf"(?:集体|全体|大家|所有人|(?<!公司)(?<!工厂)(?<!厂子)(?<!企业)(?<!厂)都))(?:们)?"
    rf"(?:(?!老板|老总|公司|工厂|厂里|领导|经理|主管){_CL}){{0,8}}?{_REFUSE}"
    rf"(?!{_CL}{{0,3}}(?:就|的话|会|便|要|吗|么)|[^。！？!?]{{0,4}}(?:辞职|离职|走人|走了|跳槽|[?？]))|"
    # nobody at work (叉车司机没有一个上车, 线上一个都没上, 今天谁也别上线)
    rf"(?:没有一个|一个都没|一个也没|谁也没|谁都没|谁也别|谁都不|谁也不)(?:人)?(?:有)?(?:上|出|开|干)"
    rf"(?:班|工|线|车|岗|活|了|(?=[，。！？；,!?;\s]|$))|"
    # session 21: nobody down at the field, the pit or the sea today (采摘工一个都没下地: not 下雨天谁也不下地)
    rf"(?:没有一个|一个都没|一个也没|谁也没|谁都没)(?:人)?(?:有)?下(?:地|田|井|海|矿)")
#: A closure told as the boss gone or the firm closed (session 16; the guidelines' "boss absconding"): 老板跑路了,
#: 包工头携款逃逸, 法人玩失踪, 人去楼空, 工厂倒闭了 (a feared 就要倒闭了 is blanked first, :data:`NOT_EVIDENCE`).
CLOSURE_CLAIM = re.compile(
    # session 22: also the boss in older wording (东家, 厂主, 雇主) and the head of a hospital, a school or a station
    rf"(?:老板|老总|包工头|负责人|法人|厂长|东家|厂主|雇主|院长|校长|园长|站长|店长){_CL}{{0,4}}(?:跑路|跑了|失联|逃跑|"
    rf"潜逃|逃逸|卷款|携款|玩失踪|不见了|"
    rf"联系不上)|卷款|携款(?:潜逃|逃逸|逃跑|跑路)|人去楼空|(?:工厂|公司|厂|店|企业){_CL}{{0,4}}(?:倒闭|关门|破产)了")
#: A time word (session 21): what may stand between a workplace and its closing (上周, 下学期, 一夜之间).
_WHEN = (r"上周|上个月|上礼拜|昨天|昨晚|今天|前天|前几天|年前|年后|月底|去年|今年|这个月|本月|年底|下学期|明年|"
         r"下个月|以后")
CLOSURE_SHORT = re.compile(
    # session 19: a closure told in a short post's own words: the shops all shut (门店全关了, 分店都关掉了), the
    # shutter down or the gate sealed (卷帘门拉下来了, 贴了封条), the boss saying it is over (老板说不干了, 老板宣布
    # 关店), the lease not renewed (房租到期不续了), the head office out of reach (总部电话打不通)
    # (session 22: a warehouse, a workshop, a studio too: 仓库关了)
    rf"(?:门店|分店|店铺|店面|店|餐厅|饭店|工厂|厂子|公司|仓库|作坊|工作室|诊所|超市){_CL}{{0,3}}(?:全关|都关|全部关|关掉|"
    rf"关张|闭店|撤店|"
    rf"关了(?=$|[，。！？；,!?;\s]))|卷帘门{_CL}{{0,3}}(?:拉|放|关|锁)|贴(?:了|上)?封条|"
    rf"(?:老板|老总){_CL}{{0,4}}(?:说|宣布|表示|讲){_CL}{{0,2}}(?:不干了|不做了|不开了|不开店了|关店|关门|闭店)|"
    rf"(?:房租|租约|租期|租金|场地){_CL}{{0,6}}不续|(?:总部|公司|老板|老总){_CL}{{0,2}}电话{_CL}{{0,2}}(?:打不通|"
    rf"关机|停机|没人接)|"
    # session 20: the firm broken up or gone from the site (外包公司合同到期直接散伙, 物业公司撤场了), the works moved
    # (厂说搬到苏北就搬了: not the writer moving, 我搬到公司附近)
    rf"(?:公司|工厂|厂子|厂|老板|物业|门店|店){_CL}{{0,6}}?(?:散伙|撤场|撤走了)|"
    rf"(?:公司|工厂|厂子|厂|车间)[^。！？!?我]{{0,8}}?(?:搬到|搬去|迁到|迁往|迁至|搬走了)|"
    # session 21: a workplace shut told with a time or a manner between (外卖站点上周突然关了, 诊所已经关门了), the
    # firm gone under (厂子黄了), not run any more (幼儿园下学期不办了), its production stopped (该企业已于10月停止
    # 生产), an office or a branch wound up (上海办公室整体撤销), the boss gone with his bedroll (老板卷铺盖走人)
    rf"(?:门店|分店|店铺|店|站点|网点|驿站|诊所|门诊|幼儿园|培训班|工作室|超市|工厂|厂子|公司|学校|机构|"
    # session 22: a warehouse, a workshop, a hotel, a gym shut (仓库上周关了); 宣布, 正式 between (培训机构突然宣布
    # 关门); disbanded at a clause's end (工作室宣布解散: not 解散了我们部门 or 解散二队, a part disbanded)
    rf"仓库|作坊|酒店|宾馆|餐馆|饭店|餐厅|健身房|网吧|美容院|养老院|会所|俱乐部|公会)"
    rf"(?:{_WHEN}|突然|已经|直接|也|都|就|说|彻底|一夜之间|宣布|正式)+(?:关了(?=$|[，。！？；,!?;\s])|关门|关张|倒闭|停业|"
    rf"黄了|(?:解散|散伙)(?:了)?(?=$|[，。！？；,!?;\s]))(?![^。！？!?]{{0,24}}(?:装修|升级|整顿|休整|放假|暂停|检修))|(?:厂子|工厂|公司|厂|店|饭店|企业|站点|门店|作坊)(?:也|就|都|彻底|早就|已经)?黄了|"
    rf"(?:幼儿园|学校|培训班|培训学校|机构|店|厂子|工厂|公司|工作室|诊所|作坊)(?:{_WHEN})?(?:就|也)?不(?:再)?"
    rf"(?:办|开|营业|经营|开门)了|"
    rf"(?:企业|公司|工厂|厂子|厂)(?:已|已经)?(?:于{_CL}{{0,6}}?)?停止(?:生产|经营|营业)|"
    # (session 22: not posts or people cut at a plant, 工厂裁撤四千个岗位: a dismissal)
    rf"(?:办公室|分公司|办事处|分部|工厂|厂区|门店|站点|网点)(?:{_WHEN}|通知|宣布|被)*(?:整体|全部)?(?:撤销|裁撤|撤并)"
    rf"(?!{_CL}{{0,6}}(?:岗位|职位|个岗|人手|名|人|员工|工人|编制))|"
    rf"(?:老板|老总|包工头|厂长|站长|店长|园长){_CL}{{0,4}}?卷铺盖|"
    # session 22: the head of a school, a clinic or a station out of reach (校长电话也打不通), a closure announced
    # (宣布关闭上海工厂, 宣布撤出中国, 决定关停在华产线: a workplace, a market or a business as its object; not 关闭
    # 评论区, nor a part closed, 关闭一条生产线)
    rf"(?:校长|院长|园长|站长|店长|负责人|东家){_CL}{{0,2}}电话{_CL}{{0,2}}(?:打不通|关机|停机|没人接)|"
    rf"(?:宣布|决定|计划|通知)(?:将|要)?(?:关闭|关停|撤出|退出|结束)(?!{_CL}{{0,3}}(?:一条|一个车间|部分|其中|几条|两条|"
    rf"一些|个别)){_CL}{{0,6}}?(?:工厂|厂(?!家)|产线|生产线|门店|"
    rf"分公司|办事处|基地|工作室|园区|车间|中国|大陆|市场|业务|营业|运营|经营|在华)")
#: An injury at work told in a short post's own words (session 19): a fall at a work place (在工地跌下来, 从脚手架上
#: 摔下来), a worker caught or struck by a machine or a load (被机器卷伤, 被钢筋砸断), a body part hurt (伤了腰, 压断了
#: 手指) beside work or an employer who will not pay for it (干活伤了腰, 老板一分钱不给, 医药费). Not a price or a wage
#: that fell (工资跌下来: a fall needs a height, 从架子上, 在工地), nor a hurt feeling (伤了心).
_BODY = r"(?:腰|腿|脚|手|胳膊|手臂|手指|手掌|头|眼睛|眼|背|脊椎|肋骨|脖子|肩|膝盖|脚趾)"
_INJURY_ACT = (rf"(?:从|在){_CL}{{0,8}}?(?:工地|架|楼|梯|井|矿|车间|屋顶|房顶|高处|吊篮|车){_CL}{{0,6}}?"
               rf"(?:摔|跌|掉|坠|滚)(?:了)?下(?:来|去)?|(?:摔|跌)(?:倒|伤|断|坏)|"
               rf"被{_CL}{{0,6}}?(?:卷|砸|压|轧|夹|切|绞|割|烫|烧|撞|扎|碾|灼)(?:伤|断|掉|进|住|(?:了|到|中)?{_BODY})|"
               # session 20: the worker who fell (摔下来的那个工友)
               rf"(?:摔|跌|坠|掉)下(?:来|去)的{_CL}{{0,3}}(?:工友|工人|师傅|同事|兄弟|人)|"
               rf"(?:伤|弄伤|扭|闪|摔坏|压断|砸断|切断|轧断|夹断|断)(?:了|到)?{_BODY}")
_AT_WORK = (r"工地|脚手架|架子|车间|矿上|井下|矿井|厂里|工厂|机器|机床|设备|干活|上班|施工|作业|搬货|工作时|工作中|"
            r"老板|厂方|矿方|公司|包工头|医药费|医疗费|药费|赔偿|赔钱|一分钱|一分钞票|不给|不管|不肯出|不赔")
INJURY_CLAIM = re.compile(rf"(?:{_AT_WORK}){_CL}{{0,20}}?(?:{_INJURY_ACT})|(?:{_INJURY_ACT})(?=[^。！？!?]{{0,30}}"
                          rf"(?:{_AT_WORK}))")
#: A dismissal told in a short post's own words (session 20): workers pushed out (被优化, 被打发走, 逼走了七个人), made
#: to resign (逼员工写辞职信, 让自己写离职申请, 不去就算自己辞职, 视为自动离职), not kept on (被通知不再续用,
#: 新公司不要我们这些老员工, 合同到期不续签), sent away (明天不用来了), a post abolished (岗位取消), a termination
#: "by agreement" pressed on them (让我们签协商解除). Not a feared dismissal (:data:`NOT_EVIDENCE`), a holiday
#: (放假不用来了), nor a worker resigning of their own (我自己写了辞职信).
DISMISSAL_SHORT = re.compile(
    rf"被{_CL}{{0,4}}?(?:优化|裁掉|裁了|辞退|开除|解雇|劝退|清退|炒鱿鱼)|被{_CL}{{0,12}}?(?:打发走|赶走|逼走)|"
    # 开了, 辞了, 炒了 right after 被 or the employer only (门被风吹开了, 被媒体炒了 are none)
    rf"被(?:公司|老板|厂里|厂方|单位|领导|经理|主管|HR|人事)?(?:开了|辞了|炒了)|"
    rf"逼(?:走|退)(?:了)?|(?:逼|让|要求|强迫|强制){_CL}{{0,6}}?(?:自己)?(?:写|签|交|提|打)(?:了)?(?:辞职|离职)|"
    rf"(?:视为|算|按)(?:作)?(?:自己|自动|主动)(?:辞职|离职)|"
    rf"不再(?:续用|聘用|录用|续聘|雇佣|任用)|(?:公司|单位|厂|老板|厂方){_CL}{{0,8}}?不(?:再)?续签|"
    rf"(?:公司|老板|厂|单位|厂方){_CL}{{0,3}}不要(?:我们|老员工|我)(?=这些|了|[，。！？；,!?;\s]|$)|"
    rf"(?<!放假)(?<!休息)(?:明天|以后|下周|下个月)?不用(?:再)?来(?:上班)?了|岗位(?:取消|撤销|撤了|没了)|"
    rf"(?:签|办|搞){_CL}{{0,2}}协商解除|"
    # session 21: sent off (就让我走人, 叫我们明天卷铺盖), replaced or kicked out (把我换掉), cleared out by the
    # employer (直接清退, 全部辞退: not a rule's threat, 违者直接开除, 否则一律开除)
    rf"(?:让|叫|要)(?:我|我们|他|她|他们|她们|大家|员工|工人|老员工)(?:直接|马上|立刻|明天|当天|当场)?"
    rf"(?:走人|滚蛋|卷铺盖|收拾东西走)|"
    rf"把(?:我|我们|他|她|他们|她们|老员工)(?:几个|这些|俩|两个|三个)?(?:老员工)?(?:给)?(?:换掉|换了|踢了|踢出|辞了|开了|裁了|清退)(?![个会])|"
    rf"(?<!违者)(?<!否则)(?<!就)(?<!会)(?<!将)(?<!建议)(?<!应该)(?<!应当)(?<!必须)"
    rf"(?:直接|全部|统一|全都)(?:被)?(?:清退|辞退|开除|劝退)(?!出)|"
    # session 22: dismissal in Taiwanese wording (要资遣我们, 全员就地遣散: not 资遣费 alone, a sum), a crew told to go
    # (通知整个组走人), not kept after probation (被通知不转正: not 还没转正), posts or people cut (裁撤四千个岗位,
    # 削减三成人手: not 削减成本)
    rf"(?:要|被|将|宣布|全员|全部|统一|就地|直接|员工|工人)(?:被)?(?:就地)?(?:资遣|遣散)(?!费|金)|"
    rf"(?:资遣|遣散)(?:了)?(?:我|我们|员工|工人|大家|全|整个|所有)|"
    rf"通知{_CL}{{0,8}}?(?:走人|卷铺盖|收拾东西走|滚蛋)|"
    rf"(?:通知|告知|决定|宣布)(?:我|我们|她|他)?(?:不予|不给|不让|不)转正|不予转正|"
    rf"(?:裁撤|裁减|削减|砍掉|缩减|精简)(?:了)?{_CL}{{0,6}}?(?:岗位|职位|个岗|人手|名(?!额|单|称)|人(?!力成本|工成本)|"
    rf"员工|工人|编制)")
#: Unpaid social insurance told in a short post's own words (session 22): Taiwan's labour or health insurance not
#: taken out (公司根本没帮我保劳保, 没给员工加保健保), contributions stopped or owed (停缴员工养老医疗诸险: not the
#: writer's own 我自己停缴了).
SI_SHORT = re.compile(
    rf"(?:未|没|没有|不|从未|从没)(?:帮|给|为|替)?{_CL}{{0,6}}?(?:加保|投保|保|缴纳|缴|交|买|上)(?:了)?{_CL}{{0,2}}?"
    rf"(?:健保|{_LABOUR_INS})|"
    rf"(?<!自己)(?<!我)(?:停缴|断缴|欠缴|漏缴)(?:了)?{_CL}{{0,12}}?(?:险|社保|公积金)")
_OWN_CLAIMS = {"wage_arrears": WAGE_CLAIM, "other_labor": OTHER_CLAIM, "strike_stoppage": STRIKE_CLAIM,
               "closure_relocation": CLOSURE_CLAIM}
#: Own claims read in a short text only (at most :data:`MAX_LIFT_CHARS`, session 19): a short post's plain wording of
#: a stoppage, an injury or a closure (:data:`STRIKE_SHORT`, :data:`INJURY_CLAIM`, :data:`CLOSURE_SHORT`); since
#: session 20 also of a dismissal and of another labour conflict (:data:`DISMISSAL_SHORT`, :data:`OTHER_SHORT`). In the
#: labelled letters the injury wording also matched injuries told as background, and lowered the out-of-fold F1.
_SHORT_CLAIMS = {"strike_stoppage": STRIKE_SHORT, "closure_relocation": CLOSURE_SHORT,
                 "dismissal_layoff": DISMISSAL_SHORT, "other_labor": OTHER_SHORT,
                 "injury_compensation": INJURY_CLAIM, "social_insurance_arrears": SI_SHORT}


_CLAIMS_LONG = tuple(_OWN_CLAIMS.items())
_CLAIMS_SHORT = _CLAIMS_LONG + tuple(_SHORT_CLAIMS.items())


def _claims_of(text: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The own-claim patterns that read ``text``: :data:`_OWN_CLAIMS`, and :data:`_SHORT_CLAIMS` in a short text."""
    return _CLAIMS_SHORT if len(text) <= MAX_LIFT_CHARS else _CLAIMS_LONG


def own_claims(text: str) -> frozenset[str]:
    """The event types the text claims in their own words outside #topics# and the type's :data:`NOT_EVIDENCE`
    spans (:data:`WAGE_CLAIM`, :data:`OTHER_CLAIM`, :data:`STRIKE_CLAIM`, :data:`CLOSURE_CLAIM`):
    ``frames.choose_types`` adds them whatever the type head says (the heads rarely see other labour, strikes and
    closures, and miss wage claims in letters about something else, session 16)."""
    bare = _untopic(text)
    return frozenset(t for t, rx in _claims_of(text) if rx.search(_bare(t, bare)))


def claim_cue(event_type: str, text: str) -> tuple[int, int, str] | None:
    """The first own claim of ``event_type`` in ``text`` (:func:`own_claims`) as (start, end, text), or None: the cue
    of a type an own claim added where no evidence word is (人去楼空, 逼我们上班)."""
    bare = _bare(event_type, _untopic(text))
    for t, rx in _claims_of(text):
        if t == event_type and (m := rx.search(bare)):
            return (m.start(), m.end(), text[m.start():m.end()])
    return None


def lone_writer(text: str) -> bool:
    """Whether one worker writes about themself only (:data:`SINGLE_WRITER`, no :data:`PLURAL`) and tells no
    extreme act (:data:`EXTREME_ACT`): then nothing in the text is collective action."""
    return bool(SINGLE_WRITER.search(text) and not PLURAL.search(text) and not EXTREME_ACT.search(text))


#: An extreme act as the act itself (the guidelines' "threatening to jump, climbing a tower crane", self-harm): not
#: 塔吊 as a trade (塔吊操作工) nor 扬言 alone, as in :data:`EXTREME_ACT`.
EXTREME_CLAIM = re.compile(rf"跳楼|跳桥|跳河|要跳|(?:爬|登|站)(?:上)?(?:了)?(?:塔吊|吊塔|楼顶|高架)|"
                           rf"(?:在|到)[^，。！？；]{{0,6}}楼顶|{_SELF_HARM}")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


def collective_act(text: str) -> bool:
    """Whether one sentence tells several workers (:data:`PLURAL`: 我们, 全体职工, 三十多名工人) and a gathering or an
    extreme act (:data:`GROUP_ACT`): collective action told as such (我们全体职工多次向信访局反映,
    百名农民工讨薪遭殴打), which ``frames.choose_types`` adds as ``group_action`` whatever the type head says (the
    guidelines' "petitioning together"). Not for a writer speaking of themself only (:func:`lone_writer`). An
    extreme act told as done or threatened (:data:`EXTREME_CLAIM`: 跳楼, 爬上塔吊, 割腕) is one too, by one worker or
    several. A petition not done or a petition's papers (:data:`NOT_EVIDENCE`: 不要上访, 我们将...上访, 信访件) are
    blanked first (session 17)."""
    if EXTREME_CLAIM.search(text):
        return True
    bare = _bare("group_action", _untopic(text))  # (session 17: no petition not done, no petition office)
    if not GROUP_ACT.search(bare) or lone_writer(text):
        return False
    return any((PLURAL.search(s) or CROWD_ACT.search(s)) and GROUP_ACT.search(s) for s in _SENTENCE.findall(bare))


def group_act(text: str) -> bool:
    """Whether the text tells a gathering or an extreme act (:data:`GROUP_ACT`): what ``group_action`` needs
    (``frames.supported_types``). A writer speaking of themself only (:data:`SINGLE_WRITER`, no :data:`PLURAL`)
    needs an extreme act (:data:`EXTREME_ACT`): one person's 上访 is no collective action."""
    return bool(GROUP_ACT.search(_bare("group_action", _untopic(text)))) and not lone_writer(text)


def wage_claim(reading: FrameReading | None, text: str) -> bool:
    """Whether the text claims unpaid or docked wages of its own: an asserted wage-arrears frame or
    :data:`WAGE_CLAIM`. Beside unpaid social insurance a wage word alone (工资待遇, 从工资中扣除养老保险, 月工资
    1750元) is no wage arrears (``frames.supported_types``)."""
    if reading is not None and any(f.event_type == "wage_arrears" for f in reading.asserted):
        return True
    return bool(WAGE_CLAIM.search(text))


def _untopic(text: str) -> str:
    """The text with its #topics# blanked (same length, so offsets hold): a platform's hashtag
    (#疫情是否会影响大家工资#) is no claim of the writer's (session 15)."""
    from nlp.genres import TOPIC

    return TOPIC.sub(lambda m: " " * len(m.group(0)), text) if "#" in text else text


def _bare(event_type: str, untopic: str) -> str:
    """``untopic`` (a text with its #topics# blanked) with the spans that are no evidence of ``event_type``
    (:data:`NOT_EVIDENCE`) blanked too, same length."""
    rx = NOT_EVIDENCE.get(event_type)
    return rx.sub(lambda m: " " * len(m.group(0)), untopic) if rx is not None else untopic


def evidence(reading: FrameReading | None, text: str) -> frozenset[str]:
    """The event types the text holds evidence of: an asserted frame of the type or one of its evidence words
    outside #topics# and outside the type's :data:`NOT_EVIDENCE` spans."""
    ev = set(_frame_evidence(reading, text))
    bare = _untopic(text)
    ev.update(t for t, rx in EVIDENCE.items() if rx.search(_bare(t, bare)))
    return frozenset(ev)


def _outside(event_type: str, text: str, cues: Sequence[Any]) -> bool:
    """Whether one of ``cues`` (spans of ``text``) lies outside #topics# and outside the spans that are no evidence
    of ``event_type``."""
    bare = _bare(event_type, _untopic(text))
    return any(bare[c.start:c.end].strip() for c in cues)


def _frame_evidence(reading: FrameReading | None, text: str) -> dict[str, list[Any]]:
    """``reading.type_evidence()`` less the types whose asserted frames' predicates all lie in #topics# or in the
    type's :data:`NOT_EVIDENCE` spans (破产改制 history, 如果...破产: no closure told)."""
    if reading is None:
        return {}
    return {t: cues for t, cues in reading.type_evidence().items() if _outside(t, text, cues)}


def frame_counts(event_type: str, frame: Any, text: str) -> bool:
    """Whether a frame's predicate lies outside #topics# and the spans that are no evidence of its type
    (:data:`NOT_EVIDENCE`): what ``frames.choose_types`` asks of a lifting frame before it adds its type."""
    return _outside(event_type, text, [frame.predicate])


def evidence_cue(event_type: str, text: str) -> tuple[int, int, str] | None:
    """The first evidence word of ``event_type`` in ``text`` (outside #topics# and :data:`NOT_EVIDENCE` spans) as
    (start, end, text), or None."""
    m = EVIDENCE[event_type].search(_bare(event_type, _untopic(text)))
    return (m.start(), m.end(), text[m.start():m.end()]) if m else None


def features(reading: FrameReading | None, text: str) -> np.ndarray:
    """(n types, len(FEATURES)) evidence of each type in a text; the first column (the head's logit) is left 0 for
    :meth:`TypeRule.scores` to fill."""
    from lwcore.domain import EVENT_TYPES

    out = np.zeros((len(EVENT_TYPES), len(FEATURES)))
    frames = reading.frames if reading is not None else ()
    n = len(text)
    bare = _untopic(text)
    for k, t in enumerate(EVENT_TYPES):
        own = [f for f in frames if f.event_type == t]
        asserted = [f for f in own if f.asserted]
        words = len(EVIDENCE[t].findall(_bare(t, bare)))
        strong_word = t in _STRONG_WORDS and bool(_STRONG_WORDS[t].search(text))
        out[k, 1] = float(any(f.strong for f in asserted) or strong_word)
        out[k, 2] = float(bool(asserted))
        out[k, 3] = float(words > 0)
        out[k, 4] = math.log1p(words)
        out[k, 5] = float(bool(own) and not asserted)
        out[k, 6] = float(n <= 140)
        out[k, 7] = math.log1p(n) / 8.0
    return out


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


@dataclass(frozen=True)
class TypeRule:
    """What decides the event types of a relevant text beside the evidence gate (module docstring)."""

    kind: str  # "thresholds" | "combiner"
    thresholds: tuple[float, ...]  # per type, on the head probability (thresholds) or the combiner's
    coef: tuple[tuple[float, ...], ...] = ()  # combiner: per type, one weight per FEATURES
    intercept: tuple[float, ...] = ()

    def scores(self, probs: Sequence[float], reading: FrameReading | None, text: str) -> np.ndarray:
        """Per type the score compared with :attr:`thresholds`: the head probability, or the combiner's."""
        p = np.asarray(probs, dtype=np.float64)
        if self.kind != "combiner":
            return p
        x = features(reading, text)
        x[:, 0] = np.clip(_logit(p), -8, 8)
        z = (x * np.asarray(self.coef)).sum(1) + np.asarray(self.intercept)
        return 1.0 / (1.0 + np.exp(-z))

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "thresholds": [round(float(v), 4) for v in self.thresholds]}
        if self.kind == "combiner":
            d["features"] = list(FEATURES)
            d["coef"] = [[round(float(v), 5) for v in row] for row in self.coef]
            d["intercept"] = [round(float(v), 5) for v in self.intercept]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, where: str = "type rule") -> TypeRule:
        """Read :meth:`as_dict`'s form; a malformed one is an :class:`~nlp.errors.NlpError` naming the field."""
        from lwcore.domain import EVENT_TYPES
        from nlp.errors import NlpError

        n = len(EVENT_TYPES)
        kind = d.get("kind")
        if kind not in ("thresholds", "combiner"):
            raise NlpError(f"{where}: kind must be 'thresholds' or 'combiner', got {kind!r}")
        thr = d.get("thresholds")
        if not (isinstance(thr, list) and len(thr) == n and all(isinstance(v, (int, float)) and 0 < v < 1
                                                                  for v in thr)):
            raise NlpError(f"{where}: thresholds must be {n} numbers in (0, 1), got {thr!r}")
        if kind == "thresholds":
            return cls(kind=kind, thresholds=tuple(float(v) for v in thr))
        coef, icpt = d.get("coef"), d.get("intercept")
        if d.get("features") != list(FEATURES):
            raise NlpError(f"{where}: features must be {list(FEATURES)}, got {d.get('features')!r}")
        if not (isinstance(coef, list) and len(coef) == n and all(isinstance(r, list) and len(r) == len(FEATURES)
                                                                    for r in coef)):
            raise NlpError(f"{where}: coef must be {n} rows of {len(FEATURES)} numbers")
        if not (isinstance(icpt, list) and len(icpt) == n):
            raise NlpError(f"{where}: intercept must be {n} numbers")
        return cls(kind=kind, thresholds=tuple(float(v) for v in thr),
                   coef=tuple(tuple(float(v) for v in r) for r in coef), intercept=tuple(float(v) for v in icpt))


THRESHOLD_GRID = np.round(np.arange(0.2, 0.91, 0.05), 3)


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = int((pred & (gold == 1)).sum())
    fp = int((pred & (gold == 0)).sum())
    fn = int((~pred & (gold == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _best_threshold(s: np.ndarray, ok: np.ndarray, gold: np.ndarray, default: float) -> float:
    if gold.sum() < 3:
        return default
    f = [_f1((s >= g) & ok, gold) for g in THRESHOLD_GRID]
    return float(THRESHOLD_GRID[int(np.argmax(f))])


def fit_type_rule(p: np.ndarray, t: np.ndarray, readings: Sequence[FrameReading | None], texts: Sequence[str], *,
                  kind: str = "thresholds", default: float = 0.5, inner: int = 3, seed: int = 13) -> TypeRule:
    """Fit a :class:`TypeRule` on out-of-fold type probabilities ``p`` (n, types) of relevant texts with gold
    types ``t`` (n, types, 0/1) and their frame readings. Each type's threshold maximises that type's F1 under the
    evidence gate; a type with fewer than 3 gold examples keeps ``default``. ``kind="combiner"`` first fits the
    per-type logistic regression (C = 1) and picks its threshold on its own ``inner``-fold cross-fitted scores."""
    from lwcore.domain import EVENT_TYPES

    p = np.asarray(p, dtype=np.float64)
    t = np.asarray(t, dtype=int)
    ok = np.array([[ty in evidence(r, x) for ty in EVENT_TYPES] for r, x in zip(readings, texts, strict=True)],
                  dtype=bool).reshape(len(texts), len(EVENT_TYPES))
    if kind == "thresholds":
        return TypeRule(kind, tuple(_best_threshold(p[:, k], ok[:, k], t[:, k], default)
                                    for k in range(len(EVENT_TYPES))))
    if kind == "micro":
        return TypeRule("thresholds", _micro_thresholds(p, t, ok, readings, texts, default))
    if kind not in ("combiner", "combiner_micro"):
        raise ValueError(f"unknown type rule kind {kind!r}")
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    x = np.stack([features(r, s) for r, s in zip(readings, texts, strict=True)])  # (n, types, F)
    x[:, :, 0] = np.clip(_logit(p), -8, 8)
    coef = np.zeros((len(EVENT_TYPES), len(FEATURES)))
    icpt = np.zeros(len(EVENT_TYPES))
    thr = []
    cross_all = p.copy()
    for k in range(len(EVENT_TYPES)):
        yk = t[:, k]
        if yk.sum() < max(3, inner) or yk.sum() == len(yk):
            coef[k, 0], thr_k = 1.0, default  # too few examples: the head's logit unchanged
            thr.append(thr_k)
            continue
        xk = x[:, k, :]
        cross = np.zeros(len(yk))
        for tr, te in KFold(inner, shuffle=True, random_state=seed).split(xk):
            if len(np.unique(yk[tr])) < 2:
                cross[te] = p[te, k]
                continue
            m = LogisticRegression(C=1.0, max_iter=2000).fit(xk[tr], yk[tr])
            cross[te] = m.predict_proba(xk[te])[:, 1]
        m = LogisticRegression(C=1.0, max_iter=2000).fit(xk, yk)
        coef[k], icpt[k] = m.coef_[0], m.intercept_[0]
        thr.append(_best_threshold(cross, ok[:, k], yk, default))
        cross_all[:, k] = cross
    if kind == "combiner_micro":  # thresholds for the whole decision's micro-F1 on the cross-fitted scores
        thr = list(_micro_thresholds(cross_all, t, ok, readings, texts, default))
    return TypeRule("combiner", tuple(thr), tuple(tuple(r) for r in coef), tuple(icpt))


def _decide(s: np.ndarray, thr: np.ndarray, ok: np.ndarray, claim: np.ndarray, collective: np.ndarray,
            lifting: np.ndarray, claimed: np.ndarray, acted: np.ndarray | None = None) -> np.ndarray:
    """``frames.choose_types`` over many texts at once (boolean (n, types)), for fitting thresholds; ``acted``: the
    texts that tell a collective act (:func:`collective_act`)."""
    from lwcore.domain import EVENT_TYPES

    w, si, g = (EVENT_TYPES.index(x) for x in ("wage_arrears", "social_insurance_arrears", "group_action"))
    pred = ((s >= thr) & ok) | claimed
    if acted is not None:
        pred[:, g] |= acted
    empty = ~pred.any(1) & ~lifting
    best = np.argmax(np.where(ok.any(1, keepdims=True), np.where(ok, s, -1.0), s), axis=1)
    pred[empty, best[empty]] = True
    pred[:, w] &= ~(pred[:, si] & ~claim)
    pred[:, g] &= collective
    still = ~pred.any(1)
    pred[still, best[still]] = True
    return pred


def _micro_thresholds(p: np.ndarray, t: np.ndarray, ok: np.ndarray, readings: Sequence[FrameReading | None],
                      texts: Sequence[str], default: float, passes: int = 3) -> tuple[float, ...]:
    """Per-type thresholds maximising the micro-F1 of the whole decision (gate, fallback, ``supported_types``) by
    coordinate ascent from the best shared threshold: rare types do not trade precision for their own recall."""
    from lwcore.domain import EVENT_TYPES

    claim = np.array([wage_claim(r, x) for r, x in zip(readings, texts, strict=True)], dtype=bool)
    claimed = np.array([[(r is not None and len(x) <= MAX_LIFT_CHARS
                           and any(f.event_type == ty and frame_counts(ty, f, x) for f in r.lifting))
                          or ty in own_claims(x)
                          for ty in EVENT_TYPES] for r, x in zip(readings, texts, strict=True)],
                       dtype=bool).reshape(p.shape)
    coll = np.array([group_act(x) for x in texts], dtype=bool)
    acted = np.array([collective_act(x) for x in texts], dtype=bool)
    lifting = np.array([bool(r is not None and r.lifting) for r in readings], dtype=bool)
    tb = t.astype(bool)

    def f1(thr: np.ndarray) -> float:
        pred = _decide(p, thr, ok, claim, coll, lifting, claimed, acted)
        tp = int((pred & tb).sum())
        return 2 * tp / (pred.sum() + tb.sum()) if tp else 0.0

    shared = max(THRESHOLD_GRID, key=lambda g: f1(np.full(p.shape[1], g)))
    thr = np.full(p.shape[1], float(shared))
    for _ in range(passes):
        moved = False
        for k in range(p.shape[1]):
            best_g, best_f = thr[k], f1(thr)
            for g in THRESHOLD_GRID:
                trial = thr.copy()
                trial[k] = g
                fk = f1(trial)
                if fk > best_f + 1e-9:
                    best_g, best_f = float(g), fk
            moved |= best_g != thr[k]
            thr[k] = best_g
        if not moved:
            break
    return tuple(float(v) for v in thr)
