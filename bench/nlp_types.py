"""Event types, precision first (issue 14, deliverable 3): error analysis and the candidate type rules side by side
on the same nested grouped folds, from cached out-of-fold type-head probabilities.

The type heads are the classical member's (TF-IDF + lexicon features, one balanced logistic regression per type,
trained on the relevant items, as ``ClassicalModel.fit``); the encoder and transformer members do not touch types,
so one cache of their probabilities serves every rule.

* ``oof``: grouped outer folds (near-duplicates together, stratified, seed 13, as ``bench/nlp_combiner.py`` and
  ``bench/nlp_cv.py``). In each outer training part: vocabularies fitted on that part, *inner* out-of-fold type
  probabilities of its positives (``KFold(3)`` as ``ClassicalModel.fit``), and the heads fitted on the whole part
  scoring the held-out fold's gold positives. Cached as one ``.npz`` in ``--cache`` (a scratch folder).
* ``analyse``: per-type precision/recall/F1 of the shipped rule on the held-out positives, per slice (board letters,
  short posts <= 140 chars, headlines), and what the errors are: which gold types are missed (and what was given
  instead), which are over-assigned (and beside which gold types). ``--examples N`` prints N texts per error kind.
* ``compare``: the rules side by side on the same held-out predictions; everything a rule fits (thresholds, a
  combiner) is fitted on the inner out-of-fold probabilities of the outer training part only (nested), never on
  the fold it is scored on.

    python bench/nlp_types.py oof --cache DIR [--silver nlp/silver/weibo.jsonl]
    python bench/nlp_types.py analyse --cache DIR [--examples 3] [--read-folds 0,1,2]
    python bench/nlp_types.py compare --cache DIR [--rules gate10,gate,tuned,micro,combiner] [--read-folds 0,1,2]

``--read-folds`` (session 17): the outer folds whose error listings may be read; ``analyse`` lists errors of those
folds only and both commands report the read and the unread part separately (a construction is kept only if it
does not lower the unread part).
    python bench/nlp_types.py fit-bundle [--bundle nlp/default_model] [--write]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from lwcore.domain import EVENT_TYPES
from lwcore.settings import REPO_ROOT, load_settings

DATA = REPO_ROOT.parent / "shared/data/labeled/train.jsonl"
SEED = 13


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- out-of-fold probabilities -----------------------------------------------------------------------------
def cmd_oof(a: argparse.Namespace) -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import KFold

    from nlp.classical import CHAR_N, ClassicalModel, _char_analyzer, _type_models, _word_doc
    from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT, load_labelled, load_silver
    from nlp.lexicon import Lexicon
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter
    from nlp.training import _folds, near_duplicate_groups, prepare

    t0 = time.time()
    settings = load_settings(environ={})
    items = load_labelled(a.data)
    silver = load_silver(a.silver, DEFAULT_CORPORA) if a.silver else []
    prep = prepare(items, segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms), extra=silver,
                   extra_weight=SILVER_WEIGHT)
    n_gold = len(items)
    _log(f"prepared {len(prep.texts)} texts ({n_gold} gold) in {time.time() - t0:.0f}s")
    y = prep.y
    gy = y[:n_gold]
    groups = near_duplicate_groups(prep.texts[:n_gold])
    folds = _folds(gy, a.folds, SEED, groups)
    silver_rows = np.arange(n_gold, len(prep.texts))
    tmat = np.array([[t in it.event_types for t in EVENT_TYPES] for it in prep.items], dtype=int)
    gold_pos = np.flatnonzero(gy == 1)
    outer_p = np.zeros((len(gold_pos), len(EVENT_TYPES)))
    fold_of = np.zeros(len(gold_pos), dtype=int)
    arrays: dict[str, np.ndarray] = {}
    for f, (gtr, gte) in enumerate(folds):
        tr = np.concatenate([gtr, silver_rows])
        cv = TfidfVectorizer(analyzer=_char_analyzer, min_df=2, max_features=80000, sublinear_tf=True)
        cv.fit([prep.texts[i] for i in tr])
        wv = TfidfVectorizer(analyzer=lambda d: d, min_df=2, max_features=30000, sublinear_tf=True)
        wv.fit([_word_doc(prep.words[i]) for i in tr])
        pos_tr = tr[y[tr] == 1]
        pos_te = gte[gy[gte] == 1]
        rows = np.concatenate([pos_tr, pos_te])
        x = ClassicalModel.features([prep.texts[i] for i in rows], [prep.words[i] for i in rows], prep.lex[rows],
                                    char_vocab=dict(cv.vocabulary_), char_idf=cv.idf_.astype(np.float32),
                                    word_vocab=dict(wv.vocabulary_), word_idf=wv.idf_.astype(np.float32),
                                    char_n=CHAR_N)
        xtr, xte = x[: len(pos_tr)], x[len(pos_tr):]
        inner = np.zeros((len(pos_tr), len(EVENT_TYPES)))
        for itr, ite in KFold(a.inner_folds, shuffle=True, random_state=SEED).split(pos_tr):  # as ClassicalModel.fit
            cw, cb = _type_models(xtr[itr], tmat[pos_tr[itr]], 16.0, SEED, prep.weights[pos_tr[itr]])
            inner[ite] = _sig(np.asarray(xtr[ite] @ cw.T) + cb)
        cw, cb = _type_models(xtr, tmat[pos_tr], 16.0, SEED, prep.weights[pos_tr])
        k = np.searchsorted(gold_pos, pos_te)
        outer_p[k] = _sig(np.asarray(xte @ cw.T) + cb)
        fold_of[k] = f
        gold_in = pos_tr < n_gold  # inner rules are fitted on gold rows only (silver is train-only)
        arrays[f"inner_rows_{f}"] = pos_tr[gold_in]
        arrays[f"inner_p_{f}"] = inner[gold_in]
        _log(f"fold {f + 1}/{a.folds}: {len(pos_tr)} training positives, {len(pos_te)} held out "
             f"({time.time() - t0:.0f}s)")
    Path(a.cache).mkdir(parents=True, exist_ok=True)
    out = _cache_file(a)
    np.savez_compressed(out, gold_pos=gold_pos, outer_p=outer_p, fold_of=fold_of, folds=a.folds,
                        data_sha=_sha(a.data), ids=np.array([it.id for it in items]), **arrays)
    _log(f"cached {out} ({time.time() - t0:.0f}s)")
    return 0


def _sig(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _cache_file(a: argparse.Namespace) -> Path:
    tag = "silver" if getattr(a, "silver", None) else "gold"
    return Path(a.cache) / f"type-oof-{tag}-f{a.folds}.npz"


class Cache:
    """The cached probabilities with the labelled items they belong to."""

    def __init__(self, a: argparse.Namespace) -> None:
        from nlp.data import load_labelled
        from nlp.normalize import normalize

        path = _cache_file(a)
        if not path.is_file():
            raise SystemExit(f"{path}: no cache; run `python bench/nlp_types.py oof --cache {a.cache}` first")
        z = np.load(path)
        if str(z["data_sha"]) != _sha(a.data):
            raise SystemExit(f"{path}: made from another version of {a.data}; run `oof` again")
        items = load_labelled(a.data)
        self.items = items
        self.texts = [normalize(it.text) for it in items]
        self.gold_pos = z["gold_pos"]
        self.outer_p = z["outer_p"]
        self.fold_of = z["fold_of"]
        self.folds = int(z["folds"])
        self.inner = [(z[f"inner_rows_{f}"], z[f"inner_p_{f}"]) for f in range(self.folds)]
        self.gold = {i: tuple(items[i].event_types) for i in range(len(items))}


# --- rules ---------------------------------------------------------------------------------------------------
def micro(gold: list[tuple[str, ...]], pred: list[tuple[str, ...]]) -> dict:
    from nlp.evaluation import prf

    tp = sum(len(set(g) & set(q)) for g, q in zip(gold, pred, strict=True))
    fp = sum(len(set(q) - set(g)) for g, q in zip(gold, pred, strict=True))
    fn = sum(len(set(g) - set(q)) for g, q in zip(gold, pred, strict=True))
    return prf(tp, fp, fn)


def per_type(gold: list[tuple[str, ...]], pred: list[tuple[str, ...]]) -> dict[str, dict]:
    return {t: {**micro([tuple(x for x in g if x == t) for g in gold], [tuple(x for x in q if x == t) for q in pred]),
                "support": sum(t in g for g in gold)} for t in EVENT_TYPES}


def shared_thresholds(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The shipped procedure: one micro-F1-best threshold for every type (``classical._type_thresholds``)."""
    from nlp.classical import _type_thresholds

    return _type_thresholds(p, t)


