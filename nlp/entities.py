"""Entities of a labour-dispute text: employer mentions, locations/towns, worker counts, money owed, dates.

Employers (mentions as written, following the labelling guidelines):
(1) the registry gazetteer (names and aliases, longest first);
(2) organisation suffixes (有限公司/集团/厂/项目部/工地/门店/医院/学校/银行/局/站/指挥部..., 店 after a masked
    place: XX公司D市店) whose left edge is found by walking back over the words of the owned jieba segmenter until
    a function word, pronoun or verb (在, 我们, 拖欠...); single-character verbs inside an unknown name (优客租, 楚维:
    the dictionary segmenter splits unknown names into characters), numerals inside a name (江岭二医院, 第三医院),
    phases and zones (安置区二期) and bracketed words (建设(集团)有限公司) do not end it; a masked place chain just
    left of it (西地省E9县, A市A5区) joins the name when only name-like words stand between; "西地省" is dropped
    before a masked city/county (the label convention); a chain inside the walked part cuts off the words before
    it (写信给I5县... -> I5县...), unless they end a branch's parent
    (XX公司D市店, 南方电网E市分公司); a later chain after a complete name or repeating the first starts a new
    name; floors/street numbers (三楼), role words (施工方) and 单位 before a name are cut; a town name left of
    it joins it (青岗 + 镇畜牧兽医站, 白沙铺 + 中心小学 when the text writes 白沙铺镇);
(3) names without a suffix: placed subject of a dispute verb, adverbs allowed between (G5县瑞丰达(一直)拖欠...),
    a contractor before what it built (由西地省XX建筑承建的), a labour contractor named as a person (包工头是刘某某),
    a name in brackets after a company word or mention (该公司(XX重钢), XX中学（现YY中学）), a headline subject
    (XX裁员过冬, 【#XX将与所有员工解约#】: a known brand, else the leading name words, never a place or a
    common noun alone), and, when nothing else is found, the workplace (在想象科技上班);
then phrases are dropped (a count inside: 120名物业; a verb of the sentence: 希望政府; a word that ends in a
suffix: 布局; generic heads: 堂堂国有银行, 中心学校), as are generic/authority mentions (某公司, 人社局, 劳动监察大队,
政法委, industry-only names), hospitals named only where someone was treated, and organisations named only as a
building (XX局二楼会议室); aliases after 简称 count for the full name, shorter variants merge into the longest one
(except: of two placed forms of one name, with and without the outer city A市 or a town, the one the text writes
more often, a tie to the shorter; and a company also written without its branch), a site of a company names the
company, and mentions are ranked by evidence (legal form, place prefix, repetitions, named in the first 60
characters; governments ranked down: mostly addressees). The best one is
returned, a second/third only when listed with it (X、Y / X和Y / X（现Y）) or written with an employer cue of its
own and never as an addressee (我们是XX的职工, XX承建的, 施工方XX; not 向XX反映), or the works a chosen
contractor built (XX公司承建的YY项目部).
Brand names (联想, 中兴通讯) come from the shared company lists (A-share short names, CLUENER company mentions)
read at run time from ``../shared/data/companies`` when present (:func:`load_brands`); never copied here.
Workers: counts next to a person noun (30多名工人, 上百名农民工, 职工50余人, 5-6个人, 五位环卫工, 一百多在职教师,
350名XX公司员工), layoffs (减员3万), couples (两口子), people alike (两千多这样的人), vague forms and ranges floored;
a count tied to the dispute (400余名职工被拖欠, 裁员1200人, 40多位职工的社保没有缴纳, 我们三人) wins, one in a short
title first, else the largest (title first). Not counts: digits of masked place codes (B5区教师), numbers inside names
(三队职工, 百货公司员工, 四人行物流), counts of things (三个林场职工), persons who are no workers (会员, 党员), sums of
wages (几十万民工工资), counts inside a document title (《关于某等53人...》), false claims (谎报有22人), 4050人员; a lone
first-person complainant states no count (the labels leave it empty).
Amount: money expressions (3万余元, 十几万, 四五十万, 1,200元/月 x 3个月) sorted into kinds (:meth:`money_mentions`):
owed (a clause/sentence about arrears: 欠/拖/未发/克扣/扣押/工程款/补偿/差额, claims and judgments: 应向我支付,
判决...支付; a fine the employer put on the worker: 被罚款500元), si (unpaid social insurance, 五险一金), rate (a
wage level or a per-person sum: 月工资1350元, 120元一天, 标准, 退休金, 每人6000元, 一千元/人) and other (fines on employers, prices, debts, deposits, taxes,
public funding, sums paid or received: 只拿到2万多, 只给工人发了800元, insurance the worker paid himself, 国家赔偿);
the largest owed amount named as owed by the words of its own clause wins (还拖欠我们6万5千余元 over 工钱总共有9万多),
else the largest owed amount, else the largest si amount (the guidelines allow it only when no wages are stated),
else none.
Figures: ``python bench/nlp_entities.py --split test`` (held-out folds; ``--split dev`` is what rules were tuned on).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laborwatch.settings import REPO_ROOT
from nlp.employer_names import EmployerNameRules
from nlp.entity_model import DEFAULT_ENTITY_MODEL, EntityModel, amount_features, employer_features, worker_features
from nlp.entity_patterns import (
    _ADMIN_CHARS,
    _DISPUTE_WORDS,
    _GENERIC_GOV,
    _LEGAL_END,
    _MASKED_CHAIN,
    _MAX_NAME,
    _MAX_SUFFIX_HITS,
    _NAME_CHARS,
    _NOT_EMPLOYER,
    _ORG_END,
    _STAND_VERB_NEXT,
    _SUFFIX_RE,
    _coordinated,
    _masked_code_digit,
    _parse_count,
)
from nlp.linking import normalize_company_name
from nlp.numbers import NUM_RE, PER_PERSON_RE, parse_cn_number
from nlp.regions import Regions
from nlp.registry import CompanyRegistry
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter

__all__ = ["DEFAULT_BRANDS_DIR", "Entities", "EntityExtractor", "MoneyMention", "WorkerCount", "load_brands"]

logger = logging.getLogger(__name__)

# "(以下简称XX)": the short alias is the same employer as the full name before it
_ALIAS_RE = re.compile(r"简称[“\"「『]?([\u4e00-\u9fffA-Za-z0-9]{2,12})")
# a site or project under a company: the company is the employer (XX建筑有限公司滨江工地 -> XX建筑有限公司)
_SITE_OF_COMPANY = re.compile(
    r"^(.{2,}?(?:有限责任公司|有限公司|公司|集团|物业))(?:[A-Z]\d{0,2}[省市区县])*[\u4e00-\u9fff0-9#]{0,10}"
    r"(?:工地|项目部|项目)$"
)
# the part of a name left after its place prefix that still says nothing specific (上级/有关/乡镇 + 政府...)
_GENERIC_CORE = re.compile(r"^(有关|上级|相关|当地|国营|国有|私营|民营|乡镇|各级|各|本地|外地|该|某|这家|那家|全国|多家|"
                           r"一些|部分|大型|小型|中央|地方|[省市县区镇乡村])+$")
_PLACE_ONLY_BAD = {"公司", "工地", "项目", "工厂", "厂", "门店", "店", "超市", "物业", "集团", "项目部", "酒店", "饭店", "餐厅",
                   "商场", "市场", "站", "局", "中心", "社区", "大队", "分局", "支局", "办公室"}
# a placed name with no organisation suffix, directly followed by what it did (G5县瑞丰达拖欠工程款)
_PLACED_SUBJECT_RE = re.compile(
    r"(?P<name>(?:西地省|(?<![A-Za-z0-9])[A-Z]\d{0,2}[省市区县]){1,4}[\u4e00-\u9fffA-Za-z0-9]{2,7}?)"
    r"(?=(?:已经|一直|长期|竟然|恶意|故意|仍然|仍|还|又|多次|至今|已|常年|无故|严重|公然|屡次|长年|连续)?"
    r"(?:拖欠|欠薪|克扣|苛扣|裁员|老板跑路|非法用工|违法用工|违反劳动|不给员工|不发工资|强迫|辞退|无故辞退|"
    r"倒闭|停产|逼迫|歧视|侵犯|无偿加班|不签|未签|不缴|未缴|不交|拒不))"
)
# the end of a parent company before a branch (XX有限公司 + D市店, 中国工商银行 + 西地省分行)
_PARENT_END = re.compile(r"(?:有限责任公司|有限公司|公司|集团|银行)$")
# a trade word ending a name without a legal suffix, followed by what the workers do there or suffer from it
_INDUSTRY_END_RE = re.compile(
    r"(?:石业|餐饮|汽配|教育|科技|纸业|实业|地产|置业|传媒|物流|电子|电器|重工|建工|汽车|食品|制药|药业|医药|矿业|钢铁|"
    r"水泥|化工|机械|电气|通讯|通信|网络|软件|酒业|纺织|服饰|家具|装饰|国际)"
    r"(?=(?:的)?(?:员工|职工|工人|农民工|上班|工作|从事|打工|务工|做事)|"
    r"(?:一直|长期|恶意|无故|竟然)?(?:拖欠|欠薪|克扣|不给员工|不发|辞退|开除|违法|违反|强迫|强制|裁员))")
_COMMON_HEAD_SUFFIXES = {"公司", "厂", "工厂", "集团", "中心", "企业", "医院", "学校"}
_TOWNSHIP_UNITS = {"卫生院", "中学", "小学", "学校", "幼儿园", "中心校", "联校"}
_GOV_PENALTY = 1.0
_EARLY_CHARS = 60
_EARLY_BONUS = 0.5
_BRANCH_SUFFIXES = {"店", "门店", "专卖店", "分公司", "分行", "支行", "项目部", "分厂"}
_GOV_SUFFIXES = {"政府", "局", "医院", "学校", "中学", "小学", "学院", "幼儿园", "卫生院", "中心", "站", "街道办事处",
                 "街道办", "社区", "大队", "管理处", "管理所", "办公室"}
_INDUSTRY_WORDS = re.compile(
    r"人力资源|物业管理|物业|实业|保险|社保|劳务|派遣|建筑|科技|投资|发展|管理|服务|工程|贸易|商贸|电子|机械|设备|网络|"
    r"信息|技术|文化|传媒|教育|咨询|房地产|开发|置业|汽车|运输|物流|快递|食品|餐饮|医药|生物|化工|能源|环保|电力|矿业|"
    r"农业|制造|装饰|安装|设计|广告|家政|保安|保洁|环卫|外包|电信|移动|联通|有限|股份|责任|控股|国际|中国|问|总"
)
# words that cannot stand between a place chain and the rest of a name (A市 ... 拖欠 ... 公司)
_GAP_BREAK = {
    "在", "是", "的", "了", "到", "和", "与", "向", "被", "给", "对", "从", "为", "把", "我", "我们", "你", "他", "他们",
    "拖欠", "欠", "工作", "上班", "打工", "入职", "反映", "投诉", "举报", "位于", "属于", "承包", "承建", "于", "及",
    "或", "等", "说", "称", "由", "将", "请", "因", "经", "据",
}
# inside a name core: a count of firms, a time phrase or an evaluative word means it is not a name
_BAD_INSIDE = re.compile(r"某$|[一二三四五六七八九十几数多两]家|月份|产假|病假|休假|请假|时间|期间|方面|以后|以前|之后|目前|现在|当时|和[省市县区]|"
                         r"^(上市|空壳|利益|合格化|公办|私立|民办|私营|黑心|无良|这个|那个|一个|所在|原来)")
# a name without suffix as the workplace (在想象科技上班) or as the subject of a headline (XX裁员过冬)
_WORKPLACE_RE = re.compile(
    r"(?:在|进入|入职|进了|到)(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{1,7}?)"
    r"(?:上班|工作|打工|做工|务工|做过|任职|就职)"
)
_HEADLINE_SUBJECT_RE = re.compile(
    r"(?:^|[\s#【，,:：])(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{1,7}?)"
    r"(?:宣布|将|正|要|也|已|被曝|曝|计划|拟)?(?:裁员|减员|大裁员|停摆|罢工|欠薪|拖欠|解雇|关停|倒闭)"
)
_NAMELESS = re.compile(r"[这那此该某其我你他她它们的了是在和与家里外内上下中工地单位公司厂企业老板部门]|"
                       r"^(本地|外地|当地|附近|一家|单位|企业|工厂|工地|公司|厂里|家里|国内|国外|全国|各地|多地|"
                       r"多家|不少|很多|大量|大批|员工|工人|职工|疫情|今年|去年|明年)|计划|亏损|严重|影响|^正|^将")
_SUBJECT_BAD = re.compile(r"[的在是了和与对向被给我你他她们某该这那个名人年月日]")
# Words that end a name when walking leftwards (they are not part of an organisation name).
_BREAK_WORDS = {
    "在", "是", "被", "给", "向", "对", "和", "与", "到", "的", "了", "于", "从", "为", "把", "由", "将", "让", "叫",
    "去", "来", "说", "及", "或", "跟", "同", "这", "那", "我", "你", "他", "她", "它", "我们", "你们", "他们",
    "本人", "咱们", "拖欠", "欠", "工作", "上班", "打工", "做", "入职", "就职", "任职", "进入", "进", "应聘", "反映",
    "举报", "投诉", "关于", "位于", "属于", "承包", "承建", "施工", "老板", "负责人", "所在", "原", "系", "经",
    "今", "现", "曾", "都", "也", "还", "就", "又", "已", "请", "要求", "希望", "因", "因为", "所以", "但", "但是",
    "在职", "员工", "职工", "工人", "农民工", "起诉", "状告", "仲裁", "要", "找", "以", "自", "后", "前", "时",
    "一家", "这家", "那家", "该", "某", "此", "其", "贵", "等", "事业单位", "单位", "甲方", "乙方", "时间",
    "讨薪", "维权", "反应", "投", "据", "受", "拖欠工资", "欠薪", "开", "办", "有", "没有", "无", "称",
    "表示", "通报", "发布", "宣布", "声称", "宣称", "认为", "问", "问下", "请问", "询问", "而", "很", "非常", "十分", "比较", "热爱", "喜欢", "整个", "所有", "全部",
}
# locatives that end a name when walking leftwards: 以来/最后/之后 always, 上/下/后/前/里/内/外 after a word of two
# or more characters (这个时候上公司), not inside a name cut into characters (X里村)
_LOCATIVE_BREAK = set("上下后前里内外")
_GENERIC_PREFIX = re.compile(r"^(某|该|本|此|贵|其|这|那|一|原|我|你|他|我们|你们|他们)*$")
_GENERIC_NAMES = {"公司", "集团", "工厂", "工地", "项目", "门店", "医院", "学校", "政府", "银行", "物业", "超市"}
# a count or quantity inside a walked span means it is a phrase (120名物业, 三个国有煤矿, 几个项目)
_COUNT_INSIDE = re.compile(r"每[名个位家]|\d+名|[几数一二三四五六七八九十两\d]+[个家所座]|有[几数一二三四五六七八九十两多]")
# common words that merely end in an organisation suffix
_SUFFIX_WORD = re.compile(r"((?<![A-Z0-9])[省市县区]局|布局|格局|结局|大局|骗局|僵局|出局|全局|残局|开局|当局|饭局|赌局|人力市场|劳动力市场|"
                          r"人才市场|就业市场|股市场|房地产市场)$")
# sentence words that cannot be inside a name
_PHRASE_WORDS = re.compile(r"希望|利用|凸现|筹划|新建|修建|开厂|建厂|办厂|开店|修水库|要求|请求|恳请|为了|因为|所以|但是|"
                           r"劳动者|老百姓|我们|他们|你们|自己|没有|不给|拖欠|克扣")
# nothing specific before the suffix (堂堂国有银行, 村里政府, 集团公司)
_GENERIC_HEAD = re.compile(r"^(堂堂|村里|县里|市里|镇里|乡里|区里|省里|国有|国营|私营|民营|集体|集团|总|分|大型|小型|外资|合资|"
                           r"上市|正规|黑心|无良|一些|有些|这些|那些|所有|全部|各个|各|百货|连锁)+$")
DEFAULT_BRANDS_DIR = REPO_ROOT.parent / "shared" / "data" / "companies"
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
# list entries that are words, not names
_GENERIC_BRAND = re.compile(r"^(公司|集团|银行|企业|工厂|中国|国家|政府|全国|本公司|该公司|总公司|分公司|有限公司|股份|控股|科技|"
                            r"实业|发展|国际|医院|学校|大学|中心|商场|超市|酒店|物业|工地|项目)$")
# a headline segment: from the text start or after a bracket/hash/space/punctuation
_SEGMENT_RE = re.compile(r"[^\s#【】\[\]《》“”\"，,:：!！?？。;；|丨]+")
_NAME_POS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j", "x"}
_NAMELESS_HEAD = re.compile(r"[这那此该某其我你他她它们的了是在和与]|员工|工人|职工|农民工|民工|教师|老师|医生|护士|骑手|司机|"
                            r"网友|记者|男子|女子|老板|公司|企业|单位|工厂|行业|多地|各地|全国|国内|国外|海外|全球|美国|日本|"
                            r"今年|去年|明年|疫情|专家|政府|当局|市民|家属|矿工|工友|高管|员")
# a name in brackets after a generic organisation word or another mention: 该公司(XX重钢), XX（现YY中学）
_PAREN_NAME_RE = re.compile(r"[（(](?:现|原|即|现名|原名|现为|原为|后改为|改名为)?(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{1,15})[)）]")
_GENERIC_ORG_END = re.compile(r"(该公司|该厂|公司|单位|工厂|厂家|企业|该企业|学校|该校|医院|工地|项目|老板)$")
_PAREN_BAD = re.compile(r"简称|下称|以下|大专|本科|中专|专科|研究生|硕士|博士|学历|毕业|校区|院区|分部|本部|两院|电话|全名|不知|联系|地址|身份|手机|附件|见|详见|下同|注|如图|图片|视频|现在|原来|"
                        r"^(男|女|个人|本人|法人|老板|经理|总经理|董事长|负责人)")
_PAREN_IN_NAME = re.compile(r"[(（](?:集团|控股|股份|中国|香港|北京|上海|深圳|天津|广州|[A-Z]\d{0,2}[省市县区])[)）]")
_NAME_NUMERAL = re.compile(r"^(?:第?[一二三四五六七八九十]{1,2}|第\d{1,3})$")
# a construction phase inside a project name (XX花园三期C区项目部)
_PHASE = re.compile(r"[一二三四五六七八九十\d]{1,2}期")
_ADDRESS_END = re.compile(r"(?:\d+|[一二三四五六七八九十]+)(?:楼|层|号楼|号(?!线)|室|栋|幢)|大楼|大厦|写字楼|小区")
_ROLE_PREFIX = re.compile(r"^.*?(?:施工方|承包方|承建方|发包方|分包方|总包方|劳务方|业主方|用工方|用人方|甲方|乙方|"
                          r"用人单位|用工单位|事业单位|单位)(?=.{2,})")
_REPEATED_PLACE = re.compile(r"^((?<![A-Za-z0-9])[A-Z]\d{0,2}[省市区县])\1+")
# a contractor named before what it built: 由西地省XX建筑承建的XX项目
_BUILT_BY_RE = re.compile(r"由(?P<name>(?:西地省|[A-Z]\d{0,2}[省市区县]){1,4}[\u4e00-\u9fffA-Za-z]{2,10}?)(?:承建|承包|施工|开发|建设)的")
# a labour contractor named as a person: 包工头是刘某良, 拖欠工资的包头陈某某
_GANG_BOSS_RE = re.compile(r"(?:包工头|包头|工头|承包人|承包商|班组长)(?:是|叫|为|名叫)?(?P<name>[\u4e00-\u9fff]{2,3}?)"
                           r"(?=[，,。、；;(（\s]|男|女|他|欠|拖|带|把|不|跑|携|$)")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
                "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_SPLIT_POS = {"v", "vg", "d", "a", "ag", "zg", "q", "l"}
_NEVER_IN_NAME_POS = {"p", "r", "c", "u", "ul", "uj", "uz", "ug", "uv", "ud", "y", "e", "w", "x", "m", "t"}
_POS_CACHE_MAX = 20_000
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_TOWN_BAD_CHARS = set("在是被给向对和与到的了于从为把由将让我你他她它们这那该某其本到去来")
# generic when no place names the organisation (中心学校, 培训学校, 主管局; K市中心医院 is a name)
_GENERIC_UNPLACED_HEAD = re.compile(r"^(主管|上级|中心|培训|职业|技术|民办|公办|私立|会计|驾驶|任务|该|各|本)+$")
_BUILDING_AFTER = re.compile(r"(?:[一二三四五六七八九十\d]+楼|会议室|大楼|办公楼|家属楼|宿舍楼|门口|大门|院内|院子|对面|旁边|附近|"
                             r"楼下|楼上|广场)")
_HOSPITAL_END = re.compile(r"(医院|卫生院|保健院|诊所)$")
_TREATED_BEFORE = re.compile(r"送往|送到|送至|送进|前往|转往|转到|转入|转至|住进|入住|经|去|到|在")
_TREATED_AFTER = re.compile(r"^.{0,10}?(治疗|冶疗|检查|诊断|住院|就医|抢救|确诊|鉴定|就诊|手术|复查|康复|治伤|医治|缝|拍片|体检)")
_WORK_AT = re.compile(r"就职|任职|工作于|受聘|聘用|入职|我们|本")
_WORK_AFTER = re.compile(r"^(的)?(职工|员工|护士|医生|护工|保洁|工作|上班|任|聘|拖欠|欠|不|未|克扣|辞退|解聘|开除)")
# jieba POS classes that cannot be inside an organisation name: verbs, prepositions, pronouns, conjunctions,
# adverbs, particles, time words, modal/auxiliary, interjections, punctuation
_BREAK_POS = {"v", "vd", "p", "r", "c", "d", "u", "ul", "uj", "uz", "ug", "uv", "ud", "t", "y", "e", "w", "l", "q"}
# verbs that are ordinary parts of company names (开发有限公司, 建设集团...)
_NAME_VERBS = {"开发", "发展", "建设", "投资", "服务", "管理", "经营", "制造", "装饰", "安装", "设计", "运输", "租赁",
               "营销", "销售", "生产", "加工", "施工", "咨询", "培训", "劳务", "派遣", "建筑", "印刷", "控股", "实业",
               "执法", "监督", "检测", "检验", "监理", "勘察", "勘探", "防疫", "发行", "放映", "供应", "供电", "供水",
               "维修", "保障", "救助", "养护", "巡逻", "陪护", "护理", "物流", "运营", "开采", "联合", "合作",
               "购销", "经销", "批发", "零售", "养殖", "种植", "修理", "装修", "清洁", "保洁", "搬运", "配送", "仓储",
               "代理", "研发", "招聘", "传播", "演艺", "出租"}
# development zones inside a placed name (A3县经开区XX公司): one place word, though the tagger splits them
_ZONE_WORDS = ("经开区", "开发区", "高新区", "工业园", "产业园", "工业区", "科技园", "安置区", "安置小区", "示范区")

_NUM_W = rf"(?:\d+(?:\.\d+)?(?:万|千)|{NUM_RE})"
_PERSON = (r"(?:农民工|工人|员工|民工|职工|工友|干部|专干|教师|老师|护士|医生|师傅|骑手|高管|同事|临时工|合同工|协警|"
           r"保安|司机|雇员|人员|劳动者|务工者|打工者|求职者|从业者|[\u4e00-\u9fff]员(?!工)|号人|人)")
# a trade word in 工 (养路工, 环卫工, 电焊工): a person only after a measure word for people (五位环卫工), as
# 施工/开工/加工 are no persons
_TRADE_WORKER = r"(?(m)[\u4e00-\u9fff]{1,2}工(?![资程作厂地钱龄种期序会友人具件商业艺区])|(?!))"
_TRADE_WORKER_BAD = re.compile(r"[施开复停加竣完用务打做上招误旷罢怠分动返收赶手]工$")
_BAD_MOD_CHARS = r"[年月日天岁次号元块级期届批个条的了是在和与及百千万几两一二三四五六七八九十多余第]"
# after a measure word for people the modifier may hold more (350名华兴电器公司员工), not a clause or a number
_BAD_MOD_AFTER_MEASURE = r"[年月日岁次号元块个名位的了是在百千万几两一二三四五六七八九十多余第]"
# words allowed in the modifier although they hold a stop character: 一百多在职教师; after a measure word a
# coordination too (十五名专职和兼职老师)
_MOD_WORDS = r"在职|在岗|在编|在册|(?(m)[和与及])"
_WORKERS_RE = re.compile(
    rf"(?<![\d.,])(?P<n>{_NUM_W})(?P<q>多|余|来|几|于(?=(?:名|位)?{_PERSON}))?(?P<m>名|位|个|号)?"
    rf"(?P<mod>(?:{_MOD_WORDS}|(?(m)(?!{_BAD_MOD_AFTER_MEASURE})|(?!{_BAD_MOD_CHARS}))[\u4e00-\u9fff]){{0,10}}?)"
    rf"(?P<p>{_PERSON}|{_TRADE_WORKER})"
)
_WORKER_SENT = re.compile(r"工人|员|职工|农民工|民工|工友|同事|临时工|合同工|协警|辅警|教师|老师|护士|医生|医护|司机|保安|环卫|"
                          r"矿|我们|大家|裁员|减员|欠薪|拖欠|工资|工钱|讨薪|罢工|辞退|解雇|开除|维权|社保|停工|上访|聚集|劳动|"
                          r"合同|工作|上班|单位|公司|厂|工地|项目|企业|业")
# a modifier naming an organisation (三个林场职工: the count is of forest farms) and person nouns that are no workers
_NOT_WORKER_MOD = re.compile(r"[矿厂店]|林场|农场|公司|单位|企业|部门|学校|班组|项目|工地")
_NOT_WORKER_PERSON = re.compile(r"会员|党员|学员|委员|议员|官员|演员|球员|团员|动员|社员")
_WORKERS_RE2 = re.compile(
    rf"(?:工人|员工|农民工|职工|民工|临时工|合同工|人员|同事|工友)(?:共|约|有|达|多达|近|超过|总计|计|共计){{0,2}}"
    rf"(?<![\d.,])(?P<n>{NUM_RE})(?:多|余)?(?:名|位|人)"
)
_WORKERS_RANGE = re.compile(rf"(?<![\d.,])(?P<n>\d+)[-~～至到](?:\d+)(?:个|名|位)?(?:{_PERSON})")
# a count tied to the dispute itself (400余名职工被拖欠工资, 裁员1200人): preferred over other counts
_DISPUTE_AFTER = re.compile(r"^(?:被|遭)?(?:拖欠|欠薪|欠|克扣|裁|辞退|解雇|开除|罢工|讨薪|讨要|集体|聚集|围堵|上访|维权|停工|下岗)|"
                            r"^(?:的)?(?:工资|工钱|薪水|血汗钱)|^(?:至今|一直|均|都)(?:未|没|没有|拿不到|领不到)")
_DISPUTE_BEFORE = re.compile(r"(?:裁员|减员|裁掉|裁减|辞退|解雇|开除|拖欠|欠薪|涉及|涉及到|导致)(?:了|约|近|共)?$")
_TITLE_CHARS = 80
_POLICY_GROUP = re.compile(r"40[、,，]?50人员")
# a count someone claims falsely (谎报有工人30人): not the group
_FALSE_CLAIM = re.compile(r"(?:谎报|虚报|冒报|号称|假称)[^，,。]{0,6}$")
# the complainants counting themselves (我们三人, 我们这40多名职工): the group the text is about
_SELF_BEFORE = re.compile(r"(?:我们|咱们|我方)(?:这|这些|共|一共|总共)?$")
# the rest of the clause after a count says what happened to them (40多位职工的社保没有交纳, 10名工人未安置)
_DISPUTE_CLAUSE = re.compile(r"拖欠|欠薪|被欠|没有|没|未|克扣|辞退|解雇|开除|不给|不发|拿不到|领不到|讨薪|讨要|赶出|维权|上访|"
                             r"罢工|停工")
# a layoff count without a person noun (减员3万, 裁员约3千): the count of those laid off
_LAYOFF_RE = re.compile(rf"(?:裁员|减员|裁掉|裁减|裁撤)(?:了|约|近|超过|达|多达|共|共计)?(?<![\d.,])(?P<n>{_NUM_W})"
                        rf"(?:多|余)?(?P<u>(?:万|千)(?:多|余)?)?(?P<p>人|名)?")
# people in the same situation (本市有两千多这样的人, 有几十个和我一样的员工)
_ALIKE_RE = re.compile(rf"(?<![\d.,])(?P<n>{_NUM_W})(?:多|余)?(?:个|名|位)?(?:这样|这种|类似|同样|和我一样|跟我一样|和我们一样|"
                       rf"跟我们一样|像我这样|像我们这样)[^，,。：:]{{0,8}}?的[\u4e00-\u9fff]{{0,3}}?(?:人|{_PERSON})")
# a couple counts as two (我们两口子, 夫妻俩)
_COUPLE_RE = re.compile(r"两口子|夫妻俩|夫妇俩|夫妻二人|夫妇二人|夫妻两人|夫妇两人")
# a book or document title (《关于刘某等53人信访问题的纪要》): a count inside it is a reference, not the group
_BOOK_TITLE = re.compile(r"《[^《》]{0,80}》")

_MONEY_RE = re.compile(
    rf"(?<![\d.,])(?P<n>\d+(?:\.\d+)?万\d千|{NUM_RE})(?P<q>多|余|来)?(?P<u>千万|百万|万|千|亿)?(?P<q2>多|余)?(?P<y>元|块钱|块)?"
)
_UNIT_MULT = {"千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1000, "亿": 100_000_000}
_PER_MONTH_RE = re.compile(
    rf"(?<![\d.,])(?P<n>{NUM_RE})元?/月\s*[x×*]\s*(?P<m>{NUM_RE})个?月"
)
# a sentence/clause about money that is owed or withheld (not a mere mention of wages)
_ARREARS_CTX = re.compile(r"应(?:当|该)?(?:向|给)?[^，,。]{0,6}支付|判决|判令|裁决|判赔|差额|欠(?!缺|妥|佳)|拖(?!拉机|鞋|车|累)|扣押|扣留|截留|未付|未发|没发|没有发|不发|未结(?!束)|没结(?!束)|结清|"
                          r"讨(?!论|厌)|克扣|苛扣|扣发|扣除|扣了|扣我|补发|追回|"
                          r"索要|血汗钱|赔偿|补偿|未支付|没有支付|不支付|拒付|拒发|拒绝支付|未领|没领|领不到|拿不到|没拿到|"
                          r"工程款|劳务费|不给|没给|未给|少发")
# a wage level, not a sum owed: 月工资1350元, 每天120元, 最低工资标准1500元, 800元一个月
_RATE_BEFORE = re.compile(r"每月|每个月|(?<![个几两一二三四五六七八九十0-9])(?:月工资|月薪|月收入)|每天|每日|一天|日工资|日薪|年薪|时薪|每小时|底薪|标准|基本工资|"
                          r"工资为|工资是|工资才|工资只有|仅发|只发|才发|每人每|待遇|平均|退休金|养老金")
# a per-person sum (PER_PERSON_RE): the labels take a total as stated, never per-person x N
# per period or per person
_RATE_AFTER = re.compile(r"(?:左右|多|余)?(?:一个月|每月|每个月|/月|一月|一天|每天|/天|一年|每年|/年|一小时|每小时|/小时|"
                         r"/人|每人|一人|一个人)")
# money that is no one's wages: fines, prices, capital, bids, fees, loans
_NOT_OWED_BEFORE = re.compile(r"欠债|债务|外债|借了|借的|欠客户|获利|土地|买下|低价|市场价|花费|花去|花了|收取|罚款|罚金|房价|房租|租金|注册资本|注资|投资|中标价|标价|造价|营业额|利润|产值|贷款|借款|"
                              r"学费|资产|拍卖|卖了|售价|价值|税|纯利|净利|国家赔偿|赔偿对方|赔给对方")
_TOTAL_RE = re.compile(r"共计|合计|总计|累计|一共|总共|共|达|多达|高达")
# public funding, not money owed to workers (专项拨款10万元, 财政补贴200元), unless the clause says it is withheld
_FUNDING_RE = re.compile(r"拨款|拨付|财政|经费|预算|专项资金|补助资金|扶持资金")
_STRONG_ARREARS = re.compile(r"欠|拖|克扣|苛扣|扣发|截留|挪用|未发|没发|不发")
_FINE_RE = re.compile(r"罚款|罚金|处罚")
_NOT_OWED_AFTER = re.compile(r"(?:的)?(?:罚款|罚金|货物|房|资产|贷款|借款|投资|学费|利息|专项|个人所得税|税|保证金|风险金|押金|"
                             r"意外|债)")
# the words from the clause start up to an owed amount name it as owed (还拖欠我们6万5千余元, 应当向我支付上述各项合计4万元),
# not just the sentence around it (工钱总共有9万多, ...还拖欠)
_DIRECT_OWED = re.compile(r"欠(?!缺|妥|佳)|克扣|苛扣|扣发|扣押|扣留|截留|差额|未发|没发|没有发|未付|未支付|没有支付|拒付|讨要|追讨|"
                          r"索要|支付|赔偿|补偿|判决|判令|判了|判赔|裁决")
# an amount already paid or received, or a low level (只拿到2万多, 到手的工资只有2400元, 只给工人发了800元)
_PAID_BEFORE = re.compile(r"(?:只有|仅有|仅为|才有|只剩|拿到|领到|到手|拿了|领了|发了|发放了|只发|只给|给了|支付了|补助了|已发|已付|"
                          r"已支付|已结|获赔)[^，,。]{0,6}$")
# insurance the worker pays himself (我还要自己缴纳3万多元, 个人缴费五六万元, 我们补缴了个人应缴部分近三万元)
_SELF_PAID = re.compile(r"(?:自己|自已|个人|本人)[^，,。]{0,10}(?:缴|交|拿出|支付)|(?:我|我们)[^，,。]{0,4}(?:补交|补缴|自缴)")
_NEGATED = re.compile(r"(?:没|未|不|没有)$")
# a fine the employer put on the worker (被罚款500元, 公司对本人予以五百元的罚款) is money taken from wages; one on the
# employer by an authority (对公司处以罚款, 处2000元以上的罚款) is not
_FINE_ON_WORKER = re.compile(r"被|本人|罚(?:了)?我|对我|扣我|员工|工人|职工")
_FINE_BY_AUTHORITY = re.compile(r"以上|以下|责令|监察|行政部门|主管部门|劳动局|人社|对(?:该|这家)?(?:公司|企业|单位|用人单位)")
_SI_CTX = re.compile(r"社保|保险|公积金|五险|缴|欠费")
_WAGE_WORDS = re.compile(r"工资|工钱|薪|工程款|报酬|加班费|补偿|赔偿|劳务费|奖金|提成")
_DATE_RE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}年\d{1,2}月|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_ADDR_RE = re.compile(r"[\u4e00-\u9fff]{2,8}(?:路|街|大道|公路)\d{1,5}号")
_MASKED_PLACE = re.compile(r"(?<![A-Za-z])[A-Z]\d{0,2}(?:省|市|区|县)")
_SENT_SPLIT = re.compile(r"[。！？!?\n；;]")


@dataclass(frozen=True, slots=True)
class Entities:
    employers: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    workers: int | None = None
    amount_yuan: float | None = None
    dates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkerCount:
    """A count of people found in a text: where, the value (vague forms floored), the words, dispute-tied."""

    pos: int
    count: int
    span: str
    tied: bool


@dataclass(frozen=True, slots=True)
class MoneyMention:
    """A money expression: where, the value in yuan (vague forms floored), the words, and its kind."""

    pos: int
    value: float
    span: str
    kind: str  # owed | si | rate | other
    direct: bool = False  # the words before it in its clause say it is owed (还拖欠我们5万元, 应向我支付共6万元)


def _site_to_company(name: str) -> str:
    m = _SITE_OF_COMPANY.match(name)
    return m.group(1) if m else name


def _core(name: str) -> str:
    return normalize_company_name(_MASKED_CHAIN.sub("", name))


# what a longer placed form may add before the name: nothing, or a town (I市I5县清塘镇XX煤矿 / I5县XX煤矿)
_TOWN_PART = re.compile(r"(?:[\u4e00-\u9fff]{1,4}(?:镇|乡|街道))?")


def _placed_variant(longer: str, shorter: str) -> bool:
    """Two placed ways of writing one name (B市B3区环卫处 / B3区环卫处, I市I5县清塘镇XX煤矿 / I5县XX煤矿): both
    start with a masked place chain, the shorter one's chain ends the longer one's and its core ends the longer's."""
    lm, sm = _MASKED_CHAIN.match(longer), _MASKED_CHAIN.match(shorter)
    if lm is None or sm is None:
        return False
    core, lcore = shorter[sm.end():], longer[lm.end():]
    return (len(core) >= 2 and lm.group(0).endswith(sm.group(0)) and lcore.endswith(core)
            and bool(_TOWN_PART.fullmatch(lcore[: len(lcore) - len(core)])))


