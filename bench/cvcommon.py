"""Set-up shared by the grouped-CV benches of the neural members (``nlp_topfinetune.py``, ``nlp_gate.py``,
``nlp_frames_oof.py``, ``nlp_dapt.py``): their data arguments, the labelled items plus silver with encoder
embeddings, F1 of a boolean prediction, decisions at thresholds nested across the folds, F1 per slice."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lwcore.settings import REPO_ROOT, load_settings
from nlp.classical import ClassicalModel
from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT, load_labelled, load_silver
from nlp.evaluation import prf
from nlp.lexicon import Lexicon
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter
from nlp.training import Prepared, _folds, add_embeddings, best_threshold, near_duplicate_groups, prepare


def add_data_arguments(ap: argparse.ArgumentParser) -> None:
    """``--data --silver --silver-weight --folds --seed`` (what :func:`start` reads)."""
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--silver", default=str(REPO_ROOT / "nlp/silver/weibo.jsonl"))
    ap.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)


def progress() -> Callable[[str], None]:
    """A logger to stderr that prefixes the seconds since it was made."""
    t0 = time.time()
    return lambda msg: print(f"[{time.time() - t0:6.0f}s] {msg}", file=sys.stderr, flush=True)


def prepared_with_embeddings(a: argparse.Namespace, say: Callable[[str], None]) -> tuple[Prepared, Path]:
    """The gold items of ``a.data`` and the silver of ``a.silver`` (if any), prepared, with the frozen encoder's
    embeddings; also the base directory they came from."""
    from nlp.model import default_base_dir

    settings = load_settings(environ={})
    items = load_labelled(a.data)
    silver = load_silver(a.silver, DEFAULT_CORPORA) if a.silver else []
    prep = prepare(items, segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms), extra=silver,
                   extra_weight=a.silver_weight)
    base = default_base_dir(settings)
    add_embeddings(prep, base, log=say)
    return prep, base


def f1_of(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of boolean predictions against 0/1 labels."""
    return prf(int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum()))


def nested_predictions(y: np.ndarray, score: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Decisions of out-of-fold ``score``: each fold at the threshold best on the other folds' scores."""
    pred = np.zeros(len(y), dtype=bool)
    for f in np.unique(fold):
        th, _ = best_threshold(y[fold != f], score[fold != f])
        pred[fold == f] = score[fold == f] >= th
    return pred


def slice_f1(pred: np.ndarray, y: np.ndarray, in_slice: dict[str, np.ndarray]) -> dict[str, float]:
    """F1 of ``pred`` within each slice (name -> boolean mask over the items)."""
    return {name: round(f1_of(pred[m], y[m])["f1"], 4) for name, m in in_slice.items()}


def start(ap: argparse.ArgumentParser) -> tuple[argparse.Namespace, Callable[[str], None], Prepared, Path]:
    """Parse ``ap`` (which :func:`add_data_arguments` filled), start the progress log and prepare the data:
    ``(args, say, prep, base_dir)``."""
    a = ap.parse_args()
    say = progress()
    prep, base = prepared_with_embeddings(a, say)
    return a, say, prep, base


def gold_folds(prep: Prepared, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The usual split: ``folds`` folds over the gold items grouped by near-duplicate text (positions in
    ``prep.gold``)."""
    gold = prep.gold
    return list(_folds(prep.y[gold], folds, seed, near_duplicate_groups([prep.texts[i] for i in gold])))


def fit_fold(prep: Prepared, rows: np.ndarray, seed: int, embeddings: np.ndarray | None = None) -> ClassicalModel:
    """The classical model (TF-IDF + lexicon + encoder member) on ``rows``, as ``laborwatch nlp train`` fits it;
    ``embeddings`` (one row per item of ``prep``) replace ``prep.embeddings``."""
    emb = prep.embeddings if embeddings is None else embeddings
    return ClassicalModel.fit([prep.texts[i] for i in rows], [prep.words[i] for i in rows], prep.lex[rows],
                              prep.y[rows], [prep.items[i].event_types for i in rows],
                              candidate=prep.candidate[rows], sample_weight=prep.weights[rows],
                              embeddings=emb[rows], encoder_spec=prep.encoder_spec, seed=seed)  # type: ignore[index]