_R10_WAGE_OBJ = (r"(?:工资|工钱|薪水|薪资|薪酬|血汗钱|辛苦钱|加班费|工程款|劳务费|劳务款|报酬|绩效|奖金|提成|年终奖|"
                 r"人工费)")
_R10_SI_OBJ = r"社保|社会保险|五险一金|五险|养老保险|医疗保险|医保|失业保险|工伤保险|公积金|住房公积金"
#: Round 10's evidence words (the shipped gate before this round), for the side-by-side row ``gate10``.
ROUND10_EVIDENCE = {
    "wage_arrears": _R10_WAGE_OBJ + r"|欠薪|讨薪|薪",
    "social_insurance_arrears": _R10_SI_OBJ,
    "dismissal_layoff": r"裁员|裁|辞退|开除|解雇|解除|解聘|辞职|离职|下岗|补偿|失业|解约|劝退|待岗",
    "strike_stoppage": r"罢工|停工|怠工|罢课|罢运|拒绝上班|不上班|停运",
    "closure_relocation": r"跑路|失联|倒闭|破产|关门|停产|关厂|搬迁|停业|注销|关停|歇业|卷款|清算",
    "group_action": r"集体|聚集|围堵|堵门|堵路|上访|横幅|静坐|请愿|塔吊|楼顶|跳楼|跳桥|群体|举牌|维权",
    "injury_compensation": r"工伤|受伤|伤残|工亡|死亡|摔伤|骨折|事故|职业病",
    "other_labor": r"合同|加班|押金|身份证|离职证明|派遣|歧视|休假|调岗|罚款|扣钱",
}