def _alone_count(text: str, name: str, longer: str) -> int:
    """How often ``name`` is written outside the occurrences of ``longer``."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(longer), text)]
    return sum(1 for m in re.finditer(re.escape(name), text)
               if not any(a <= m.start() and m.end() <= b for a, b in spans))


def _merge_variants(cands: dict[str, float], text: str | None = None) -> list[str]:
    """Drop a mention that is a shorter way of writing a longer one (nested, or same core name: 金禾物业公司 in
    A市A2区金禾物业有限公司); its evidence is added (halved) to the longer mention."""
    kept: list[str] = []
    cores: dict[str, str] = {}
    absorbed: dict[str, str] = {}  # a longer form replaced by a shorter one -> that one (variants still merge)
    for n in sorted(cands, key=len, reverse=True):
        c = _core(n)
        host = next((k for k in kept if n in k or (len(c) >= 2 and c in cores[k])), None)
        if host is None:
            host = next((absorbed[k] for k in absorbed if n in k), None)
            if host is not None:
                cands[host] += cands[n] * 0.5
                continue
        if host is not None:
            cands[host] += cands[n] * 0.5
            if text is not None and ((_placed_variant(host, n) and _alone_count(text, n, host) >= text.count(host))
                                     or (host.startswith(n) and _ORG_END.search(n)
                                         and host.endswith(("分公司", "分厂"))
                                         and text.count(n) > text.count(host))):
                # K市宏光服务有限公司K2区分公司 with K市宏光服务有限公司 also written alone: the company is meant
                # B市B3区环卫处 written once, B3区环卫处 once or more: the labels keep the form the text uses
                # most, a tie the shorter (of two placed forms of one name; also I市I5县XX镇YY矿 / I5县YY矿)
                kept[kept.index(host)] = n
                cands[n] = cands.pop(host) + cands[n] * 0.5
                cores[n] = cores.pop(host)
                absorbed[host] = n
        else:
            kept.append(n)
            cores[n] = c
    return kept


class EntityExtractor:
    def __init__(self, *, segmenter: Segmenter, registry: CompanyRegistry, regions: Regions,
                 brands: Iterable[str] | None = None, model_path: Path | None = DEFAULT_ENTITY_MODEL,
                 model: EntityModel | None = None) -> None:
        """``brands``: short company names without a legal suffix (联想, 中兴通讯) that may stand as a
        headline subject; None reads them from the shared company lists when present (:func:`load_brands`).
        ``model``/``model_path``: the learned selector (:mod:`nlp.entity_model`) choosing employer, workers and
        amount among the rule candidates; a missing file means the rules alone (logged), an unreadable one is an
        ``NlpError`` naming it; ``model_path=None`` and no ``model``: rules alone."""
        self.segmenter = segmenter
        self.registry = registry
        self.regions = regions
        self.brands = frozenset(load_brands(DEFAULT_BRANDS_DIR) if brands is None else brands)
        self._brand_max = max(map(len, self.brands), default=0)
        forms: dict[str, str] = {}
        for c in registry:
            for f in (c.name, *c.aliases):
                if len(f) >= 2:
                    forms.setdefault(f, c.name)
        self._posseg: Any = None  # jieba.posseg.POSTokenizer, created on first use (heavy import)
        self._pos_cache: dict[str, list[tuple[str, str]]] = {}
        self._gazetteer = sorted(forms, key=len, reverse=True)
        self.name_rules: EmployerNameRules | None = EmployerNameRules(registry_forms=forms, places=regions.words())
        self._gaz_re = re.compile("|".join(map(re.escape, self._gazetteer))) if self._gazetteer else None
        self._places = regions.surface_index()
        self._place_re = re.compile(
            "|".join(map(re.escape, sorted(self._places, key=len, reverse=True)))
        ) if self._places else None
        if model is None and model_path is not None:
            if Path(model_path).is_file():
                model = EntityModel.load(Path(model_path))
            else:
                logger.info("entity model %s absent: employer/workers/amount chosen by the rules alone", model_path)
        self.model = model


    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> EntityExtractor:  # noqa: ANN401 - laborwatch Settings
        """The extractor over ``settings``' registry, regions and segmenter; ``kw`` as for the constructor
        (``model_path=None``: rules alone)."""
        paths = ResourcePaths.from_settings(settings)
        regions = Regions.load(paths.regions)
        registry = CompanyRegistry.load(paths.companies, known_towns={t.name for t in regions.towns})
        return cls(segmenter=Segmenter.from_settings(settings), registry=registry, regions=regions, **kw)
    def extract(self, text: str) -> Entities:
        """Entities of ``text``: employer, workers and amount chosen by the learned selector when one is loaded
        (among the rule candidates and a wider pool), else by the rules (:meth:`extract_rules`)."""
        if self.model is None:
            return self.extract_rules(text)
        m = self.model
        return Entities(
            employers=tuple(m.choose("employers", employer_features(self, text))) if "employers" in m.fields
            else tuple(self.employers(text)),
            locations=tuple(self.locations(text)),
            towns=tuple(self.towns(text)),
            workers=m.choose("workers", worker_features(self, text)) if "workers" in m.fields
            else self.workers(text),
            amount_yuan=m.choose("amount", amount_features(self, text)) if "amount" in m.fields
            else self.amount(text),
            dates=tuple(dict.fromkeys(_DATE_RE.findall(text)))[:5],
        )

    def extract_rules(self, text: str) -> Entities:
        """Entities chosen by the hand rules alone (the fallback, and the baseline the model is measured on)."""
        return Entities(
            employers=tuple(self.employers(text)),
            locations=tuple(self.locations(text)),
            towns=tuple(self.towns(text)),
            workers=self.workers(text),
            amount_yuan=self.amount(text),
            dates=tuple(dict.fromkeys(_DATE_RE.findall(text)))[:5],
        )

    # --- employers -------------------------------------------------------------------------------------
    def employers(self, text: str, *, limit: int = 3,
                  ranked: list[tuple[str, float]] | None = None) -> list[str]:
        """Employer mentions, best first: registry hits, then suffix-pattern names ranked by evidence
        (``ranked``: :meth:`employer_candidates` of ``text`` when already computed)."""
        ranked = self.employer_candidates(text) if ranked is None else ranked
        ranked = self._cleaned(ranked, text)
        out = [n for n, _ in ranked[:1]]
        for n, _ in ranked[1:]:
            if len(out) >= limit:
                break
            if any(_coordinated(text, n, o) for o in out):
                out.append(n)
        for n, _ in ranked[1:]:
            if len(out) >= limit:
                break
            if n not in out and (_own_employer_cue(text, n) or any(_built_by(text, o, n) for o in out)):
                # a further party named with its own employer cue (我们是XX公司的职工, XX承建的), or the works
                # a chosen contractor built (XX公司承建的YY项目部: the labels name both)
                out.append(n)
        return out

    def _cleaned(self, ranked: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
        """Candidates through :class:`nlp.employer_names.EmployerNameRules` (no place, bare head, description or
        cut name; no town glued on; registry forms win; the fullest name wins), best score kept per name."""
        if self.name_rules is None:  # switched off (bench/nlp_entities.py --no-name-rules: the behaviour before)
            return ranked
        best: dict[str, float] = {}
        for n, sc in ranked:
            c = self.name_rules.clean(n, text)
            if c and sc > best.get(c, float("-inf")):
                best[c] = sc
        kept = [(n, sc) for n, sc in best.items() if not any(n != o and n in o for o in best)]
        return sorted(kept, key=lambda x: -x[1])

    def employer_candidates(self, text: str) -> list[tuple[str, float]]:
        """Every employer candidate with its evidence score, best first (variants merged)."""
        cands: dict[str, float] = {}
        first: dict[str, int] = {}
        if self._gaz_re is not None:
            for m in self._gaz_re.finditer(text):
                cands[m.group(0)] = cands.get(m.group(0), 0.0) + 3.0
                first.setdefault(m.group(0), m.start())
        aliases = {m.group(1) for m in _ALIAS_RE.finditer(text)}
        for k, m in enumerate(_SUFFIX_RE.finditer(text)):
            if k >= _MAX_SUFFIX_HITS:
                break  # bounded work on degenerate input (tables, spam); real texts have a few dozen
            if len(m.group(0)) == 1 and text[m.end(): m.end() + 1] == "长":
                continue  # 局长/厂长/站长: a person's title, the organisation was matched before it
            if m.group(0) == "站" and text[m.end(): m.end() + 1] in _STAND_VERB_NEXT:
                continue  # 站起来/站出来/站在: the verb "stand", no organisation
            if m.group(0) == "局" and text[m.end(): m.end() + 1] in "势面部":
                continue  # 局势/局面/局部: words, no bureau
            if text[m.end(): m.end() + 1] == "业" and m.group(0) in ("银行", "物业", "矿业"):
                continue  # 银行业协会: an industry word inside a longer name, the suffix comes later
            name = self._name_ending_at(text, m.start(), m.end())
            if not name or name in aliases:
                continue
            name = _site_to_company(name)
            q = 1.0
            if _LEGAL_END.search(name):
                q += 1.0
            if _MASKED_CHAIN.match(name):
                q += 0.5
            elif name.startswith(("上海", "青浦")):
                q += 0.5
            if name.endswith("政府"):
                q -= _GOV_PENALTY  # governments are mostly addressed, seldom the employer
            cands[name] = cands.get(name, 0.0) + q
            first.setdefault(name, m.start())
        for m in _PLACED_SUBJECT_RE.finditer(text):
            name = m.group("name")
            core = _MASKED_CHAIN.sub("", name)
            if (name in cands or _GENERIC_CORE.match(core) or _SUBJECT_BAD.search(core)
                    or _NOT_EMPLOYER.search(name)):
                continue
            if any(name in k or name.startswith(k) for k in cands):
                continue
            cands[name] = 1.0
            first.setdefault(name, m.start())
        for m in _PAREN_NAME_RE.finditer(text):
            name = m.group("name")
            before = text[max(0, m.start() - 24): m.start()]
            host = next((c for c in cands if before.endswith(c)), None)
            if host is None and not _GENERIC_ORG_END.search(before):
                continue
            if (name in cands or _PAREN_BAD.search(name) or _NOT_EMPLOYER.search(name) or name.isdigit()
                    or _GENERIC_PREFIX.match(name) or name in _GENERIC_NAMES or self._has_function_word(name)):
                continue
            cands[name] = 1.0 if host is None else max(1.0, cands[host] - 1.0)
            first.setdefault(name, m.start())
        for m in _INDUSTRY_END_RE.finditer(text):
            # a name ending in a trade word, said to employ or wrong the workers (XX餐饮工作, XX汽配的员工)
            name = self._name_ending_at(text, m.start(), m.end())
            if name and name not in cands and not any(name in c for c in cands):
                cands[name] = 1.0
                first.setdefault(name, m.start())
        for m in _BUILT_BY_RE.finditer(text):
            name = m.group("name")
            chain = _MASKED_CHAIN.match(name)
            if chain is not None and name not in cands and not _MASKED_CHAIN.fullmatch(name) \
                    and not self._has_function_word(name[chain.end():]):
                cands[name] = 1.0  # 由西地省XX建筑承建的: the contractor, named without a legal suffix
                first.setdefault(name, m.start("name"))
        for m in _GANG_BOSS_RE.finditer(text):
            name = m.group("name")
            if name[0] in _SURNAMES and name not in cands and "某" not in name:
                cands[name] = 1.0  # 包工头陈某某: a labour contractor named as a person
                first.setdefault(name, m.start("name"))
        for name, pos in self._headline_subjects(text):
            if name not in cands:
                cands[name] = 1.0
                first.setdefault(name, pos)
        if not cands:
            head = text[:_EARLY_CHARS]
            for m in (*_WORKPLACE_RE.finditer(text), *_HEADLINE_SUBJECT_RE.finditer(head)):
                name = m.group("name")
                if (_NAMELESS.search(name) or _NOT_EMPLOYER.search(name) or self._has_function_word(name)
                        or self._not_a_name(name)):
                    continue
                cands[name] = cands.get(name, 0.0) + 0.5
                first.setdefault(name, m.start())
        for n, pos in first.items():
            if pos < _EARLY_CHARS:
                cands[n] += _EARLY_BONUS  # named in the title / first line: most often the employer
        for m in _ALIAS_RE.finditer(text):
            # (以下简称XX): every later use of the alias is evidence for the full name written just before
            near = {c: text.rfind(c, max(0, m.start() - 40), m.start()) for c in cands}
            host = max((c for c in near if near[c] >= 0), key=lambda c: near[c] + len(c), default=None)
            if host is not None:
                cands[host] += min(3.0, 1.0 * (text.count(m.group(1)) - 1))
        for n in list(cands):
            if not self._plausible_name(n) or _only_treated_there(text, n) or _only_a_building(text, n):
                del cands[n]
        kept = _merge_variants(cands, text)
        kept.sort(key=lambda n: (-cands[n], first.get(n, 0)))
        return [(n, cands[n]) for n in kept]

    def _name_ending_at(self, text: str, suf_start: int, suf_end: int) -> str | None:
        i = suf_start
        while i > 0 and suf_start - i < _MAX_NAME:
            if _NAME_CHARS.match(text[i - 1]):
                i -= 1
                continue
            pm = _PAREN_IN_NAME.search(text, max(0, i - 8), i)
            if pm is None or pm.end() != i or pm.start() == 0 or not _NAME_CHARS.match(text[pm.start() - 1]):
                break
            i = pm.start()  # 地质建设(集团)有限公司: a bracketed legal/place word inside the name
        span = text[i:suf_start]
        if not span:
            return None
        toks = _join_zones(self._pos(span))
        keep: list[str] = []
        for k in range(len(toks) - 1, -1, -1):
            w, flag = toks[k]
            if w in _ADMIN_CHARS or (len(w) >= 2 and _SUFFIX_RE.fullmatch(w)) or _PHASE.fullmatch(w):
                keep.append(w)  # 省/市/县, organisation words (XX合作社 + 联合社) and phases (二期) stay inside a name
                continue
            if flag == "f" and (len(w) >= 2 or (w in _LOCATIVE_BREAK and k > 0 and (
                    len(toks[k - 1][0]) >= 2 or toks[k - 1][0] in _BREAK_WORDS))):
                break
            if w in _BREAK_WORDS or (flag in _BREAK_POS and w not in _NAME_VERBS and not _in_unknown_word(toks, k)
                                     and not _after_name_word(toks, k, keep)) or (
                flag == "m" and not w.isascii() and not _NAME_NUMERAL.match(w)
            ):
                if _leading_char_of_name(toks, k, keep):
                    keep.append(w)  # 经 + 顺昌劳务公司, 广州 + 华泽环境: the first character of an unknown name
                    continue
                break
            keep.append(w)
        while keep and _NAME_NUMERAL.match(keep[-1]) and not keep[-1].startswith("第"):
            keep.pop()  # a numeral at the left edge is a count (三公司), inside a name it stays (江岭二医院)
        start = len(span) - sum(map(len, keep))
        # a masked place chain (西地省E9县, A市A5区) left of the walked part joins the name when only
        # name-like words (no function word / verb of the break list) stand between them
        for cm in reversed(list(_MASKED_CHAIN.finditer(span)) if not _MASKED_CHAIN.match(span, start) else []):
            if cm.start() >= start:
                continue
            if cm.end() >= start:
                start = cm.start()
                break
            gap = self._pos(span[cm.end():start])
            short = start - cm.end() <= 4
            if start - cm.end() <= 8 and not any(
                w in _GAP_BREAK or (not short and len(w) >= 2 and f in _BREAK_POS and w not in _NAME_VERBS)
                for w, f in gap
            ):
                start = cm.start()
            break
        prefix = span[start:]
        # a masked chain inside the walked part after other words: the words before it are context
        # (写信给I5县..., 审理M5市...), unless they end in an organisation (XX公司西地省K8市店: a branch)
        inner = _MASKED_CHAIN.search(prefix)
        if inner and inner.start() > 0 and prefix[inner.start() - 1] not in "(（" and not (
                (_ORG_END.search(prefix[: inner.start()]) or self._ends_with_brand(prefix[: inner.start()]))
                and text[suf_start:suf_end] in _BRANCH_SUFFIXES):
            prefix = prefix[inner.start():]
        # a later chain after a complete organisation name (XX纸箱厂K5县印刷厂) or repeating the first chain
        # (H2县红星砖厂H2县青石灰厂) starts a new name
        if text[suf_start:suf_end] not in _BRANCH_SUFFIXES:
            for later in reversed(list(_MASKED_CHAIN.finditer(prefix))[1:]):
                before = prefix[: later.start()]
                if _ORG_END.search(before) or before.startswith(later.group(0)):
                    prefix = prefix[later.start():]
                    break
        # a floor or street number ends an address, the name follows it (东风路华庭广场三楼金沙足浴)
        ends = [am.end() for am in _ADDRESS_END.finditer(prefix)]
        if ends and ends[-1] < len(prefix) - 1:
            prefix = prefix[ends[-1]:]
        # a role word or a generic unit word before the name is context (施工方XX公司, 一事业单位XX卫生院)
        prefix = _ROLE_PREFIX.sub("", prefix)
        # the labels write 西地省 (the masked province) only when no masked city/county follows it
        if prefix.startswith("西地省") and _MASKED_CHAIN.match(prefix[3:]):
            prefix = prefix[3:]
        # a masked place written twice in a row (B市B市XX厂) is written once
        prefix = _REPEATED_PLACE.sub(r"\1", prefix)
        prefix = re.sub(r"^[0-9]+", "", prefix)
        if not _MASKED_CHAIN.match(prefix):
            prefix = re.sub(r"^[省市县区](?=[\u4e00-\u9fff])", "", prefix)
            prefix = self._join_town(text, suf_start - len(prefix), prefix)
            prefix = re.sub(r"^[镇乡](?=[\u4e00-\u9fff])", "", prefix)
        if not prefix or _GENERIC_PREFIX.match(prefix) or prefix in {"X", "XX", "xx"}:
            return None
        chain = _MASKED_CHAIN.match(prefix)
        core = prefix[chain.end():] if chain else prefix
        suffix = text[suf_start:suf_end]
        name = prefix + suffix
        if chain is not None and (not core or suffix in _BRANCH_SUFFIXES):
            whole = self._with_parent(text, suf_start - len(prefix), suf_end)
            if whole is not None:
                return whole  # 国家电网 + G3县公司, XX银行 + 西地省分行: the branch of a named parent
        if (name in _GENERIC_NAMES or len(name) < 3 or len(prefix) < 2 or _NOT_EMPLOYER.search(name)
                or _GENERIC_GOV.match(name) or _BAD_INSIDE.search(core)):
            return None
        if chain is None and _GENERIC_CORE.match(core):
            return None
        if chain is None and len(_INDUSTRY_WORDS.sub("", core)) == 0 and suffix not in _GOV_SUFFIXES | {"银行"}:
            return None  # 物业管理有限公司, 人力资源公司: an industry, not a name
        if chain is not None and ((not core and suffix in _PLACE_ONLY_BAD)
                                  or (core and core != "人民" and core != chain.group(0)[-1] and _GENERIC_CORE.match(core)
                                      and not (core == "乡镇" and suffix in _TOWNSHIP_UNITS))):
            return None  # (H4县乡镇卫生院: the county's township hospitals, named as one employer)
        return name

    def _with_parent(self, text: str, start: int, end: int) -> str | None:
        """A masked place + branch word (G3县公司, 西地省分行, D市店) right after a company or known brand
        names that company's branch: the whole as written (国家开发银行西地省分行); None without a parent."""
        if text.startswith("西地省", start - 3):
            start -= 3
        left = text[max(0, start - _MAX_NAME): start]
        pm = _PARENT_END.search(left)
        parent = None
        if pm is not None:
            ps = start - len(left) + pm.start()
            parent = self._name_ending_at(text, ps, start)
        if parent is None:
            parent = next((left[-n:] for n in range(min(self._brand_max, len(left)), 1, -1)
                           if left[-n:] in self.brands), None)
        if parent is None and left:
            lw, lf = self._pos(left[-8:])[-1]
            parent = lw if lf in ("nt", "nz") and len(lw) >= 3 else None  # 国家电网 (a dictionary organisation)
        if parent is None or _MASKED_CHAIN.search(parent) or not text.endswith(parent, 0, start):
            return None
        return text[start - len(parent): end]

    def _headline_subjects(self, text: str) -> list[tuple[str, int]]:
        """Names without a suffix that lead a headline segment about a dispute: 想象科技裁员过冬, 【XX中国裁员3000人】,
        #XX将与所有员工解约#. The name is a known brand at the segment start, else its leading run of
        noun/name words; the rest of the segment must speak of a dispute."""
        line = text[: _EARLY_CHARS + 20].split("\n", 1)[0]
        out: list[tuple[str, int]] = []
        for seg in _SEGMENT_RE.finditer(line):
            body = seg.group(0)
            dispute = _DISPUTE_WORDS.search(body)
            if dispute is None or _SUFFIX_RE.search(body, 0, dispute.start()) or _MASKED_CHAIN.search(body):
                continue  # names with an organisation suffix or a masked place are found by the other rules
            name = self._leading_brand(body)
            if name is None:
                words: list[tuple[str, str]] = []
                for w, f in self._pos(body):
                    if f not in _NAME_POS or _DISPUTE_WORDS.search(w) or w.isdigit():
                        break
                    words.append((w, f))
                name = "".join(w for w, _ in words)
                if not name or self._not_a_name(name):
                    continue
            rest = body[len(name):]
            if name.endswith("工会") and len(name) >= 4:
                name = name[:-2]  # 英航工会罢工: the union strikes against the employer named before it
            if not (2 <= len(name) <= 10) or not _DISPUTE_WORDS.search(rest[:24]):
                continue
            if (_NAMELESS_HEAD.search(name) or _NOT_EMPLOYER.search(name) or _MASKED_CHAIN.fullmatch(name)
                    or _SUFFIX_RE.search(name[-3:]) and not _ORG_END.search(name)):
                continue
            out.append((name, seg.start()))
        return out

    def _not_a_name(self, name: str) -> bool:
        """One common noun (煤矿, 出租车) or places alone (北京, A市) name no employer, unless a known brand."""
        if name in self.brands:
            return False
        toks = self._pos(name)
        return (len(toks) == 1 and toks[0][1] == "n") or all(f == "ns" or w in _ADMIN_CHARS for w, f in toks) or bool(
            _MASKED_CHAIN.fullmatch(name))

    def _ends_with_brand(self, words: str) -> bool:
        """中国电信 + E市分公司: a known brand (or a dictionary organisation word) before a masked place heads a
        branch name."""
        if any(words[-size:] in self.brands for size in range(2, min(self._brand_max, len(words)) + 1)):
            return True
        toks = self._pos(words[-8:])
        return bool(toks) and toks[-1][1] == "nt" and len(toks[-1][0]) >= 3

    def _leading_brand(self, body: str) -> str | None:
        for size in range(min(self._brand_max, len(body)), 1, -1):
            if body[:size] in self.brands:
                return body[:size]
        return None

    def _join_town(self, text: str, start: int, prefix: str) -> str:
        """A town name left of the walked part joins the name: 青岗 + 镇畜牧兽医站, and 白沙铺 + 中心小学 when the
        text writes 白沙铺镇/乡 elsewhere (the segmenter splits unknown place names into verbs and numerals)."""
        if not prefix or _MASKED_CHAIN.match(prefix):
            return prefix
        town = prefix[0] in "镇乡"
        for size in (3, 2):
            left = text[max(0, start - size): start]
            if len(left) < size or not _CJK_ONLY.match(left) or any(c in _TOWN_BAD_CHARS for c in left):
                continue
            if town and size == 2:
                return left + prefix
            if not town and (f"{left}镇" in text or f"{left}乡" in text):
                return left + prefix
        return prefix

    def _plausible_name(self, name: str) -> bool:
        """Reject walked spans that are phrases, not names: a count inside (120名物业, 三个国有煤矿), a verb
        of the sentence (希望政府, 利用基地公司, 开厂), a word that merely ends in a suffix (布局), or only
        generic words before the suffix (堂堂国有银行, 村里政府, 集团公司)."""
        chain = _MASKED_CHAIN.match(name)
        core = name[chain.end():] if chain else name
        if _COUNT_INSIDE.search(core) or _SUFFIX_WORD.search(name) or _PHRASE_WORDS.search(core):
            return False
        suf = _ORG_END.search(core)
        head = core[: suf.start()] if suf else core
        if head and (_GENERIC_HEAD.match(head) or (chain is None and (
                _GENERIC_UNPLACED_HEAD.match(head) or head.endswith("行业")))):  # 出租车行业协会: a trade body
            return False
        if (chain is None and suf and suf.group(0) in _COMMON_HEAD_SUFFIXES and len(head) >= 2
                and head not in self.brands):
            toks = self._pos(head)
            if len(toks) == 1 and toks[0][1] in ("n", "vn", "v"):
                return False  # 出租车公司, 石材厂, 服务中心, 骨科医院: one common word before a generic suffix
        if not head or len(head) > 12:
            return True
        # a pronoun/preposition/conjunction anywhere, or a verb after the first word (the first may be a
        # brand: 焕发矿业), means a phrase of the sentence (合同规定物业)
        return not any(
            len(w) >= 2 and w != core and not _ORG_END.search(w)
            and (f in ("p", "r", "c") or (f == "v" and k > 0 and w not in _NAME_VERBS))
            for k, (w, f) in enumerate(_join_zones(self._pos(head)))
        )

    def _has_function_word(self, name: str) -> bool:
        return any(w in _BREAK_WORDS or (f in _BREAK_POS and len(w) > 1) for w, f in self._pos(name))

    def _pos(self, span: str) -> list[tuple[str, str]]:
        hit = self._pos_cache.get(span)
        if hit is not None:
            return hit
        if self._posseg is None:
            import jieba.posseg

            self._posseg = jieba.posseg.POSTokenizer(self.segmenter.tokenizer)
        out = [(p.word, p.flag) for p in self._posseg.cut(span, HMM=False)]
        if len(self._pos_cache) >= _POS_CACHE_MAX:
            self._pos_cache.clear()  # bounded: spans repeat within a text and across a batch, not forever
        self._pos_cache[span] = out
        return out

    # --- places ----------------------------------------------------------------------------------------
    def towns(self, text: str) -> list[str]:
        if self._place_re is None:
            return []
        return list(dict.fromkeys(self._places[m.group(0)] for m in self._place_re.finditer(text)))

    def locations(self, text: str) -> list[str]:
        out: list[str] = []
        if self._place_re is not None:
            out.extend(m.group(0) for m in self._place_re.finditer(text))
        out.extend(_ADDR_RE.findall(text))
        out.extend(_MASKED_PLACE.findall(text))
        return list(dict.fromkeys(out))[:10]

    # --- numbers ---------------------------------------------------------------------------------------
    def workers(self, text: str) -> int | None:
        """Workers affected: the largest count tied to the dispute (400余名职工被拖欠, 裁员1200人, 我们三人), one in
        a short title first; else the largest count of people stated, one in the title first (vague forms floored);
        None when no count is stated."""
        counts = self.worker_counts(text)
        sents = _sentences(text)
        title: list[WorkerCount] = []
        if sents and len(sents[0][1]) <= _TITLE_CHARS:
            # a short first sentence is the title: a count stated there sums the case up (数十名员工被拖欠...)
            title = [c for c in counts if c.pos < sents[0][0] + len(sents[0][1])]
        for pool in ([c for c in title if c.tied], [c for c in counts if c.tied], title, counts):
            if pool:
                return max(c.count for c in pool)
        return None  # a lone first-person complainant states no count: the labels leave it empty

    def worker_counts(self, text: str) -> list[WorkerCount]:
        """Every count of people found, with its text and whether it is tied to a dispute verb."""
        out: list[WorkerCount] = []
        sents = _sentences(text)
        for i, (sent_start, sent) in enumerate(sents):
            titles = [(t.start(), t.end()) for t in _BOOK_TITLE.finditer(sent)]
            # a bare count of people (俩人, 50多人) needs a labour word in its sentence or the one before/after
            near = " ".join(x for _, x in sents[max(0, i - 1): i + 2])
            labour_near = bool(_WORKER_SENT.search(near))
            for m in _WORKERS_RE.finditer(sent):
                if any(a <= m.start() < b for a, b in titles):
                    continue
                mod = m.group("mod")
                p = m.group("p")
                if not re.fullmatch(_PERSON, p) and (m.group("m") not in ("名", "位") or _TRADE_WORKER_BAD.search(p)):
                    continue  # 环卫工 only as 五位环卫工; 施工/开工 are no persons
                if (m.group("p") in ("人", "号人") and mod) or (
                        len(mod) > 6 and not m.group("m")):
                    continue
                if m.group("p") == "人" and (sent[m.end(): m.end() + 1] in ("民", "行", "口", "力") or not (
                        _WORKER_SENT.search(sent) or (labour_near and re.fullmatch(r"[两俩二三四五六七八九十]", m.group("n"))))):
                    continue  # 5万人民币; 发热者47人: a bare count of people needs workers or a dispute nearby
                if m.group("n") in ("百", "千", "万", "亿") and mod and not (m.group("q") or m.group("m")):
                    continue  # a bare magnitude character is part of a word (百货公司员工)
                if mod and (not m.group("m") or m.group("m") == "号") and not m.group("q") and not (
                        m.group("n").endswith(("万", "千", "百")) and m.group("m") != "号" and len(mod) <= 3):
                    continue  # 三队职工, 三无人员, 八角岭镇政府工作人员: no measure word, the number is part of a name
                if _POLICY_GROUP.match(sent, max(0, m.start() - 3)) or _POLICY_GROUP.match(sent, m.start()):
                    continue  # 4050人员 / 40、50人员: the policy name of laid-off workers aged 40-50, no count
                if (_NOT_WORKER_MOD.search(mod) and m.group("m") not in ("名", "位")) or _NOT_WORKER_PERSON.match(p):
                    continue  # 三个林场职工 counts forest farms (but 600名XX公司员工 are people); 40个会员 are no workers
                if not m.group("m") and re.search(r"[万千]", m.group("n") + (m.group("q") or "")) and re.match(
                        r"(?:的)?(?:工资|工钱|薪水|血汗钱)", sent[m.end(): m.end() + 3]):
                    continue  # 欠二十几万民工工资: a sum of wages, not a head count
                before = sent[max(0, m.start() - 6): m.start()]
                if before.endswith("第") or re.search(r"\d[-~～至到]$", before) or _FALSE_CLAIM.search(
                        sent[max(0, m.start() - 10): m.start()]):
                    continue
                if _masked_code_digit(sent, m.start(), m.group("n")):
                    continue  # B5区教师, K3县13个月: the digits of a masked place code are no count
                n = _parse_count(m.group("n"))
                if n is not None:
                    rest = re.split(r"[，,：:]", sent[m.end(): m.end() + 20], maxsplit=1)[0]
                    tied = bool(_DISPUTE_AFTER.match(sent[m.end(): m.end() + 4]) or _DISPUTE_BEFORE.search(before)
                                or _SELF_BEFORE.search(before) or _DISPUTE_CLAUSE.search(rest))
                    out.append(WorkerCount(sent_start + m.start(), n, m.group(0), tied))
            for m in _LAYOFF_RE.finditer(sent):
                if not (m.group("u") or m.group("p") or m.group("n").endswith(("万", "千"))):
                    continue  # 裁员3: a count needs 人/名 or a magnitude
                n = _parse_count(m.group("n"))
                mult = 10_000 if (m.group("u") or "").startswith("万") else 1000 if m.group("u") else 1
                if n is not None and n * mult <= 10_000_000:
                    out.append(WorkerCount(sent_start + m.start(), n * mult, m.group(0), True))
            for m in _ALIKE_RE.finditer(sent):
                n = _parse_count(m.group("n"))
                if n is not None:
                    out.append(WorkerCount(sent_start + m.start(), n, m.group(0), False))
            for m in _COUPLE_RE.finditer(sent):
                out.append(WorkerCount(sent_start + m.start(), 2, m.group(0), False))
            for rx in (_WORKERS_RE2, _WORKERS_RANGE):
                for m in rx.finditer(sent):
                    n = _parse_count(m.group("n"))
                    if n is not None and not _FALSE_CLAIM.search(sent[max(0, m.start() - 10): m.start()]):
                        out.append(WorkerCount(sent_start + m.start(), n, m.group(0), False))
        return out

    def amount(self, text: str) -> float | None:
        """Money owed to workers: the largest amount in a clause/sentence about unpaid wages/compensation (one
        named as owed by its own clause first), else the largest about unpaid social insurance (the guidelines
        allow it only when no wages are stated); wage levels (月工资1350元, 120元一天), fines on employers, prices,
        sums paid and other sums are not owed money."""
        ms = self.money_mentions(text)
        owed = [m for m in ms if m.kind == "owed"]
        for pool in ([m for m in owed if m.direct], owed, [m for m in ms if m.kind == "si"]):
            if pool:
                return max(m.value for m in pool)
        return None

    def money_mentions(self, text: str) -> list[MoneyMention]:
        """Every money expression with its kind: owed (arrears of wages, 工程款, compensation), si (unpaid
        social insurance), rate (a wage level per month/day), other."""
        out: list[MoneyMention] = []
        for sent_start, sent in _sentences(text):
            ctx = bool(_ARREARS_CTX.search(sent))
            sctx = bool(_SI_CTX.search(sent))
            for m in _PER_MONTH_RE.finditer(sent):
                a, b = parse_cn_number(m.group("n")), parse_cn_number(m.group("m"))
                if a and b:
                    out.append(MoneyMention(sent_start + m.start(), a * b, m.group(0),
                                            "owed" if ctx else "si" if sctx else "other"))
            for m in _MONEY_RE.finditer(sent):
                unit = m.group("u") or ""
                raw = m.group("n")
                end = m.end()
                if raw.endswith(("万一", "亿一")) and sent[end: end + 1] in "事次个笔起批件天年":
                    raw = raw[:-1]  # "近千万一事": the 一 belongs to the next word
                if not m.group("y") and not (unit and unit != "千") and not _has_big(raw):
                    continue  # a bare number is money only with 元/块 or a 万/亿 magnitude
                if not m.group("y") and not (ctx or sctx) and not (unit or _has_big(raw)):
                    continue
                nxt = sent[end: end + 1]
                if _masked_code_digit(sent, m.start(), raw) or (raw == "千万" and nxt and nxt in "不别要家户里莫勿") or (
                        raw == "一万" and nxt == "步") or (m.group("y") and nxt and nxt in "酒店"):
                    continue  # 千万不要 / 退一万步 (adverbs), 三元酒店 (a name)
                nxt = sent[end: end + 1]
                if sent[end: end + 2] in ("/月", "每月") or (nxt and nxt in "人名个年月日天平亩吨户次岁"):
                    continue
                n = parse_cn_number(raw)
                if n is None or n <= 0:
                    continue
                value = n * _UNIT_MULT.get(unit, 1)
                # the comma clause of the amount decides first: 社保欠缴5万元 is social insurance even in a
                # sentence that also speaks of wages
                cs = max(sent.rfind(c, 0, m.start()) for c in "，,、") + 1
                ce = min((i for i in (sent.find(c, end) for c in "，,、") if i >= 0), default=len(sent))
                clause = sent[cs:ce]
                head = sent[max(cs, m.start() - 8): m.start()]
                tail = sent[end: end + 4]
                rate = _RATE_BEFORE.search(head)
                if rate and (_TOTAL_RE.search(head, rate.end()) or _ARREARS_CTX.search(head, rate.end())):
                    rate = None  # 每月工资被拖欠共计3万元: a total after the wage level
                paid = _PAID_BEFORE.search(head)
                if paid and (_NEGATED.search(head, 0, paid.start()) or _STRONG_ARREARS.search(head, paid.end())):
                    paid = None  # 没拿到3万元 is owed
                fine = _FINE_RE.search(clause)
                worker_fined = bool(fine and _FINE_ON_WORKER.search(clause) and not _FINE_BY_AUTHORITY.search(clause))
                ds = max(sent.rfind(c, 0, m.start()) for c in "，,") + 1
                per = PER_PERSON_RE.search(sent, max(ds, m.start() - 16), m.start())
                if per and _TOTAL_RE.search(sent, per.end(), m.start()):
                    per = None  # 每人6000元，共计7.2万元 / 人均...合计
                if rate or per or _RATE_AFTER.match(tail):
                    kind = "rate"
                elif worker_fined and not _NOT_OWED_AFTER.match(tail.replace("的罚款", "")):
                    kind = "owed"
                elif (paid or _NOT_OWED_BEFORE.search(sent[max(cs, m.start() - 10): m.start()]) or _NOT_OWED_AFTER.match(tail)
                      or fine or (_FUNDING_RE.search(clause) and not _STRONG_ARREARS.search(clause))):
                    kind = "other"
                elif _SELF_PAID.search(sent, cs, m.start()) and not _STRONG_ARREARS.search(sent, cs, m.start()):
                    kind = "other"  # paid by the worker, not owed to him
                elif _SI_CTX.search(clause) and not _WAGE_WORDS.search(clause):
                    kind = "si"
                elif _ARREARS_CTX.search(clause) or (ctx and _WAGE_WORDS.search(clause)):
                    kind = "owed"
                elif ctx:
                    kind = "owed" if not _SI_CTX.search(sent) or _WAGE_WORDS.search(sent) else "si"
                elif sctx:
                    kind = "si"
                else:
                    kind = "other"
                # the words since the last comma/full stop before it (、 does not end a list of items owed)
                direct = kind == "owed" and bool(_DIRECT_OWED.search(sent, ds, m.start()))
                out.append(MoneyMention(sent_start + m.start(), value, m.group(0), kind, direct))
        return out


