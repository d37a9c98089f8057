"""Genre families of a text: what the text *is* (a job advert, a legal Q&A or reminder, an aggregate report), read
from families of cues that must co-occur, for the event-frame layer (:func:`nlp.frames.read_frames`).

The frame layer's own genre lists (``nlp.frames._GENRES``) count distinct cues of one list. These families add the
shape of each genre, so that a look-alike is recognised by its structure rather than by a listed phrase:

- **advert**: a recruiting act (招聘, 直招, 招募, 招...工) with a benefit promise (五险一金, 入职即交社保, 月结, 不拖欠,
  月薪 6000), or two promises with a contact line (有意者, 私信, 面试), or three promises;
- **policy**: a legal-information frame (a bracketed heading 【提醒】, a law cited by title 《...条例》, 律师解答,
  一文读懂, 答:, N种途径) with a normative or question cue (不得, 应当, 有权, ...吗?, 如何), in a text with no
  first-person speaker (a worker citing the law in their own complaint stays a complaint);
- **government**: a public body (人社局) with a work verb (开展, 部署) and a campaign word (专项, 检查), no
  first-person speaker;
- **politics**: a strike against a government policy (抗议政府...改革, 紧缩), out of scope by the guidelines;
- **sports**: a club (球队, 联赛, NBA) and its coach (主教练, 主帅): a coach fired is club news;
- **history** and **fiction**: a strike of 1925 or a labour movement's history; a play, novel or film (《...》) and
  its plot, no first-person speaker;
- **company_debt**: money owed between firms (被上游企业拖欠运费, 拖欠总包单位工程款): a commercial debt;
- **figurative**: a machine or a body part that "strikes" (空调都罢工了, 我的胃罢工了);
- **chatter**: pay received (发工资了, 工资涨了, 年终奖到账): salary talk, cleared unless a dispute frame lifts;
- **qa**: a short one-clause question with no first-person speaker on what the rules allow (...有补偿吗):
  procedural Q&A; and a letter of two or more such questions after a plea (请问...要不要扣工资？...合法吗？);
- **crime**: an offence (劫杀, 盗走, 窃取, 纵火, 挪用) with what the police or a court did (被警方抓获, 获刑) or
  beside a dismissal word, no first-person speaker: a former employee's crime is no labour dispute (a dispute frame
  of its own, 讨薪不成...砍伤, still lifts);
- **case_report**: a court or arbitration case with its parties anonymised (李某, 某物流公司) and two outcome or
  procedure words (法院判决, 原告, 执行完毕, 典型案例), no first-person speaker, where a person is anonymised too or the
  text says what it is (典型案例, 执行完毕, 驳回): a case report, not a live dispute (an anonymised firm alone is how
  news names a firm in a live case);
- **statistics**: an aggregate over a period (今年以来, 累计, 前三季度, 1-10月) or a public body reporting its work
  (人社部, 劳动监察) with an aggregate quantity (32万名, 36亿元, 1200余件) and no first-person speaker.

:func:`extra_genres` returns ``(genre, start, end, text)`` cue tuples; ``nlp.frames`` turns them into cues.
"""

from __future__ import annotations

import re

__all__ = ["COMPANY_DEBT", "GENERAL_STRIKE", "POLITICS_TARGET", "TOPIC", "extra_genres"]


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives))


_ADVERT_RECRUIT = _rx("招聘|招工|诚聘|急聘|急招|直招|招募|招收|诚招|长期招|高薪聘|应聘",
                      r"(?:长期|大量)?招[^，。！？\s]{0,4}?(?:工|员|师傅|司机|保安|学徒|骑手|实习生|小伙伴|宝子)")
_ADVERT_PROMISE = _rx(
    "五险一金|六险一金|[五六七]险[一二三两]金|[五六]险|包吃包?住|包住|包吃",
    # session 15: months of pay a year, weekends off (15薪, 双休不加班)
    r"\d{2}薪|双休|不加班",
    "(?:入职|转正)(?:即|就|后)?(?:交|缴|买|缴纳|购买)(?:社保|五险)",
    "(?:社保|五险一金)(?:全交|齐全)|(?:缴纳|购买)(?:社保|五险)",
    "工资(?:月结|日结|周结)|[月日周]结|当天结(?:算|清)?",
    "(?:按时|准时|按月)(?:发放|到账|发薪)|(?:从不|绝不|决不|不)(?:拖欠|克扣|压)(?:工资|薪资)?",
    r"[月日]薪\s?\d|底薪|薪资面议|待遇从优|带薪|年底双薪|节假日(?:三倍|双倍)|多劳多得",
    r"长白班|两班倒|试用期同工资|计件工资|\d{3,5}\s?[-~至]\s?\d{3,5}元?",
    # round 17: a contract, insurance or no fees promised (签正规劳动合同, 有工伤保险, 不收任何押金)
    "(?:签|签订)(?:正规)?劳动合同|不收(?:任何)?(?:费用|押金|中介费)|有(?:工伤保险|社保|意外险)")