#: Round 10's wage check beside social insurance: any wage word outside the social-insurance words.
_R10_WAGE = _R10_WAGE_OBJ + r"|欠薪|讨薪|薪|工钱|津贴|补贴|待遇"
_R10_SI = _R10_SI_OBJ + r"|缴费基数|缴费工资"

#: Round 10's group-action check: a collective (们, 大家, N名工人...) or an act.
_R10_COLLECTIVE = (r"们|集体|群体|联名|殴打|围|堵|聚集|围堵|堵门|堵路|横幅|静坐|请愿|塔吊|楼顶|跳楼|跳桥|举牌|一起|"
                   r"大家|众多|上百|几十|数十|[二三四五六七八九十百千两几多\d]+[多余]?[名位个]?(?:工人|员工|职工|农民工|民工|人)|工人们|员工们|工友们|"
                   r"我们")

#: The rules side by side: (evidence gate, words and wage check: "round10" | "now", what is fitted on the inner
#: out-of-fold probabilities: "shared" threshold as ClassicalModel.fit before | per-type "thresholds" | "combiner").
RULES = {
    "before": (False, "round10", "shared"),  # every type over the shared threshold (round 9)
    "gate10": (True, "round10", "shared"),  # round 10's gate, shipped before this round
    "gate": (True, "now", "shared"),  # the gate with this round's evidence words and wage check
    "tuned10": (True, "round10", "thresholds"),  # per-type thresholds under round 10's gate
    "tuned": (True, "now", "thresholds"),  # per-type thresholds under this round's gate
    "micro": (True, "now", "micro"),  # per-type thresholds maximising the whole decision's micro-F1
    "combiner": (True, "now", "combiner"),  # per-type logistic combiner of head logit + frame evidence
    "combiner_micro": (True, "now", "combiner_micro"),  # the same, thresholds for the decision's micro-F1
}


