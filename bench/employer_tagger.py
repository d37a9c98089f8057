"""Entity round 12 (issue 14): a learned character tagger as a source of employer mentions, measured out of fold.

A linear-chain CRF (python-crfsuite) over characters, trained on far more spans than the ~460 labelled mentions
of round 8: the ``company`` (and, with ``--org``, ``organization``) spans of CLUENER2020 train, the named
organisations (``ORG.NAM``) of the Weibo NER train split, and the employer mentions of the labelled positives
of the training folds (every occurrence of a labelled mention in its normalised text is a span). Features per
character: the character and its neighbours at +-2, bigrams, its class (Han, a masked place code letter / digit,
punctuation), the owned segmenter's word position (B/M/E/S) and the word itself when short, whether an
organisation suffix of ``nlp.entity_patterns`` ends here or starts here, whether a masked place starts here.

Out of fold: the labelled positives are split as ``bench/nlp_entities.py`` splits them (5 folds by id hash;
dev = folds 0-1, test = folds 2-4); fold f is tagged by a model whose labelled part excludes fold f and every
near-duplicate of a fold-f text (``nlp.training.near_duplicate_groups``); CLUENER / Weibo are always in.
``--no-labelled``: one model from CLUENER / Weibo alone (no labelled text at all). The tagger's spans (with the
mean marginal probability of their tags) are combined with the rules' output (``EntityExtractor``, rules
alone) in several ways, each scored as ``bench/nlp_entities.py`` scores employers (mention P / R / F1); a
threshold is picked on dev and read on test. CLUENER dev (held out) span P / R / F1 is the tagger's own check.

    python bench/employer_tagger.py [--org] [--no-weibo] [--no-labelled | --labelled-only] [--dup N]
                                    [--stack MODEL] [--rule-feats] [--iters 100] [--c1 0.1] [--c2 0.01]
                                    [--save-dir DIR [--reuse]] [--dump PKL] [--json OUT]
    python bench/employer_tagger.py --from-dump PKL [--json OUT]

``--stack MODEL``: a ``--no-labelled`` model's tags and marginals as features of a tagger trained on the labelled
folds; ``--rule-feats``: the rules' candidates and output as B/I features (round 8's "with the rules" variant);
``--reuse``: tag with the model files already in ``--save-dir``; ``--dump``: the out-of-fold spans, rule outputs,
candidates and gold as a pickle (a scratch file: it holds labelled-derived strings, never put it in the
repository); ``--from-dump``: the variants table of such a file again, without training. The variants table goes to
stderr as Markdown rows (dev / test / all: P / R / F1 (tp fp fn)). Requires ``pip install python-crfsuite==0.9.12``
(bench only: nothing of the tagger ships; figures in ``bench/nlp_results.md``, entity round 12).

Nothing of the labelled data is written besides the scratch model files in ``--save-dir`` (a temporary
folder by default) and the ``--dump`` file; error lines are not printed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlp_entities import DEV_FOLDS, N_FOLDS, build_extractor, fold_of  # noqa: E402

from lwcore.settings import REPO_ROOT  # noqa: E402
from nlp.data import load_labelled  # noqa: E402
from nlp.entity_patterns import _SUFFIX_RE  # noqa: E402
from nlp.evaluation import mention_counts, prf  # noqa: E402
from nlp.normalize import normalize  # noqa: E402

SHARED = REPO_ROOT.parent / "shared" / "data"
CLUENER = SHARED / "ner"
WEIBO_NER = SHARED / "corpora" / "weibo" / "weibo_ner.jsonl"

_MASKED_START = re.compile(r"(?<![A-Za-z])[A-Z]\d{0,2}(?:省|市|区|县|州)")


def char_class(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if "A" <= c <= "Z":
        return "U"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c.isspace():
        return "W"
    return "P"


def _word_positions(text: str, tokenizer: Any) -> tuple[list[str], list[str]]:  # noqa: ANN401 - jieba.Tokenizer
    """(B/M/E/S position, the word when at most 4 characters long, else '') per character."""
    pos = ["S"] * len(text)
    word = [""] * len(text)
    i = 0
    for w in tokenizer.cut(text, HMM=True):
        n = len(w)
        if i + n > len(text) or text[i:i + n] != w:  # the tokenizer changed the text: leave the rest as singles
            break
        for k in range(n):
            pos[i + k] = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "M"
            word[i + k] = w if n <= 4 else ""
        i += n
    return pos, word


def char_features(text: str, tokenizer: Any) -> list[list[str]]:  # noqa: ANN401 - jieba.Tokenizer
    n = len(text)
    pos, word = _word_positions(text, tokenizer)
    suf_end = [False] * n
    suf_start = [False] * n
    for m in _SUFFIX_RE.finditer(text):
        suf_start[m.start()] = True
        suf_end[m.end() - 1] = True
    masked = [False] * n
    for m in _MASKED_START.finditer(text):
        masked[m.start()] = True
    padded = "^^" + text + "$$"
    cls = [char_class(c) for c in text]
    out: list[list[str]] = []
    for i in range(n):
        j = i + 2
        f = [
            "c0=" + padded[j], "c-1=" + padded[j - 1], "c+1=" + padded[j + 1], "c-2=" + padded[j - 2],
            "c+2=" + padded[j + 2], "b-1=" + padded[j - 1:j + 1], "b+1=" + padded[j:j + 2],
            "t=" + padded[j - 1:j + 2],
            "k0=" + cls[i], "k-1=" + (cls[i - 1] if i else "^"), "k+1=" + (cls[i + 1] if i + 1 < n else "$"),
            "wp=" + pos[i], "wpc=" + pos[i] + padded[j],
        ]
        if word[i]:
            f.append("w=" + word[i])
        if suf_end[i]:
            f.append("suf_end")
        if suf_start[i]:
            f.append("suf_start")
        if i + 1 < n and suf_start[i + 1]:
            f.append("suf_next")
        if masked[i]:
            f.append("masked")
        out.append(f)
    return out


def add_rule_features(x: list[list[str]], text: str, names: Sequence[str], tag: str) -> None:
    """``tag``-B / ``tag``-I features on the characters of every occurrence of ``names``."""
    for s, e in occurrences(text, names):
        x[s].append(tag + "B")
        for k in range(s + 1, e):
            x[k].append(tag + "I")


def add_stacked_features(x: list[list[str]], tagger: Any) -> None:  # noqa: ANN401 - pycrfsuite.Tagger
    """The third-party tagger's tag of each character and of its neighbours, with its marginal in three buckets."""
    y = tagger.tag(x)
    for i, t in enumerate(y):
        p = tagger.marginal(t, i)
        x[i].extend(["s0=" + t, "s0p=" + t + ("h" if p >= 0.9 else "m" if p >= 0.6 else "l"),
                     "s-1=" + (y[i - 1] if i else "^") + t, "s+1=" + t + (y[i + 1] if i + 1 < len(y) else "$")])


