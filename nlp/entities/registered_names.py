"""The structure of a registered Chinese firm name, as the employer walk of :mod:`nlp.entities.employers` reads it
(issue 14): place + 字号 (the trade name) + trade + legal form, e.g. 上海 + 宏盛 + 包装 + 有限公司.

The owned jieba tagger often mis-reads such names: trade words come out as verbs (包装, 快递, 搬家), an unknown
字号 is cut into single characters or tagged as an adverb or a function word (上海 + 顺/通, 上海 + 鼎新, 上海 + 和美,
佳 + 和, 味 + 之 + 源). The patterns and small predicates here keep those words inside the name; the walk decides
where they apply.
"""

from __future__ import annotations

import re

from nlp.entities.vocabulary import _ADMIN_CHARS, _BREAK_WORDS, _CJK_ONLY, _NEVER_IN_NAME_POS
from nlp.entity_patterns import CN_PLACES

__all__ = ["CITY_WORD", "LEGAL_FORM", "QUOTED_PART", "QUOTES", "TRADE_SLOT_SUFFIX", "single_chars_after_city",
           "zihao_word"]

QUOTES = re.compile(r"[“”\"「」『』‘’]")
# a quoted 字号 inside a name (“连天红”家具公司)
QUOTED_PART = re.compile(r"[“\"「『‘][^“”\"「」『』‘’]{1,10}[”\"」』’]")
# suffixes after which the words before are a registered name's trade slot
TRADE_SLOT_SUFFIX = re.compile(r"股份有限公司|有限责任公司|有限公司|集团有限公司|公司|集团|厂|工厂|工作室")
# a city, province or masked place that opens a registered name (上海和美..., 江苏同创..., A市...)
CITY_WORD = re.compile(rf"{CN_PLACES}|青浦|(?:[A-Z]\d{{0,2}}[省市区县])+|西地省")
# legal forms (and a studio) after which a 字号 may hold what the tagger calls a function word
LEGAL_FORM = re.compile(r"有限公司|有限责任公司|集团|工作室")
# function characters that also open or join a 字号 (和美, 佳和, 永和, 同济...)
_JOINED_CHARS = set("和与同及为永向从于对")

Tokens = list[tuple[str, str]]


def _single_cjk(tok: tuple[str, str]) -> bool:
    return len(tok[0]) == 1 and bool(_CJK_ONLY.match(tok[0]))


def zihao_word(toks: Tokens, k: int, keep: list[str], *, legal: bool, slot_suffix: bool) -> bool:
    """Whether token ``k`` (walking leftwards, ``keep`` the name part kept so far) is a word of the 字号 that the
    tagger split or mis-tagged. ``legal``: the name ends in a legal form; ``slot_suffix``: its suffix opens a
    trade slot (公司, 厂, 有限公司...)."""
    if not keep or k == 0:
        return False
    w = toks[k][0]
    left = toks[k - 1]
    if len(w) == 1 and w in _JOINED_CHARS and slot_suffix and CITY_WORD.fullmatch(left[0]):
        return True  # 上海 + 和 + 美家政服务有限公司: a function character opens the 字号 after the city
    if legal and 2 <= len(w) <= 3 and _CJK_ONLY.match(w) and w not in _BREAK_WORDS and CITY_WORD.fullmatch(left[0]):
        return True  # 上海 + 鼎新 (tagged an adverb) + 广告有限公司: the 字号 between city and trade
    name_char_left = (_single_cjk(left) and left[0] not in _BREAK_WORDS and left[1] not in _NEVER_IN_NAME_POS)
    if w == "之" and len(keep[-1]) == 1 and name_char_left:
        return True  # 味 + 之 + 源餐馆: 之 inside a 字号 of single characters
    return bool(len(w) == 1 and w in _JOINED_CHARS and legal and name_char_left and left[0] not in _ADMIN_CHARS)
    # (佳 + 和 + 餐饮管理有限公司: a 字号 of single characters the tagger split)


def single_chars_after_city(toks: Tokens, k: int) -> int | None:
    """The index j when toks[j..k] are one to three single characters (no sentence word) right after a city or
    masked place (上海 + 顺 + 通): the 字号 of a registered name the tagger cut into characters; else None."""
    j = k
    while j >= 0 and k - j < 3 and _single_cjk(toks[j]) and (
            toks[j][0] not in _BREAK_WORDS or toks[j][0] in _JOINED_CHARS):
        if j > 0 and CITY_WORD.fullmatch(toks[j - 1][0]):
            return j
        j -= 1
    return None
