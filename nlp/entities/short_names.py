"""Employer names without a legal-form suffix in short posts (entity round 14): a firm written by its 字号 and a
trade word (星辰教育, 宏达物流, 捷运快递) or by a known brand (京东, 联想), as the party of a dispute told right
after it, with or without its workers between:

    星辰教育拖欠员工工资 / #宏达物流员工被拖欠工资# / 京东的快递员集体讨薪 / 网传捷运快递欠薪跑路

The 字号 + trade form is taken only where it opens a segment (the text start, after punctuation, a hashtag or a
bracket, or after a report word such as 网传), so that no word of the sentence is glued onto it; the 字号 is two to four
Chinese characters that are no function word, no place, no count, no time, no generic kind (民办, 私营, 本地...).
A brand may stand anywhere, the brand list deciding that it is a name. Candidates are read by
:class:`nlp.entities.employers.EmployerMentions` beside the suffix walk (which does not see these names: the tagger
calls 优胜 a verb and cuts 顺丰 into characters).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from pathlib import Path

from nlp.entities.vocabulary import LISTED_COLUMN, LISTED_FILE, company_list_names
from nlp.entity_patterns import _ORG_END, CN_PLACES

__all__ = ["DISPUTE_AFTER_NAME", "TRADE_NAME_RE", "UNKNOWN_NAME_RE", "generic_zihao", "load_brand_stems", "stem_ok",
           "trade_name_ok", "unknown_name_ok"]

# trade words that end a firm's short name (字号 + trade): industries a post names a firm by
_TRADE = (r"(?:教育|培训|物流|快递|速递|快运|科技|网络|传媒|文化|影视|航空|餐饮|地产|置业|物业|电子|电器|汽车|汽配|"
          r"食品|医药|药业|制药|服饰|家具|装饰|建设|建筑|劳务|家政|健身|酒业|实业|集团)")
# the workers between the firm and what they suffer (星辰教育(的)老师被拖欠, 宏达物流员工罢工)
_WORKERS = (r"(?:的)?(?:全体|一线|上百名|数百名|几百名|多名|部分|大批)?(?:员工|职工|工人|老师|教师|快递员|快递小哥|骑手|司机|"
            r"店员|营业员|保安|保洁|护士|医护|工作人员|农民工|民工)(?:们)?")
# the dispute told right after the firm or its workers
# (a debt between firms is no labour dispute: 拖欠 + 货款 / 租金 / 房租 / 债 ... within the clause)
_NOT_WAGES = r"(?![^，。！？,]{0,10}?(?:货款|租金|房租|债|贷款|税款|房款|租船费|物业费|水电费|暖气费))"
_DISPUTE = (r"(?:被|遭|遭到)?(?:集体|再次|又|又要|一直|长期|恶意|竟然|已经|已|将|要)?(?:拖欠" + _NOT_WAGES + r"|欠薪|被欠薪|讨薪|讨工资|讨要工资|讨要薪资|"
            r"罢工|停工|裁员|大裁员|被裁|降薪|减薪|停薪|辞退|开除|解雇|不发工资|未发工资|没发工资|克扣|欠缴|"
            r"欠.{0,6}工资|拖.{0,4}工资|老板跑路|跑路|倒闭|关门)")
DISPUTE_AFTER_NAME = re.compile(rf"(?:{_WORKERS})?{_DISPUTE}")
# a segment start, an optional report word, then 字号 + trade word, then the dispute
TRADE_NAME_RE = re.compile(
    r"(?:^|(?<=[\s#【】\[\]《》“”\"，,:：!！?？。;；|丨/]))(?:网传|据传|传闻|据悉|曝光|爆料|网曝|曝|听说|求助|"
    r"快讯|突发|独家)?"
    rf"(?P<name>[\u4e00-\u9fff]{{2,4}}?{_TRADE})(?={_WORKERS}{_DISPUTE}|{_DISPUTE})")
# a name the dictionary does not know as a common word (a brand the segmenter cuts into characters or tags as a
# rare noun), two to five characters opening a segment, right before its workers and their dispute: the workers
# are required here (a name alone before 停工 / 裁员 is most often a scope: 全国, 企业, 剧组; round 15)
UNKNOWN_NAME_RE = re.compile(
    r"(?:^|(?<=[\s#【】\[\]《》“”\"，,:：!！?？。;；|丨/]))(?:网传|据传|传闻|据悉|曝光|爆料|网曝|曝|听说|求助|"
    r"快讯|突发|独家)?"
    rf"(?P<name>[\u4e00-\u9fffA-Za-z]{{2,5}}?)(?={_WORKERS}{_DISPUTE})")
# characters that are never in a 字号 of two to four characters (function words, pronouns, counts, time)
_BAD_ZIHAO_CHARS = set("的了是在和与被把将对向给从我你他她它们这那该某其本每各个家里说要就都也还又很太最")
# generic kinds, owners and scopes that are no 字号 (民办教育, 私营企业, 本地物流, 网上教育, 国际航空...)
_GENERIC_ZIHAO = re.compile(r"^(?:民办|公办|私立|私营|民营|国营|国有|本地|外地|当地|全国|各地|网上|线上|线下|在线|农村|城市|"
                            r"国际|国内|海外|中外|外资|合资|中小|大型|小型|传统|社会|职业|学前|义务|高等|基础|课外|幼儿|"
                            r"学科|少儿|成人|特殊|现代|智慧|互联|疫情|今年|去年|明年|目前|现在|公司|企业|单位|行业|整个|小区|社区|学校|医院|酒店|商场|超市|工地|工厂|"
                            r"所有|很多|一些|部分|大部|这家|那家|黑心|无良|垃圾|知名|著名|某某|某|XX|xx)$")


def generic_zihao(zihao: str) -> bool:
    """``zihao`` is a generic kind, owner or scope (民办, 国内, 本地...), no firm's 字号."""
    return bool(_GENERIC_ZIHAO.match(zihao))