def run_rule(c: Cache, rule: str, readings: dict[int, object]) -> list[tuple[str, ...]]:
    """Held-out predictions of one rule for every gold positive (in ``c.gold_pos`` order)."""
    import re

    import nlp.type_evidence as te
    from nlp.frames import choose_types

    no_claims = rule.endswith("-noclaims")  # the same rule without short claims
    old_group = rule.endswith("-collective")  # the same rule with round 10's group-action check (a collective)
    no_acts = rule.endswith("-noacts")  # the same rule without collective acts adding group action (session 15)
    no_own = rule.endswith("-noown")  # the same rule without own claims adding other labour, strike (session 16)
    gate, words, fitted = RULES[rule.removesuffix("-noclaims").removesuffix("-collective").removesuffix("-noacts")
                                .removesuffix("-noown")]
    saved = te.EVIDENCE, te.wage_claim, te.group_act, te.collective_act, te.own_claims
    if words == "round10" or no_own:
        te.own_claims = lambda _text: frozenset()  # (the threshold fit reads it too)
    if words == "round10" or no_acts:
        te.collective_act = lambda _text: False  # (the threshold fit reads it too)
    if words == "round10" or old_group:
        collective = re.compile(_R10_COLLECTIVE)
        te.group_act = lambda text: bool(collective.search(text))
    if words == "round10":
        te.EVIDENCE = {t: re.compile(p) for t, p in ROUND10_EVIDENCE.items()}
        wage, si = re.compile(_R10_WAGE), re.compile(_R10_SI)
        te.wage_claim = lambda _reading, text: bool(wage.search(si.sub("", text)))
    try:
        preds: list[tuple[str, ...]] = [()] * len(c.gold_pos)
        for f in range(c.folds):
            rows, ip = c.inner[f]
            tm = np.array([[t in c.gold[i] for t in EVENT_TYPES] for i in rows], dtype=int)
            thr = shared_thresholds(ip, tm)
            type_rule = None
            if fitted != "shared":
                type_rule = te.fit_type_rule(ip, tm, [readings[i] for i in rows], [c.texts[i] for i in rows],
                                             kind=fitted, default=float(thr[0]))
            for k in np.flatnonzero(c.fold_of == f):
                i = int(c.gold_pos[k])
                preds[k] = choose_types(c.outer_p[k].tolist(), list(thr), readings[i], c.texts[i], evidence=gate,
                                        rule=type_rule, short_claims=words != "round10" and not no_claims,
                                        collective_acts=words != "round10" and not no_acts,
                                        own_claims=words != "round10" and not no_own)
    finally:
        te.EVIDENCE, te.wage_claim, te.group_act, te.collective_act, te.own_claims = saved
    return preds


# --- commands ----------------------------------------------------------------------------------------------------
def _readings(c: Cache) -> dict[int, object]:
    from nlp.frames import read_frames

    rows = set(c.gold_pos.tolist())
    for r, _ in c.inner:
        rows.update(r.tolist())
    return {i: read_frames(c.texts[i]) for i in sorted(rows)}


def _read_mask(c: Cache, read_folds: str) -> np.ndarray | None:
    """Over ``c.gold_pos``: whether a text lies in one of the ``read_folds`` (comma-separated outer fold numbers, the
    part whose errors may be read; session 17's honesty protocol), or None when none are named."""
    if not read_folds:
        return None
    folds = {int(f) for f in read_folds.split(",") if f.strip()}
    return np.isin(c.fold_of, sorted(folds))