_ADVERT_CONTACT = _rx(r"有意者|有意请|有意向|联系|私信|面试|报名|欢迎|电话|热线|\d+岁以下|年龄\d+|地址|简历|内推")
_POLICY_FRAME = _rx(
    "【(?:提醒|提示|普法|科普|答疑|问答|关注|注意|重要|政策|解读|权威发布)[^】]{0,4}】",
    "(?:新规|政策|法规|条例|新政)解读[:：]?",
    # a public body's reminder as a heading (某镇人社所提醒：企业应...), session 15
    r"(?:人社|人社所|人社局|人社部|人社厅|人社中心|劳动监察|监察大队|法院|工会|司法所|检察院)[^，。！？\s]{0,4}?(?:提醒|提示)[:：]",
    "根据《[^》]{2,30}》|《[^》]{2,24}(?:条例|法|办法|规定|通知|意见)》",
    "律师(?:来)?(?:解答|解读|提醒|支招|说法)|须知[:：]|专家(?:解答|解读)|(?:法律|劳动法|法规|国家)(?:明确)?规定[，,:：\\s]",
    "一文(?:读懂|看懂|讲清楚?)|一图(?:读懂|看懂)|攻略|请收好|教给你",
    r"[几\d一二三四五六七八九十]+(?:种|个|条)(?:途径|方法|办法|步骤|渠道)",
    "答[:：]|问[:：]|(?:^|\\s)[问答]\\s|可以通过|可通过|热线",  # (问 ... 答 ...: a Q&A typed without punctuation)
    # session 14: a legal article's conditional norm (安排劳动者加班的，应支付...)
    "(?:劳动者|用人单位|职工|员工)[^，。！？]{1,16}的[，,\\s]\\s?(?:应当?|须|可以?|由)")
_POLICY_NORM = _rx("不得|应当|必须|严禁|禁止|有权|可以(?:向|申请|要求)|应(?:支付|按照?|依法)|不低于|应(?:当)?与|应(?:当)?(?:订立|签订)|"
                   r"怎么[^，。！？\s]{0,4}?(?:算|处理|受偿|清偿|支付|发放|赔|补偿|拿|计算|认定|维权)",
                   r"怎么办|如何|怎样|能拿多少|[吗么呢](?:[?？]|\s|$)|[?？]",
                   # session 16: an instruction to the reader (遇欠薪可拨打12345, 遇到拖欠工资请及时投诉)
                   r"(?:可|请|可以|及时|请及时)(?:拨打|致电|投诉|举报|申请仲裁)",
                   # a notice's requirement (申请人应提交..., 须携带身份证)
                   r"应当?(?:提交|提供|携带|准备|出具)|须(?:提交|提供|携带|出具)",
                   r"遇(?:到)?[^，。！？；\s]{1,8}?(?:时|的)?[，,]?(?:可|请|应|要|及时)(?!能)")
_STAT_MONEY = re.compile(r"(?:[\d.]+|[一二三四五六七八九十百千两几]+)\s?万(?:余|多)?元")
_STAT_PERIOD = _rx("今年以来|去年以来|累计|共计|全年|[上下]半年|前[一二三]季度|第?[一二三四]季度|较去年|比去年|较上年",
                   r"\d{1,2}\s?[-—~至]\s?\d{1,2}月|同比|环比|近[一二三五十\d]+年")
_STAT_BODY = _rx("人社部|人社局|人社厅|人力资源和社会保障|劳动监察|住建(?:部|委|局)|总工会|统计局",
                 "国务院|(?:市|区|县)政府|法院|检察院|仲裁委",
                 # session 15: a town or a district as the subject of public work (罗店镇召开..., 青浦区开展...)
                 r"[\u4e00-\u9fff]{1,4}?(?:镇|街道|乡|区|市|县)(?:政府|党委)?(?=召开|开展|部署|组织|启动|举行|举办)")