def trade_name_ok(name: str, trade_start: int, places: Collection[str],
                  pos: Callable[[str], list[tuple[str, str]]]) -> bool:
    """``name`` (字号 + trade word, the trade word from ``trade_start``) names a firm: a 字号 of two to four Chinese
    characters, none a function character, no place (``places`` and the Chinese provinces and big cities), no
    generic kind, and not a time or count word by the tagger (``pos``)."""
    zihao = name[:trade_start]
    if not (2 <= len(zihao) <= 4) or any(c in _BAD_ZIHAO_CHARS for c in zihao):
        return False
    if _GENERIC_ZIHAO.match(zihao) or zihao in places or re.fullmatch(rf"(?:{CN_PLACES})[省市]?", zihao):
        return False
    toks = pos(zihao)
    if not toks or all(f in ("ns", "t", "m", "r", "p", "c", "d", "u", "uj", "f") for _, f in toks):
        return False  # a place, a time or a count word alone (上海物流, 今年教育)
    return not any(f in ("t", "m", "r", "p", "c", "uj", "ul") for _, f in toks)


TRADE_WORD = re.compile(rf"{_TRADE}$")


# the trade or legal tail of a listed company's short name that posts leave off (顺丰控股 -> 顺丰, 格力电器 -> 格力)
_LISTED_TAIL = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:控股|股份|集团|快递|速递|物流|超市|易购|航空|汽车|乳业|电器|科技|教育|"
                          r"传媒|地产|置业|实业|医药|药业|食品|电子|智能|网络|通信|能源|环保|环境|电气|重工|酒业|味业)$")
_STEM_BAD_POS = {"t", "m", "r", "p", "c", "d", "f", "s", "v", "vn", "a", "ad", "an", "b"}
_STEM_MAX_FREQ = 300  # a stem the dictionary counts more often is a common word (阳光, 胜利, 长城, 中文)
_OWNED_NAME_FREQ = 200_000  # the count the owned dictionary gives the names it adds (申通, 韵达: x)