def cmd_analyse(a: argparse.Namespace) -> int:
    from nlp.evaluation import SLICES, slice_of

    c = Cache(a)
    readings = _readings(c)
    pred = run_rule(c, a.rule, readings)
    gold = [c.gold[int(i)] for i in c.gold_pos]
    out: dict = {"positives": len(gold), "rule": a.rule, "all": micro(gold, pred), "per_type": per_type(gold, pred)}
    for s in SLICES:
        ks = [k for k, i in enumerate(c.gold_pos) if s in slice_of(c.items[int(i)])]
        out[f"slice_{s}"] = {"positives": len(ks), **micro([gold[k] for k in ks], [pred[k] for k in ks])}
    read = _read_mask(c, a.read_folds)
    if read is not None:  # figures on both parts; the error listing below reads the read part only
        out["read_folds"] = a.read_folds
        for part, mask in (("read", read), ("unread", ~read)):
            ks = np.flatnonzero(mask)
            out[part] = {"positives": len(ks), **micro([gold[k] for k in ks], [pred[k] for k in ks])}
            out[f"{part}_per_type_f1"] = {t: v["f1"] for t, v in per_type([gold[k] for k in ks],
                                                                          [pred[k] for k in ks]).items()}
    missed: Counter = Counter()  # (gold type missed, what was predicted instead)
    over: Counter = Counter()  # (type over-assigned, beside which gold types)
    ex: dict[tuple, list[str]] = {}
    for k, (g, q) in enumerate(zip(gold, pred, strict=True)):
        if read is not None and not read[k]:
            continue  # an unread fold: never listed
        text = c.texts[int(c.gold_pos[k])]
        for t in set(g) - set(q):
            key = ("missed", t, "+".join(sorted(q)) or "-")
            missed[key[1:]] += 1
            ex.setdefault(key, []).append(f"{c.items[int(c.gold_pos[k])].id} p={c.outer_p[k][EVENT_TYPES.index(t)]:.2f}"
                                          f" gold={'+'.join(g)} | {text[:140]}")
        for t in set(q) - set(g):
            key = ("over", t, "+".join(sorted(g)))
            over[key[1:]] += 1
            ex.setdefault(key, []).append(f"{c.items[int(c.gold_pos[k])].id} p={c.outer_p[k][EVENT_TYPES.index(t)]:.2f}"
                                          f" pred={'+'.join(q)} | {text[:140]}")
    out["missed_top"] = [[t, instead, n] for (t, instead), n in missed.most_common(a.top)]
    out["over_top"] = [[t, beside, n] for (t, beside), n in over.most_common(a.top)]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.examples:
        for kind, counter in (("missed", missed), ("over", over)):
            for key, n in counter.most_common(a.top):
                print(f"\n## {kind} {key} x{n}")
                for line in ex[(kind, *key)][: a.examples]:
                    print("  ", line)
    return 0