_STAT_QUANT = _rx(r"[\d.]+\s?万(?:余|多)?(?:名|人|户|家|件)|[\d.]+\s?亿(?:元)?",
                  # session 14: counts written in characters (三百余户, 二十份)
                  # (the same magnitudes as the digit forms, so that a number's spelling never changes the genre)
                  r"[一二三四五六七八九十两几]*[百千][一二三四五六七八九十两几]*(?:余|多)?(?:件|起|家|户)|"
                  r"[一二三四五六七八九十百千两几]+万(?:余|多)?(?:名|人|户|家|件)",
                  r"\d{3,}(?:余|多)?(?:件|起|家|户)|[\d.]+%|[\d.]+个百分点",
                  # session 15: a percentage in characters (百分之八), as its digit form
                  r"百分之[一二三四五六七八九十百零点几]+")
_GOV_WORK = _rx("开展|部署|召开|启动|组织|推进|督导|督查|走访|排查|约谈")
_GOV_CAMPAIGN = _rx("专项|行动|攻坚|治理|检查|会议|推进会|工作会|动员|整治|排查")
_CHATTER = _rx("(?<![没不未])发工资了|工资到账了?|工资(?:又)?涨了|涨(?:了)?工资",
               "发了?年终奖|年终奖(?:发了|到账)|发工资啦",
               # (session 21) leaving of one's own will (决定出去看看, 好聚好散, 老板挽留了两次)
               r"决定(?:出去|离开)[^，。！？]{0,4}?(?:看看|闯闯|走走)|好聚好散|裸辞|(?:老板|领导|公司)(?:极力|再三|多次|[两几三]次)?挽留")
#: a crime story: an offence and what the police or a court did about it (离职员工窃取...被警方抓获), or an offence
#: beside a dismissal (被开除员工劫杀..., 员工不满遭辞退盗走...)
_CRIME_ACT = _rx("盗取|盗窃|盗走|偷走|偷了|窃取|诈骗|骗取|纵火|放火|挪用|伪造|投毒|投放|砸坏|砸毁|行凶|冒充|监守自盗",
                 "劫杀|杀害|杀死|捅死|砍死|砍伤|捅伤|刺伤|持刀|抢劫|性骚扰|猥亵")
_CRIME_OUTCOME = _rx("被(?:警方)?(?:抓获|抓|刑拘|拘留|逮捕|批捕|起诉|判刑|判处)|(?:刑事|行政)拘留|获刑|被判|一审|"
                     "涉嫌|立案侦查|被依法",
                     "刑拘|被捕|落网|判刑|判处|入狱|宣判|有期徒刑|警方|公安")
_DISMISSAL_WORD = _rx("开除|辞退|解雇|被裁|炒鱿鱼|离职")
#: a short procedural question (劳动合同到期不续签有补偿吗): asks what the rules are, tells no case
_QA_ASK = re.compile(r"(?:吗|么|呢)[?？]?$|[?？]$")
_QA_WHAT = _rx("有没有|有|能不能|能|可以|需要|要不要|算不算|合法|怎么|如何|多久|多长|几天|哪些|什么")
QA_MAX_CHARS = 30
#: A plea for answers after a question (求懂的人解答, 在线等), and a question told by how long or how much it takes with
#: no question mark (劳动仲裁一般要多长时间出结果), session 14.
_SOLICIT = re.compile(r"[，,。.\s]*(?:求(?:懂的人|懂行的人?|大神|大佬|专业人士|律师|好心人)?(?:解答|解惑|科普|指点|告知)|在线等|急急急|急)"
                      r"[!！。.~～]*$")
_QA_HOW_END = re.compile(r"(?:多长时间|多久|多少钱|多少天|怎么算|怎么计算|如何计算|怎么办理|如何办理)"
                         r"(?:才能?|能)?(?:出结果|拿到|到账|下来|办好|结束)?$")
#: A rule question (要不要扣工资？, 是不是可以不发？, 合法吗？) and a plea to answer (请问, 想咨询), session 22.
_QA_RULE = re.compile(r"(?:要不要|是不是|可不可以|能不能|是否|需不需要|算不算|有没有)[^，。！？?；;]{0,20}[？?]|"
                      r"(?:合法|违法|合理|可以)(?:吗|么)[？?]")
