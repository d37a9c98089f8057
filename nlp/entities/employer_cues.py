"""Context cues of employer mentions (see :mod:`nlp.entities`): an employer cue of a mention's own (我们是XX的职工,
XX承建的, 施工方XX) unless it is addressed (向XX反映), the works a contractor built, an organisation named only as a
building or a place of treatment, a public body named only in its oversight role. Split out of
:mod:`nlp.entities.employers` (entity round 7), which uses them when it ranks and cleans the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.entities.vocabulary import (
    _BUILDING_AFTER,
    _HOSPITAL_END,
    _MASKED_CHAIN,
    _SURNAMES,
    _TREATED_AFTER,
    _TREATED_BEFORE,
    _WORK_AFTER,
    _WORK_AT,
)

# a mention that is itself said to employ the workers, though written apart from the first employer:
# 我们是XX公司的职工 (the writers' own organisation), XX公司承建的/承包的 (the contractor of the works),
# 施工方XX / 甲方是XX / 用工单位XX (its role in the contract chain)
_SELF_OF_BEFORE = re.compile(r"(?:我|我们|俺|本人|大家|均|都)(?:是|系|原是|原系|原为|曾是|都是|均是|作为)(?:原|原来)?$")
_STAFF_OF_AFTER = re.compile(r"(?:的)?[^，。]{0,6}?(?:员工|职工|工人|工作人员|农民工|民工|合同工|临时工|职员|老师|教师|"
                             r"护士|医生|司机|保安|人员)")
_BUILT_AFTER = re.compile(r"(?:承包|承建|分包|转包|施工|开发|中标)的")
_ROLE_BEFORE = re.compile(r"(?:(?<!委)(?:派(?:我们|我|大家)?到|派(?:我们|我|大家)?往|派遣(?:我们|我)?到|派遣(?:我们|我)?至|派驻)|施工方|承包方|承建方|分包方|总包方|劳务方|用工方|用人方|用人单位|用工单位|甲方|乙方|施工单位|"
                          r"承建单位|总包单位|劳务公司|派遣单位|雇主|老板|"
                          # the party a job was passed down to (round 7): 转包给(了)包工头XX, 分包给XX
                          r"(?:转包|分包|外包|包)给了?(?:包工头|工头|班组长)?|"
                          # the owner and the firm a contractor works under (round 11): 业主是XX, 它挂靠的是XX
                          r"业主|业主单位|业主方|发包方|建设单位|建设方|挂靠的|挂靠单位|包工头|工头)"
                          r"(?:却|又|却又|则|也|实际|实际上)?(?:是|为|系|就是|[：:])?$")
# (round 16: a role written as a form's field, 派遣单位：XX / 用工单位：XX, names its party too)
# the party of a contract chain named as the doer of its clause (round 7): 由XX总包， / 由XX承建。
_CHAIN_CLAUSE = re.compile(r"(?:总包|承包|承建|施工|分包)(?=[，,。；;])")
# ... but not one the writers turn to (向XX反映, 请XX督促, 属XX管辖)
_ADDRESSEE_BEFORE = re.compile(r"(?:向|到|去|找|给|请|恳请|恳求|致|经|由|属|归|通过|要求|希望|求助)$")
_ADDRESSEE_AFTER = re.compile(r"[^，。]{0,3}?(?:反映|投诉|举报|上访|申请|求助|管辖|监督|督促|协调|调解|裁决|判决|回复|答复|受理|"
                              r"立案|信访|主管|领导)")
_CUE_BEFORE = 12
_CUE_AFTER = 16
# a masked place chain written right before a mention that leaves it out (我们是西地省 + A市XX公司的职工: the labels drop
# 西地省 before a masked city; A市 + A5区XX公司 where the placed form is kept): the cues are read before the chain
# (round 10; it was 西地省 alone, in one cue)
_CHAIN_BEFORE = re.compile(rf"(?:{_MASKED_CHAIN.pattern})$")


def _start_before_place(text: str, start: int) -> int:
    """``start`` moved left over a masked place chain written right before it (西地省, A市, 西地省E9县...)."""
    m = _CHAIN_BEFORE.search(text, max(0, start - 12), start)
    return m.start() if m else start



def _own_employer_cue(text: str, name: str) -> bool:
    """``name`` is written with an employer cue of its own somewhere, and nowhere as an addressee."""
    cue = False
    for m in re.finditer(re.escape(name), text):
        start = _start_before_place(text, m.start())
        before = text[max(0, start - _CUE_BEFORE): start]
        after = text[m.end(): m.end() + _CUE_AFTER]
        if _ADDRESSEE_BEFORE.search(before) and _ADDRESSEE_AFTER.match(after):
            return False
        cue = cue or bool((_SELF_OF_BEFORE.search(before) and _STAFF_OF_AFTER.match(after))
                          or _BUILT_AFTER.match(after) or _ROLE_BEFORE.search(before)
                          or (before.endswith("由") and _CHAIN_CLAUSE.match(after)))
    return cue





def _built_by(text: str, builder: str, works: str) -> bool:
    """``works`` (a project, site or project department) written right after the organisation ``builder`` +
    承建的/承包的/施工的."""
    if not _WORKS_END.search(works) or (len(builder) <= 3 and builder[0] in _SURNAMES):
        return False  # (a labour contractor named as a person: the labels name him alone)
    i = text.find(builder)
    while i >= 0:
        m = _BUILT_AFTER.match(text, i + len(builder))
        if m and text.startswith(works, m.end()):
            return True
        i = text.find(builder, i + 1)
    return False


_WORKS_END = re.compile(r"(?:项目部|项目|工地|指挥部)$")


def _only_a_building(text: str, name: str) -> bool:
    """An organisation named only as a place (在H3县财政局三楼会议室开标, XX局家属楼) is no party to the dispute."""
    occ = [m.end() for m in re.finditer(re.escape(name), text)]
    business = bool(_BUSINESS_END.search(name))
    return bool(occ) and all((b := _BUILDING_AFTER.match(text, e)) and not (business and b.group(0) in _GATE_WORDS)
                             for e in occ)


# workers gather at a firm's gate (到XX有限公司门口讨薪): the firm is the party, not a mere place
_BUSINESS_END = re.compile(r"(?:公司|集团|厂|工地|项目部|店|超市|商场|酒店|饭店|餐厅|工作室)$")
_GATE_WORDS = {"门口", "大门"}


def _only_treated_there(text: str, name: str) -> bool:
    """A hospital named only where someone was treated or examined (送往G市骨科医院治疗, 经X医院诊断) is not
    the employer of the complaint."""
    if not _HOSPITAL_END.search(name):
        return False
    seen = False
    for m in re.finditer(re.escape(name), text):
        before = text[max(0, m.start() - 6): m.start()]
        after = text[m.end(): m.end() + 16]
        if _WORK_AT.search(before) or _WORK_AFTER.match(after):
            return False
        if not (_TREATED_BEFORE.search(before) or _TREATED_AFTER.search(after)):
            return False
        seen = True
    return seen


# a public authority (a government, a bureau, a court, the police) ...
_AUTHORITY_END = re.compile(r"(?:政府|局|委员会|法院|检察院|派出所|公安分局|大队|支队|中队|管理所|管理处|办公室|信访办|街道办)$")
# ... doing what authorities do to a firm or a complaint (查过了, 介入, 出警, 判决XX支付)
_OVERSIGHT_AFTER = re.compile(r"^(?:的?(?:工作人员|领导|同志|执法人员|民警|干警))?(?:已经|已|也|都|多次|曾|先后|依法)?"
                              r"(?:查过|查了|查处|调查|核查|检查|介入|督促|责令|约谈|出警|立案|受理|判决|裁决|裁定|调解|"
                              r"协调|答复|回复|处理|执法|来人|上门)")


def _only_overseeing(text: str, name: str) -> bool:
    """A public authority named only in its oversight role (XX市场监督管理局查过了, XX法院判决, 经XX派出所调解,
    向XX局反映) is no employer: every occurrence is followed by an oversight verb, and none says it employs the writers (我是XX聘用的, XX拖欠, XX的职工)."""
    if not _AUTHORITY_END.search(name):
        return False
    seen = False
    for m in re.finditer(re.escape(name), text):
        before = text[max(0, m.start() - 6): m.start()]
        after = text[m.end(): m.end() + 12]
        if _WORK_AT.search(before) or _WORK_AFTER.match(after):
            return False
        if not (_OVERSIGHT_AFTER.match(after) or _LEADERSHIP_AFTER.match(after)
                or _APPEALED_TO_BEFORE.search(text, max(0, _start_before_place(text, m.start()) - 4),
                                              _start_before_place(text, m.start()))):
            return False
        seen = True
    return seen


# round 16: an authority named in the praise formula (在市委、市政府及XX局的正确领导下) or only as the one the writers
# appeal to (呼吁XX局, 敦促...; a post's @XX政府) oversees, it does not employ
_LEADERSHIP_AFTER = re.compile(r"^(?:的(?:正确|坚强|大力|亲切)领导|的领导下)")
_APPEALED_TO_BEFORE = re.compile(r"(?:@|呼吁|敦促|恳请|恳求|强烈要求)$")


# the wrong of the dispute done by the mention itself: XX(还/一直/老板...)拖欠/克扣/跑路... right after the name
_WRONG_AFTER = re.compile(r"(?:的?老板|的?负责人)?(?:(?:还|一直|已经|已|仍|仍然|依然|仍旧|又|竟然|竟|却|至今|长期|恶意|多次|尚|"
                          r"迟迟|始终|故意|共|总共|累计|先后|多年来|长年|常年|擅自|无故)){0,2}"
                          r"(?:拖欠|欠薪|欠了?我|欠了?工|克扣|拒付|拒发|拒不|不发|未发|停发|扣了?我|连工资|跑路|卷款|无故辞退|"
                          r"辞退|开除|违法解除|欠缴|未缴|未交|未上缴|不缴|不交|少缴|扣除了?我|扣发|扣押)")


# ... or named as the one who did it: 拖欠我们工资的是(包工头)XX
_WRONG_BEFORE = re.compile(r"(?:拖欠|欠|克扣|扣)[^，。！？]{0,8}的(?:是|就是|正是)(?:包工头|工头|老板|负责人|施工方|承包方)?$")


# ... or done by its head, named right after it (XX局新任局长郭某...于4月底把我们全部停班下岗): the organisation's act (round 11)
_HEAD_DID_WRONG = re.compile(r"的?(?:新任|现任|时任|原)?(?:局长|厂长|院长|校长|站长|所长|经理|总经理|董事长|老板|负责人)"
                             r"[^。！？；]{0,40}?(?:把|将)(?:我们|我|大家|职工|工人|员工)(?:全部|全体|都|一起)?"
                             r"(?:停班|下岗|辞退|开除|解雇|清退|赶走|停职|停薪|裁掉)")


def _did_the_wrong(text: str, name: str) -> bool:
    """``name`` is written right before the wrong of the dispute (XX拖欠我们..., XX老板跑路, XX连工资带押金一起扣了),
    or named as the one who did it (拖欠我们工资的是包工头XX)."""
    return any(_WRONG_AFTER.match(text, m.end()) or _HEAD_DID_WRONG.match(text, m.end()) or _WRONG_BEFORE.search(text, max(0, m.start() - 20), m.start())
               for m in re.finditer(re.escape(name), text))


# a registered name's legal form, after which its short form is 字号 + trade tail (上海顺杰建筑劳务有限公司 -> 顺杰劳务)
_SHORT_LEGAL = re.compile(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司)$")
_SHORT_PLACE = re.compile(r"(?:西地省|[A-Z]\d{0,2}[省市区县]|上海市?|青浦区?)+")


def _short_forms(name: str) -> list[str]:
    """The shorter ways a letter writes a name after its first full mention (round 13): 字号 + the trade word before
    its legal form (上海顺杰建筑劳务有限公司 -> 顺杰劳务) and 字号 + 公司 (顺杰公司); the place itself is kept by
    the variant merge, so a form without the place is not one of these."""
    m = _SHORT_LEGAL.search(name)
    if m is None:
        return []
    body = name[: m.start()]
    body = body[p.end():] if (p := _SHORT_PLACE.match(body)) else body
    if len(body) < 4 or not all("\u4e00" <= c <= "\u9fff" for c in body):
        return []
    return [f for f in dict.fromkeys((body[:2] + body[-2:], body[:2] + "公司")) if f != name]


def _short_form_did_the_wrong(text: str, name: str, others: Iterable[str]) -> bool:
    """The wrong written after a short form of ``name`` (上海顺杰建筑劳务有限公司...，顺杰劳务至今拖欠80多名工人工资),
    where the short form is written outside the name and belongs to no other candidate (round 13)."""
    if name not in text:
        return False
    for s in _short_forms(name):
        inside = [m.start() for m in re.finditer(re.escape(name), text)]
        alone = [m for m in re.finditer(re.escape(s), text)
                 if not any(i <= m.start() < i + len(name) for i in inside)]
        if (alone and not any(s in o or (o in s and o not in name) for o in others if o not in (name, s))
                and _did_the_wrong(text, s)):
            return True
    return False


# bodies that help, report on or represent the workers: legal aid, unions, women's federation, deputies, media
_HELPER = re.compile(r"法律援助|融媒体|总工会|妇联|妇女联合会|残联|人大|政协|电视台|广播电台|报社|新闻中心|记者站|"
                     r"新闻办|热线")


def _helper_not_employing(text: str, name: str) -> bool:
    """A helper or a medium (法律援助中心, 区总工会, 融媒体中心, 电视台) is no employer unless the text says it
    employs the writers or wronged them (在XX工作, XX的员工, XX拖欠)."""
    if not _HELPER.search(name):
        return False
    for m in re.finditer(re.escape(name), text):
        before, after = text[max(0, m.start() - 6): m.start()], text[m.end(): m.end() + 16]
        if _WORK_AT.search(before) or _WORK_AFTER.match(after) or _WRONG_AFTER.match(after):
            return False
    return True


# the text says the organisation employs the writer: 由/被XX聘请, 在XX(家属楼)从事/工作/上班, XX聘用的, 我是XX的职工
_EMPLOYS_BEFORE = re.compile(r"(?:在|于|由|被|受|我是|我们是|本人是|系)$")
_EMPLOYS_AFTER = re.compile(r"(?:家属楼|大院|机关|食堂|办公楼|下属单位)?(?:聘请|聘用|雇用|录用|招聘|从事|工作(?!人员)|上班|任职|当|"
                            r"的(?:正式|在编|编外|临时|合同|聘用|派遣)?(?:职工|员工|临时工|合同工|协管员|协警|辅警|门卫|保安|保洁|"
                            r"司机|聘用人员|编外人员))")


def _employs_the_writer(text: str, name: str) -> bool:
    """An organisation the filters drop as an authority (XX劳动局, XX检察院) that the text says employs the writer
    (由XX检察院聘请, 在XX劳动局从事保洁, 我是XX劳动局的编外人员): the brief's "unless the text says they employ
    the writer" (round 7)."""
    return any(_EMPLOYS_BEFORE.search(text, max(0, (s := _start_before_place(text, m.start())) - 4), s)
               and _EMPLOYS_AFTER.match(text, m.end()) for m in re.finditer(re.escape(name), text))


