"""Learned selection of employer / workers / amount among the candidates the rules of :mod:`nlp.entities` expose.

The rules in ``entities.py`` find candidates and pick one by hand-tuned evidence; the rules over-fitted the split
they were tuned on. Here every candidate gets hand-made features (the rule's own verdict among them) and one
logistic regression per field scores it; a threshold per field, chosen by inner cross-validation on the training
data, decides whether anything is returned at all.

Candidates:
- employers: the rule candidates (evidence-ranked, variants merged) plus a wider pool: for every organisation
  suffix, the names ending there with each word boundary of the name-character run before it as left edge
  (bounded), the rule's own walk with and without its masked place chain, registry and brand hits; the rule
  filters (authority, generic, phrase) become features instead of vetoes. Selection: the best candidate when its
  probability clears ``threshold``, further ones only above ``second_threshold`` that do not overlap a chosen one.
- workers: the rule counts (:meth:`EntityExtractor.worker_counts`) plus a looser pattern (a number, 多/余, a
  measure word, a few characters, a person noun; 裁员/减员 + number), one candidate per distinct value.
- amount: the rule money mentions (:meth:`EntityExtractor.money_mentions`), one candidate per distinct value.

Stored as plain arrays (``.npz``: feature names, weights, intercepts, thresholds, provenance as JSON; no pickle).
Produced by ``laborwatch nlp train-entities`` (:func:`nlp.entity_training.write_trained_entity_model`): it stores only the fields
whose learned selector beats the rules out of fold by ``MIN_GAIN``; cross-validated figures by
:func:`cross_validate_entities` (``python bench/nlp_entities.py --cv``).
Measured 2026-11-28 (``bench/nlp_entity_model_results.md``): on the 525 labelled positives, 5 grouped folds, the
selector ties the rules within fold noise on every field (employer F1 0.691 vs 0.697, workers exact 0.724 vs
0.714, amount exact 0.765 vs 0.784), so no model is shipped and the rules stay in charge.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from nlp.entity_patterns import (
    _DISPUTE_WORDS,
    _GENERIC_GOV,
    _LEGAL_END,
    _MASKED_CHAIN,
    _MAX_NAME,
    _MAX_SUFFIX_HITS,
    _NAME_CHARS,
    _NOT_EMPLOYER,
    _ORG_END,
    _OUTER_CITY,
    _STAND_VERB_NEXT,
    _SUFFIX_RE,
    _coordinated,
    _masked_code_digit,
    _parse_count,
)
from nlp.errors import NlpError
from nlp.normalize import normalize
from nlp.numbers import PER_PERSON_RE

if TYPE_CHECKING:
    from nlp.data import LabelledItem

__all__ = ["DEFAULT_ENTITY_MODEL", "FEATURE_VERSION", "EntityModel", "FieldModel", "cross_validate_entities",
           "employer_features", "worker_features", "amount_features", "train_entity_model"]

logger = logging.getLogger(__name__)


class EntityExtractor(Protocol):
    """What the featurizers read of the rule extractor (:class:`nlp.entities.EntityExtractor` satisfies it).

    A protocol rather than an import, so that ``entities.py`` (which loads this model) and this module do not
    import each other. The candidates' value types (``Entities``, ``WorkerCount``, ``MoneyMention``) stay
    ``Any`` here for the same reason.
    """

    brands: frozenset[str]
    _brand_max: int
    _gaz_re: re.Pattern[str] | None

    def extract_rules(self, text: str) -> Any: ...  # noqa: ANN401 - nlp.entities.Entities

    def employers(self, text: str, *, limit: int = 3, ranked: list[tuple[str, float]] | None = None) -> list[str]: ...

    def employer_candidates(self, text: str) -> list[tuple[str, float]]: ...

    def workers(self, text: str) -> int | None: ...

    def worker_counts(self, text: str) -> Sequence[Any]: ...

    def amount(self, text: str) -> float | None: ...

    def money_mentions(self, text: str) -> Sequence[Any]: ...

    def _name_ending_at(self, text: str, suf_start: int, suf_end: int) -> str | None: ...

    def _plausible_name(self, name: str) -> bool: ...

    def _pos(self, span: str) -> list[tuple[str, str]]: ...

FEATURE_VERSION = 1
DEFAULT_ENTITY_MODEL = Path(__file__).parent / "default_model" / "entities.npz"
FIELDS = ("employers", "workers", "amount")

# a field is stored only when its out-of-fold objective (employer F1; for numbers the mean of exact match where
# stated and silence where not) beats the rules by at least this much: smaller differences are fold noise
MIN_GAIN = 0.005
_MAX_LEFT_EDGES = 6
_MAX_OCC = 20
_PUNCT = set("，,。.！!？?；;：:、\n\r\t （）()【】[]《》“”\"'‘’#|丨")
_LEFT_CUES = set("在向被是给对到由与和及")
_DISPUTE_NEAR = re.compile(r"拖欠|欠薪|欠|讨薪|辞退|解雇|开除|裁员|减员|未缴|不缴|未交|克扣|扣发|不发|未发|没发|倒闭|跑路|停产|罢工|"
                           r"解除劳动|赔偿|补偿|工伤|仲裁|违法|非法")
_SUBJECT_AFTER = re.compile(r"^(?:的)?(?:已经|一直|长期|竟然|恶意|故意|仍然|至今|多次|还|又|已|无故|拒不)?"
                            r"(?:拖欠|欠|克扣|扣发|不发|未发|辞退|解雇|开除|裁员|减员|未缴|不缴|不给|拒绝|强迫|违法|倒闭|停产)")
_WORK_BEFORE = re.compile(r"(?:在|进入|入职|就职|任职|受聘于|应聘到|到|于)$")
_WORK_AFTER = re.compile(r"^(?:的)?(?:上班|工作|打工|务工|做工|任职|就职|员工|职工|工人|农民工|老师|教师|保安|司机)")
_ADDRESSEE_BEFORE = re.compile(r"(?:向|给|致|请|恳请|希望|要求|尊敬的|反映到|投诉到|举报到|找过|找了|找到)$")
_LOOSE_WORKERS = re.compile(
    r"(?<![\d.,A-Za-z])(?P<n>\d{1,7}(?:\.\d)?万?|[零〇一二两三四五六七八九十百千万几数上]{1,8})(?P<q>多|余|来|于)?(?P<m>名|位|个)?"
    r"(?P<mod>[\u4e00-\u9fffA-Z0-9]{0,12}?)(?P<p>农民工|工人|员工|民工|职工|工友|教师|老师|护士|医生|师傅|骑手|同事|临时工|"
    r"合同工|保安|司机|人员|人|同事)"
)
_CUT_WORKERS = re.compile(r"(?:裁员|减员|裁掉|裁减|辞退|解雇|开除)(?:了|约|近|共|达|超过)?(?P<n>\d{1,7}(?:\.\d)?万?|"
                          r"[一二两三四五六七八九十百千万几数上]{1,8})(?:多|余)?(?:名|位|个|人)?")
_TOTAL_BEFORE = re.compile(r"共计|合计|总计|累计|一共|总共|共|达|多达|高达|总额|总金额|总共")
_WAGE_NEAR = re.compile(r"工资|工钱|薪|工程款|劳务费|报酬|加班费|补偿|赔偿|血汗钱")
_SI_NEAR = re.compile(r"社保|保险|公积金|缴")


# --- features ------------------------------------------------------------------------------------------------

def _bucket(v: float, edges: Sequence[float]) -> int:
    for i, e in enumerate(edges):
        if v < e:
            return i
    return len(edges)


def _occurrences(text: str, s: str) -> list[int]:
    out: list[int] = []
    i = text.find(s)
    while i >= 0 and len(out) < _MAX_OCC:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def _char_class(c: str) -> str:
    if not c or c in _PUNCT or c.isspace():
        return "punct"
    if c in _LEFT_CUES:
        return "cue_" + c
    if re.match(r"[A-Za-z0-9]", c):
        return "alnum"
    if re.match(r"[\u4e00-\u9fff]", c):
        return "cjk"
    return "other"


def _wide_employer_pool(ex: EntityExtractor, text: str) -> dict[str, set[str]]:
    """Name -> the sources that proposed it (rules, window edges, walk variants, gazetteer, brand)."""
    pool: dict[str, set[str]] = {}

    def add(name: str, src: str) -> None:
        if 2 <= len(name) <= 40:
            pool.setdefault(name, set()).add(src)

    for k, m in enumerate(_SUFFIX_RE.finditer(text)):
        if k >= _MAX_SUFFIX_HITS:
            break
        suf = m.group(0)
        nxt = text[m.end(): m.end() + 1]
        if (len(suf) == 1 and nxt == "长") or (suf == "站" and nxt in _STAND_VERB_NEXT) or (
                suf == "局" and nxt and nxt in "势面部"):
            continue
        i = m.start()
        while i > 0 and m.start() - i < _MAX_NAME and (_NAME_CHARS.match(text[i - 1]) or text[i - 1] in "（）()"):
            i -= 1
        span = text[i: m.start()]
        if not span:
            continue
        edges: list[int] = []
        pos = 0
        for w, _f in ex._pos(span):
            edges.append(pos)
            pos += len(w)
        edges.extend(cm.start() for cm in _MASKED_CHAIN.finditer(span))
        for e in sorted(set(edges), reverse=True)[:_MAX_LEFT_EDGES]:
            name = span[e:] + suf
            if name.strip("（）()") == name and len(span) - e >= 1:
                add(name, "window")
        walked = ex._name_ending_at(text, m.start(), m.end())
        if walked:
            add(walked, "walk")
            chain = _MASKED_CHAIN.match(walked)
            if chain and chain.end() < len(walked) - 1:
                add(walked[chain.end():], "walk_nochain")
                # only the last element of the chain (A市A5区X -> A5区X)
                last = list(re.finditer(r"[A-Z]\d{0,2}[省市区县]", chain.group(0)))
                if len(last) > 1:
                    add(walked[last[-1].start():], "walk_lastchain")
            before = text[max(0, m.start() - len(walked) - 8): m.start() - len(walked) + len(suf)]
            pm = re.search(r"((?:西地省)?(?:[A-Z]\d{0,2}[省市区县]){1,3})$", before)
            if pm and not chain:
                add(pm.group(1) + walked, "walk_addchain")
    if ex._gaz_re is not None:
        for gm in ex._gaz_re.finditer(text):
            add(gm.group(0), "gazetteer")
    head = text[:120]
    for size in range(min(ex._brand_max, 10), 1, -1):
        for j in range(0, max(0, len(head) - size + 1)):
            if head[j: j + size] in ex.brands:
                add(head[j: j + size], "brand")
    return pool


def employer_features(ex: EntityExtractor, text: str) -> list[tuple[str, dict[str, float]]]:
    """Every employer candidate of ``text`` with its features (the rule's own verdict and score among them)."""
    ranked = ex.employer_candidates(text)
    rule_out = ex.employers(text, ranked=ranked)
    rule_rank = {n: r for r, (n, _) in enumerate(ranked)}
    rule_score = dict(ranked)
    pool = _wide_employer_pool(ex, text)
    for n in rule_rank:
        pool.setdefault(n, set()).add("rules")
    names = [n for n in pool if _occurrences(text, n)]
    tlen = max(1, len(text))
    dispute_pos = [m.start() for m in _DISPUTE_NEAR.finditer(text)][:200]
    out: list[tuple[str, dict[str, float]]] = []
    for n in names:
        f: dict[str, float] = {"bias": 1.0}
        for s in pool[n]:
            f["src=" + s] = 1.0
        f["n_src"] = len(pool[n]) / 4.0
        if rule_out and n == rule_out[0]:
            f["rule_top"] = 1.0
        if n in rule_out:
            f["rule_out"] = 1.0
        if n in rule_rank:
            f[f"rule_rank={min(rule_rank[n], 4)}"] = 1.0
            f["rule_score"] = min(6.0, rule_score[n]) / 3.0
        sm = _ORG_END.search(n)
        f["suf=" + (sm.group(0) if sm else "none")] = 1.0
        if _LEGAL_END.search(n):
            f["legal"] = 1.0
        chain = _MASKED_CHAIN.match(n)
        core = n[chain.end():] if chain else n
        f[f"len={_bucket(len(n), (4, 6, 9, 13, 18))}"] = 1.0
        f[f"corelen={_bucket(len(core), (3, 5, 8, 12))}"] = 1.0
        if chain:
            f["chain"] = 1.0
            f[f"chain_n={min(3, len(re.findall(r'[A-Z]', chain.group(0))))}"] = 1.0
        if n.startswith("西地省"):
            f["xidi"] = 1.0
        if _OUTER_CITY.match(n):
            f["outer_city"] = 1.0
        if n[0] in "省市县区镇乡村":
            f["admin_first"] = 1.0
        if _NOT_EMPLOYER.search(n):
            f["authority"] = 1.0
        if _GENERIC_GOV.match(n) or n in {"公司", "工地", "政府"}:
            f["generic_gov"] = 1.0
        if n.endswith("政府"):
            f["government"] = 1.0
        if not ex._plausible_name(n):
            f["implausible"] = 1.0
        if n in ex.brands or core in ex.brands:
            f["brand"] = 1.0
        occ = _occurrences(text, n)
        f["occ"] = math.log1p(len(occ))
        f["first_rel"] = occ[0] / tlen
        if occ[0] < 60:
            f["early"] = 1.0
        lc = [_char_class(text[o - 1] if o > 0 else "") for o in occ]
        rc = [_char_class(text[o + len(n)] if o + len(n) < len(text) else "") for o in occ]
        for c in set(lc):
            f["left=" + c] = lc.count(c) / len(lc)
        for c in set(rc):
            f["right=" + c] = rc.count(c) / len(rc)
        if any(_SUBJECT_AFTER.match(text, o + len(n)) for o in occ):
            f["subject_of_dispute"] = 1.0
        if any(_WORK_BEFORE.search(text, max(0, o - 4), o) for o in occ):
            f["work_before"] = 1.0
        if any(_WORK_AFTER.match(text, o + len(n)) for o in occ):
            f["work_after"] = 1.0
        if all(_ADDRESSEE_BEFORE.search(text, max(0, o - 6), o) for o in occ):
            f["addressee_only"] = 1.0
        if any(text[o - 1: o] in "（(" for o in occ if o > 0):
            f["in_bracket"] = 1.0
        if dispute_pos:
            d = min(abs(p - o) for o in occ for p in dispute_pos)
            f[f"dispute_dist={_bucket(d, (6, 15, 40, 100))}"] = 1.0
        else:
            f["no_dispute_word"] = 1.0
        sup = sum(1 for m in names if m != n and n in m)
        sub = sum(1 for m in names if m != n and m in n)
        f["contained_in"] = min(3, sup) / 3.0
        f["contains"] = min(3, sub) / 3.0
        # does every occurrence sit inside a longer candidate (never written alone)?
        longer = [m for m in names if m != n and n in m]
        if longer:
            covered = 0
            for o in occ:
                if any(text.startswith(m, o - m.find(n)) and o - m.find(n) >= 0 for m in longer):
                    covered += 1
            f["always_inside_longer"] = 1.0 if covered == len(occ) else 0.0
        out.append((n, f))
    # relative to the other candidates of the text: most repeated, earliest, only legal form, gap to the rule top
    if out:
        top_occ = max(f["occ"] for _, f in out)
        first = min(f["first_rel"] for _, f in out)
        legal = [n for n, f in out if "legal" in f]
        top_score = max((f.get("rule_score", 0.0) for _, f in out), default=0.0)
        for n, f in out:
            if f["occ"] >= top_occ:
                f["most_repeated"] = 1.0
            if f["first_rel"] <= first:
                f["earliest"] = 1.0
            if legal == [n]:
                f["only_legal"] = 1.0
            if "rule_score" in f:
                f["rule_gap"] = min(2.0, top_score - f["rule_score"])
            f[f"n_rule_cands={min(len(rule_rank), 4)}"] = 1.0
            if rule_out and n != rule_out[0] and _coordinated(text, n, rule_out[0]):
                f["listed_with_rule_top"] = 1.0  # X、Y / X和Y: both are parties
    return out


def worker_features(ex: EntityExtractor, text: str) -> list[tuple[int, dict[str, float]]]:
    """One candidate per distinct count of people in ``text``, with features (the rule's verdict among them)."""
    counts = ex.worker_counts(text)
    rule = ex.workers(text)
    cands: dict[int, dict[str, float]] = {}

    def get(v: int) -> dict[str, float]:
        return cands.setdefault(v, {"bias": 1.0})

    for c in counts:
        f = get(c.count)
        f["rule_accept"] = 1.0
        if c.tied:
            f["tied"] = 1.0
    sents = re.split(r"[。！？!?\n；;]", text)
    offs = 0
    tlen = max(1, len(text))
    for sent in sents:
        for rx in (_LOOSE_WORKERS, _CUT_WORKERS):
            for m in rx.finditer(sent):
                raw = m.group("n")
                if raw in ("百", "千", "万", "上", "数", "几"):
                    continue
                if _masked_code_digit(sent, m.start(), raw):
                    continue
                v = _parse_count(raw, minimum=1)
                if v is None:
                    continue
                f = get(v)
                f["loose"] = f.get("loose", 0.0) + 1.0
                gd = m.groupdict()
                if rx is _CUT_WORKERS:
                    f["cut_verb"] = 1.0
                else:
                    f["m=" + (gd.get("m") or "none")] = 1.0
                    f["q=" + (gd.get("q") or "none")] = 1.0
                    f["p=" + gd["p"]] = 1.0
                    f[f"modlen={_bucket(len(gd['mod']), (1, 3, 7))}"] = 1.0
                    if re.search(r"[A-Z]\d{0,2}[省市区县]", gd["mod"]):
                        f["mod_place"] = 1.0
                    after = sent[m.end(): m.end() + 1]
                    if after == "民":
                        f["renmin"] = 1.0
                before = sent[max(0, m.start() - 4): m.start()]
                if before.endswith("第"):
                    f["ordinal"] = 1.0
                if re.search(r"共|有|达|约|近|超过", before):
                    f["total_before"] = 1.0
                if _DISPUTE_WORDS.search(sent):
                    f["sent_dispute"] = 1.0
                if re.search(r"[\d一二两三四五六七八九十]$", before) or raw.isdigit() and len(raw) == 4 and \
                        sent[m.end() - len(m.group(0)) + len(raw): m.end()].startswith("年"):
                    f["digit_run"] = 1.0
                if offs + m.start() < 60:
                    f["early"] = 1.0
                f["first_rel"] = min(f.get("first_rel", 1.0), (offs + m.start()) / tlen)
        offs += len(sent) + 1
    if not cands:
        return []
    vals = sorted(cands)
    accepted = [v for v in vals if "rule_accept" in cands[v]]
    for v, f in cands.items():
        if v == rule:
            f["rule_pick"] = 1.0
        f[f"val={_bucket(v, (2, 3, 10, 50, 1000))}"] = 1.0
        if accepted and v == max(accepted):
            f["largest_accepted"] = 1.0
        if v == vals[-1]:
            f["largest"] = 1.0
        f["n_cands"] = min(5, len(vals)) / 5.0
        if re.search(rf"(?<!\d){v}(?!\d)", text):
            f["arabic"] = 1.0
    return [(v, cands[v]) for v in vals]


def amount_features(ex: EntityExtractor, text: str) -> list[tuple[float, dict[str, float]]]:
    """One candidate per distinct money value of ``text`` (:meth:`EntityExtractor.money_mentions`)."""
    ms = ex.money_mentions(text)
    if not ms:
        return []
    rule = ex.amount(text)
    tlen = max(1, len(text))
    cands: dict[float, dict[str, float]] = {}
    for mm in ms:
        f = cands.setdefault(mm.value, {"bias": 1.0})
        f["kind=" + mm.kind] = 1.0
        f["mentions"] = f.get("mentions", 0.0) + 0.5
        span = mm.span
        if span.endswith(("元", "块", "块钱")):
            f["yuan"] = 1.0
        for u in ("亿", "万", "千"):
            if u in span:
                f["unit=" + u] = 1.0
                break
        if re.search(r"多|余|来|几", span):
            f["vague"] = 1.0
        head = text[max(0, mm.pos - 10): mm.pos]
        tail = text[mm.pos + len(span): mm.pos + len(span) + 6]
        if _TOTAL_BEFORE.search(head):
            f["total_cue"] = 1.0
        if PER_PERSON_RE.search(head) or tail.startswith(("/人", "每人")):
            f["per_person"] = 1.0
        if _WAGE_NEAR.search(head + tail):
            f["wage_near"] = 1.0
        if _SI_NEAR.search(head + tail):
            f["si_near"] = 1.0
        if re.search(r"欠|拖|未付|未发|没发|克扣", head + tail):
            f["arrears_near"] = 1.0
        if mm.pos < 60:
            f["early"] = 1.0
        f["first_rel"] = min(f.get("first_rel", 1.0), mm.pos / tlen)
    owed = sorted((v for v, f in cands.items() if "kind=owed" in f), reverse=True)
    allv = sorted(cands, reverse=True)
    for v, f in cands.items():
        if rule is not None and abs(v - rule) < 0.5:
            f["rule_pick"] = 1.0
        if owed:
            if v == owed[0]:
                f["largest_owed"] = 1.0
            if v in owed:
                f[f"owed_rank={min(owed.index(v), 2)}"] = 1.0
        f[f"all_rank={min(allv.index(v), 3)}"] = 1.0
        f[f"val={_bucket(v, (100, 1000, 10_000, 100_000, 1_000_000, 10_000_000))}"] = 1.0
        f["n_cands"] = min(6, len(allv)) / 6.0
        f["mentions"] = min(2.0, f["mentions"])
    return list(cands.items())


_FEATURIZERS: dict[str, Callable[[EntityExtractor, str], list[tuple[Any, dict[str, float]]]]] = {
    "employers": employer_features, "workers": worker_features, "amount": amount_features,
}


# --- the model ------------------------------------------------------------------------------------------------

@dataclass
class FieldModel:
    """A logistic regression over named features, with the decision thresholds of its field."""

    names: list[str]
    coef: np.ndarray
    intercept: float
    threshold: float
    # employers: further, non-overlapping mentions; numbers: the threshold when the rules found no value
    second_threshold: float = 1.0

    def __post_init__(self) -> None:
        self._index = {n: i for i, n in enumerate(self.names)}

    def proba(self, feats: Sequence[dict[str, float]]) -> np.ndarray:
        if not feats:
            return np.zeros(0)
        z = np.full(len(feats), self.intercept, dtype=np.float64)
        for r, f in enumerate(feats):
            z[r] += sum(self.coef[self._index[k]] * v for k, v in f.items() if k in self._index)
        return 1.0 / (1.0 + np.exp(-z))


def _select(field_name: str, cands: Sequence[tuple[Any, dict[str, float]]], p: np.ndarray,
            th: float, th2: float) -> Any:  # noqa: ANN401 - a list of names, an int or a float
    if field_name == "employers":
        order = np.argsort(-p, kind="stable")
        out: list[str] = []
        for r in order:
            name = cands[r][0]
            if p[r] < (th if not out else th2) or len(out) >= 3:
                break
            if any(name in o or o in name for o in out):
                continue
            out.append(name)
        return out
    if not len(p):
        return None
    r = int(np.argmax(p))
    # numbers: the model picks which candidate; whether to answer at all has its own threshold when the rules
    # found a value (``th``) and when they found none (``th2``)
    ruled = any("rule_pick" in f for _, f in cands)
    return cands[r][0] if p[r] >= (th if ruled else th2) else None


@dataclass
class EntityModel:
    fields: dict[str, FieldModel]
    meta: dict[str, Any] = field(default_factory=dict)

    def choose(self, field_name: str, cands: Sequence[tuple[Any, dict[str, float]]]) -> Any:  # noqa: ANN401
        fm = self.fields[field_name]
        p = fm.proba([f for _, f in cands])
        return _select(field_name, cands, p, fm.threshold, fm.second_threshold)

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {}
        for name, fm in self.fields.items():
            arrays[f"{name}__coef"] = np.asarray(fm.coef, dtype=np.float64)
            arrays[f"{name}__params"] = np.array([fm.intercept, fm.threshold, fm.second_threshold], dtype=np.float64)
            arrays[f"{name}__names"] = np.array(json.dumps(fm.names, ensure_ascii=False))
        meta = {**self.meta, "feature_version": FEATURE_VERSION, "fields": list(self.fields)}
        arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> EntityModel:
        """Read a model written by :meth:`save`; a missing, corrupt or incompatible file is an :class:`NlpError`
        naming the file and the reason."""
        try:
            with np.load(path, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
        except FileNotFoundError:
            raise NlpError(f"{path}: entity model file not found") from None
        except (OSError, ValueError, EOFError) as exc:
            raise NlpError(f"{path}: not a readable entity model (.npz): {exc}") from None
        try:
            meta = json.loads(str(data["meta"]))
            if meta.get("feature_version") != FEATURE_VERSION:
                raise ValueError(f"feature_version {meta.get('feature_version')} != {FEATURE_VERSION} "
                                 "(retrain with `laborwatch nlp train-entities`)")
            fields: dict[str, FieldModel] = {}
            for name in meta["fields"]:
                if name not in FIELDS:
                    raise ValueError(f"unknown field {name!r}")
                names = json.loads(str(data[f"{name}__names"]))
                coef = data[f"{name}__coef"].astype(np.float64)
                params = data[f"{name}__params"]
                if coef.shape != (len(names),) or params.shape != (3,):
                    raise ValueError(f"field {name}: {coef.shape[0]} weights for {len(names)} feature names")
                fields[name] = FieldModel(names, coef, float(params[0]), float(params[1]), float(params[2]))
        except (KeyError, ValueError, TypeError, json.JSONDecodeError) as exc:
            raise NlpError(f"{path}: invalid entity model: {exc}") from None
        return cls(fields=fields, meta=meta)


# --- training and cross-validation ---------------------------------------------------------------------------

@dataclass
class _Prepared:
    texts: list[str]
    gold: dict[str, list[Any]]
    cands: dict[str, list[list[tuple[Any, dict[str, float]]]]]


def _gold_of(it: LabelledItem) -> dict[str, Any]:
    return {"employers": sorted({normalize(e) for e in it.employers}), "workers": it.workers,
            "amount": it.amount_yuan}


def prepare_entities(ex: EntityExtractor, items: Sequence[LabelledItem]) -> _Prepared:
    texts = [normalize(it.text) for it in items]
    gold: dict[str, list[Any]] = {f: [] for f in FIELDS}
    for it in items:
        for k, v in _gold_of(it).items():
            gold[k].append(v)
    cands = {f: [_FEATURIZERS[f](ex, t) for t in texts] for f in FIELDS}
    return _Prepared(texts, gold, cands)


def _is_pos(field_name: str, value: Any, gold: Any) -> bool:  # noqa: ANN401
    if field_name == "employers":
        return value in gold
    return gold is not None and abs(float(value) - float(gold)) < 0.5


def _fit_lr(field_name: str, cands: Sequence[list[tuple[Any, dict[str, float]]]], gold: Sequence[Any],
            c: float, seed: int) -> tuple[list[str], np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if field_name != "employers":
        # numbers: the regression learns which candidate is the value, on texts that state one; whether to answer
        # is left to the thresholds (see _select)
        keep = [j for j, g in enumerate(gold) if g is not None]
        cands, gold = [cands[j] for j in keep], [gold[j] for j in keep]
    names = sorted({k for cs in cands for _, f in cs for k in f if k != "bias"})
    index = {n: i for i, n in enumerate(names)}
    rows: list[np.ndarray] = []
    y: list[int] = []
    for cs, g in zip(cands, gold, strict=True):
        for v, f in cs:
            x = np.zeros(len(names))
            for k, val in f.items():
                if k in index:
                    x[index[k]] = val
            rows.append(x)
            y.append(int(_is_pos(field_name, v, g)))
    if not rows or len(set(y)) < 2:  # one class only: every candidate right (or wrong)
        return names, np.zeros(len(names)), 5.0 if y and y[0] else -5.0
    lr = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    lr.fit(np.vstack(rows), np.array(y))
    return names, lr.coef_[0].astype(np.float64), float(lr.intercept_[0])


def _field_score(field_name: str, preds: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """employers: P/R/F1 of mentions; numbers: exact on stated, spurious on unstated, overall accuracy."""
    from nlp.evaluation import mention_counts, number_counts

    if field_name == "employers":
        tp, fp, fn = mention_counts(preds, gold)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        return {"precision": pr, "recall": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0, "support": tp + fn}
    ok, n, sp, nn = number_counts(preds, gold)
    exact, spurious = (ok / n if n else 0.0), (sp / nn if nn else 0.0)
    return {"exact": exact, "n": n, "spurious": spurious, "n_unstated": nn,
            "balanced": (exact + 1.0 - spurious) / 2}


def _objective(field_name: str, s: dict[str, float]) -> float:
    # numbers: the mean of exact match where stated and silence where not (the rare stated case counts as much)
    return s["f1"] if field_name == "employers" else s["balanced"]


def _tune_thresholds(field_name: str, cands: Sequence[list[tuple[Any, dict[str, float]]]], probs: Sequence[np.ndarray],
                     gold: Sequence[Any]) -> tuple[float, float]:
    grid = [round(x, 2) for x in np.arange(0.05, 0.91, 0.05)]
    best = (-1.0, 0.5, 1.0)
    firsts = grid if field_name == "employers" else [0.0, 0.01, 0.02, 0.03] + grid
    for th in firsts:
        for th2 in grid + [1.01]:
            if th2 < th and field_name == "employers":
                continue
            preds = [_select(field_name, cs, p, th, th2) for cs, p in zip(cands, probs, strict=True)]
            obj = _objective(field_name, _field_score(field_name, preds, gold))
            if obj > best[0] + 1e-9:
                best = (obj, th, th2)
    return best[1], best[2]


def _groups_and_folds(texts: Sequence[str], gold: dict[str, list[Any]], k: int,
                      seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from nlp.training import _folds, near_duplicate_groups

    groups = near_duplicate_groups(texts)
    strat = np.array([int(w is not None) + 2 * int(a is not None) for w, a in zip(gold["workers"], gold["amount"],
                                                                                  strict=True)])
    strat = np.where(np.bincount(strat)[strat] >= k, strat, 0)
    return _folds(strat, k, seed, groups)


def _fit_field(field_name: str, prep: _Prepared, rows: np.ndarray, *, c: float, seed: int,
               inner: int) -> FieldModel:
    cands = [prep.cands[field_name][i] for i in rows]
    gold = [prep.gold[field_name][i] for i in rows]
    # thresholds from inner cross-validation (out-of-fold probabilities of the training rows)
    probs: list[np.ndarray] = [np.zeros(0)] * len(rows)
    sub = _Prepared([prep.texts[i] for i in rows], {f: [prep.gold[f][i] for i in rows] for f in FIELDS},
                    {f: [prep.cands[f][i] for i in rows] for f in FIELDS})
    for tr, te in _groups_and_folds(sub.texts, sub.gold, inner, seed + 1):
        names, coef, b = _fit_lr(field_name, [cands[i] for i in tr], [gold[i] for i in tr], c, seed)
        fm = FieldModel(names, coef, b, 0.5)
        for i in te:
            probs[i] = fm.proba([f for _, f in cands[i]])
    th, th2 = _tune_thresholds(field_name, cands, probs, gold)
    names, coef, b = _fit_lr(field_name, cands, gold, c, seed)
    return FieldModel(names, coef, b, th, th2)


def _rule_preds(ex: EntityExtractor, texts: Sequence[str]) -> dict[str, list[Any]]:
    ents = [ex.extract_rules(t) for t in texts]
    return {"employers": [list(e.employers) for e in ents], "workers": [e.workers for e in ents],
            "amount": [e.amount_yuan for e in ents]}


def cross_validate_entities(ex: EntityExtractor, items: Sequence[LabelledItem], *, k: int = 5, seed: int = 13,
                            c: float = 1.0, inner: int = 3,
                            log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Rules alone vs the learned selector on the same ``k`` folds grouped by near-duplicate text (over the
    labelled positives given), pooled out-of-fold figures per field, plus the candidate-recall ceilings."""
    prep = prepare_entities(ex, items)
    rules = _rule_preds(ex, prep.texts)
    learned: dict[str, list[Any]] = {f: [None] * len(items) for f in FIELDS}
    per_fold: dict[str, list[float]] = {f: [] for f in FIELDS}  # learned minus rules objective, per fold
    for fi, (tr, te) in enumerate(_groups_and_folds(prep.texts, prep.gold, k, seed), 1):
        for f in FIELDS:
            fm = _fit_field(f, prep, tr, c=c, seed=seed, inner=inner)
            model = EntityModel({f: fm})
            for i in te:
                learned[f][i] = model.choose(f, prep.cands[f][i])
            gold = [prep.gold[f][i] for i in te]
            per_fold[f].append(round(
                _objective(f, _field_score(f, [learned[f][i] for i in te], gold))
                - _objective(f, _field_score(f, [rules[f][i] for i in te], gold)), 4))
        if log:
            log(f"fold {fi}/{k} done")
    out: dict[str, Any] = {"items": len(items), "folds": k, "seed": seed, "C": c, "ceiling": _ceilings(prep)}
    for f in FIELDS:
        out[f] = {"rules": _round(_field_score(f, rules[f], prep.gold[f])),
                  "learned": _round(_field_score(f, learned[f], prep.gold[f])),
                  "gain_per_fold": per_fold[f]}
    return out


def _ceilings(prep: _Prepared) -> dict[str, float]:
    res: dict[str, float] = {}
    for f in FIELDS:
        hit = tot = 0
        for cs, g in zip(prep.cands[f], prep.gold[f], strict=True):
            vals = [v for v, _ in cs]
            if f == "employers":
                tot += len(g)
                hit += sum(1 for e in g if e in vals)
            elif g is not None:
                tot += 1
                hit += any(_is_pos(f, v, g) for v in vals)
        res[f] = round(hit / tot, 4) if tot else 0.0
    return res


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}


def train_entity_model(ex: EntityExtractor, items: Sequence[LabelledItem], *, seed: int = 13, c: float = 1.0,
                       inner: int = 3, meta: dict[str, Any] | None = None) -> EntityModel:
    """Fit the three selectors on ``items`` (labelled positives), thresholds from inner grouped CV."""
    prep = prepare_entities(ex, items)
    rows = np.arange(len(items))
    fields = {f: _fit_field(f, prep, rows, c=c, seed=seed, inner=inner) for f in FIELDS}
    return EntityModel(fields, {**(meta or {}), "items": len(items), "seed": seed, "C": c, "inner_folds": inner})