_QA_PLEA = re.compile(r"请问|想问|咨询|请教")
#: A hashtag topic (#打工人的心酸#): the topic's name, not the writer's words.
TOPIC = _TOPIC = re.compile(r"#[^#]{1,40}#")
#: a case told before its question (被公司辞退，理由是...，这合法吗) is no procedural question: one clause only
_CLAUSE_BREAK = re.compile(r"[，,；;。！!\s]")
#: A general strike (大罢工, 总罢工, 全国性罢工): a strike against a policy or a country's government, not against an
#: employer (the guidelines; ``nlp.frames`` does not read it as a strike by workers).
GENERAL_STRIKE = _rx("总罢工|大罢工|全国(?:性)?(?:大)?罢工|多地(?:爆发)?(?:大)?罢工")
_POLITICS_STRIKE = _rx(GENERAL_STRIKE.pattern, "罢工")
POLITICS_TARGET = _rx(r"(?:抗议|反对)[^，。！？\s]{0,4}?(?:政府|政策|改革|法案|预算|紧缩)",
                      # a strike over a government act (因政府取消燃油补贴举行全国罢工), session 15
                      r"(?:因|由于|针对)(?:政府|当局|国会|议会)",
                       "养老金改革|紧缩政策|削减预算",
                       # the guidelines' own example: a strike to force a border closure (香港医护罢工逼港府封关)
                       r"封关|港府|(?:逼|逼迫|迫使|要挟)(?:政府|当局)|政府拒绝|黑医护",
                       # session 16: a strike to bring a government down or to force its policy (反对派号召大罢工，要求政府下台;
                       # 工会总罢工，要求政府推进停火); workers asking the government to step in over pay are not this
                       r"反对派|(?:政府|总统|总理|内阁|当局)下台|要求(?:现任)?(?:政府|当局)(?:下台|辞职|推进|停火|撤回|取消|改变|放弃)|停火")
#: Money owed between firms (物流公司被上游企业拖欠运费, 开发商拖欠总包单位工程款): a commercial debt, no worker's
#: claim (session 15); the frames do not lift a wage frame whose object is a firm's (``nlp.frames``).
COMPANY_DEBT = _rx(r"(?:公司|企业|单位|供应商|厂家|商家|承包商|总包|分包)被[^，。！？\s]{0,8}?(?:拖欠|欠)(?:了)?(?:的)?"
                   r"[^，。！？\s]{0,8}?(?:货款|运费|账款|款项|工程款|服务费|租金|货钱|加工费|租赁费|设备款|材料款)",
                   # session 16: owed to the writer's firm (总包单位欠我们公司设备租赁费)
                   # (session 21: held back too, 压了我们物流公司四个月的运费, the firm named by its trade)
                   r"(?:拖欠|欠|压|拖|扣)(?:了|着)?(?:我们|我司|本)[\u4e00-\u9fff]{0,4}?(?:公司|企业|单位|厂|工作室)(?:的)?"
                   r"[^，。！？\s]{0,6}?(?:货款|运费|账款|款项|工程款|服务费|租金|加工费|租赁费|设备款|材料款)",
                   # (session 21: a supplier's payment term stretched, 账期从九十天拖到一百八十天)
                   r"账期[^，。！？\s]{0,10}?(?:拖到|拖成|延长|延到|压到|改成|变成)",
                   r"(?:拖欠|欠)(?:了|的)?(?:总包|分包|施工|供应商|上游|下游|合作|承包)(?:单位|企业|方|商|公司)?(?:的)?"
                   r"(?:工程款|货款|款项|账款|运费|加工费)",
                   # session 17: a client holding back the writer's firm's fees (甲方拖我们公司的设计费)
                   r"(?:甲方|客户|业主方|合作方)[^，。！？\s]{0,4}?(?:拖|欠|压)(?:了|着)?(?:我们|我司|本)(?:公司|企业|单位|工作室)?(?:的)?"
                   r"[^，。！？\s]{0,4}?(?:设计费|服务费|合同款|咨询费|项目款|货款|尾款|款项)")
