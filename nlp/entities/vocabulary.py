"""The vocabulary of entity extraction: the patterns and word lists the employer, worker-count and money rules
read (organisation suffixes, generic heads, dispute words, person nouns, money contexts), and the brand names read
at run time from the shared company lists (:func:`load_brands`). Split out of ``nlp/entities.py`` (issue 14).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from pathlib import Path

from lwcore.domain import COMMON_SURNAMES
from lwcore.settings import REPO_ROOT

# shared with nlp.entity_model, which cannot import this package (the package loads that model)
from nlp.entity_patterns import (  # noqa: F401 - re-exported
    _ADMIN_CHARS,
    _COORD,
    _DISPUTE_WORDS,
    _GENERIC_GOV,
    _LEGAL_END,
    _MASKED_CHAIN,
    _MAX_NAME,
    _MAX_SUFFIX_HITS,
    _NAME_CHARS,
    _NOT_EMPLOYER,
    _ORG_END,
    _ORG_SUFFIX,
    _OUTER_CITY,
    _STAND_VERB_NEXT,
    _SUFFIX_RE,
)
from nlp.numbers import NUM_RE

__all__ = ["DEFAULT_BRANDS_DIR", "load_brands"]

logger = logging.getLogger(__name__)

# masked place prefixes of the govboard texts (西地省, A市, E8县, K1区), chained: 西地省E9县, A市A5区; masked
# districts and counties carry digits, so a lettered block of a building site (C区) is none
# "(以下简称XX)": the short alias is the same employer as the full name before it
_ALIAS_RE = re.compile(r"简称[“\"「『]?([\u4e00-\u9fffA-Za-z0-9]{2,12})")
# a site or project under a company: the company is the employer (XX建筑有限公司滨江工地 -> XX建筑有限公司)
_SITE_OF_COMPANY = re.compile(
    r"^(.{2,}?(?:有限责任公司|有限公司|公司|集团|物业))(?:[A-Z]\d{0,2}[省市区县])*[\u4e00-\u9fff0-9#]{0,10}"
    r"(?:工地|项目部|项目)$"
)
# the part of a name left after its place prefix that still says nothing specific (上级/有关/乡镇 + 政府...)
_GENERIC_CORE = re.compile(r"^(有关|上级|相关|当地|国营|国有|私营|民营|乡镇|各级|各|本地|外地|该|某|这家|那家|全国|多家|"
                           r"一些|部分|大型|小型|中央|地方|"
                           # kinds, owners and parts, no name (小区物业, 私人工地, 烂尾项目, 三期物业, 市直学校,
                           # 全体中小学, 既得利益集团; round 11)
                           r"小区|私人|个人|烂尾|普惠[型性]?|良心|中小学?|街道|既得利益|家族|现任|前任|[一二三四五六七八九]期|"
                           r"包工头|工头|私人老板|个体老板|老板|[A-Z]栋|某大|[省市县区]?属|[省市县区]?直|下辖|[省市县区]级|全体|很多|许多|同一|非?营利性|配套|专业|重大|重点|发卡|开户|手机|网上|"
                           r"[省市县区镇乡村])+$")
_PLACE_ONLY_BAD = {"公司", "工地", "项目", "工厂", "厂", "门店", "店", "超市", "物业", "集团", "项目部", "酒店", "饭店", "餐厅",
                   "商场", "市场", "站", "局", "中心", "社区", "大队", "分局", "支局", "办公室", "宾馆", "银行"}
# a placed name with no organisation suffix, directly followed by what it did (G5县瑞丰达拖欠工程款)
_PLACED_SUBJECT_RE = re.compile(
    r"(?P<name>(?:西地省|(?<![A-Za-z0-9])[A-Z]\d{0,2}[省市区县州]){1,4}[\u4e00-\u9fffA-Za-z0-9]{2,7}?)"
    r"(?=(?:已经|一直|长期|竟然|恶意|故意|仍然|仍|还|又|多次|至今|已|常年|无故|严重|公然|屡次|长年|连续|违规|违法|单方面)?"
    r"(?:拖欠|欠薪|克扣|苛扣|裁员|老板跑路|非法用工|违法用工|违反劳动|不给员工|不发工资|强迫|辞退|无故辞退|开除|解雇|"
    r"倒闭|停产|逼迫|歧视|侵犯|无偿加班|不签|未签|不缴|未缴|不交|拒不|"
    # a business that shut or vanished with the wages (XX健身突然关门，员工工资未发; round 11)
    r"(?:突然|一夜之间)?(?:关门|闭店|停业|跑路|卷款|爆雷|暴雷)|借改制|借口))"
)
# the end of a parent company before a branch (XX有限公司 + D市店, 中国工商银行 + 西地省分行)
_PARENT_END = re.compile(r"(?:有限责任公司|有限公司|公司|集团|银行)$")
# a trade word ending a name without a legal suffix, followed by what the workers do there or suffer from it
_TRADE_END_WORDS = (r"(?:石业|餐饮|汽配|教育|科技|纸业|实业|地产|置业|传媒|物流|电子|电器|重工|建工|汽车|食品|制药|药业|"
                    r"医药|矿业|钢铁|水泥|化工|机械|电气|通讯|通信|网络|软件|酒业|纺织|服饰|家具|装饰|国际|"
                    r"劳务|家政|快递|速递|影视|广告|商贸|贸易|服装|鞋业|制衣|包装|印务|五金|陶瓷|光电|园林)")
_INDUSTRY_END_RE = re.compile(
    _TRADE_END_WORDS +
    r"(?=(?:的)?(?:一名|一位|一个|普通|在职|一线|正式|合同)*(?:员工|职工|工人|农民工|司机|保安|保洁|教练|店员|骑手|营业员|服务员|上班|工作|从事|打工|务工|做事)|"
    r"(?:一直|长期|恶意|无故|竟然)?(?:拖欠|欠薪|克扣|不给员工|不发|辞退|开除|违法|违反|强迫|强制|裁员))")
# the @-handle of a firm's account (a 字号 + trade word, the whole handle) addressed with the wrong it did
# (@宏远物流 欠我们司机三个月工资了, @XX科技：你们拖欠...): the handle names the employer; an account word after
# the name (@XX科技官方微博, @XX科技客服) is no part of it (round 15)
_AT_HANDLE_FIRM_RE = re.compile(
    rf"@(?P<name>[\u4e00-\u9fff]{{1,8}}?{_TRADE_END_WORDS})(?:官方微博|官方账号|官微|官方|客服|微博)?[\s:：]+(?:你们|你|贵公司)?"
    r"(?:还|又|一直|长期|恶意|无故|竟然)?(?:拖欠|欠|克扣|不发|辞退|开除|裁员|强迫|强制)")
_COMMON_HEAD_SUFFIXES = {"公司", "厂", "工厂", "集团", "中心", "企业", "医院", "学校",
                         # (地铁站, 水果超市, 农贸市场: one common word before these names a kind of place)
                         "站", "超市", "商场", "市场", "酒店", "饭店", "餐厅"}
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
    r"农业|制造|装饰|安装|设计|广告|家政|保安|保洁|环卫|外包|电信|移动|联通|有限|股份|责任|控股|国际|中国|问|总|"
    # roles in a contract chain (分包劳务公司, 总包单位: a description, no name)
    r"分包|总包|承包|转包|发包"
)
# Verbs of saying, attributing, complaining and suing (X声称Y拖欠, 张三状告Y公司, X表示/指出/坦言...): a name never
# spans one, so the leftward walk, the place-chain gap and the other walked names stop at / refuse them (the
# employer walk glued A市张三声称 + YY有限公司 and XX有限公司坦言 + YY有限公司 into one name: the tagger calls
# 声称, 状告, 坦言, 证实, 声明 nouns, and the chain gap read only a few of them). Whole words as the tagger cuts them,
# so names holding their characters inside other words stay (称心家政, 对称科技, 传说文化).
_SPEECH_VERBS = frozenset({
    "说", "称", "声称", "宣称", "谎称", "辩称", "诉称", "自称", "号称", "据称", "扬言", "表示", "表明", "指出", "认为",
    "告诉", "告知", "透露", "坦言", "证实", "承认", "否认", "强调", "回应", "声明", "说道", "反映", "反应", "投诉", "举报",
    "起诉", "状告", "控告", "控诉", "告发", "指控", "指责", "抱怨", "质疑",
})
# words that cannot stand between a place chain and the rest of a name (A市 ... 拖欠 ... 公司)
_GAP_BREAK = {
    "在", "是", "的", "了", "到", "和", "与", "向", "被", "给", "对", "从", "为", "把", "我", "我们", "你", "他", "他们",
    "拖欠", "欠", "工作", "上班", "打工", "入职", "位于", "属于", "承包", "承建", "于", "及",
    "或", "等", "由", "将", "请", "因", "经", "据",
    # quantities (I市 + 很多电容私家工厂: many factories of a place, no name; round 11)
    "很多", "许多", "不少", "一些", "部分", "多家", "各", "各类", "所有",
    *_SPEECH_VERBS,
}
# inside a name core: a count of firms, a time phrase or an evaluative word means it is not a name
_BAD_INSIDE = re.compile(r"某$|部分|[一二三四五六七八九十几数多两]家|月份|产假|病假|休假|请假|时间|期间|方面|以后|以前|之后|目前|现在|当时|和[省市县区]|"
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
                       r"多家|不少|很多|大量|大批|员工|工人|职工|疫情|今年|去年|明年)|计划|亏损|严重|影响|^正|^将|"
                       # an ordinal (第一波降薪潮) or a verb with its aspect mark (冒着裁员的风险) names no one (round 11)
                       r"^第[一二三四五六七八九十\d]|[着过]$|"
                       # strikers as a group, a list, a round (香港医护罢工, 福田、罗湖, 法国新一轮罢工; round 13)
                       r"医护|医务|、|新一轮|这一轮|又一轮|官宣|部分|集体|巨头|"
                       # workers, no employer (小区保安罢工, 医院护士罢工; round 14)
                       r"保安$|保洁$|护士$|医生$|司机$|骑手$|快递员$|店员$|教师$|老师$")
_SUBJECT_BAD = re.compile(r"[的在是了和与对向被给我你他她们某该这那个名人年月日]")
# Sentence words the tagger often calls nouns that stand before a name and are never part of it: reporting and
# citing (本报讯, 记者, 图为, 据悉, 上述), parties of a case or a deal (原告, 被告, 客户, 对方), roles ending in 方/商
# (发行方, 开发商, 承建商), verbs of dealing with a firm (办理, 联系, 交由, 委托, 中标, 隶属于), evaluative and
# locating words (当地, 著名, 知名, 主流) and comparisons (像, 如同). Checked on the CLUENER2020 company spans
# (bench/employer_boundaries.py --file train; its dev file is held out); connectives of a story (结果, 后来).
_CONTEXT_WORDS = (
    "本报讯", "讯", "记者", "图为", "图", "据悉", "据了解", "据报道", "上述", "前述", "该", "原告", "被告", "申请人",
    "被申请人", "客户", "对方", "发行方", "出品方", "主办方", "承办方", "投资方", "合作方", "资方", "甲方", "乙方",
    "开发商", "承建商", "承包商", "供应商", "生产商", "制造商", "运营商", "经销商", "代理商", "服务商", "厂商",
    "办理", "联系", "交由", "委托", "中标", "隶属于", "隶属", "收购", "入股", "加盟", "签约", "携手", "联手",
    "包括", "例如", "比如", "其中", "来自", "加入", "离开", "跳槽", "起诉", "状告", "投诉到", "救助", "面向", "影响",
    "对话", "调查", "当地", "本地", "著名", "知名", "主流", "权威", "像", "如同", "正值", "故", "有关", "对象",
    # connectives of a story the tagger may call nouns (round 7: 结果上海XX有限公司连工资带押金一起扣了)
    "结果", "后来", "然后", "其实", "可是", "而且", "于是", "因此", "另外", "此外", "不料", "谁知", "没想到", "竟然",
    # words of a request or an argument the tagger calls nouns (建议市教育局, 合同规定物业, 这个时候政府; round 10)
    "建议", "彻查", "荣获", "看出", "不难看出", "时候", "问题", "规定", "消费者",
    # verbs of claiming, appointing and paying the tagger lets into a walk (谎称 + 银行,
    # 指派 + XX站, 付清; round 11, read on unlabelled board messages)
    "谎称", "声明", "指派", "代表", "关心", "付清", "罢免", "提高", "报读", "入读", "很多", "许多",
    "相信", "想信", "不缴",
    # kin of the writer (老公公司, 我爸单位: whose workplace, no name)
    "工资卡", "银行卡", "社保卡",
    "老公", "老婆", "丈夫", "妻子", "爱人", "爸爸", "妈妈", "父亲", "母亲", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹",
)
# Words that end a name when walking leftwards (they are not part of an organisation name).
_BREAK_WORDS = {
    "在", "是", "被", "给", "向", "对", "和", "与", "到", "的", "了", "于", "从", "为", "把", "由", "将", "让", "叫",
    "去", "来", "说", "及", "或", "跟", "同", "这", "那", "我", "你", "他", "她", "它", "我们", "你们", "他们",
    "本人", "咱们", "拖欠", "欠", "工作", "上班", "打工", "做", "入职", "就职", "任职", "进入", "进", "应聘", "反映",
    "关于", "位于", "属于", "承包", "承建", "施工", "老板", "负责人", "所在", "原", "系", "经",
    "今", "现", "曾", "都", "也", "还", "就", "又", "已", "请", "要求", "希望", "因", "因为", "所以", "但", "但是",
    "在职", "员工", "职工", "工人", "农民工", "仲裁", "要", "找", "以", "自", "后", "前", "时",
    "一家", "这家", "那家", "该", "某", "此", "其", "贵", "等", "事业单位", "单位", "甲方", "乙方", "时间",
    "讨薪", "维权", "投", "据", "受", "拖欠工资", "欠薪", "开", "办", "有", "没有", "无",
    "通报", "发布", "宣布", "问", "问下", "请问", "询问", "而", "很", "非常", "十分", "比较", "热爱", "喜欢", "整个", "所有", "全部",
    *_CONTEXT_WORDS, *_SPEECH_VERBS,
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
_PHRASE_WORDS = re.compile(r"旗下|下属|希望|利用|凸现|筹划|新建(?!设)|修建|开厂|建厂|办厂|开店|修水库|要求|请求|恳请|为了|因为|所以|但是|"
                           r"劳动者|老百姓|我们|他们|你们|自己|没有|不给|拖欠|克扣")
# nothing specific before the suffix (堂堂国有银行, 村里政府, 集团公司)
_GENERIC_HEAD = re.compile(r"^(非|堂堂|村里|县里|市里|镇里|乡里|区里|省里|国有|国营|私营|民营|集体|集团|总|分|大型|小型|外资|合资|"
                           r"上市|正规|黑心|无良|一些|有些|这些|那些|所有|全部|各个|各|百货|连锁)+$")
DEFAULT_BRANDS_DIR = REPO_ROOT.parent / "shared" / "data" / "companies"
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
# list entries that are words, not names
_GENERIC_BRAND = re.compile(r"^(公司|集团|银行|企业|工厂|中国|国家|政府|全国|本公司|该公司|总公司|分公司|有限公司|股份|控股|科技|"
                            r"实业|发展|国际|医院|学校|大学|中心|商场|超市|酒店|物业|工地|项目)$")
# a headline segment: from the text start or after a bracket/hash/space/punctuation
_SEGMENT_RE = re.compile(r"[^\s#【】\[\]《》“”\"，,:：!！?？。;；|丨]+")
_NAME_POS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j", "x"}
_NAMELESS_HEAD = re.compile(r"[这那此该某其我你他她它们的了是在和与]|个体户|包工头|工头|包头|承包人|员工|工人|职工|农民工|民工|教师|老师|医生|护士|骑手|司机|"
                            r"网友|记者|男子|女子|老板|公司|企业|单位|工厂|行业|多地|各地|全国|国内|国外|海外|全球|美国|日本|"
                            r"今年|去年|明年|疫情|专家|政府|当局|市民|家属|矿工|工友|高管|员|"
                            # the strikers as a group (香港医护, 黄医护罢工), a list (福田、罗湖), a round (法国新一轮罢工;
                            # round 13)
                            r"医护|医务|、|新一轮|这一轮|又一轮|官宣|"
                            # a share of a kind (陕西部分工地停工, 电子巨头集体裁员; round 14)
                            r"部分|集体|巨头")
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
_ROLE_PREFIX = re.compile(r"^.*?(?:施工方|承包方|承建方|发包方|分包方|总包方|劳务方|业主方|业主单位|建设单位|建设方|业主|用工方|用人方|甲方|乙方|"
                          # a parent and its relation before a subsidiary's own name (XX集团旗下子公司 + 上海YY有限公司)
                          r"旗下子公司|旗下公司|旗下企业|旗下|下属子公司|下属公司|下属企业|下属|控股子公司|全资子公司|子公司|"
                          r"用人单位|用工单位|事业单位|单位|"
                          # a shareholder before its name (大股东宏运集团; round 11)
                          r"控股股东|大股东|股东)(?=.{2,})")
_REPEATED_PLACE = re.compile(r"^((?<![A-Za-z0-9])[A-Z]\d{0,2}[省市区县])\1+")
# a contractor named before what it built: 由西地省XX建筑承建的XX项目
_BUILT_BY_RE = re.compile(r"由(?P<name>(?:西地省|[A-Z]\d{0,2}[省市区县]){1,4}[\u4e00-\u9fffA-Za-z]{2,10}?)(?:承建|承包|施工|开发|建设)的")
# a labour contractor named as a person: 包工头是刘某良, 拖欠工资的包头陈某某
_GANG_BOSS_RE = re.compile(r"(?:包工头|包头|工头|承包人|承包商|班组长)(?:是|叫|为|名叫)?(?P<name>[\u4e00-\u9fff]{2,3}?)"
                           r"(?=[，,。、；;(（\s]|男|女|他|欠|尚欠|拖|带|把|不|跑|携|卷|干|做|承包|手下|那里|那儿|处|一直|至今|$|"
                           # (round 16) what the contractor says or promises: 包工头X约了好几次, X说, X答应, X承诺
                           r"约|说|答应|承诺|拒|推|躲|找借口)")
_SURNAMES = COMMON_SURNAMES
_SPLIT_POS = {"v", "vg", "d", "a", "ag", "zg", "q", "l"}
_NEVER_IN_NAME_POS = {"p", "r", "c", "u", "ul", "uj", "uz", "ug", "uv", "ud", "y", "e", "w", "x", "m", "t"}
_POS_CACHE_MAX = 20_000
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_TOWN_BAD_CHARS = set("在是被给向对和与到的了于从为把由将让我你他她它们这那该某其本到去来")
# generic when no place names the organisation (中心学校, 培训学校, 主管局; K市中心医院 is a name)
_GENERIC_UNPLACED_HEAD = re.compile(r"^(主管|上级|中心|培训|职业|技术|民办|公办|私立|会计|驾驶|任务|该|各|本)+$")
_BUILDING_AFTER = re.compile(r"(?:[一二三四五六七八九十\d]+楼|会议室|大楼|办公楼|家属楼|宿舍楼|门口|大门|院内|院子|对面|旁边|附近|"
                             r"楼下|楼上|广场|"
                             # an address going on with a road and a number (XX社区皂果路5栋; round 11)
                             r"[\u4e00-\u9fff]{1,4}(?:路|街|巷|大道)[(（]?[\d一二三四五六七八九十]+[号栋])")
_HOSPITAL_END = re.compile(r"(医院|卫生院|保健院|诊所)$")
# sent or admitted to a hospital: treated there whatever follows; 在/到/去/经/前往 + a hospital only with a
# treatment word after it (在X医院治疗; not 在X医院做护工: a workplace)
_TREATED_BEFORE = re.compile(r"送往|送到|送至|送进|转往|转到|转入|转至|住进|入住")
_TREATED_AFTER = re.compile(r"^.{0,10}?(治疗|冶疗|检查|诊断|住院|就医|抢救|确诊|鉴定|就诊|手术|复查|康复|治伤|医治|缝|拍片|体检|"
                            r"看病|看伤|输液|打针|拿药|挂号|急诊)")
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
               "代理", "研发", "招聘", "传播", "演艺", "出租", "修缮", "改造", "绿化", "整治",
               # what a public works station does, tagged as verbs (电力排灌站, 水利提灌站; round 16)
               "排灌", "灌溉", "提灌", "排涝", "抽水",
               # trade words the tagger calls adverbs / verbs (宁远高速项目部, 长途客运站, 节能科技; round 9)
               "高速", "快速", "长途", "高新", "节能",
               # trade words the tagger calls verbs (威精 + 包装 + 印务有限公司, 康阳 + 休闲 + 山庄; round 10)
               "包装", "休闲", "健身", "养生", "洗涤", "冶炼", "铸造", "锻造", "装卸", "搬家", "快递", "速递", "展览",
               "烘焙", "采矿", "造纸", "照明", "安防", "出版", "自动化", "智能化", "信息化", "一体化"}
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
# the workers' colloquial words for themselves (十几个兄弟, 二十多个姐妹, 七八个老乡): people only after a measure
# word for people, and not the "sister" of a sister organisation (兄弟单位)
_MATE_WORDS = r"兄弟|弟兄|姐妹|老乡|伙计"
_MATES = rf"(?(m)(?:{_MATE_WORDS})(?!单位|公司|企业|部门|学校|医院|城市|省|市|县|区|院校)|(?!))"
_WORKERS_RE = re.compile(
    rf"(?<![\d.,])(?P<n>{_NUM_W})(?P<q>多|余|来|几|于(?=(?:名|位)?{_PERSON}))?(?P<m>名|位|个|号)?"
    rf"(?P<mod>(?:{_MOD_WORDS}|(?(m)(?!{_BAD_MOD_AFTER_MEASURE})|(?!{_BAD_MOD_CHARS}))[\u4e00-\u9fff]){{0,10}}?)"
    # after a measure word the modifier may end in 的 (60多个讨薪的工人, 30名被欠薪的农民工)
    rf"(?(m)(?:(?<=[\u4e00-\u9fff]{{2}})的)?)"
    rf"(?P<p>{_PERSON}|{_TRADE_WORKER}|{_MATES})"
)
_WORKER_SENT = re.compile(r"工人|员|职工|农民工|民工|工友|同事|临时工|合同工|协警|辅警|教师|老师|护士|医生|医护|司机|保安|环卫|"
                          r"矿|我们|大家|裁员|减员|欠薪|拖欠|工资|工钱|讨薪|罢工|辞退|解雇|开除|维权|社保|停工|上访|聚集|劳动|"
                          r"合同|工作|上班|单位|公司|厂|工地|项目|企业|业")
# a modifier naming an organisation (三个林场职工: the count is of forest farms) and person nouns that are no workers
_NOT_WORKER_MOD = re.compile(r"[矿厂店]|林场|农场|公司|单位|企业|部门|学校|班组|项目|工地")
_NOT_WORKER_PERSON = re.compile(r"会员|党员|学员|委员|议员|官员|演员|球员|团员|动员|社员")
_WORKERS_RE2 = re.compile(
    rf"(?:工人|员工|农民工|职工|民工|临时工|合同工|人员|同事|工友|劳动者|务工者)(?:共|约|有|达|多达|近|超过|总计|计|共计){{0,2}}"
    rf"(?<![\d.,])(?P<n>{NUM_RE})(?:多|余)?(?:名|位|人)"
)
_WORKERS_RANGE = re.compile(rf"(?<![\d.,])(?P<n>\d+)[-~～至到](?:\d+)(?:(?:个|名|位)?(?:{_PERSON})|"
                            # a trade in 工 after a measure word for people (5至6名油漆工)
                            r"(?:个|名|位)[\u4e00-\u9fff]{1,2}工(?![资程作厂地钱龄种期序会友人具件商业艺区]))")
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
    rf"(?<![\d.,A-Za-z])(?P<n>\d+(?:\.\d+)?万\d千|{NUM_RE})(?P<q>多|余|来)?"
    # the Latin shorthands of social posts after Arabic digits (1.2w = 12000, 5k = 5000, 3w多): money only in a
    # sentence about arrears (money_mentions), never glued to a further Latin letter (4K屏, 5kg)
    rf"(?P<u>千万|百万|万|千|亿|(?<=\d)[wWkK](?![A-Za-z]))?(?P<q2>多|余)?(?P<y>元|块钱|块)?"
)
_UNIT_MULT = {"千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1000, "亿": 100_000_000,
              "w": 10_000, "W": 10_000, "k": 1000, "K": 1000}
# a number written straight before the wages it is (欠我四千五的工钱, 7千多工资): money without 元 or 万
_WAGE_AFTER = re.compile(r"(?:的)?(?:工资|工钱|薪水|薪资|血汗钱|辛苦钱|加班费|劳务费)")
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


def load_brands(companies_dir: Path) -> frozenset[str]:
    """Short company names from the shared lists (A-share short names, CLUENER company mentions) when the
    folder is present; an empty set otherwise (the registry gazetteer still applies). Read at run time only:
    the lists are third-party data and never copied into the repository."""
    return _load_brands_cached(str(companies_dir))


#: the shared company lists and the column that holds a name in each
LISTED_FILE, LISTED_COLUMN = "a_share_listed_companies.csv", "股票名称"
_BRAND_FILES = {LISTED_FILE: LISTED_COLUMN, "cluener_company_mentions.csv": "company"}


@functools.lru_cache(maxsize=8)
def company_list_names(path: str, column: str) -> tuple[str, ...]:
    """The names in one column of a shared company list, without ST marks and share-class letters (*ST中天 -> 中天,
    万科A -> 万科); () when the file is absent, a warning when it cannot be read. Read once per process for the
    brands and the listed companies' stems (:func:`nlp.entities.short_names.load_brand_stems`)."""
    f = Path(path)
    if not f.is_file():
        return ()
    names: list[str] = []
    try:
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                names.append(re.sub(r"^\*?ST|[AB]$", "", (row.get(column) or "").strip()).strip())
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        logger.warning("company list %s unreadable (%s); skipped", f, exc)
        return ()
    return tuple(names)


@functools.lru_cache(maxsize=4)
def _load_brands_cached(companies_dir: str) -> frozenset[str]:
    d = Path(companies_dir)
    names = {name for fname, column in _BRAND_FILES.items()
             for name in company_list_names(str(d / fname), column) if _brand_ok(name)}
    if names:
        logger.debug("loaded %d brand names from %s", len(names), d)
    return frozenset(names)


def _brand_ok(name: str) -> bool:
    return (2 <= len(name) <= 10 and len(_CJK_CHARS.findall(name)) + 2 * len(re.findall(r"[A-Za-z]{2,}", name)) >= 2
            and not _GENERIC_BRAND.search(name) and not _NOT_EMPLOYER.search(name))