# the wrong done by the mention, written in the passive (round 8): 被XX(无故)辞退, 遭XX拖欠
_WRONGED_BY_BEFORE = re.compile(r"(?:被|遭|遭到|受到)$")
_WRONGED_BY_AFTER = re.compile(r"(?:的?老板|的?负责人)?(?:无故|强行|违法|恶意|单方面?|以[^，。]{1,10}为由)?"
                               r"(?:拖欠|欠薪|克扣|辞退|开除|解聘|解雇|裁员|裁掉|违法解除|解除|扣押|扣发|扣了|停发)")


def _wronged_by(text: str, name: str) -> bool:
    """The wrong of the dispute written in the passive with ``name`` as its doer (被XX辞退, 遭XX拖欠工资)."""
    return any(_WRONGED_BY_BEFORE.search(text, max(0, (s := _start_before_place(text, m.start())) - 2), s)
               and _WRONGED_BY_AFTER.match(text, m.end())
               for m in re.finditer(re.escape(name), text))


def _attributed(text: str, n: str) -> bool:
    """A dispute cue of the mention's own: the wrong right after it, done by it, or it employs the writer (round 16;
    :func:`nlp.entities.employers._renamed_wrongdoer` and the ranking bench read it)."""
    return (_did_the_wrong(text, n) or _wronged_by(text, n) or _employs_the_writer(text, n)
            or _own_employer_cue(text, n))


