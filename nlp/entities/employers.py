"""Employer mentions (see the rules in :mod:`nlp.entities`): the candidate finder, its ranking and cleaning, as
the :class:`EmployerMentions` part of :class:`nlp.entities.EntityExtractor`. Split out of ``nlp/entities.py``
(issue 14).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from nlp.employer_names import EmployerNameRules
from nlp.entities.employer_cues import (
    _attributed,
    _built_by,
    _did_the_wrong,
    _employs_the_writer,
    _helper_not_employing,
    _only_a_building,
    _only_overseeing,
    _only_treated_there,
    _opens_the_text,
    _own_employer_cue,
    _renamed_pair,
    _short_form_did_the_wrong,
    _signs_the_letter,
    _writers_contract_party,
)
from nlp.entities.employer_variants import _merge_variants
from nlp.entities.local_names import BranchStores, quoted_part_before
from nlp.entities.registered_names import (
    CITY_WORD,
    LEGAL_FORM,
    QUOTED_PART,
    QUOTES,
    TRADE_SLOT_SUFFIX,
    single_chars_after_city,
    zihao_word,
)
from nlp.entities.short_names import (
    DISPUTE_AFTER_NAME,
    TRADE_NAME_RE,
    TRADE_WORD,
    UNKNOWN_NAME_RE,
    generic_zihao,
    stem_ok,
    trade_name_ok,
    unknown_name_ok,
)
from nlp.entities.vocabulary import (
    _ADDRESS_END,
    _ADMIN_CHARS,
    _ALIAS_RE,
    _AT_HANDLE_FIRM_RE,
    _BAD_INSIDE,
    _BRANCH_SUFFIXES,
    _BREAK_POS,
    _BREAK_WORDS,
    _BUILT_BY_RE,
    _CJK_ONLY,
    _COMMON_HEAD_SUFFIXES,
    _COUNT_INSIDE,
    _DISPUTE_WORDS,
    _EARLY_BONUS,
    _EARLY_CHARS,
    _GANG_BOSS_RE,
    _GAP_BREAK,
    _GENERIC_CORE,
    _GENERIC_GOV,
    _GENERIC_HEAD,
    _GENERIC_NAMES,
    _GENERIC_ORG_END,
    _GENERIC_PREFIX,
    _GENERIC_UNPLACED_HEAD,
    _GOV_PENALTY,
    _GOV_SUFFIXES,
    _HEADLINE_SUBJECT_RE,
    _INDUSTRY_END_RE,
    _INDUSTRY_WORDS,
    _LEGAL_END,
    _LOCATIVE_BREAK,
    _MASKED_CHAIN,
    _MAX_NAME,
    _MAX_SUFFIX_HITS,
    _NAME_CHARS,
    _NAME_NUMERAL,
    _NAME_POS,
    _NAME_VERBS,
    _NAMELESS,
    _NAMELESS_HEAD,
    _NEVER_IN_NAME_POS,
    _NOT_EMPLOYER,
    _ORG_END,
    _PAREN_BAD,
    _PAREN_IN_NAME,
    _PAREN_NAME_RE,
    _PARENT_END,
    _PHASE,
    _PHRASE_WORDS,
    _PLACE_ONLY_BAD,
    _PLACED_SUBJECT_RE,
    _POS_CACHE_MAX,
    _REPEATED_PLACE,
    _ROLE_PREFIX,
    _SEGMENT_RE,
    _SITE_OF_COMPANY,
    _SPEECH_VERBS,
    _SPLIT_POS,
    _STAND_VERB_NEXT,
    _SUBJECT_BAD,
    _SUFFIX_RE,
    _SUFFIX_WORD,
    _SURNAMES,
    _TOWN_BAD_CHARS,
    _TOWNSHIP_UNITS,
    _WORKPLACE_RE,
    _ZONE_WORDS,
)

# shared with nlp.entity_model, which cannot import this package (the package loads that model)
from nlp.entity_patterns import (  # noqa: F401 - re-exported
    _COORD_RE,
    _MAX_COORD_OCC,
    CN_PLACES,
    _coordinated,
)
from nlp.registry import CompanyRegistry
from nlp.segment import Segmenter

logger = logging.getLogger(__name__)
_WRONG_BONUS = 1.5
_PROJECT_WORKS = re.compile(r"工程(?=[，,。；;！!？?\s的拖欠至未没一长]|$)")
_BOSS_TITLES = ("老板", "老总", "总", "经理", "哥", "姐")
_FIRST_BONUS = 0.5  # above the best: the opening subject, the signing organisation (round 8)
_HASHTAG_RE = re.compile(r"#([\u4e00-\u9fffA-Za-z0-9]{2,10})#")

def _renamed_wrongdoer(text: str, out: list[str]) -> list[str]:
    """Of a former / current name pair both output (X（原Y）), only the form written with a dispute cue of its own
    when exactly one has one (M4市XX局拖欠... （原XX站）: the bracketed former name is an aside; round 16, the
    ranking bench's ``renamed_wrongdoer``)."""
    if len(out) < 2:
        return out
    out = list(out)
    for a in list(out):
        for b in list(out):
            if a != b and a in out and b in out and _renamed_pair(text, a, b):
                ca, cb = _attributed(text, a), _attributed(text, b)
                if ca != cb:
                    out.remove(b if ca else a)
    return out


def _site_to_company(name: str) -> str:
    m = _SITE_OF_COMPANY.match(name)
    return m.group(1) if m else name


def _in_unknown_word(toks: list[tuple[str, str]], k: int) -> bool:
    """A single-character verb/adverb that, with the single character left of it, spells a word the dictionary
    does not know (优客租, 楚维: the segmenter without HMM cuts unknown names into characters)."""
    w, flag = toks[k]
    if len(w) != 1 or flag not in _SPLIT_POS or k == 0:
        return False
    lw, lf = toks[k - 1]
    # (a numbered unit of a firm is a name too: 上海建工 + 七 + 建 + 集团; round 7)
    numbered = lf == "m" and lw in _CN_DIGITS
    return (len(lw) == 1 and lw not in _BREAK_WORDS and (lf not in _NEVER_IN_NAME_POS or numbered)
            and bool(_CJK_ONLY.match(lw)) and bool(_CJK_ONLY.match(w)))


_CN_DIGITS = frozenset("一二三四五六七八九十")


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
    if (len(w) != 1 or w in _BREAK_WORDS or w in _LEADING_CONNECTIVES or flag not in _LEADING_POS
            or not _CJK_ONLY.match(w) or not keep
            or len(keep[-1]) != 1 or keep[-1] in _ADMIN_CHARS or not _CJK_ONLY.match(keep[-1])):
        return False
    if k == 0:
        return True
    lw, lf = toks[k - 1]
    return lw in _BREAK_WORDS or lf in ("x", "w", "ns") or lw in _ADMIN_CHARS


_LEADING_POS = {"v", "vd", "p", "d", "a", "ag", "vg", "zg"}
_NOT_NAME_END_POS = {"a", "ad", "ag", "v", "vd", "vg", "d"}
_REPORTED = re.compile(r"^(?:网传|据传|传闻|据悉|据报道|独家|快讯|突发|曝光|爆料|网曝|曝)")
# a public body written with a bare head (区 / 县 + its function + 局), which the walk drops as a generic name
_BARE_BODY_RE = re.compile(r"(?<![\u4e00-\u9fffA-Za-z0-9])[省市县区]?(?:教育|邮政|卫生|民政|交通|水利|林业|农业|财政|文化|"
                           r"城管|环卫|园林|粮食|住建|自然资源|水务|气象|统计|商务|体育)局")
# one-character connectives of a story (可XX项目部却拖欠: "but"), never the first character of a name (round 9)
_LEADING_CONNECTIVES = frozenset("可却竟便")
# a trade word ending a 字号 before a masked place and a branch suffix (玉诚 + 环境 + A7县分公司; round 11)
_TRADE_TAIL = re.compile(r"(?:环境|环保|物流|快递|物业|保安|保洁|家政|餐饮|建设|建筑|劳务|科技|电子|电器|传媒|教育|"
                         r"实业|置业|地产|汽车|医药|药业|食品|商贸|超市|银行|保险|证券|电信|移动|联通)$")
# workers written right after their employer in a headline (法航员工罢工, XX教育老师讨薪; round 14)
_HEADLINE_WORKERS = frozenset({"员工", "职工", "工人", "老师", "教师", "司机", "骑手", "快递员", "店员", "员工们", "工人们",
                               "保安", "保洁", "护士", "医生"})
_SHORT_NAME_POS = {"j", "nt", "eng", "x"}  # one word before the workers that is a short name (法航: j)
_PLANT_SUFFIXES = frozenset({"工厂", "厂", "分厂", "厂区", "基地", "仓"})  # a brand's plant named by its city
_MORE_CHAIN_PARTIES = 2  # parties each named with an employer cue of its own may pass the output cap by this many
_RARE_GROUP_HEAD = 100  # a noun the dictionary counts less often than this, before 集团, is a 字号 (round 15)
_WORKER_SHARE = frozenset({"部分", "全体", "一线", "大批", "所有", "多名", "大量"})
# the last character of a place name (东城, 天山, 松江, 中关村): a brand the tagger calls a place and that ends so is one
_GEO_END_CHARS = frozenset("山湖江河海洋城岛原州村斯")
_ORDINAL_START = re.compile(r"第[一二三四五六七八九十\d]")
# a masked place + 段 / 标段 at the start of a walked name: the section of a line, not part of the name (round 11)
_SECTION_PREFIX = re.compile(rf"^(?:{_MASKED_CHAIN.pattern})(?:标段|段)(?=[\u4e00-\u9fff]{{2,}})")
class EmployerMentions:
    """Employer methods of :class:`nlp.entities.EntityExtractor` (which sets the attributes below)."""

    segmenter: Segmenter
    registry: CompanyRegistry
    brands: frozenset[str]
    name_rules: EmployerNameRules | None
    _brand_max: int  # the longest brand's length
    _gaz_re: re.Pattern[str] | None  # the registry's gazetteer names, alternated
    _pos_cache: dict[str, list[tuple[str, str]]]
    _posseg: Any  # jieba.posseg.POSTokenizer, created on first use
    _branch_stores: BranchStores  # chain-store branches named by a district town
    _places_words: frozenset[str]  # the region's place and town names (no 字号 of a short name)
    brand_stems: frozenset[str]  # listed companies' stems (顺丰控股 -> 顺丰)
    _stem_max: int

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
            if len(out) >= limit + _MORE_CHAIN_PARTIES:
                break  # (a contractor chain names each party with its own role: up to two more than the cap; round 15)
            if n not in out and (_own_employer_cue(text, n)
                                 or (_ORG_END.search(n) and (_did_the_wrong(text, n) or _writers_contract_party(text, n)))
                                 or any(_built_by(text, o, n) for o in out)):
                # a further party named with its own employer cue (我们是XX公司的职工, XX承建的) or with the
                # wrong right after it (XX拖欠, round 7), the other party of the writers' own contract (我公司与XX
                # 签订, round 8), or the works a chosen contractor built (XX公司承建的YY项目部: the labels name both)
                out.append(n)
        return _renamed_wrongdoer(text, out)

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
        registered: set[str] = set()
        if self._gaz_re is not None:
            for m in self._gaz_re.finditer(text):
                cands[m.group(0)] = cands.get(m.group(0), 0.0) + 3.0
                first.setdefault(m.group(0), m.start())
                registered.add(m.group(0))
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
            if m.group(0) == "项目" and _PROJECT_WORKS.match(text, m.end()):
                name += "工程"  # XX开发建设项目工程拖欠...: the works are named with 工程 after 项目 (round 16)
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
        for name, pos in self._branch_stores.find(text):
            # 好又多超市赵巷店: a chain store's branch named by a district town (the whole, as written)
            if not _NOT_EMPLOYER.search(name) and not _PHRASE_WORDS.search(name):
                cands[name] = cands.get(name, 0.0) + 1.5
                first.setdefault(name, pos)
        for m in _PLACED_SUBJECT_RE.finditer(text):
            name = self._after_speech_verb(m.group("name"))  # B市老王说 + 鑫垚物流拖欠: the name after the verb
            if len(name) < 2:
                continue
            start = m.start() + len(m.group("name")) - len(name)
            if name.startswith("西地省") and _MASKED_CHAIN.match(name, 3):
                name = name[3:]  # the labels write 西地省 only when no masked city / county follows (as in the walk)
            core = _MASKED_CHAIN.sub("", name)
            if (name in cands or _GENERIC_CORE.match(core) or _SUBJECT_BAD.search(core)
                    or _NOT_EMPLOYER.search(name)):
                continue
            if any(name in k or name.startswith(k) for k in cands):
                continue
            cands[name] = 1.0
            first.setdefault(name, start)
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
            if name and generic_zihao(name[: len(name) - len(m.group(0))]):
                continue  # 国内 / 民办 + 教育员工: a scope or kind before the trade word, no 字号 (round 15)
            if name and name not in cands and not any(name in c for c in cands):
                cands[name] = 1.0
                first.setdefault(name, m.start())
        for m in _AT_HANDLE_FIRM_RE.finditer(text):
            name = m.group("name")  # @宏远物流 欠我们...: a firm's account addressed with its wrong
            if name not in cands and not any(name in c for c in cands) and not _NOT_EMPLOYER.search(name):
                cands[name] = 1.0
                first.setdefault(name, m.start("name"))
        for m in _BUILT_BY_RE.finditer(text):
            name = m.group("name")
            chain = _MASKED_CHAIN.match(name)
            if chain is not None and name not in cands and not _MASKED_CHAIN.fullmatch(name) \
                    and not self._has_function_word(name[chain.end():]):
                cands[name] = 1.0  # 由西地省XX建筑承建的: the contractor, named without a legal suffix
                first.setdefault(name, m.start("name"))
        for m in _GANG_BOSS_RE.finditer(text):
            name = m.group("name")
            if name[0] in _SURNAMES and name not in cands and "某" not in name and not name.endswith(_BOSS_TITLES):
                # (round 16: 杨老板, 王总 are titles, no name: "skip bare 老板")
                cands[name] = 1.0  # 包工头陈某某: a labour contractor named as a person
                first.setdefault(name, m.start("name"))
        for m in _HASHTAG_RE.finditer(text):
            name = m.group(1)  # #京东#: a known brand alone as a hashtag (round 7; topic tags are no brands)
            if name in self.brands and name not in cands and not any(name in c for c in cands):
                cands[name] = 1.0
                first.setdefault(name, m.start(1))
        for name, pos in self._short_post_names(text):
            # 星辰教育拖欠员工工资, #宏达物流员工被拖欠工资#, 京东的快递员集体讨薪: a firm without a legal suffix as the
            # party of a dispute told right after it (round 14; :mod:`nlp.entities.short_names`)
            if name not in cands and not any(name in c for c in cands):
                cands[name] = 1.0
                first.setdefault(name, pos)
        for m in _BARE_BODY_RE.finditer(text):
            # 教育局拖欠我们..., 县邮政局是不是不管我们...: a public body by its bare head, the subject of the wrong or
            # of the text's first sentence (round 9); an addressee (教育局：) or a body only told about it stays none
            name = m.group(0)
            if name not in cands and not any(name in c for c in cands) and (
                    _did_the_wrong(text, name) or _opens_the_text(text, name)):
                cands[name] = 1.0
                first.setdefault(name, m.start())
        for name, pos in self._headline_subjects(text):
            if name not in cands:
                cands[name] = 1.0
                first.setdefault(name, pos)
        if not cands:
            head = text[:_EARLY_CHARS]
            for m in (*_WORKPLACE_RE.finditer(text), *_HEADLINE_SUBJECT_RE.finditer(head)):
                name = m.group("name")
                if name in self.brands and not _NOT_EMPLOYER.search(name) and not self._brand_is_place(name):
                    pass  # 在三一重工上班: a known brand is a name, whatever characters it is made of (round 15)
                elif (_NAMELESS.search(name) or _NOT_EMPLOYER.search(name) or self._has_function_word(name)
                        or self._not_a_name(name) or self._pos(name)[-1][1] in _NOT_NAME_END_POS):
                    continue  # (round 10: 在A市稳定工作: a name does not end in an adjective or a verb)
                cands[name] = cands.get(name, 0.0) + 0.5
                first.setdefault(name, m.start())
        did: dict[str, bool] = {}  # _did_the_wrong per name, read once per call (it searches the whole text)

        def did_wrong(n: str) -> bool:
            hit = did.get(n)
            if hit is None:
                hit = did[n] = _did_the_wrong(text, n)
            return hit

        for n in cands:
            if did_wrong(n) or _short_form_did_the_wrong(text, n, cands):
                cands[n] += _WRONG_BONUS  # XX拖欠我们 / XX老板跑路: the party that did the wrong (round 7)
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
            # a registry name is a name, whatever words it is made of (百世汇通: 汇通 reads as a verb), and a firm
            # named at its own gate (今天中通门口聚集了) is the party, not a landmark
            walked = n not in registered
            if (_only_treated_there(text, n) or _only_overseeing(text, n) or _helper_not_employing(text, n)
                    or (walked and (not self._plausible_name(n) or _only_a_building(text, n)))):
                del cands[n]
        kept = _merge_variants(cands, text)
        # the parties written with the wrong (or a short form of theirs with it), among the kept names
        wrongs = {n for n in kept if did_wrong(n) or _short_form_did_the_wrong(text, n, kept)}
        if kept:
            top = max(cands[n] for n in kept)
            opening = next((n for n in kept if _opens_the_text(text, n)), None)
            if opening is not None and not did_wrong(opening) and any(
                    n != opening and n in wrongs for n in kept):
                opening = None  # 中国远达总公司改制后，G市远达公司拖欠我们...: the party with the wrong is meant (round 9)
            if opening is not None and cands[opening] < top + _FIRST_BONUS:
                cands[opening] = top + _FIRST_BONUS  # the title's subject (XX厂破产后...): ranked first (round 8)
            signer = next((n for n in kept if _signs_the_letter(text, n)), None)
            if signer is not None:
                cands[signer] = max(cands[n] for n in kept) + _FIRST_BONUS  # the writers' own organisation
        # a tie goes to the party written with the wrong (总包 A, 分包 B, B拖欠: B first; round 13), then the earlier
        kept.sort(key=lambda n: (-cands[n], n not in wrongs, first.get(n, 0)))
        return [(n, cands[n]) for n in kept]

    def _name_ending_at(self, text: str, suf_start: int, suf_end: int) -> str | None:
        i = suf_start
        while i > 0 and suf_start - i < _MAX_NAME:
            if _NAME_CHARS.match(text[i - 1]):
                i -= 1
                continue
            q = quoted_part_before(text, i)
            if q is not None:
                i = q  # “乐活”餐饮管理有限公司: a quoted 字号 inside the name
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
        # the trade slot of a registered name (place + 字号 + trade + legal form): trade words the tagger calls
        # verbs (包装, 快递, 搬家) stay inside it, until the first other word (the 字号) is kept
        slot = 2 if TRADE_SLOT_SUFFIX.fullmatch(text[suf_start:suf_end]) else 0
        legal_name = bool(LEGAL_FORM.search(text[suf_start:suf_end]) or text[suf_start:suf_end] == "分公司")
        slot_name = bool(slot)
        skip_below = len(toks)  # tokens from here on were kept as one 字号 already
        for k in range(len(toks) - 1, -1, -1):
            if k >= skip_below:
                continue
            w, flag = toks[k]
            if w in _ADMIN_CHARS or (len(w) >= 2 and _SUFFIX_RE.fullmatch(w)) or _PHASE.fullmatch(w):
                keep.append(w)  # 省/市/县, organisation words (XX合作社 + 联合社) and phases (二期) stay inside a name
                slot = 2 if TRADE_SLOT_SUFFIX.fullmatch(w) else slot  # (XX快递有限公司 + 青浦 + 分公司)
                legal_name = legal_name or bool(LEGAL_FORM.search(w))
                continue
            if slot and flag in ("v", "vn") and len(w) >= 2 and w not in _BREAK_WORDS and _CJK_ONLY.match(w) \
                    and k > 0 and toks[k - 1][0].isalnum() and toks[k - 1][0] not in _BREAK_WORDS \
                    and toks[k - 1][1] not in _NEVER_IN_NAME_POS:
                keep.append(w)  # 上海宏盛 + 包装 + 有限公司: a trade word, a name word before it
                slot -= 1
                continue
            slot = 0
            if zihao_word(toks, k, keep, legal=legal_name, slot_suffix=bool(
                    TRADE_SLOT_SUFFIX.fullmatch(text[suf_start:suf_end]))):
                keep.append(w)  # a word of the 字号 the tagger split or mis-tagged (上海 + 和美, 佳 + 和, 味 + 之 + 源)
                continue
            if flag == "f" and (len(w) >= 2 or (w in _LOCATIVE_BREAK and k > 0 and (
                    len(toks[k - 1][0]) >= 2 or toks[k - 1][0] in _BREAK_WORDS))):
                break
            if w in _BREAK_WORDS or (flag in _BREAK_POS and w not in _NAME_VERBS and not _in_unknown_word(toks, k)
                                     and not _after_name_word(toks, k, keep)) or (
                # an idiom (颠倒黑白) is no part of a name, unless it is made of trade words (能源开发; round 11)
                flag == "i" and _INDUSTRY_WORDS.sub("", w) != ""
            ) or (
                flag == "m" and not w.isascii() and not _NAME_NUMERAL.match(w)
            ):
                if flag == "q" and len(w) == 1 and (keep[-1:] == ["镇"] or keep[-1:] == ["乡"] or (
                        len(keep) >= 2 and keep[-2] in ("镇", "乡") and len(keep[-1]) == 1)):
                    keep.append(w)  # 盘 + 塘镇, 张 + 坊镇: a town's first character tagged as a classifier (round 11)
                    continue
                if _leading_char_of_name(toks, k, keep):
                    keep.append(w)  # 经 + 顺昌劳务公司, 广州 + 华泽环境: the first character of an unknown name
                    continue
                j = single_chars_after_city(toks, k) if (legal_name or slot_name) and keep else None
                if j is not None:
                    keep.extend(toks[i][0] for i in range(k, j - 1, -1))  # 上海 + 顺/通 + 运输有限公司
                    skip_below = j
                    continue
                break
            keep.append(w)
        while keep and _NAME_NUMERAL.match(keep[-1]) and not keep[-1].startswith("第"):
            keep.pop()  # a numeral at the left edge is a count (三公司), inside a name it stays (江岭二医院)
        if len(keep) >= 2 and keep[-1].startswith("第") and _NAME_NUMERAL.match(keep[-1]) and \
                dict(toks).get(keep[-2]) == "ns":
            keep.pop()  # 第一 + 新河街道办事处: an ordinal before a place name is no part of the name (round 11)
        start = len(span) - sum(map(len, keep))
        if span.startswith("集团", start) and start > 0:
            start = self._group_name_start(span, start)  # 香港保利达 + 集团长岳高速有限公司 (round 11)
        for qm in QUOTED_PART.finditer(span):
            if qm.start() < start < qm.end():
                start = qm.start()  # the walk stopped inside a quoted 字号 (“连天红”家具公司): the quotes hold one name
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
                (_ORG_END.search(prefix[: inner.start()]) or self._ends_with_brand(prefix[: inner.start()])
                 or self._zihao_and_trade(prefix[: inner.start()]))
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
        if prefix.startswith("咨询") and len(prefix) >= 4:
            prefix = prefix[2:]  # 咨询 + 公积金中心: asking a body, at the left edge only (教育咨询公司 keeps it; round 11)
        if _REPORTED.match(prefix) and len(_REPORTED.sub("", prefix)) >= 2:
            prefix = _REPORTED.sub("", prefix)  # 网传 + 宏达物流: a report word before the name (round 10)
        # the labels write 西地省 (the masked province) only when no masked city/county follows it
        if prefix.startswith("西地省") and _MASKED_CHAIN.match(prefix[3:]):
            prefix = prefix[3:]
        # a masked place written twice in a row (B市B市XX厂) is written once
        prefix = _REPEATED_PLACE.sub(r"\1", prefix)
        # a section of a line named by a place (蒙华铁路A9市段 + 中铁十五局) is no part of the contractor's name
        prefix = _SECTION_PREFIX.sub("", prefix)
        prefix = re.sub(r"^[0-9]+", "", prefix)
        if not _MASKED_CHAIN.match(prefix):
            prefix = re.sub(r"^[省市县区](?=[\u4e00-\u9fff])", "", prefix)
            prefix = self._join_town(text, suf_start - len(prefix), prefix)
            prefix = re.sub(r"^[镇乡](?=[\u4e00-\u9fff])", "", prefix)
        prefix = _city_cut_by_tagger(text, suf_start - len(prefix), prefix, text[suf_start:suf_end])
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
        if chain is None and suffix in _BRANCH_SUFFIXES and self._only_place(prefix):
            parent = self._short_parent(text, suf_start - len(prefix))
            if parent is None:
                return None  # 上海 + 分行: a place and a branch word name no one (a cut name)
            return parent + prefix + suffix  # 招行 + 武汉 + 分行: the parent's short name the tagger called a verb
        if chain is None and suffix in _PLANT_SUFFIXES and self._only_place(prefix):
            parent = self._plant_owner(text, suf_start - len(prefix))
            if parent is not None:
                return parent + prefix + suffix  # 联想 + 郑州 + 工厂: a brand's plant named by its city (round 15)
        if (name in _GENERIC_NAMES or len(name) < 3 or len(prefix) < 2
                or (_NOT_EMPLOYER.search(name) and not _employs_the_writer(text, name))
                or _GENERIC_GOV.match(name) or _BAD_INSIDE.search(QUOTES.sub("", core))):
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

    def _zihao_and_trade(self, words: str) -> bool:
        """``words`` are a 字号 and a trade word (玉诚 + 环境, 宏远 + 物流): with a masked place and a branch suffix
        after them they are one name (玉诚环境A7县分公司; round 11)."""
        m = _TRADE_TAIL.search(words)
        if m is None:
            return False
        zihao = words[: m.start()]
        return 2 <= len(zihao) <= 4 and not self._has_function_word(zihao) and not _GENERIC_CORE.match(zihao) \
            and all(f not in _NEVER_IN_NAME_POS and f not in ("v", "d") for _, f in self._pos(zihao))

    def _group_name_start(self, span: str, start: int) -> int:
        """The walk stopped right before 集团 (保利达 + 集团长岳高速有限公司: 达 tagged as a verb): the parent group's
        字号 before it belongs to the name: words back to a break word, a function word or punctuation, 2-8
        characters, of which at least one is not a place (round 11); else ``start`` unchanged."""
        toks = self._pos(span[max(0, start - 10):start])
        taken = 0
        for w, flag in reversed(toks):
            if (w in _BREAK_WORDS or flag in _NEVER_IN_NAME_POS or not _NAME_CHARS.match(w[0])
                    or not w.isalnum() or taken + len(w) > 8):
                break
            taken += len(w)
        if taken < 2 or self._only_place(span[start - taken:start]):
            return start
        return start - taken

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

    def _only_place(self, words: str) -> bool:
        toks = self._pos(words)
        return bool(toks) and all(f == "ns" for _, f in toks)

    def _short_parent(self, text: str, start: int) -> str | None:
        """The word right before a place + branch word when it can be a parent's short name (招行, 建行, 交行: two to
        four characters, no sentence word), else None."""
        left = text[max(0, start - 8): start]
        toks = self._pos(left) if left else []
        if not toks:
            return None
        w, f = toks[-1]
        if (2 <= len(w) <= 4 and _CJK_ONLY.match(w) and w not in _BREAK_WORDS and f not in _NEVER_IN_NAME_POS
                and (w in self.brands or w.endswith("行") or f in ("nz", "nt", "j", "nr"))):
            return w
        return None

    def _plant_owner(self, text: str, start: int) -> str | None:
        """The word right before a city + plant word (郑州 + 工厂) when it is a known brand or a dictionary organisation
        / name word (tag nz, nt, j) of two to four characters, else None."""
        left = text[max(0, start - 8): start]
        toks = self._pos(left) if left else []
        if not toks:
            return None
        w, f = toks[-1]
        if (2 <= len(w) <= 4 and _CJK_ONLY.match(w) and w not in _BREAK_WORDS and not self._brand_is_place(w)
                and (w in self.brands or f in ("nz", "nt", "j"))):
            return w
        return self._brands_end(left)

    def _brands_end(self, left: str) -> str | None:
        """The known brand that ``left`` ends with (the longest), if it is a word of its own there."""
        for n in range(min(self._brand_max, len(left)), 1, -1):
            b = left[-n:]
            if b in self.brands and not self._brand_is_place(b):
                cut = len(left) - n
                acc = 0
                for w, _ in self._pos(left):
                    if acc == cut:
                        return b
                    acc += len(w)
        return None

    def _headline_subjects(self, text: str) -> list[tuple[str, int]]:
        """Names without a suffix that lead a headline segment about a dispute: 想象科技裁员过冬, 【XX中国裁员3000人】,
        #XX将与所有员工解约#. The name is a known brand at the segment start, else its leading run of
        noun/name words; the rest of the segment must speak of a dispute."""
        line = text[: _EARLY_CHARS + 20].split("\n", 1)[0]
        out: list[tuple[str, int]] = []
        for seg in _SEGMENT_RE.finditer(line):
            body = _REPORTED.sub("", seg.group(0))  # 网传XX拖欠...: the report word is no part of the subject (round 10)
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
                if len(words) >= 2 and words[-1][0] in _HEADLINE_WORKERS:
                    words.pop()  # 法航 + 员工罢工: the strikers' employer is named before them (round 14)
                    while len(words) >= 2 and words[-1][0] in _WORKER_SHARE:
                        words.pop()  # 优信二手车 + 部分员工停工
                    if len(words) == 1 and words[0][1] not in _SHORT_NAME_POS and words[0][0] not in self.brands:
                        continue  # 中文 / 英语 + 老师: a subject taught, a trade, not the employer
                name = "".join(w for w, _ in words)
                if not name or self._not_a_name(name) or all(f.startswith("nr") for _, f in words) \
                        or _ORDINAL_START.match(name):
                    continue  # (a person alone, 汤普森愿意降薪: a player's own pay cut; 第一波降薪潮; round 11)
            rest = body[len(name):]
            if name.endswith("工会") and len(name) >= 4:
                name = name[:-2]  # 英航工会罢工: the union strikes against the employer named before it
                if self._not_a_name(name):
                    continue  # 希腊 + 工会罢工: a country's unions, no employer (round 14)
            if not (2 <= len(name) <= 10) or not _DISPUTE_WORDS.search(rest[:24]):
                continue
            if (_NAMELESS_HEAD.search(name) or _NOT_EMPLOYER.search(name) or _MASKED_CHAIN.fullmatch(name)
                    or _SUFFIX_RE.search(name[-3:]) and not _ORG_END.search(name)):
                continue
            out.append((name, seg.start()))
        return out

    def _short_post_names(self, text: str) -> list[tuple[str, int]]:
        """(name, start) of firms without a legal suffix written as the party of a dispute told right after them
        (:mod:`nlp.entities.short_names`): 字号 + trade word opening a segment, or a known brand that the tagger
        reads as a word of its own (京东的快递员集体讨薪)."""
        out: list[tuple[str, int]] = []
        places = self._places_words
        for m in TRADE_NAME_RE.finditer(text):
            name = m.group("name")
            t = TRADE_WORD.search(name)
            if t is not None and trade_name_ok(name, t.start(), places, self._pos) and not _NOT_EMPLOYER.search(name):
                out.append((name, m.start("name")))
        for m in UNKNOWN_NAME_RE.finditer(text):
            # 海底捞员工讨薪, #盒马员工被拖欠工资#: a name the dictionary does not know, before its workers' dispute
            name = m.group("name")
            if (not any(name in n or n in name for n, _ in out) and unknown_name_ok(name, places, self._pos, self._word_freq)
                    and not _NOT_EMPLOYER.search(name) and not _NAMELESS_HEAD.search(name)):
                out.append((name, m.start("name")))
        if not self.brands and not self.brand_stems:
            return out
        for m in DISPUTE_AFTER_NAME.finditer(text):
            end = m.start()
            brand = next((text[end - n: end] for n in range(min(self._brand_max, end), 1, -1)
                          if text[end - n: end] in self.brands), None)
            if brand is None:  # a listed company's stem (顺丰控股 -> 顺丰 + 的快递员...; round 14)
                brand = next((text[end - n: end] for n in range(min(self._stem_max, end), 1, -1)
                              if text[end - n: end] in self.brand_stems
                              and stem_ok(text[end - n: end], self._pos, self._word_freq)), None)
            if (brand is None or any(brand in n for n, _ in out) or brand in places or _NOT_EMPLOYER.search(brand)
                    or _NAMELESS_HEAD.search(brand)):
                continue  # (子公司 is in the mention list too: 美国子公司裁员 names no one)
            start = end - len(brand)
            if self._brand_is_place(brand):
                continue
            window = text[max(0, start - 6): end]
            cuts, acc = set(), max(0, start - 6)
            for w, _ in self._pos(window):
                cuts.add(acc)
                acc += len(w)
            if start in cuts:  # the brand is a word of its own, not the tail of another (大小米, 北京东)
                out.append((brand, start))
        return out

    def _brand_is_place(self, brand: str) -> bool:
        """A name of the brand lists that is a place (上海, 东城, 天山 are in the mention lists as companies: a place
        alone names no one; the tagger calls many brands places too, 京东, 华侨城, so its tag alone does not
        decide)."""
        return brand in self._places_words or bool(re.fullmatch(rf"(?:{CN_PLACES})[省市]?", brand)) or (
            brand[-1] in _GEO_END_CHARS and self._only_place(brand))

    def _word_freq(self, word: str) -> int | None:
        """The owned dictionary's count of ``word`` as one word (None: not in it)."""
        tk = self.segmenter.tokenizer
        tk.check_initialized()
        n = tk.FREQ.get(word)
        return None if n is None else int(n)

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
        if any(w in _SPEECH_VERBS for w, _ in self._pos(core)):
            return False  # B市老王说 + 鑫垚物流, X声称 + Y公司: a clause with its verb of saying, no name
        if core.startswith(("集团", "公司")) and len(core) > 4:
            return False  # 集团 + 长岳高速有限公司: the walk stopped inside a parent's name (round 9)
        suf = _ORG_END.search(core)
        head = QUOTES.sub("", core[: suf.start()] if suf else core)  # (scare quotes: “黑心”公司 is generic too)
        trade = next((w for w in _NAME_VERBS if head.endswith(w) and len(head) > len(w)), None)
        if trade and _GENERIC_HEAD.match(head[: -len(trade)]):
            return False  # 村里 + 排灌 + 站, 国有 + 建设 + 公司: only a scope before the trade word (round 16)
        if head and (_GENERIC_HEAD.match(head) or (chain is None and (
                _GENERIC_UNPLACED_HEAD.match(head) or head.endswith("行业")))):  # 出租车行业协会: a trade body
            return False
        if (chain is None and suf and suf.group(0) in _COMMON_HEAD_SUFFIXES and len(head) >= 2
                and head not in self.brands):
            toks = self._pos(head)
            if len(toks) == 1 and toks[0][1] in ("n", "vn", "v") and not (
                    suf.group(0) == "集团" and toks[0][1] == "n" and (self._word_freq(head) or 0) < _RARE_GROUP_HEAD):
                return False  # 出租车公司, 石材厂, 服务中心, 骨科医院: one common word before a generic suffix
                # (a rare noun before 集团 is the group's 字号 or short name: 星河 / 广铁 + 集团; round 15)
        if not head or len(head) > 12:
            return True
        # a pronoun/preposition/conjunction anywhere, or a verb after the first word (the first may be a
        # brand: 焕发矿业), means a phrase of the sentence (合同规定物业); not the trade words the tagger calls
        # verbs at the end of a registered name's head (上海宏盛 + 包装 + 有限公司)
        toks = _join_zones(self._pos(head))
        # (a legal form; a bare 公司/厂 only after a city: 公交路线 + 收回 + 公司 is a phrase)
        slot_end = bool(suf and TRADE_SLOT_SUFFIX.fullmatch(suf.group(0))
                        and (LEGAL_FORM.search(suf.group(0)) or chain is not None or CITY_WORD.match(core)))

        legal_end = bool(suf and LEGAL_FORM.search(suf.group(0)))

        def trade_verb(k: int) -> bool:  # a verb-tagged trade word right before a legal form
            nxt = toks[k + 1][0] if k + 1 < len(toks) else None
            return toks[k][0] not in _BREAK_WORDS and (
                (nxt is None and slot_end) or (nxt is not None and bool(TRADE_SLOT_SUFFIX.fullmatch(nxt)))
                or (nxt is not None and toks[k + 1][1] in ("v", "vn") and trade_verb(k + 1))
                # (round 10) a verb-tagged trade word before an industry word of a legal-form name: 大汉 + 起重 + 科技
                # + 有限公司, 顺宇 + 显示 + 技术 + 有限公司
                or (nxt is not None and legal_end and bool(_INDUSTRY_WORDS.fullmatch(nxt))))

        # the word right after the city of a registered name is its 字号, whatever the tagger calls it
        # (上海 + 启明 (a verb) + 教育科技有限公司)
        city_zihao = bool(suf and LEGAL_FORM.search(suf.group(0)) and toks and CITY_WORD.fullmatch(toks[0][0]))
        return not any(
            len(w) >= 2 and w != core and not _ORG_END.search(w) and not (k == 1 and city_zihao and f == "v")
            and (f in ("p", "r", "c") or (f == "v" and k > 0 and w not in _NAME_VERBS and not trade_verb(k)))
            for k, (w, f) in enumerate(toks)
        )

    def _after_speech_verb(self, span: str) -> str:
        """The words of ``span`` after its last verb of saying (B市老王说 + 鑫垚物流: :data:`_SPEECH_VERBS`), else
        ``span``."""
        end = acc = 0
        for w, _ in self._pos(span):
            acc += len(w)
            if w in _SPEECH_VERBS:
                end = acc
        return span[end:]

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


def _city_cut_by_tagger(text: str, start: int, prefix: str, suffix: str) -> str:
    """The city that opens a registered name, when the tagger glued its first character to the word before
    (找上 + 海瑞达物流有限公司 -> 上海瑞达物流有限公司): the one or two characters before ``start`` are taken back
    when with the name's first characters they spell a city and the name ends in a legal form."""
    if not prefix or CITY_WORD.match(prefix) or not LEGAL_FORM.search(suffix):
        return prefix
    for back in (1, 2):
        if start - back < 0:
            break
        cm = CITY_WORD.match(text, start - back)
        if cm is not None and start < cm.end() < start + len(prefix) - 1:
            return text[start - back: start] + prefix
    return prefix