def load_brands(companies_dir: Path) -> frozenset[str]:
    """Short company names from the shared lists (A-share short names, CLUENER company mentions) when the
    folder is present; an empty set otherwise (the registry gazetteer still applies). Read at run time only:
    the lists are third-party data and never copied into the repository."""
    return _load_brands_cached(str(companies_dir))


@functools.lru_cache(maxsize=4)
def _load_brands_cached(companies_dir: str) -> frozenset[str]:
    d = Path(companies_dir)
    names: set[str] = set()
    files = {"a_share_listed_companies.csv": "股票名称", "cluener_company_mentions.csv": "company"}
    for fname, column in files.items():
        f = d / fname
        if not f.is_file():
            continue
        try:
            with f.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    raw = (row.get(column) or "").strip()
                    name = re.sub(r"^\*?ST|[AB]$", "", raw).strip()
                    if _brand_ok(name):
                        names.add(name)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            logger.warning("brand list %s unreadable (%s); skipped", f, exc)
    if names:
        logger.debug("loaded %d brand names from %s", len(names), d)
    return frozenset(names)


def _brand_ok(name: str) -> bool:
    return (2 <= len(name) <= 10 and len(_CJK_CHARS.findall(name)) + 2 * len(re.findall(r"[A-Za-z]{2,}", name)) >= 2
            and not _GENERIC_BRAND.search(name) and not _NOT_EMPLOYER.search(name))