# a former / current name written in brackets after the other (X（原Y）, X（现名为Y）, X（即Y）)
_RENAMED = r"\s?[（(](?:现名为|原名为|现名|原名|现为|原为|更名为|现|原|即)"


def _renamed_pair(text: str, a: str, b: str) -> bool:
    """``a`` and ``b`` are written as one organisation's former and current names (X（原Y）, either order)."""
    return any(re.search(re.escape(x) + _RENAMED + re.escape(y), text) for x, y in ((a, b), (b, a)))


# the other party of the writers' own contract (round 8): 我公司与XX(于2012年11月16日)签订(了)...合同
_WRITER_WITH_BEFORE = re.compile(r"(?:我|我们|俺|本人|我公司|本公司|我单位|我方|我司|我厂)(?:于[^，。]{2,14})?(?:与|和|同|跟)$")
_SIGNED_AFTER = re.compile(r"(?:于[^，。]{2,14})?(?:签订|签署|签了|订立)")


def _writers_contract_party(text: str, name: str) -> bool:
    """``name`` is the other party of the writers' own contract (我公司与XX于2012年签订, 我们与XX签订的劳动合同);
    a contract of others (XX公司与YY签订) says nothing of the writers."""
    return any((_WRITER_WITH_BEFORE.search(text, max(0, (s := _start_before_place(text, m.start())) - 24), s)
                and _SIGNED_AFTER.match(text, m.end()))
               or (_WITH_BEFORE.search(text, max(0, s - 1), s) and _LABOUR_CONTRACT_AFTER.match(text, m.end()))
               for m in re.finditer(re.escape(name), text))