def spans_to_tags(n: int, spans: Sequence[tuple[int, int]]) -> list[str]:
    """B/I/O tags of ``n`` characters with the given (start, end) spans."""
    tags = ["O"] * n
    for s, e in spans:
        tags[s] = "B"
        for k in range(s + 1, e):
            tags[k] = "I"
    return tags


def occurrences(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of every occurrence of ``names`` in ``text``, longest name first."""
    taken = [False] * len(text)
    out: list[tuple[int, int]] = []
    for n in sorted({x for x in names if x}, key=len, reverse=True):
        i = text.find(n)
        while i >= 0:
            if not any(taken[i:i + len(n)]):
                out.append((i, i + len(n)))
                for k in range(i, i + len(n)):
                    taken[k] = True
            i = text.find(n, i + 1)
    return sorted(out)


def load_cluener(path: Path, types: Sequence[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            t = normalize(row["text"])
            names = [normalize(n) for ty in types for n in row.get("label", {}).get(ty, {})]
            out.append((t, occurrences(t, names)))
    return out


def load_weibo(path: Path, splits: Sequence[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("split") not in splits:
                continue
            t = normalize(row["text"])
            names = [normalize(e["text"]) for e in row.get("entities", []) if e.get("type") == "ORG.NAM"]
            out.append((t, occurrences(t, names)))
    return out


def train(seqs: Sequence[tuple[list[list[str]], list[str]]], path: Path, a: argparse.Namespace) -> None:
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for x, y in seqs:
        tr.append(x, y)
    tr.set_params({"c1": a.c1, "c2": a.c2, "max_iterations": a.iters, "feature.possible_transitions": True})
    tr.train(str(path))


def tag_spans(tagger: Any, x: list[list[str]], text: str) -> dict[str, float]:  # noqa: ANN401 - pycrfsuite.Tagger
    """Every B-I* span the tagger marks: text -> the best mean marginal of its tags."""
    y = tagger.tag(x)
    out: dict[str, float] = {}
    i = 0
    while i < len(y):
        if y[i] == "B":
            j = i + 1
            while j < len(y) and y[j] == "I":
                j += 1
            p = (tagger.marginal("B", i) + sum(tagger.marginal("I", k) for k in range(i + 1, j))) / (j - i)
            s = text[i:j]
            if len(s) >= 2:
                out[s] = max(out.get(s, 0.0), p)
            i = j
        else:
            i += 1
    return out


def span_score(tagger: Any, text: str, name: str) -> float:  # noqa: ANN401 - pycrfsuite.Tagger after tag()
    """The tagger's support for ``name`` as one whole span (best occurrence): the mean marginal of B then I...,
    times the marginal that the character after it is no I."""
    best = 0.0
    i = text.find(name)
    while i >= 0:
        e = i + len(name)
        m = (tagger.marginal("B", i) + sum(tagger.marginal("I", k) for k in range(i + 1, e))) / len(name)
        if e < len(text):
            m *= 1.0 - tagger.marginal("I", e)
        best = max(best, m)
        i = text.find(name, i + 1)
    return best


def variants(d: dict[str, Any]) -> dict[str, Callable[[int], list[str]]]:
    """Ways to join the rules' output with the tagger, each a function of the item index. ``d``: the out-of-fold
    ``tagged`` spans (text -> mean marginal), the rules' output ``rules`` and ranked candidates ``cands``, and the
    tagger's support for each candidate as one whole span ``cand_scores``."""
    T, R, C, S = d["tagged"], d["rules"], d["cands"], d["cand_scores"]
    out: dict[str, Callable[[int], list[str]]] = {"rules": lambda i: list(R[i])}

    def ranked(i: int, th: float) -> list[str]:
        return [s for s, p in sorted(T[i].items(), key=lambda kv: -kv[1]) if p >= th]

    def overlaps(a: str, names: Iterable[str]) -> bool:
        return any(a in r or r in a for r in names)

    for th in (0.0, 0.5, 0.7, 0.9):
        out[f"tagger alone, top span p>={th}"] = lambda i, th=th: ranked(i, th)[:1]
        out[f"tagger alone, up to 3 spans p>={th}"] = lambda i, th=th: ranked(i, th)[:3]
        out[f"(b) fallback: top tagger span where the rules name none, p>={th}"] = (
            lambda i, th=th: list(R[i]) or ranked(i, th)[:1])

        def rescue(i: int, th: float = th) -> list[str]:
            if R[i]:
                return list(R[i])
            pool = {**{c: S[i].get(c, 0.0) for c in C[i]}, **T[i]}
            best = max(pool.items(), key=lambda kv: kv[1], default=("", 0.0))
            return [best[0]] if best[1] >= th and best[0] else []

        out[f"(b') fallback: best tagger span or rule candidate where the rules name none, p>={th}"] = rescue

        def union(i: int, th: float = th) -> list[str]:
            o = list(R[i])
            for s in ranked(i, th):
                if len(o) < 3 and not overlaps(s, o):
                    o.append(s)
            return o

        out[f"(a) union: rules + tagger spans p>={th} (3 at most)"] = union
    for th in (0.8, 0.9, 0.95):
        def add_cand(i: int, th: float = th) -> list[str]:
            o = list(R[i])
            for c in C[i]:
                if c not in o and S[i].get(c, 0.0) >= th and len(o) < 3 and not overlaps(c, o):
                    o.append(c)
            return o

        out[f"(a') rules + rule candidates the tagger supports >={th}"] = add_cand
    for lo, hi in ((0.01, 0.8), (0.05, 0.9), (0.2, 0.9)):
        def swap(i: int, lo: float = lo, hi: float = hi) -> list[str]:
            if not R[i] or S[i].get(R[i][0], 0.0) >= lo:
                return list(R[i])
            alt = [(c, S[i].get(c, 0.0)) for c in C[i] if c not in R[i]] + [
                (s, p) for s, p in T[i].items() if s not in R[i]]
            alt = [x for x in alt if x[1] >= hi and not overlaps(x[0], R[i])]
            return [max(alt, key=lambda x: x[1])[0], *R[i][1:]] if alt else list(R[i])

        out[f"(c) the rules' first name swapped when the tagger gives it <{lo} and another >={hi}"] = swap
    for th in (0.01, 0.2):
        out[f"(c) the rules' 2nd / 3rd names dropped when the tagger gives them <{th}"] = (
            lambda i, th=th: R[i][:1] + [r for r in R[i][1:] if S[i].get(r, 0.0) >= th])
    for th in (0.7, 0.9):
        def boundary(i: int, th: float = th) -> list[str]:
            o = []
            for r in R[i]:
                alts = [(t, p) for t, p in T[i].items() if t != r and p >= th and p > S[i].get(r, 0.0)
                        and (t.endswith(r) or r.endswith(t))]
                o.append(max(alts, key=lambda x: x[1])[0] if alts else r)
            return list(dict.fromkeys(o))

        out[f"(c) boundary: a rule name replaced by a better-supported tagged span of the same end, p>={th}"] = boundary
    return out


def score_variants(d: dict[str, Any]) -> dict[str, Any]:
    golds, folds = d["golds"], d["folds"]
    splits = {"dev": [i for i in range(len(golds)) if folds[i] in DEV_FOLDS],
              "test": [i for i in range(len(golds)) if folds[i] not in DEV_FOLDS],
              "all": list(range(len(golds)))}
    table: dict[str, Any] = {}
    for name, fn in variants(d).items():
        preds = [fn(i) for i in range(len(golds))]
        table[name] = {}
        for s, ix in splits.items():
            tp, fp, fn_ = mention_counts([preds[i] for i in ix], [golds[i] for i in ix])
            table[name][s] = {**prf(tp, fp, fn_), "tp_fp_fn": [tp, fp, fn_]}
    tagged, rules = d["tagged"], d["rules"]
    n_gold = {s: max(1, sum(len(golds[i]) for i in ix)) for s, ix in splits.items()}
    return {
        "variants": table,
        "items_rules_empty_gold_nonempty": {s: sum(1 for i in ix if not rules[i] and golds[i])
                                            for s, ix in splits.items()},
        "gold_in_tagged": {s: round(sum(len(golds[i] & set(tagged[i])) for i in ix) / n_gold[s], 4)
                           for s, ix in splits.items()},
        "gold_in_rule_candidates": {s: round(sum(len(golds[i] & set(d["cands"][i])) for i in ix) / n_gold[s], 4)
                                    for s, ix in splits.items()},
        "gold_in_rule_candidates_or_tagged": {
            s: round(sum(len(golds[i] & (set(tagged[i]) | set(d["cands"][i]))) for i in ix) / n_gold[s], 4)
            for s, ix in splits.items()},
    }


def report(out: dict[str, Any], json_path: str | None) -> None:
    """The variants as a Markdown table (dev / test / all P / R / F1 (tp fp fn)) on stderr, the rest as JSON."""
    for k, v in out["variants"].items():
        cells = " | ".join("{:.3f} / {:.3f} / **{:.3f}** ({} {} {})".format(
            v[s]["precision"], v[s]["recall"], v[s]["f1"], *v[s]["tp_fp_fn"]) for s in ("dev", "test", "all"))
        print(f"| {k} | {cells} |", file=sys.stderr)
    print(json.dumps({k: v for k, v in out.items() if k != "variants"}, ensure_ascii=False, indent=1))
    if json_path:
        Path(json_path).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(SHARED / "labeled" / "train.jsonl"))
    ap.add_argument("--org", action="store_true", help="CLUENER organization spans too")
    ap.add_argument("--no-weibo", action="store_true")
    ap.add_argument("--no-labelled", action="store_true", help="one model, CLUENER / Weibo only")
    ap.add_argument("--labelled-only", action="store_true", help="labelled folds only (round 8's data)")
    ap.add_argument("--dup", type=int, default=1, help="copies of each labelled training text")
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--save-dir", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--rule-feats", action="store_true",
                    help="the rules' candidates and output as B/I features (round 8's 'with the rules' variant)")
    ap.add_argument("--stack", default=None, metavar="MODEL",
                    help="a tagger file trained without labelled text (--no-labelled): its tags and marginals become"
                         " features (train on the labelled folds alone with --labelled-only)")
    ap.add_argument("--reuse", action="store_true", help="tag with the model files already in --save-dir")
    ap.add_argument("--dump", default=None, help="pickle of the out-of-fold tags, rules and gold (scratch only)")
    ap.add_argument("--from-dump", default=None, help="score the variants of a --dump file only (no training)")
    a = ap.parse_args()
    if a.from_dump:
        import pickle

        report(score_variants(pickle.loads(Path(a.from_dump).read_bytes())), a.json)
        return 0
    import pycrfsuite  # python-crfsuite==0.9.12 (pip), a bench-only requirement: nothing of it ships

    from nlp.training import near_duplicate_groups

    save = Path(a.save_dir or tempfile.mkdtemp(prefix="emptag_"))
    save.mkdir(parents=True, exist_ok=True)
    ex = build_extractor(rules=True)
    tok = ex.segmenter.tokenizer
    t0 = time.perf_counter()
    types = ("company", "organization") if a.org else ("company",)
    third: list[tuple[str, list[tuple[int, int]]]] = []
    if not a.labelled_only:
        third = load_cluener(CLUENER / "cluener2020_train.jsonl", types)
        if not a.no_weibo:
            third += load_weibo(WEIBO_NER, ("train",))

    stack = None
    if a.stack:
        stack = pycrfsuite.Tagger()
        stack.open(a.stack)

    def feats(t: str) -> list[list[str]]:
        x = char_features(t, tok)
        if stack is not None:
            add_stacked_features(x, stack)
        if a.rule_feats:
            add_rule_features(x, t, [n for n, _ in ex.employer_candidates(t)], "rc")
            add_rule_features(x, t, list(ex.employers(t)), "ro")
        return x

    third_seqs = [(feats(t), spans_to_tags(len(t), sp)) for t, sp in third]
    items = [it for it in load_labelled(a.data) if it.labor_dispute]
    texts = [normalize(it.text) for it in items]
    golds = [{normalize(e) for e in it.employers} for it in items]
    lab_seqs = [(feats(t), spans_to_tags(len(t), occurrences(t, g)))
                for t, g in zip(texts, golds, strict=True)]
    folds = [fold_of(it.id) for it in items]
    groups = near_duplicate_groups(texts)
    print(f"features {time.perf_counter() - t0:.0f}s; third-party seqs {len(third_seqs)}, labelled {len(lab_seqs)}",
          file=sys.stderr)
    rules = [list(ex.employers(t)) for t in texts]
    cands = [[n for n, _ in ex.employer_candidates(t)] for t in texts]
    cand_scores: list[dict[str, float]] = [{} for _ in items]

    tagged: list[dict[str, float]] = [{} for _ in items]
    tag_secs = 0.0
    runs = [None] if a.no_labelled else list(range(N_FOLDS))
    for f in runs:
        if f is None:
            train_idx: list[int] = []
        else:
            bad = {groups[i] for i in range(len(items)) if folds[i] == f}
            train_idx = [i for i in range(len(items)) if folds[i] != f and groups[i] not in bad]
        seqs = third_seqs + [lab_seqs[i] for i in train_idx for _ in range(a.dup)]
        path = save / f"tagger_f{f}.crfsuite"
        t1 = time.perf_counter()
        if not (a.reuse and path.is_file()):
            train(seqs, path, a)
        print(f"fold {f}: trained on {len(seqs)} seqs ({len(train_idx)} labelled) in {time.perf_counter() - t1:.0f}s,"
              f" {path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
        tg = pycrfsuite.Tagger()
        tg.open(str(path))
        t2 = time.perf_counter()
        for i in range(len(items)):
            if f is None or folds[i] == f:
                tagged[i] = tag_spans(tg, feats(texts[i]), texts[i])
                cand_scores[i] = {c: span_score(tg, texts[i], c) for c in dict.fromkeys([*cands[i], *rules[i]])}
        tag_secs += time.perf_counter() - t2
    if a.dump:
        import pickle

        Path(a.dump).write_bytes(pickle.dumps({"tagged": tagged, "rules": rules, "golds": golds, "folds": folds,
                                              "cands": cands, "cand_scores": cand_scores}))
    out: dict[str, Any] = {"args": vars(a), "tag_ms_per_post": round(1000 * tag_secs / len(items), 2)}

    # the tagger's own check: CLUENER dev company spans (held out), span P / R / F1
    if not a.labelled_only:
        tg = pycrfsuite.Tagger()
        tg.open(str(save / f"tagger_f{runs[0]}.crfsuite"))
        cdev = load_cluener(CLUENER / "cluener2020_dev.jsonl", types)
        cp = [set(tag_spans(tg, feats(t), t)) for t, _ in cdev]
        cg = [{t[s:e] for s, e in sp} for t, sp in cdev]
        out["cluener_dev_spans"] = prf(*mention_counts(cp, cg))

    out.update(score_variants({"tagged": tagged, "rules": rules, "golds": golds, "folds": folds, "cands": cands,
                               "cand_scores": cand_scores}))
    report(out, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