#: A sports club and its coach: firing a coach (解雇主教练, 主帅下课) is club news, not a labour claim; a club owing
#: its players (外援欠薪) is, and its wage frame lifts.
_SPORTS_CLUB = _rx("球队|俱乐部|赛季|联赛|季后赛|常规赛|NBA|CBA|英超|西甲|意甲|德甲|中超|转会|球迷")
_SPORTS_COACH = _rx("主教练|教练|主帅|教头|领队")
#: History and fiction (session 14): a strike of 1925, a labour movement's history, a play's plot about miners. (Not
#: a later year: 1979年进厂的老职工 tells a worker's own history in a complaint.)
_HISTORY = _rx(r"(?:1[6-8]\d\d|19[0-4]\d)年|民国|清末|晚清|工运史|历史上的今天|上世纪[二三四]十年代|百年前|周年纪念|老照片|"
               r"1[5-9]世纪|十[五六七八九]世纪|这段历史|工业革命")
_FICTION_WORK = _rx(r"《[^》]{1,20}》")
_FICTION_TELL = _rx("话剧|小说|电影|电视剧|剧中|剧情|情节|角色|主人公|小品|动画|漫画|游戏里|书中")
#: A machine or a body part that "strikes" (空调都罢工了, 胃罢工): a figure of speech (session 14); a pet's "strike"
#: (我家猫今天罢工了) too (session 22).
_FIGURATIVE_STRIKE = _rx("(?:猫|狗|猫咪|狗狗|宠物|主子|空调|电脑|手机|胃|肠胃|脑子|大脑|身体|打印机|冰箱|洗衣机|电梯|网络|路由器|膝盖|腰|嗓子|眼睛|车子|电瓶|电池|"
                         "热水器|风扇|键盘|鼠标|相机|显卡|硬盘|系统|软件|APP|app)"
                         # (the machine may be named a clause before: 这台打印机实在不行，一天罢工三次; session 15)
                         r"(?:(?!工人|员工|司机|骑手|工友|师傅)[^。！？]){0,14}?罢工")
#: Markets and funds told in labour words (基金经理罢工了吧, A股给我"裁员"): a figure of speech (session 17).
_MARKET = _rx(r"净值|基金经理|A股|大盘|股市|持仓|涨停|跌停|一片绿|账户里的钱|基金")
_MARKET_FIGURE = re.compile(r"罢工|裁员|优化|离职|辞退|失业")
#: A court or arbitration case told with its parties anonymised (李某, 张某某, 某物流公司) and its outcome (法院判决,
#: 驳回, 执行完毕, 典型案例): a legal column's or a court's case report, not a dispute in front of the bureau (session 20;
#: a named employer's case stays news of a concrete conflict).
_ANON_PARTY = _rx(r"(?<![\u4e00-\u9fff])某[\u4e00-\u9fff]{0,8}?(?:公司|厂|企业|单位|集团|项目部|酒店|餐厅|医院|学校)",
                  r"(?<=[，。：:、\s])某(?:公司|厂|企业|单位)")
_ANON_PERSON = _rx(r"[\u4e00-\u9fff]某(?:某)?(?=[，。、与和等诉在入于被因向的：:])")
#: (an anonymised firm alone is how news names a firm in a live case, 某物流公司欠薪被法院判令支付: a case report also
#: anonymises a person or says what it is, 典型案例, 执行完毕, 驳回)
_CASE_MARK = _rx("典型案例|以案说法|以案释法|裁判文书|执行完毕|驳回|维持原判|案例")
_CASE_OUTCOME = _rx("法院|仲裁委|仲裁庭|判决|裁决|判令|执行完毕|一审|二审|典型案例|以案说法|裁判文书|诉讼请求|原告|被告|申请人|被申请人")
#: (我市, 我区, 我省: a public body speaking, not a person)
_FIRST_PERSON = re.compile(r"我(?![市区县省镇国])|(?<![者工员其])本人|咱们")
#: The families are read on short texts only (posts, headlines, notices): long letters quote adverts, laws,
#: statistics and campaigns while telling their own case.
MAX_CHARS = 200


