"""The relevance view of a normalised post: the words its author wrote, without the platform's residue, with the
common pinyin abbreviations and homophone spellings of labour words written out.

Weibo and forum posts carry text that is no part of what the author says: repost markers (``//@name:``),
mention lists (``@上海青浦发布 @青浦人社``), folding and link tails (``...全文``, ``网页链接``,
``L某某的微博视频``), "转发微博".
They shift a bag-of-words member and a short-text encoder by as much as the post's own words (issue 14: the same
complaint scored 0.36 bare and 0.08 with a link tail). Posters also write labour words in pinyin initials (qx 欠薪,
lb 老板, gz 工资) or half in pinyin (欠xin, 跑lu), to dodge keyword filters or out of habit; staff of foreign
firms write labour words in English (拖salary, 不算work injury), written out in Chinese.

:func:`relevance_view` is what the relevance members and the event frames read (``Analyzer(surface_view=True)``);
the entities read the normalised text itself (an ``@某公司`` mention may name the employer). Expansion is
conservative: an abbreviation is written out only as a whole ASCII token (not inside a word such as ``HR`` or an
English name), and only the ones whose labour reading dominates in Chinese posts; ``sb`` (an insult far more often
than 社保) is left alone.
"""

from __future__ import annotations

import re

__all__ = ["relevance_view", "ABBREVIATIONS"]

#: Repost markers: ``//@name:`` (the name up to the colon) and a bare ``转发微博``.
_REPOST = re.compile(r"//\s*@[^:：\s]{1,30}[:：]\s*|转发微博")
#: A mention: ``@name`` up to whitespace or a colon/comma, at most 30 characters.
_MENTION = re.compile(r"@[^\s@:：,，。！？!?]{1,30}[:：]?")
#: Folding and link tails, video/picture cards.
_TAIL = re.compile(r"(?:\.{2,}|…+)?\s*(?:展开)?全文\s*(?:c|>)?|网页链接|O网页链接|"
                   r"L[^\s，。！？]{1,30}?的微博(?:视频|直播|故事)|查看图片|\[(?:组图共\d+张|图片|视频)\]|原图")

#: Pinyin initials written out (whole ASCII tokens only, case-insensitive).
ABBREVIATIONS: dict[str, str] = {
    "qx": "欠薪",
    "lb": "老板",
    "gz": "工资",
    "gs": "公司",
    "zf": "政府",
    "ldj": "劳动局",
    "rsj": "人社局",
    "bgt": "包工头",
}
_ABBR = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![A-Za-z])",
                   re.IGNORECASE)