def cmd_compare(a: argparse.Namespace) -> int:
    from nlp.evaluation import SLICES, slice_of

    t0 = time.time()
    c = Cache(a)
    readings = _readings(c)
    gold = [c.gold[int(i)] for i in c.gold_pos]
    out: dict = {"positives": len(gold), "gold_types": sum(len(g) for g in gold), "folds": c.folds}
    preds: dict[str, list[tuple[str, ...]]] = {}
    for rule in a.rules.split(","):
        pred = preds[rule] = run_rule(c, rule, readings)
        res = {"all": micro(gold, pred)}
        for s in SLICES:
            ks = [k for k, i in enumerate(c.gold_pos) if s in slice_of(c.items[int(i)])]
            res[s] = micro([gold[k] for k in ks], [pred[k] for k in ks])["f1"]
        res["per_type_f1"] = {t: v["f1"] for t, v in per_type(gold, pred).items()}
        read = _read_mask(c, a.read_folds)
        if read is not None:
            for part, mask in (("read", read), ("unread", ~read)):
                ks = np.flatnonzero(mask)
                res[part] = micro([gold[k] for k in ks], [pred[k] for k in ks])
        out[rule] = res
        _log(f"{rule}: {res['all']}")
    if a.bootstrap and a.against in preds:
        out["bootstrap"] = _paired_bootstrap(gold, preds, a.against, a.bootstrap)
        read = _read_mask(c, a.read_folds)
        if read is not None:  # the same over the unread part's texts only
            ks = np.flatnonzero(~read)
            out["bootstrap_unread"] = _paired_bootstrap([gold[k] for k in ks],
                                                        {r: [p[k] for k in ks] for r, p in preds.items()},
                                                        a.against, a.bootstrap)
    out["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def _paired_bootstrap(gold: list[tuple[str, ...]], preds: dict[str, list[tuple[str, ...]]], against: str,
                      n: int) -> dict[str, dict[str, float]]:
    """Per rule, the micro-F1 difference to ``against`` over ``n`` resamples of the texts (paired: the same texts
    for both): its 2.5 / 50 / 97.5 percentiles and the share of resamples where the rule is better."""
    def counts(pred: list[tuple[str, ...]]) -> np.ndarray:
        return np.array([[len(set(g) & set(q)), len(set(q) - set(g)), len(set(g) - set(q))]
                         for g, q in zip(gold, pred, strict=True)], dtype=float)

    rng = np.random.default_rng(SEED)
    idx = rng.integers(0, len(gold), size=(n, len(gold)))

    def f1(cnt: np.ndarray) -> np.ndarray:
        s = cnt[idx].sum(1)
        return 2 * s[:, 0] / (2 * s[:, 0] + s[:, 1] + s[:, 2])

    fb = f1(counts(preds[against]))
    out = {}
    for rule, pred in preds.items():
        if rule == against:
            continue
        d = f1(counts(pred)) - fb
        out[f"{rule} - {against}"] = {"p2.5": round(float(np.percentile(d, 2.5)), 4),
                                      "median": round(float(np.median(d)), 4),
                                      "p97.5": round(float(np.percentile(d, 97.5)), 4),
                                      "share_better": round(float((d > 0).mean()), 3)}
    return out