def load_brand_stems(companies_dir: Path) -> frozenset[str]:
    """Stems of the listed companies' short names (顺丰控股 -> 顺丰) from the shared A-share list when present,
    else empty; read at run time only (third-party data, never copied into the repository). Whether a stem may
    stand for its firm is decided where it is used (:func:`stem_ok`: no place, no common word)."""
    return _load_stems_cached(str(companies_dir))


@functools.lru_cache(maxsize=4)
def _load_stems_cached(companies_dir: str) -> frozenset[str]:
    names = company_list_names(str(Path(companies_dir) / LISTED_FILE), LISTED_COLUMN)
    return frozenset(m.group(1) for m in map(_LISTED_TAIL.match, names) if m is not None)


def stem_ok(stem: str, pos: Callable[[str], list[tuple[str, str]]], freq: Callable[[str], int | None]) -> bool:
    """A listed company's stem may stand for its firm: no function character (美的), no place word by the tagger
    (东莞, 苏宁: places and brands alike are left to the brand list), no common word (the dictionary counts it
    ``_STEM_MAX_FREQ`` times or more: 阳光, 老板, 中文), unless the owned dictionary added it as a name (申通: x)."""
    if any(c in _BAD_ZIHAO_CHARS for c in stem) or re.fullmatch(rf"(?:{CN_PLACES})[省市]?", stem):
        return False
    toks = pos(stem)
    # (the tags of single characters of an unknown stem say nothing: 顺 + 丰 is a preposition and an adjective)
    if not toks or any((len(toks) == 1 or len(w) > 1) and (f.startswith("ns") or f in _STEM_BAD_POS) for w, f in toks):
        return False
    n = freq(stem)
    return n is None or n < _STEM_MAX_FREQ or (n == _OWNED_NAME_FREQ and toks[0][1] in ("x", "nz", "nt", "j"))


_NAME_TAGS = {"n", "nz", "nr", "nrt", "nt", "j", "x", "eng"}
_FUNCTION_TAGS = {"t", "m", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "f", "d", "a", "ad", "an", "vd", "q", "y",
                  "e"}  # (an adjective describes the workers: 黑 + 医护罢工)
_VERB_TAGS = {"v", "vn", "vg", "vd"}


def unknown_name_ok(name: str, places: Collection[str], pos: Callable[[str], list[tuple[str, str]]],
                    freq: Callable[[str], int | None]) -> bool:
    """``name`` (read by :data:`UNKNOWN_NAME_RE`) may be a firm the dictionary does not know (round 15): no function
    character, no generic kind or scope, no place; not a common word (the dictionary counts it ``_STEM_MAX_FREQ``
    times or more: 外卖, 医院, 中文); one dictionary word only when tagged as a noun or name; several words only when
    none is a function, time, count or locative word, they are not all places and not all verbs (拖延推诿: a
    phrase)."""
    if any(c in _BAD_ZIHAO_CHARS for c in name) or _GENERIC_ZIHAO.match(name) or name in places \
            or re.fullmatch(rf"(?:{CN_PLACES})[省市]?", name) or TRADE_WORD.search(name) or _ORG_END.search(name):
        return False  # (字号 + trade word: :func:`trade_name_ok` decides those; an organisation word ends a kind: 老厂)
    n = freq(name)
    if n is not None and n >= _STEM_MAX_FREQ:
        return False
    toks = pos(name)
    if not toks:
        return False
    if len(toks) == 1:
        return toks[0][1] in _NAME_TAGS
    tags = [f for _, f in toks]
    return not (any(f in _FUNCTION_TAGS for f in tags) or any(_GENERIC_ZIHAO.match(w) for w, _ in toks) or all(f.startswith("ns") for f in tags)
                or all(f in _VERB_TAGS for f in tags))
