"""Patterns and small helpers shared by the rule extractor (:mod:`nlp.entities`) and the learned selector
(:mod:`nlp.entity_model`): organisation suffixes, masked place chains, words that rule a name out, head counts.

They live here so that neither module imports the other's internals (issue 20: ``entities.py`` imports the learned
model; the model's features read these patterns). Moved unchanged from ``nlp/entities.py``.
"""

from __future__ import annotations

import re

from nlp.numbers import parse_cn_number

_ORG_SUFFIX = (
    "股份有限公司|有限责任公司|有限公司|分公司|公司|集团|总厂|分厂|工厂|厂|项目部|项目|工地|门店|专卖店|超市|商行|银行|"
    "酒店|饭店|餐厅|医院|卫生院|中学|小学|学校|学院|幼儿园|教育局|卫生局|公安局|煤矿|矿业|银行|分行|支行|物业|"
    "信用社|联社|供销社|电站|合作社|研究所|研究院|事务所|车务段|工程处|政府|街道办事处|街道办|电视台|执法大队|大队|"
    "监狱|社区|管理区|中心|供电局|供电所|教育局|卫生局|公安局|财政局|供电局|房产局|畜牧局|林业局|水利局|交通局|粮食局|烟草局|邮政局|电力局|"
    "民政局|司法局|国土局|农业局|城管局|政法委|食府|商场|市场|联合社|办公室|管理处|管理所|环卫处|环卫所|卫计委|"
    "疾控中心|保健院|档案馆|林场|农场|水库|支局|分局|局|电管站|站|夜店|会所|足浴|足道|网吧|俱乐部|指挥部|筹建处|管委会|协会|商会|"
    # small businesses, shops and studios (个体户, 门店, 工作室)
    "工作室|美容院|美容店|美发店|理发店|美甲店|面馆|餐馆|饭馆|菜馆|酒楼|酒家|小吃店|便利店|快餐店|奶茶店|火锅店|烧烤店|"
    "水果店|服装店|药店|药房|诊所|门诊部|作坊|加工坊|经营部|门市部|商店|健身房|茶楼|培训班|托管班|养老院|护理院|敬老院|"
    # heads of hotels and resorts (entity round 10)
    "宾馆|招待所|山庄|度假村|"
    # courts and procuratorates: authorities, kept only where the text says they employ the writer (round 13)
    "检察院|法院|"
    r"(?<=[A-Z0-9][省市区县])店"
)
_SUFFIX_RE = re.compile(f"(?:{_ORG_SUFFIX})")
# provinces and the larger cities that open registered names of firms (上海和美..., 江苏同创..., 苏州XX...): one list for
# the extractor's registered-name walk (nlp.entities.registered_names) and the name rules (nlp.employer_names)
CN_PLACES = ("上海|北京|天津|重庆|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|四川|贵州|云南|陕西|甘肃|"
             "河北|山西|辽宁|吉林|黑龙江|苏州|杭州|南京|宁波|嘉兴|昆山|无锡|深圳|广州")
# masked place prefixes of the govboard texts (西地省, A市, E8县, K1区), chained: 西地省E9县, A市A5区; masked
# districts and counties carry digits, so a lettered block of a building site (C区) is none
_MASKED_CHAIN = re.compile(r"(?:西地省|(?<![A-Za-z0-9])(?:[A-Z]\d{1,2}[省市区县州]|[A-Z][省市])){1,4}")
_LEGAL_END = re.compile(r"(有限公司|有限责任公司|集团|项目部)$")
_ORG_END = re.compile(f"(?:{_ORG_SUFFIX}|银行)$")
_NAME_CHARS = re.compile(r"(?!丨)[\u4e00-\u9fffA-Za-z0-9·&]")  # (丨: a separator in posts, round 11)
_NOT_EMPLOYER = re.compile(
    r"(劳动局|人社局|人社厅|劳动监察|劳动稽查|信访|法院|仲裁委|仲裁院|派出所|社保局|社保中心|劳动保障|"
    r"人力资源和社会保障|人力资源社会保障|人力资源与社会保障|社会保障局|劳动和社会保障|检察院|纪委|监察委|"
    r"监察大队|监察局|医保局|医保中心|税务局|人才交流|公积金管理|就业服务|政务服务|人才中心|人才市场|社保站|社保所|社保处|"
    r"社会保险|医疗保险|工伤保险|失业保险|失业管理|养老保险|政法委|纪委|组织部|宣传部|统战部)"
)
_MAX_NAME = 24
_DISPUTE_WORDS = re.compile(r"裁员|减员|裁撤|大裁员|解雇|开除|辞退|欠薪|拖欠|讨薪|解除劳动合同|解约|降薪|停薪|减薪|罢工|停工|停产|"
                            r"倒闭|破产|关停|关闭|跑路|讨说法|维权")
_OUTER_CITY = re.compile(r"^(?:西地省)?([A-Z])市(?=\1\d{1,2}[区县市])")
_MAX_SUFFIX_HITS = 400
_COORD = r"(?:、|和|与|及|以及|或|，|,)?\s?(?:[（(](?:现|原|即|现名|原名|现为|原为)?)?"
_ADMIN_CHARS = {"省", "市", "县", "区", "镇", "乡", "村"}
_GENERIC_GOV = re.compile(r"^(省|市|县|区|乡|镇|村|委|中央|国家|各级|本级|地方|直辖市|当地|级以上|级以下|以上|以下)*(人民)?"
                          r"(政府|学校|医院|公司)$")
_STAND_VERB_NEXT = set("起出在着了岗队稳住")
_COORD_RE = re.compile(_COORD)
_MAX_COORD_OCC = 50


def _coordinated(text: str, a: str, b: str) -> bool:
    """Two mentions listed together (X公司、Y公司 / X和Y / X（现Y）): both are employers of the complaint.
    (String search plus one precompiled connector pattern: a regex compiled per pair cost most of the time.)"""
    for x, y in ((a, b), (b, a)):
        i = text.find(x)
        n = 0
        while i >= 0 and n < _MAX_COORD_OCC:
            end = i + len(x)
            if text.startswith(y, end):
                return True
            m = _COORD_RE.match(text, end)
            if m and m.end() > end and text.startswith(y, m.end()):
                return True
            i = text.find(x, i + 1)
            n += 1
    return False



def _masked_code_digit(sent: str, start: int, raw: str) -> bool:
    """Digits that belong to a masked place code (A5区, M9县, I3县) or follow one directly."""
    if start > 0 and sent[start - 1].isascii() and sent[start - 1].isalnum():
        return True
    end = start + len(raw)
    return raw.isdigit() and sent[end: end + 1] in _ADMIN_CHARS | {"州"}



def _parse_count(raw: str, *, minimum: int = 2) -> int | None:
    """A head count from digits or Chinese numerals (3万, 2千, 四十, 上百); None outside [minimum, 10 million]."""
    mult = 1
    if raw[-1] in "万千" and raw[:-1].replace(".", "").isdigit():
        raw, mult = raw[:-1], (10_000 if raw[-1] == "万" else 1000)
    n = parse_cn_number(raw)
    if n is None:
        return None
    n *= mult
    if n < minimum or n > 10_000_000 or n != int(n):
        return None
    return int(n)