def cmd_fit_bundle(a: argparse.Namespace) -> int:
    """Per-type event thresholds for an already trained bundle, fitted exactly as ``ClassicalModel.fit`` now does
    (``event_rule="micro"``) on the out-of-fold type probabilities of the bundle's own training data: the data and
    silver files named in its provenance (their hashes must match), the bundle's own vocabularies (fitted on that
    data, so the features are the ones its fit used), its seed, 3 inner folds. Reproduction check: the shared
    threshold (the rule the bundle was trained with) from the same probabilities must equal the bundle's
    ``event_thresholds_classical``, and the type heads refitted on the same features must equal the bundle's.
    ``--write`` stores the thresholds as ``event_types`` in the bundle's
    bundle.json (the analyzer then uses them); the bundle's version, which digests classical.npz, is unchanged."""
    from nlp.bundle import BUNDLE_FILE, CLASSICAL_FILE, BundleInfo
    from nlp.classical import ClassicalModel, _type_models, _type_thresholds, event_thresholds, type_oof
    from nlp.data import DEFAULT_CORPORA, load_labelled, load_silver
    from nlp.lexicon import Lexicon
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter
    from nlp.training import prepare

    t0 = time.time()
    bdir = Path(a.bundle)
    info = BundleInfo.load(bdir)
    prov = info.provenance
    data = (REPO_ROOT / prov["data"]).resolve() if not Path(prov["data"]).is_absolute() else Path(prov["data"])
    for key, path in (("data_sha256_16", data), ("silver_sha256_16", REPO_ROOT / prov.get("silver", ""))):
        if prov.get(key) and _sha(str(path)) != prov[key]:
            raise SystemExit(f"{path}: sha256 {_sha(str(path))} differs from the bundle's {key} {prov[key]}")
    settings = load_settings(environ={})
    items = load_labelled(data)
    silver = load_silver(REPO_ROOT / prov["silver"], DEFAULT_CORPORA) if prov.get("silver") else []
    prep = prepare(items, segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms), extra=silver,
                   extra_weight=float(prov.get("silver_weight", 1.0)))
    m = ClassicalModel.load(bdir / CLASSICAL_FILE)
    x = ClassicalModel.features(prep.texts, prep.words, prep.lex, char_vocab=m.char_vocab, char_idf=m.char_idf,
                                word_vocab=m.word_vocab, word_idf=m.word_idf, char_n=m.char_n)
    tmat = np.array([[t in it.event_types for t in EVENT_TYPES] for it in prep.items], dtype=int)
    pos = np.flatnonzero(prep.y == 1)
    seed = int(prov.get("seed", SEED))
    oof = type_oof(x, tmat, pos, prep.weights, seed=seed, inner=3)
    shared = _type_thresholds(oof, tmat[pos])
    stored = info.validation.get("event_thresholds_classical")
    if stored is not None and not np.allclose(shared, stored):
        raise SystemExit(f"reproduction check failed: shared thresholds {shared.tolist()} != the bundle's {stored}")
    cw, cb = _type_models(x[pos], tmat[pos], 16.0, seed, prep.weights[pos])  # the bundle's type heads, refitted
    refit = _sig(np.asarray(x[pos] @ cw.T) + cb)
    shipped = _sig(np.asarray(x[pos] @ m.coef[1:].T) + m.intercept[1:])
    gap = float(np.abs(refit - shipped).max())  # liblinear's tolerance and float32 storage: not exactly 0
    if gap > 0.01:
        raise SystemExit(f"reproduction check failed: refitted type heads' probabilities differ from the bundle's "
                         f"by up to {gap:.4f}")
    thr = event_thresholds(oof, tmat[pos], [prep.texts[i] for i in pos], rule="micro")
    block = {"kind": "thresholds", "thresholds": [round(float(v), 3) for v in thr], "rule": "micro",
             "fitted_on": f"inner 3-fold out-of-fold type probabilities of the bundle's training data "
                          f"({len(pos)} positives, seed {seed}), the bundle's vocabularies",
             "reproduction_check": {"shared_threshold": [round(float(v), 3) for v in shared],
                                    "type_head_prob_max_abs_diff": round(gap, 6)},
             "command": f"python bench/nlp_types.py fit-bundle --bundle {a.bundle} --write"}
    print(json.dumps(block, ensure_ascii=False, indent=1))
    if a.write:
        d = json.loads((bdir / BUNDLE_FILE).read_text(encoding="utf-8"))
        d["event_types"] = block
        (bdir / BUNDLE_FILE).write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _log(f"wrote event_types to {bdir / BUNDLE_FILE}")
    _log(f"{time.time() - t0:.0f}s")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["oof", "analyse", "compare", "fit-bundle"])
    ap.add_argument("--cache", help="scratch folder for the out-of-fold probabilities")
    ap.add_argument("--bundle", default="nlp/default_model", help="fit-bundle: the bundle directory")
    ap.add_argument("--write", action="store_true", help="fit-bundle: store the thresholds in its bundle.json")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--silver", default="", help="silver items trained on (never scored), e.g. nlp/silver/weibo.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner-folds", type=int, default=3)
    ap.add_argument("--rule", default="gate", help="analyse: one of RULES (a suffix -noclaims, -collective, -noacts, "
                                                     "-noown as in compare)")
    ap.add_argument("--rules", default=",".join(RULES), help="compare: comma-separated rules")
    ap.add_argument("--bootstrap", type=int, default=2000, help="compare: paired bootstrap resamples (0: none)")
    ap.add_argument("--against", default="micro", help="compare: the rule the bootstrap differences are taken to")
    ap.add_argument("--read-folds", default="",
                    help="analyse, compare: outer folds whose errors may be read (e.g. 0,1,2): figures for the read "
                         "and the unread part separately; analyse lists errors of the read part only")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--examples", type=int, default=0)
    a = ap.parse_args()
    if a.cmd != "fit-bundle" and not a.cache:
        ap.error(f"{a.cmd} needs --cache DIR")
    return {"oof": cmd_oof, "analyse": cmd_analyse, "compare": cmd_compare, "fit-bundle": cmd_fit_bundle}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