def _in_unknown_word(toks: list[tuple[str, str]], k: int) -> bool:
    """A single-character verb/adverb that, with the single character left of it, spells a word the dictionary
    does not know (优客租, 楚维: the segmenter without HMM cuts unknown names into characters)."""
    w, flag = toks[k]
    if len(w) != 1 or flag not in _SPLIT_POS or k == 0:
        return False
    lw, lf = toks[k - 1]
    return (len(lw) == 1 and lw not in _BREAK_WORDS and lf not in _NEVER_IN_NAME_POS
            and bool(_CJK_ONLY.match(lw)) and bool(_CJK_ONLY.match(w)))


def _join_zones(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tokens spelling a development zone (经/开/区) joined into one place word."""
    joined = "".join(w for w, _ in toks)
    if not any(z in joined for z in _ZONE_WORDS):
        return toks  # the common case: no zone word at all
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(toks):
        for z in _ZONE_WORDS:
            acc, j = "", k
            while j < len(toks) and len(acc) < len(z) and z.startswith(acc + toks[j][0]):
                acc += toks[j][0]
                j += 1
            if acc == z and j - k > 1:
                out.append((z, "ns"))
                k = j
                break
        else:
            out.append(toks[k])
            k += 1
    return out


def _after_name_word(toks: list[tuple[str, str]], k: int, keep: list[str]) -> bool:
    """A single character tagged as a verb/preposition right after a person/brand-like word of the name and
    before the kept part (万世 + 达 + 公司, 泰尔 + 顺 + 建筑公司): part of the name."""
    w, flag = toks[k]
    if len(w) != 1 or w in _BREAK_WORDS or flag not in _LEADING_POS or k == 0 or not _CJK_ONLY.match(w):
        return False
    lw, lf = toks[k - 1]
    return lf in ("nr", "nz", "nrt") and lw not in _BREAK_WORDS and 2 <= len(lw) <= 3 and (
        not keep or not keep[-1][0].isascii())


def _leading_char_of_name(toks: list[tuple[str, str]], k: int, keep: list[str]) -> bool:
    """A single character tagged as a verb/adverb/preposition at the left edge of a name whose kept part starts
    with a single unknown character (顺 + 阳劳务公司, 尚 + 凯网络公司, 越 + 群环境工程): the two spell the name;
    only when a break word, a place or nothing stands left of it."""
    w, flag = toks[k]
    if (len(w) != 1 or w in _BREAK_WORDS or flag not in _LEADING_POS or not _CJK_ONLY.match(w) or not keep
            or len(keep[-1]) != 1 or keep[-1] in _ADMIN_CHARS or not _CJK_ONLY.match(keep[-1])):
        return False
    if k == 0:
        return True
    lw, lf = toks[k - 1]
    return lw in _BREAK_WORDS or lf in ("x", "w", "ns") or lw in _ADMIN_CHARS


_LEADING_POS = {"v", "vd", "p", "d", "a", "ag", "vg", "zg"}
# a mention that is itself said to employ the workers, though written apart from the first employer:
# 我们是XX公司的职工 (the writers' own organisation), XX公司承建的/承包的 (the contractor of the works),
# 施工方XX / 甲方是XX / 用工单位XX (its role in the contract chain)
_SELF_OF_BEFORE = re.compile(r"(?:我|我们|俺|本人|大家|均|都)(?:是|系|原是|原系|原为|曾是|都是|均是|作为)(?:原|原来)?"
                             r"(?:西地省)?$")
_STAFF_OF_AFTER = re.compile(r"(?:的)?[^，。]{0,6}?(?:员工|职工|工人|工作人员|农民工|民工|合同工|临时工|职员|老师|教师|"
                             r"护士|医生|司机|保安|人员)")
_BUILT_AFTER = re.compile(r"(?:承包|承建|分包|转包|施工|开发|中标)的")
_ROLE_BEFORE = re.compile(r"(?:施工方|承包方|承建方|分包方|总包方|劳务方|用工方|用人方|用人单位|用工单位|甲方|乙方|施工单位|"
                          r"承建单位|总包单位|劳务公司|派遣单位|雇主|老板)(?:是|为|系|就是)?$")
# ... but not one the writers turn to (向XX反映, 请XX督促, 属XX管辖)
_ADDRESSEE_BEFORE = re.compile(r"(?:向|到|去|找|给|请|恳请|恳求|致|经|由|属|归|通过|要求|希望|求助)$")
_ADDRESSEE_AFTER = re.compile(r"[^，。]{0,3}?(?:反映|投诉|举报|上访|申请|求助|管辖|监督|督促|协调|调解|裁决|判决|回复|答复|受理|"
                              r"立案|信访|主管|领导)")
_CUE_BEFORE = 12
_CUE_AFTER = 16


def _own_employer_cue(text: str, name: str) -> bool:
    """``name`` is written with an employer cue of its own somewhere, and nowhere as an addressee."""
    cue = False
    for m in re.finditer(re.escape(name), text):
        before = text[max(0, m.start() - _CUE_BEFORE): m.start()]
        after = text[m.end(): m.end() + _CUE_AFTER]
        if _ADDRESSEE_BEFORE.search(before) and _ADDRESSEE_AFTER.match(after):
            return False
        cue = cue or bool((_SELF_OF_BEFORE.search(before) and _STAFF_OF_AFTER.match(after))
                          or _BUILT_AFTER.match(after) or _ROLE_BEFORE.search(before))
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
    return bool(occ) and all(_BUILDING_AFTER.match(text, e) for e in occ)


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


def _sentences(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for part in _SENT_SPLIT.split(text):
        if part:
            out.append((pos, part))
        pos += len(part) + 1
    return out


def _has_big(raw: str) -> bool:
    """A magnitude written into the number (3万, 三万五, 2万3千): money even without 元."""
    return "万" in raw[1:] or "亿" in raw[1:] or raw.endswith(("万", "亿"))