#: A labour word with one syllable in pinyin (欠xin, 讨xin, 跑lu, 工zi) and homophone misspellings (公资, 攻资).
_HALF_PINYIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(欠|讨|追|降|减|发)xin", re.IGNORECASE), r"\1薪"),
    (re.compile(r"xin(资|水|酬)", re.IGNORECASE), r"薪\1"),
    (re.compile(r"跑lu", re.IGNORECASE), "跑路"),
    (re.compile(r"工zi|gong资", re.IGNORECASE), "工资"),
    (re.compile(r"she保|社bao", re.IGNORECASE), "社保"),
    (re.compile(r"(?<![上办])(公资|攻资|功资)"), "工资"),
)
#: Cantonese and Shanghainese (and a few south-western) words written out in Mandarin (session 14): posters write
#: the way they speak (老细走佬, 人工未出, 阿拉车间全部停工, 一分钞票补偿也没), and neither the members, trained on
#: Mandarin, nor the frames read them. Only words whose dialect reading dominates: characters that Mandarin does not
#: use (唔, 冇, 咗, 喺, 哋, 嚟, 啲), multi-character words, and 阿拉 / 伐 / 仲 only where Mandarin cannot have them
#: (not 阿拉伯, 仲裁, 征伐).
_CANTONESE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    # session 15 (before 唔 below): not needed to (唔使), go to work (返工), the subcontractor (判头), says (佢话, 判头话), fell (跌落)
    (r"唔使|唔洗", "不用"), (r"一蚊", "一分钱"), (r"返工", "上班"), (r"判头", "包工头"), (r"(?<=[佢头板细])话", "说"), (r"跌落", "摔下"),
    (r"唔关", "不关"),
    (r"出粮", "发工资"), (r"人工(?:未|冇|唔)出", "工资未发"), (r"人工(?=未发|冇发)", "工资"),
    (r"([拖欠还出讨追][^，。！？\s]{0,8}?)人工(?!智能|成本|费|湖|岛|降雨|呼吸|合成|干预|审核|客服|服务)", r"\1工资"),
    (r"执笠", "倒闭"), (r"走佬", "跑路"), (r"老细|老世", "老板"), (r"横额", "横幅"), (r"成间", "整间"),
    (r"我哋", "我们"), (r"你哋", "你们"), (r"佢哋", "他们"), (r"佢", "他"), (r"冇", "没"), (r"唔", "不"),
    (r"咗", "了"), (r"喺", "在"), (r"嘅", "的"), (r"啲", "的"), (r"嚟", "来"), (r"仲(?=有|未|冇|要|系)", "还"),
    (r"系咪", "是不是"),
))
_SHANGHAINESE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"阿拉(?!伯|丁|斯加|善|木图)", "我们"), (r"侬", "你"), (r"伊拉", "他们"), (r"覅", "不要"), (r"(?<![请切])勿", "不"),
    (r"钞票", "钱"), (r"今朝", "今天"), (r"做生活", "干活"),
    # session 15: wages (工钿), a month counted (两个号头), a time (啥辰光), agreed (讲好)
    (r"工钿", "工钱"), (r"(?<=个)号头", "月"), (r"辰光", "时候"), (r"讲好", "说好"),
    (r"(?<=[\u4e00-\u9fff])(?<![步征讨砍杀北挞攻口采])伐(?=[？?。！!，,\s]|$)", "吗"),
))
_SOUTHWEST: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"莫得", "没有"), (r"啥子", "什么"), (r"老板儿", "老板"),
))
#: Each dialect's words (and the homophone slips, `_TYPOS`) are written out only in a text with one of its marks (人工
#: alone is Mandarin: 人工智能).
#: Internet spellings (session 21): 木有 没有, 酱紫 这样, 肿么 怎么, 窝们 我们, 偶 我, 银 人, 滴 的, 咧 了 at a clause's
#: end; read only in a post that uses one of the unambiguous ones (偶, 银 and 滴 are common words elsewhere).
_NETSPEAK: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"木有", "没有"), (r"酱紫", "这样"), (r"肿么", "怎么"), (r"神马", "什么"), (r"灰常", "非常"), (r"窝们|偶们", "我们"),
    (r"(?:^|(?<=[，。！？,!?\s]))偶(?=[在们的是也就都今昨去被跟和给没])", "我"),
    (r"(?<=[都号个些多群滴的])银(?![行子色河杏耳币元两饰器牌川白联监保发])|(?<![金白水])银(?=都|们|家(?!人))", "人"),
    (r"(?<=[们边人子厂])滴(?=[\u4e00-\u9fff])", "的"), (r"(?<=[\u4e00-\u9fff])咧(?=[，。！？,!?\s]|$)", "了"),
))
#: Homophone slips of a pinyin keyboard on labour words (session 22, suite O read): written out in any text, each
#: only where the slip is no word of its own (老版本 and 老版的 stay; 人才员工 stays).
_TYPOS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"工紫", "工资"), (r"社宝", "社保"), (r"(?<=[被要大又在])才员(?![工外])", "裁员"), (r"陪偿", "赔偿"),
    (r"老版(?=说|让|不|跑|欠|又|还|把|给|就|也|都|没)", "老板"),
))
_DIALECTS = (
    (re.compile(r"工紫|社宝|才员|陪偿|老版"), _TYPOS),
    (re.compile(r"木有|酱紫|肿么|神马|灰常|窝们|偶们"), _NETSPEAK),
    (re.compile(r"[唔冇咗喺哋嚟啲佢嘅]|出粮|执笠|走佬|老细|横额|判头"), _CANTONESE),
    (re.compile(r"阿拉|侬|伊拉|覅|(?<![请切])勿|钞票|今朝|做生活|伐|工钿|号头"), _SHANGHAINESE),
    (re.compile(r"莫得|啥子|老板儿"), _SOUTHWEST),
)
#: English labour words in a Chinese post (session 20): staff of foreign firms write 拖salary, payroll delay了,
#: shut down中国的office, 不算work injury. Written out only as whole words, in a text that has Chinese too, and only
#: words whose labour reading dominates there (not "pay", "office", "HR", or "boss": games' bosses).
_ENGLISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<![A-Za-z]){p}(?![A-Za-z])", re.IGNORECASE), r) for p, r in (
        (r"work[ -]?(?:related )?injur(?:y|ies)", "工伤"), (r"social insurance", "社保"), (r"housing fund", "公积金"),
        (r"labou?r contract", "劳动合同"), (r"contract", "合同"), (r"lay(?:ing)?[ -]?offs?|laid[ -]off", "裁员"),
        (r"shut(?:ting)?[ -]?down|close[sd]? down", "关闭"), (r"severance(?: pay(?:ment)?)?", "经济补偿"),
        (r"salar(?:y|ies)|wages?|payroll|paychecks?", "工资"), (r"bonus(?:es)?", "奖金"), (r"overtime", "加班"),
        (r"delay(?:ed|s)?", "延迟"), (r"fired", "开除"), (r"(?<!lucky )strikes?|striking", "罢工"),
        (r"unpaid(?! leave)", "未发"),
    ))
_ENGLISH_MARK = re.compile(r"(?<![A-Za-z])(?:work[ -]?(?:related )?injur|social insurance|housing fund|contract|lay|laid|"
                           r"shut|close|severance|salar|wage|payroll|paycheck|bonus|overtime|delay|fired|strik|"
                           r"unpaid)", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACES = re.compile(r"[ \t]{2,}")


def relevance_view(text: str) -> str:
    """The normalised ``text`` as the relevance members read it (see the module docstring)."""
    if not text:
        return text
    out = text
    if "@" in out or "转发微博" in out:
        out = _REPOST.sub(" ", out)
        out = _MENTION.sub(" ", out)
    if any(k in out for k in ("全文", "链接", "微博", "图片", "原图", "[")):
        out = _TAIL.sub(" ", out)
    if re.search(r"[A-Za-z]", out):
        out = _ABBR.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], out)
        for rx, rep in _HALF_PINYIN:
            out = rx.sub(rep, out)
        if _ENGLISH_MARK.search(out) and _CJK.search(out):
            for rx, rep in _ENGLISH:
                out = rx.sub(rep, out)
    elif any(c in out for c in "公攻功"):
        out = _HALF_PINYIN[-1][0].sub(_HALF_PINYIN[-1][1], out)
    for mark, words in _DIALECTS:
        if mark.search(out):
            for rx, rep in words:
                out = rx.sub(rep, out)
    out = _SPACES.sub(" ", out).strip()
    return out or text
