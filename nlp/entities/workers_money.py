"""Worker counts and money amounts (see the rules in :mod:`nlp.entities`), as the :class:`WorkersAndMoney` part of
:class:`nlp.entities.EntityExtractor`. Split out of ``nlp/entities.py`` (issue 14).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.entities.vocabulary import (
    _ALIKE_RE,
    _ARREARS_CTX,
    _BOOK_TITLE,
    _COUPLE_RE,
    _DIRECT_OWED,
    _DISPUTE_AFTER,
    _DISPUTE_BEFORE,
    _DISPUTE_CLAUSE,
    _FALSE_CLAIM,
    _FINE_BY_AUTHORITY,
    _FINE_ON_WORKER,
    _FINE_RE,
    _FUNDING_RE,
    _LAYOFF_RE,
    _MATE_WORDS,
    _MONEY_RE,
    _NEGATED,
    _NOT_OWED_AFTER,
    _NOT_OWED_BEFORE,
    _NOT_WORKER_MOD,
    _NOT_WORKER_PERSON,
    _PAID_BEFORE,
    _PER_MONTH_RE,
    _PERSON,
    _POLICY_GROUP,
    _RATE_AFTER,
    _RATE_BEFORE,
    _SELF_BEFORE,
    _SELF_PAID,
    _SENT_SPLIT,
    _SI_CTX,
    _STRONG_ARREARS,
    _TITLE_CHARS,
    _TOTAL_RE,
    _TRADE_WORKER_BAD,
    _UNIT_MULT,
    _WAGE_AFTER,
    _WAGE_WORDS,
    _WORKER_SENT,
    _WORKERS_RANGE,
    _WORKERS_RE,
    _WORKERS_RE2,
)

# shared with nlp.entity_model, which cannot import this package (the package loads that model)
from nlp.entity_patterns import (  # noqa: F401 - re-exported
    _masked_code_digit,
    _parse_count,
)
from nlp.numbers import NUM_RE, PER_PERSON_RE, parse_cn_number


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



# a money range (3万至5万元, 三到五万元, 3-5万元): the lower bound is the amount (guidelines: take the floor)
_RANGE_HIGH_AFTER = re.compile(rf"[-~～至到](?P<n>{NUM_RE})(?P<u>千万|百万|万|千|亿)?(?:多|余)?(?P<y>元|块钱|块)?")
_RANGE_LOW_BEFORE = re.compile(rf"(?:{NUM_RE})(?:千万|百万|万|千|亿)?(?:多|余)?[-~～至到]$")


class WorkersAndMoney:
    """Worker-count and amount methods of :class:`nlp.entities.EntityExtractor`."""

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
                mates = bool(re.fullmatch(_MATE_WORDS, p)) and m.group("m") in ("个", "名", "位")  # 十几个兄弟
                # 十几个搬运工: a two-character trade + 工 after 个 (round 7); not a unit + 职工 (三个煤矿职工)
                trade3 = m.group("m") == "个" and len(p) == 3 and not re.search(r"[职员民矿厂店场]", p)
                if not re.fullmatch(_PERSON, p) and not mates and (
                        (m.group("m") not in ("名", "位") and not trade3) or _TRADE_WORKER_BAD.search(p)):
                    continue  # 环卫工 only as 五位环卫工 / 十几个搬运工; 施工/开工 are no persons
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
            skip_upper_until = -1
            for m in _MONEY_RE.finditer(sent):
                unit = m.group("u") or ""
                yuan = m.group("y")
                raw = m.group("n")
                end = m.end()
                if m.start() < skip_upper_until and _RANGE_LOW_BEFORE.search(sent, max(0, m.start() - 12), m.start()):
                    continue  # the upper bound of a range read as its lower bound (3万至5万元: the labels take the floor)
                upper = _RANGE_HIGH_AFTER.match(sent, end)
                if (upper is not None and (upper.group("u") or upper.group("y")) and not yuan and not unit
                        and not re.search(r"[百千万亿]", raw)):  # 三到五万元, 3-5万元: the lower bound takes the upper's unit
                    tail_unit = next((u for u in ("千万", "百万", "万", "千", "亿") if upper.group("n").endswith(u)), "")
                    unit = unit or upper.group("u") or tail_unit  # (五万元: the numeral holds the unit)
                    yuan = yuan or upper.group("y")
                if raw.endswith(("万一", "亿一")) and sent[end: end + 1] in "事次个笔起批件天年":
                    raw = raw[:-1]  # "近千万一事": the 一 belongs to the next word
                if unit in _LATIN_UNITS and not ctx:
                    continue  # 5k / 1.2w are money only where arrears are spoken of
                # (its own clause says it is owed: 欠我四千五的工钱, 欠了我们7千多工资)
                owed_before = bool(_DIRECT_OWED.search(sent, max(sent.rfind(c, 0, m.start()) for c in "，,") + 1,
                                                       m.start()))
                wage_after = owed_before and bool(_WAGE_AFTER.match(sent, end)) and bool(
                    unit or re.search(r"[百千万]", raw) or (raw.isdigit() and int(raw) >= 100))
                if not yuan and not (unit and unit != "千") and not _has_big(raw) and not wage_after:
                    continue  # a bare number is money only with 元/块, a 万/亿 magnitude or the wages after it
                if not yuan and not (ctx or sctx) and not (unit or _has_big(raw)):
                    continue
                nxt = sent[end: end + 1]
                if _masked_code_digit(sent, m.start(), raw) or (raw == "千万" and nxt and nxt in "不别要家户里莫勿") or (
                        raw == "一万" and nxt == "步") or (m.group("y") and nxt and nxt in "酒店"):
                    continue  # 千万不要 / 退一万步 (adverbs), 三元酒店 (a name)
                nxt = sent[end: end + 1]
                if sent[end: end + 2] in ("/月", "每月") or (nxt and nxt in "人名个年月日天平亩吨户次岁"):
                    continue
                n = parse_cn_number(raw)
                if n is None and raw in ("万", "亿") and m.group("q") and owed_before:
                    n = float(_UNIT_MULT[raw])  # 万余元 / 亿余元: the magnitude alone is one of it
                if n is None or n <= 0:
                    continue
                value = n * _UNIT_MULT.get(unit, 1)
                if upper is not None:
                    skip_upper_until = upper.end()
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




_LATIN_UNITS = ("w", "W", "k", "K")


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