def _found(rx: re.Pattern[str], genre: str, text: str) -> list[tuple[str, int, int, str]]:
    return [(genre, m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def _distinct(cues: list[tuple[str, int, int, str]]) -> int:
    return len({c[3] for c in cues})


def extra_genres(text: str) -> list[tuple[str, list[tuple[str, int, int, str]]]]:
    """The genres whose cue families co-occur in ``text``, each with its cues (see the module docstring)."""
    out: list[tuple[str, list[tuple[str, int, int, str]]]] = []
    if len(text) > MAX_CHARS:
        return out
    recruit = _found(_ADVERT_RECRUIT, "advert", text)
    promise = _found(_ADVERT_PROMISE, "advert", text)
    contact = _found(_ADVERT_CONTACT, "advert", text)
    if (recruit and promise) or (_distinct(promise) >= 2 and contact) or _distinct(promise) >= 3:
        out.append(("advert", recruit + promise + contact))
    first_person = bool(_FIRST_PERSON.search(text))
    if not first_person:
        frame = _found(_POLICY_FRAME, "policy", text)
        norm = _found(_POLICY_NORM, "policy", text)
        if frame and (norm or _distinct(frame) >= 2):
            out.append(("policy", frame + norm))
        quant = _found(_STAT_QUANT, "statistics", text)
        period = _found(_STAT_PERIOD, "statistics", text)
        body = _found(_STAT_BODY, "statistics", text)
        # (a sum in 万元 is a statistic only over a span of time: 法院判令支付8万元, 共计18万元 tell one case)
        quant += _found(_STAT_MONEY, "statistics", text) if any(c[3] not in ("累计", "共计") for c in period) else []
        if quant and (period or body):
            out.append(("statistics", quant + period + body))
        work, campaign = _found(_GOV_WORK, "government", text), _found(_GOV_CAMPAIGN, "government", text)
        if body and work and campaign:
            out.append(("government", body + work + campaign))
        # (the question itself: hashtags and a repost's chain around it are not part of it)
        core = _TOPIC.sub("", text.rsplit("//@", 1)[-1].split(":", 1)[-1] if "//@" in text else text).strip()
        core = _SOLICIT.sub("", core).strip()  # (a plea for answers after the question: 求懂的人解答)
        # (in the relevance view a repost's markers are gone: the reposted question is the last space-separated part)
        for q in dict.fromkeys((core, core.rsplit(" ", 1)[-1] if " " in core else core)):
            ask = _QA_ASK.search(q) or _QA_HOW_END.search(q)
            if ask and len(q) <= QA_MAX_CHARS and _QA_WHAT.search(q) and not _CLAUSE_BREAK.search(q[:ask.start()]):
                out.append(("qa", [("qa", 0, len(text), q)]))
                break
        # (session 22, labelled slices) a letter of questions on what the rules allow (请问...要不要扣工资？...是不是可以
        # 不发？...合法吗？), longer than one clause: two rule questions after a 请问, no one's case told
        asks = _found(_QA_RULE, "qa", text)
        if "qa" not in (g for g, _ in out) and _distinct(asks) >= 2 and _QA_PLEA.search(text):
            out.append(("qa", asks))
        person, case = _found(_ANON_PERSON, "case_report", text), _found(_CASE_OUTCOME, "case_report", text)
        anon = person + _found(_ANON_PARTY, "case_report", text)
        if anon and _distinct(case) >= 2 and (person or _CASE_MARK.search(text)):
            out.append(("case_report", anon + case))
        act, outcome = _found(_CRIME_ACT, "crime", text), _found(_CRIME_OUTCOME, "crime", text)
        if act and (outcome or _DISMISSAL_WORD.search(text)):
            out.append(("crime", act + outcome))
    target = _found(POLITICS_TARGET, "politics", text)
    if target and _POLITICS_STRIKE.search(text):
        out.append(("politics", target + _found(_POLITICS_STRIKE, "politics", text)))
    club, coach = _found(_SPORTS_CLUB, "sports", text), _found(_SPORTS_COACH, "sports", text)
    if club and coach:
        out.append(("sports", club + coach))
    if not first_person:
        past = _found(_HISTORY, "history", text)
        if past:
            out.append(("history", past))
        work = _found(_FICTION_WORK, "fiction", text)
        if work and _FICTION_TELL.search(text):
            out.append(("fiction", work + _found(_FICTION_TELL, "fiction", text)))
    debt = _found(COMPANY_DEBT, "company_debt", text)
    if debt:
        out.append(("company_debt", debt))
    figure = _found(_FIGURATIVE_STRIKE, "figurative", text)
    if _MARKET_FIGURE.search(text):
        figure += _found(_MARKET, "figurative", text)
    if figure:
        out.append(("figurative", figure))
    chatter = _found(_CHATTER, "chatter", text)
    if chatter:
        out.append(("chatter", chatter))
    return out
