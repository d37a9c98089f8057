"""Employer ranking and how many employers to output: design alternatives side by side (entity round 8, issue 14).

Every alternative starts from the same cleaned, ranked rule candidates of each labelled positive
(``EntityExtractor._cleaned(employer_candidates(text))``) and only changes which of them are output and in what
order; each is scored as ``bench/nlp_entities.py`` scores mentions (``nlp.evaluation.mention_counts``: a wrong extra
output is one false positive, a right one a true positive and one false negative less, so an extra output pays
when it is right more often than F1 / 2 of the time). Dev (folds 0-1) and test (folds 2-4) figures only; no text
is printed, except ``--diff NAME`` lists the dev items where alternative NAME changes the output (dev only: test
items are never shown).

    python bench/employer_ranking.py [--data ../shared/data/labeled/train.jsonl] [--json OUT] [--diff NAME]
                                     [--test-folds 2,3]

Candidate recall (round 9): the share of gold mentions among the rules' cleaned candidates (the ceiling of any
choice), among the learned selector's wide pool (``nlp.entity_model._wide_employer_pool``: walk variants, left
window edges, gazetteer, brands) and among their union, with the pool's precision (gold / pool names) and the
gold the pool adds per source; figures only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.nlp_entities import DEV_FOLDS, build_extractor, fold_of, parse_folds
from lwcore.settings import REPO_ROOT
from nlp.data import load_labelled
from nlp.entities import EntityExtractor
from nlp.entities.employer_cues import (
    _RENAMED,
    _attributed,  # (a dispute cue of the candidate's own)
    _built_by,
    _did_the_wrong,
    _own_employer_cue,
    _renamed_pair,
    _writers_contract_party,
    _wronged_by,
)
from nlp.entities.employers import _renamed_wrongdoer as _shipped_renamed
from nlp.entity_model import _wide_employer_pool
from nlp.entity_patterns import _DISPUTE_WORDS, _coordinated
from nlp.evaluation import mention_counts, prf
from nlp.normalize import normalize

Ranked = list[tuple[str, float]]
_ORG = re.compile(r"(?:公司|集团|厂|局|院|校|站|所|中心|部|店|场|矿|处|队|会|社|行|府)$")
_GOV = re.compile(r"(?:政府|街道办事处|街道办|管委会|委员会)$")


def _current(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    return ex.employers(text, ranked=ranked)


def _top1(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    return [n for n, _ in ranked[:1]]


def _seconds(text: str, out: list[str], ranked: Ranked, keep: Callable[[str], bool], limit: int = 3) -> list[str]:
    for n, _ in ranked:
        if len(out) >= limit:
            break
        if n not in out and keep(n):
            out.append(n)
    return out


def _coord_only(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    out = _top1(ex, text, ranked)
    return _seconds(text, out, ranked, lambda n: any(_coordinated(text, n, o) for o in out))


def _cue_only(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """A second only with a dispute cue of its own or a contract chain to the first (no bare listing)."""
    out = _top1(ex, text, ranked)
    return _seconds(text, out, ranked, lambda n: _attributed(text, n) or any(_built_by(text, o, n) for o in out))


def _coord_needs_cue(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The current output, but a listed (coordinated) second needs a dispute cue somewhere in the text
    (either of the pair) or the pair must be written as former / current names."""
    cur = ex.employers(text, ranked=ranked)
    first = cur[:1]
    out = list(first)
    for n in cur[1:]:
        listed_only = (any(_coordinated(text, n, o) for o in out) and not _own_employer_cue(text, n)
                       and not (_ORG.search(n) and _did_the_wrong(text, n))
                       and not any(_built_by(text, o, n) for o in out))
        if listed_only and not (_attributed(text, n) or any(_renamed_pair(text, n, o) for o in out)):
            continue
        out.append(n)
    return out