# (round 16) a labour contract signed with / at the organisation, whoever wrote it (安排与XX签订委派劳动合同, 在XX签订劳动合同的
# 人员): a labour contract is a worker's, so its other party employs
_WITH_BEFORE = re.compile(r"[与和同跟在]$")
_LABOUR_CONTRACT_AFTER = re.compile(r"(?:于[^，。]{2,14})?(?:签订|签定|签署|签了|订立)了?[^，。]{0,6}?(?:劳动|聘用|劳务派遣)合同")


# the predicate of a letter's first sentence, right after its subject (XX厂破产后..., XX公司改制以来一直没给...)
_OPENING_PREDICATE = re.compile(r"(?:是|系|自|从|将|把|对|因|已|一直|长期|多年|至今|从未|不|未|没|拒|拖欠|欠|克扣|破产|改制|"
                                r"倒闭|关闭|停产|停业|裁员|辞退|开除|违法|违规|无故|强行|恶意|涉嫌|侵犯|歧视|强迫|擅自|私自|非法)")


def _opens_the_text(text: str, name: str) -> bool:
    """The text opens with ``name`` as the subject of its first sentence (XX厂破产后职工安置费未发放, XX是...):
    not addressed (XX政府：), nor the owner of the writers or helpers (XX的工人反映, XX护工反映：)."""
    return text.startswith(name) and bool(_OPENING_PREDICATE.match(text, len(name)))


# a date ending a letter: 2023年9月18日 / 二〇二三年三月五日
_LETTER_DATE = re.compile(r"\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,2})月"
                          r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日[。.\s]*$")


def _signs_the_letter(text: str, name: str) -> bool:
    """The letter is written in the organisation's name (我指挥部, 我站, 本公司) and signed by it: its name, then a
    date, ends the text (XX工程指挥部2014年9月29日): the writers' own organisation (round 8). A reply signed by a
    body that does not write as 我/本 + its kind (赵巷镇人民政府2023年4月2日) is not."""
    i = text.rfind(name)
    if i < 0 or not _LETTER_DATE.match(text, i + len(name)):
        return False
    return any(f"{w}{name[-k:]}" in text[:i] for k in range(1, min(4, len(name) - 1) + 1) for w in ("我", "本"))
