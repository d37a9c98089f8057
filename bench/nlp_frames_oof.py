"""The whole relevance decision of the shipped recipe, out of fold, in seconds: the per-item member scores that
``bench/nlp_gate.py --scores`` keeps (TF-IDF member, encoder member, blend with the fine-tuned member; five folds
grouped by near-duplicate text, each fold's models fitted as ``laborwatch nlp train --transformer lora`` does) with
the gate and the event-frame layer applied afterwards, as ``Analyzer.analyze_inputs`` does: the relevance view
(``nlp.surface``), the prefilter's candidates through the gate, non-candidates read by the frames when short enough
for a lift. Figures over the gold items at thresholds nested across the folds (picked on the other four folds'
scores), per slice.

    python bench/nlp_gate.py --scores S.npz           # once: about 35-55 minutes on 2 cores
    python bench/nlp_frames_oof.py --scores S.npz [--short-chars 0 140 ...] [--no-frames] [--dump D.npz]
                                   [--compare D0.npz] [--short-member] [--short-encoder [--embed-cache E.npz]]
                                   [--no-rescue] [--no-agree]

Frame-rule changes are then measured on the labelled data in seconds (``--dump`` before, ``--compare`` after lists
the decisions that changed). ``--short-chars N`` also sends every candidate of at most N characters to the neural
members (the design measured in round 13). ``--short-member`` adds the short-post member (``nlp.short_member``),
refitted per fold on the behavioural suites (all but the held-out ones) and the other folds' labelled items, as the
analyzer applies it (session 15). ``--short-encoder`` adds the short-post encoder member after it
(``nlp.short_encoder``), refitted per fold the same way on the frozen encoder's embeddings (the base must be built;
``--embed-cache`` keeps the embeddings between runs; session 18); with both, a short text no member scores is rescued
when both claim it (``nlp.short_encoder.rescue_score``, session 19; ``--no-rescue`` leaves it out), and a short
candidate the frame rules left alone gets both members' score when both are sure of it
(``nlp.short_encoder.agreement_score``, session 20; ``--no-agree`` leaves it out).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from cvcommon import f1_of, nested_predictions, slice_f1

from lwcore.settings import REPO_ROOT
from nlp.data import load_labelled
from nlp.evaluation import SLICES, slice_of
from nlp.frames import MAX_LIFT_CHARS, decide, read_frames
from nlp.normalize import normalize
from nlp.short_encoder import WEIGHT as SHORT_ENCODER_WEIGHT
from nlp.short_encoder import agreement_score, rescue_score
from nlp.short_member import MAX_CHARS as SHORT_MAX
from nlp.short_member import ShortPostMember, default_placeholders, fit_member
from nlp.surface import relevance_view
from nlp.training import best_threshold


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--scores", required=True, help="bench/nlp_gate.py --scores output over the same --data")
    ap.add_argument("--gate", type=float, nargs=2, default=(0.15, 0.90), help="the TF-IDF probability band")
    ap.add_argument("--short-chars", type=int, nargs="*", default=[0])
    ap.add_argument("--no-frames", action="store_true", help="the members alone (the behaviour before the frames)")
    ap.add_argument("--dump", help="keep the first variant's scores and decisions here (npz)")
    ap.add_argument("--compare", help="an earlier --dump: list the decisions that changed")
    ap.add_argument("--short-member", action="store_true", help="add the short-post member, refitted per fold")
    ap.add_argument("--short-encoder", action="store_true", help="add the short-post encoder member, refitted per fold")
    ap.add_argument("--embed-cache", help="an npz file of encoder embeddings kept between runs (--short-encoder)")
    ap.add_argument("--no-agree", action="store_true",
                    help="with both short-post members: without their agreement on short candidates (session 20)")
    ap.add_argument("--no-rescue", action="store_true",
                    help="with both short-post members: without the rescue of short texts no member scores")
    a = ap.parse_args()
    z = np.load(a.scores)
    items = load_labelled(a.data)
    y, fold, cand, p_tfidf, p_blend = z["y"], z["fold"], z["candidate"], z["tfidf"], z["blend"]
    if len(items) != len(y):
        raise SystemExit(f"{a.scores}: {len(y)} items, but {a.data} holds {len(items)}: not the same data")
    views = [relevance_view(normalize(it.text)) for it in items]
    length = np.array([len(it.text) for it in items])
    readings = [read_frames(v) if not a.no_frames and (cand[i] or len(v) <= MAX_LIFT_CHARS) else None
                for i, v in enumerate(views)]
    in_slice = {s: np.array([s in slice_of(it) for it in items]) for s in SLICES}
    p_short = _short_member_oof(items, views, fold) if a.short_member else None
    p_senc = _short_encoder_oof(items, views, fold, a.embed_cache) if a.short_encoder else None
    first: tuple[np.ndarray, np.ndarray] | None = None
    for short in a.short_chars:
        inside = cand & (((p_tfidf >= a.gate[0]) & (p_tfidf < a.gate[1])) | (length <= short))
        p_model = np.where(cand, np.where(inside, p_blend, p_tfidf), 0.0)
        score = p_model.copy()
        for i, r in enumerate(readings):
            rule = "model"
            if r is not None and (cand[i] or (r.lifting and len(views[i]) <= MAX_LIFT_CHARS)):
                score[i], why = decide(float(p_model[i]), r, members=(), text=views[i])
                rule = why.rule
            if p_short is not None and len(views[i]) <= SHORT_MAX and (cand[i] or score[i] > 0):
                score[i] = ShortPostMember.adjust(float(score[i]), float(p_short[i]))
            if p_senc is not None and len(views[i]) <= SHORT_MAX and (cand[i] or score[i] > 0):
                score[i] = ShortPostMember.adjust(float(score[i]), float(p_senc[i]), SHORT_ENCODER_WEIGHT)
                agreed = agreement_score(float(p_short[i]), float(p_senc[i])) if (
                    cand[i] and rule == "model" and not a.no_agree and p_short is not None) else None
                if agreed is not None:  # both short-post members sure of a candidate (Analyzer._one)
                    score[i] = max(float(score[i]), agreed)
            elif p_short is not None and p_senc is not None and not a.no_rescue and r is not None and (
                    len(views[i]) <= SHORT_MAX):  # a short text no member scored: the rescue (Analyzer._rescue)
                rescued = rescue_score(float(p_short[i]), float(p_senc[i]))
                if rescued is not None:
                    score[i] = decide(rescued, r, members=(), text=views[i])[0]
        pred = nested_predictions(y, score, fold)
        r = f1_of(pred, y)
        th, best = best_threshold(y, score)
        slices = slice_f1(pred, y, in_slice)
        print(f"short<={short} share {inside.sum() / max(1, cand.sum()):.3f}: nested F1 {r['f1']:.4f} "
              f"(P {r['precision']:.3f} R {r['recall']:.3f}), out-of-fold-best {best:.4f} at {th:.3f}, slices {slices}")
        first = first or (score, pred)
    assert first is not None
    if a.dump:
        np.savez(a.dump, score=first[0], pred=first[1])
    if a.compare:
        old = np.load(a.compare)
        changed = np.flatnonzero(old["pred"] != first[1])
        print(f"{len(changed)} decisions changed, {int(sum(first[1][i] == y[i] for i in changed))} of them now right")
        for i in changed:
            print(f"  gold {y[i]} {old['score'][i]:.3f} -> {first[0][i]:.3f} {views[i][:100]}")
    return 0


def _short_encoder_oof(items: list, views: list[str], fold: np.ndarray, cache: str | None) -> np.ndarray:
    """The short-post encoder member's probability for every short item, from a member fitted without its fold."""
    from nlp_short_member import _CachedEmbed

    from lwcore.settings import load_settings
    from nlp.analyzer import Analyzer
    from nlp.short_encoder import fit_encoder_member

    an = Analyzer.from_settings(load_settings(environ={}))
    an._load()
    if not an._encoder_ok:
        raise SystemExit("--short-encoder: the encoder member cannot run here (laborwatch nlp build-base)")
    enc = an._encoder()
    embed = _CachedEmbed(enc, cache)
    y = np.array([it.labor_dispute for it in items])
    out = np.zeros(len(items))
    for k in sorted(set(fold.tolist())):
        train = np.flatnonzero(fold != k)
        m = fit_encoder_member(embed, [views[i] for i in train], y[train].tolist(),
                               base_fingerprint=enc.spec.base_fingerprint)
        test = [i for i in np.flatnonzero(fold == k) if len(views[i]) <= SHORT_MAX]
        out[test] = m.proba(embed([views[i] for i in test]))
        print(f"fold {k}: short-post encoder member refitted", file=sys.stderr, flush=True)
    return out


def _short_member_oof(items: list, views: list[str], fold: np.ndarray) -> np.ndarray:
    """The short-post member's probability for every short item, from a member fitted without the item's fold."""
    y = np.array([it.labor_dispute for it in items])
    out = np.zeros(len(items))
    mask = default_placeholders()
    for k in sorted(set(fold.tolist())):
        train = np.flatnonzero(fold != k)
        m = fit_member([views[i] for i in train], y[train].tolist())
        test = [i for i in np.flatnonzero(fold == k) if len(views[i]) <= SHORT_MAX]
        out[test] = m.proba([m.reads(views[i], mask) for i in test])
    return out


if __name__ == "__main__":
    sys.exit(main())