def _gov_second_needs_cue(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The current output, but a government output as a second party needs a cue of its own."""
    cur = ex.employers(text, ranked=ranked)
    return cur[:1] + [n for n in cur[1:] if not _GOV.search(n) or _attributed(text, n)]


def _promote(ranked: Ranked, k: int) -> Ranked:
    """Candidate ``k`` first: its score just above the best (``employers`` sorts by score again)."""
    top = max(sc for _, sc in ranked)
    return [(ranked[k][0], top + 0.01), *ranked[:k], *ranked[k + 1:]]


def _cue_first(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """Rank first the best candidate with a dispute cue of its own when the first has none; seconds as now."""
    if ranked and not _attributed(text, ranked[0][0]):
        k = next((i for i, (n, _) in enumerate(ranked) if _attributed(text, n)), None)
        if k is not None:
            ranked = _promote(ranked, k)
    return ex.employers(text, ranked=ranked)


def _wrong_first(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """As ``_cue_first`` with the narrow cues only: the wrong written right after it / done by it."""
    def wr(n: str) -> bool:
        return _did_the_wrong(text, n) or _wronged_by(text, n)
    if ranked and not wr(ranked[0][0]):
        k = next((i for i, (n, _) in enumerate(ranked) if wr(n)), None)
        if k is not None:
            ranked = _promote(ranked, k)
    return ex.employers(text, ranked=ranked)


def _nearest_dispute_word(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """Scores + a bonus falling with the distance from any occurrence to the nearest dispute word (拖欠, 辞退...)."""
    hits = [m.start() for m in _DISPUTE_WORDS.finditer(text)]
    if not hits:
        return ex.employers(text, ranked=ranked)

    def dist(n: str) -> int:
        best = 10 ** 6
        for m in re.finditer(re.escape(n), text):
            best = min(best, *(abs(h - m.end()) if h >= m.end() else abs(m.start() - h) for h in hits))
        return best
    scored = [(n, sc + 1.0 / (1.0 + dist(n) / 10.0)) for n, sc in ranked]
    return ex.employers(text, ranked=scored)


def _renamed_wrongdoer(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The current output, but of a former / current name pair (X（原Y）, X（现名Y）) only the form the text
    writes with a dispute cue when exactly one has one; else both, as now."""
    return _shipped_renamed(text, ex.employers(text, ranked=ranked))  # (round 16 shipped it: the same rule)


def _renamed_first_form(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """Of a former / current name pair only the form written first (outside the brackets)."""
    cur = ex.employers(text, ranked=ranked)
    for a in list(cur):
        for b in list(cur):
            if a != b and a in cur and b in cur and _renamed_pair(text, a, b):
                cur.remove(b if text.find(a) < text.find(b) else a)
    return cur


def _renamed_aside_dropped(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """Of a former / current name pair the bracketed form is dropped when the text writes it only there (an
    aside: X（原Y）员工); used again elsewhere (深柳中学可以不按劳动法...), both stay, as now."""
    cur = ex.employers(text, ranked=ranked)
    for a in list(cur):
        for b in list(cur):
            if a != b and a in cur and b in cur and re.search(re.escape(a) + _RENAMED + re.escape(b), text) \
                    and text.count(b) == 1 and b not in a:
                cur.remove(b)
    return cur


def _all_attributed(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The current output plus every further candidate with a dispute cue of its own (recall direction)."""
    out = ex.employers(text, ranked=ranked)
    return _seconds(text, out, ranked, lambda n: _attributed(text, n))


_SIGNED_DATE = re.compile(r"\s?(?:\d{4}|[〇零一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日\s*$")
_CONTRACT_WITH_BEFORE = re.compile(r"(?:与|和|同|跟)$")
_CONTRACT_WITH_AFTER = re.compile(r"(?:于[^，。]{2,14})?(?:签订|签署|签了|订立|签)")


def _signed(text: str, n: str) -> bool:
    """The letter is signed by the organisation: its name, then a date, ends the text (XX指挥部2014年9月29日)."""
    i = text.rfind(n)
    return i >= 0 and len(text) - i <= len(n) + 16 and bool(_SIGNED_DATE.match(text, i + len(n)))


def _contract_party(text: str, n: str) -> bool:
    """The other party of the writers' contract: 与XX(于2012年11月16日)签订."""
    return any(_CONTRACT_WITH_BEFORE.search(text, max(0, m.start() - 1), m.start())
               and _CONTRACT_WITH_AFTER.match(text, m.end())
               for m in re.finditer(re.escape(n), text))


def _plus(cue: Callable[[str, str], bool]) -> Callable[[EntityExtractor, str, Ranked], list[str]]:
    def alt(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
        out = ex.employers(text, ranked=ranked)
        return _seconds(text, out, ranked, lambda n: bool(_ORG.search(n)) and cue(text, n))
    return alt


def _signed_first(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """A signing organisation ranked first (the writers' own), the rest as now."""
    k = next((i for i, (n, _) in enumerate(ranked) if _ORG.search(n) and _signed(text, n)), None)
    if k:
        ranked = _promote(ranked, k)
    return ex.employers(text, ranked=ranked)


def _opening_first(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The candidate the text opens with (position 0) ranked first."""
    k = next((i for i, (n, _) in enumerate(ranked) if text.startswith(n)), None)
    if k:
        ranked = _promote(ranked, k)
    return ex.employers(text, ranked=ranked)


def _opening_subject_first(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    """The candidate the text opens with ranked first, unless it is addressed (A9市人民政府：)."""
    k = next((i for i, (n, _) in enumerate(ranked) if text.startswith(n) and text[len(n): len(n) + 1] not in "：:"),
             None)
    if k:
        ranked = _promote(ranked, k)
    return ex.employers(text, ranked=ranked)


def _top3(ex: EntityExtractor, text: str, ranked: Ranked) -> list[str]:
    return [n for n, _ in ranked[:3]]


ALTERNATIVES: dict[str, tuple[str, Callable[[EntityExtractor, str, Ranked], list[str]]]] = {
    "current": ("current ranking and outputs (the shipped rules)", _current),
    "top1": ("the first candidate only", _top1),
    "top3": ("the first three candidates (recall reference)", _top3),
    "coord_only": ("first + listed-with seconds only (no own-cue seconds)", _coord_only),
    "cue_only": ("first + seconds only with their own dispute cue or a contract chain (no bare listing)", _cue_only),
    "coord_needs_cue": ("current, a listed second needs a dispute cue or a 原/现 pair", _coord_needs_cue),
    "gov_second_cue": ("current, a government as second party needs its own cue", _gov_second_needs_cue),
    "cue_first": ("first = best candidate with its own dispute cue (any kind), seconds as now", _cue_first),
    "wrong_first": ("first = best candidate the wrong is attributed to (XX拖欠, 被XX辞退, ...的是XX)", _wrong_first),
    "nearest_word": ("score + 1/(1+d/10), d = chars to the nearest dispute word", _nearest_dispute_word),
    "renamed_wrongdoer": ("current, of a 原/现名 pair only the form with the dispute cue (if one has)",
                          _renamed_wrongdoer),
    "renamed_first": ("current, of a 原/现名 pair only the form written first", _renamed_first_form),
    "signed_second": ("current + an organisation signing the letter (XX + date ends the text)", _plus(_signed)),
    "signed_first": ("current, a signing organisation ranked first", _signed_first),
    "contract_second": ("current + the other party of a contract (与XX(于...)签订)", _plus(_contract_party)),
    "opening_first": ("current, the candidate the text opens with ranked first", _opening_first),
    "opening_subject_first": ("current, the candidate the text opens with ranked first unless addressed (X：)",
                              _opening_subject_first),
    "writers_contract_second": ("current + the other party of the writers' contract (我(公司)与XX签订)",
                                _plus(_writers_contract_party)),
    "renamed_aside_dropped": ("current, the bracketed form of a 原/现名 pair dropped when written only there",
                              _renamed_aside_dropped),
    "all_attributed": ("current + every candidate with its own dispute cue", _all_attributed),
}


def run(data: str, diff: str | None = None, test_folds: set[int] | None = None) -> dict[str, Any]:
    """``test_folds``: the folds of the "test" column (default 2-4; entity round 16 reads 2-3, fold 4 left out)."""
    keep = set(DEV_FOLDS) | (test_folds if test_folds is not None else {2, 3, 4})
    items = [it for it in load_labelled(data) if it.labor_dispute and fold_of(it.id) in keep]
    ex = build_extractor(rules=True)
    rows: dict[str, dict[str, list[Any]]] = {k: {"dev": [[], []], "test": [[], []]} for k in ALTERNATIVES}
    ceiling = {"dev": [0, 0], "test": [0, 0]}
    recall: dict[str, dict[str, int]] = {p: {"gold": 0, "rules": 0, "pool": 0, "union": 0, "pool_names": 0,
                                             "rule_names": 0} for p in ("dev", "test")}
    added: dict[str, dict[str, int]] = {"dev": {}, "test": {}}
    for it in items:
        part = "dev" if fold_of(it.id) in DEV_FOLDS else "test"
        text = normalize(it.text)
        gold = {normalize(e) for e in it.employers}
        ranked = ex._cleaned(ex.employer_candidates(text), text)
        ceiling[part][0] += len(gold & {n for n, _ in ranked})
        ceiling[part][1] += len(gold)
        cands = {n for n, _ in ranked}
        pool = _wide_employer_pool(ex, text)
        r = recall[part]
        r["gold"] += len(gold)
        r["rules"] += len(gold & cands)
        r["pool"] += len(gold & set(pool))
        r["union"] += len(gold & (cands | set(pool)))
        r["pool_names"] += len(pool)
        r["rule_names"] += len(cands)
        for g in gold - cands:
            for src in pool.get(g, ()):
                added[part][src] = added[part].get(src, 0) + 1
        base = None
        for k, (_, choose) in ALTERNATIVES.items():
            out = choose(ex, text, list(ranked))
            rows[k][part][0].append(set(out))
            rows[k][part][1].append(gold)
            if k == "current":
                base = out
            if diff == k and part == "dev" and set(out) != set(base or []):
                print(f"[{it.id}] gold={sorted(gold)} current={base} {k}={out}")
    table: dict[str, Any] = {}
    for k, (desc, _) in ALTERNATIVES.items():
        table[k] = {"what": desc}
        for part in ("dev", "test"):
            tp, fp, fn = mention_counts(*rows[k][part])
            table[k][part] = {**prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}
    cand = {p: {"recall_rules": round(r["rules"] / r["gold"], 4), "recall_pool": round(r["pool"] / r["gold"], 4),
                "recall_union": round(r["union"] / r["gold"], 4),
                "precision_rules": round(r["rules"] / max(1, r["rule_names"]), 4),
                "precision_pool": round(r["pool"] / max(1, r["pool_names"]), 4),
                "names_rules": r["rule_names"], "names_pool": r["pool_names"],
                "gold_the_pool_adds_by_source": dict(sorted(added[p].items()))} for p, r in recall.items()}
    return {"alternatives": table,
            "candidate_recall_ceiling": {p: round(a / b, 4) for p, (a, b) in ceiling.items()},
            "candidates": cand}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--diff", default=None, choices=list(ALTERNATIVES), help="dev items this alternative changes")
    ap.add_argument("--test-folds", default="2,3,4", metavar="F[,F...]",
                    help="folds of the test column (entity round 16: 2,3 = the read folds, fold 4 left out)")
    a = ap.parse_args()
    res = run(a.data, a.diff, parse_folds(a.test_folds))
    print("| alternative | dev P / R / F1 (tp fp fn) | test P / R / F1 (tp fp fn) |", file=sys.stderr)
    for k, r in res["alternatives"].items():
        cells = [f"{r[p]['precision']:.4f} / {r[p]['recall']:.4f} / {r[p]['f1']:.4f} ({r[p]['tp']} {r[p]['fp']} "
                 f"{r[p]['fn']})" for p in ("dev", "test")]
        print(f"| {k} | {cells[0]} | {cells[1]} |", file=sys.stderr)
    print(f"candidate recall ceiling: {res['candidate_recall_ceiling']}", file=sys.stderr)
    for p, c in res["candidates"].items():
        print(f"candidates {p}: {c}", file=sys.stderr)
    if a.json:
        Path(a.json).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
