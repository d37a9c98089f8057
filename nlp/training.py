"""Training the analyzer bundle (``laborwatch nlp train``) and cross-validation.

Seeded and deterministic: folds come from a fixed seed; the relevance threshold is the one that maximises F1
on out-of-fold predictions (prefilter applied), so it is calibrated on data the model did not train on.
The fine-tuned transformer member is optional (``transformer_mode``, :func:`fit_transformer`, trained through
:func:`nlp.model.train_classifier`): LoRA adapters on the base's top two layers and a head, trained on the prefilter
candidates; its relevance logit is blended (weight ``TRANSFORMER_WEIGHT``) into the encoder member's for the
candidates inside the encoder gate, so it needs the encoder member. Cross-validation then fine-tunes one per fold
(the frozen layers' output is computed once, ``state_cache``).
The frozen-encoder member of the classical model is optional too: :func:`add_embeddings` computes the embeddings of
every labelled text once (:class:`nlp.model.SentenceEncoder`), and every fold reuses them.
Silver items (``prepare(..., extra=...)``, :func:`nlp.data.load_silver`) are ``train_only``: folds are drawn over
the gold items, every fold trains on its gold part plus all silver items, and figures and the threshold come from
the gold items alone.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lwcore.domain import EVENT_TYPES
from lwcore.settings import Settings
from nlp.bundle import CLASSICAL_FILE, TRANSFORMER_DIR, BundleInfo, bundle_version
from nlp.classical import FEATURE_VERSION, ClassicalModel, logit
from nlp.data import SILVER_WEIGHT, LabelledItem, sample_weights
from nlp.lexicon import Lexicon
from nlp.model.encoder import EncoderSpec
from nlp.normalize import normalize
from nlp.segment import Segmenter

__all__ = ["Prepared", "prepare", "add_embeddings", "cross_validate", "near_duplicate_groups", "train_bundle",
           "fit_transformer", "TRANSFORMER_WEIGHT"]

logger = logging.getLogger(__name__)

# The fine-tuned member, measured with bench/nlp_topfinetune.py (bench/nlp_results.md, round 6): LoRA rank 16 on the
# top two of the base's 12 layers, 4 epochs, 256 tokens (head + tail, as the encoder member), the classical model's
# sample weights; blended into the encoder member's logit with weight 0.3 (0.2-0.4 measured alike). It reads its
# texts exactly as the encoder member does (same prefix, length and head + tail cut), so at inference both share
# one pass through the frozen layers (TransformerClassifier.load(shared=...), embed_and_predict).
TRANSFORMER_TOP_LAYERS = 2
TRANSFORMER_SETTINGS: dict[str, Any] = {"epochs": 4, "lora_rank": 16, "lora_alpha": 32.0}
TRANSFORMER_LR = {"lora": 1e-3}  # other modes: nlp.model.train's defaults
# LoRA on every layer (bench/nlp_fulltune.py, round 14) learns nothing at 1e-3; 3e-4 and 3 epochs is its measured
# setting. A member trained below the encoder's frozen layers cannot share their pass: inference runs its own.
TRANSFORMER_DEEP = {"lr": 3e-4, "epochs": 3}
TRANSFORMER_WEIGHT = 0.3


@dataclass
class Prepared:
    items: list[LabelledItem]
    texts: list[str]
    words: list[list[str]]
    lex: np.ndarray
    candidate: np.ndarray
    y: np.ndarray
    weights: np.ndarray  # per-item training weight (labeller confidence, nlp.data.sample_weights)
    embeddings: np.ndarray | None = None  # (n, dim) frozen-encoder features, see add_embeddings
    encoder_spec: dict[str, Any] | None = None
    train_only: np.ndarray | None = None  # True for silver items: trained on, never scored
    extra_weight: float = 1.0  # the silver items' weight factor (prepare's extra_weight)

    @property
    def gold(self) -> np.ndarray:
        """Row indices of the gold items (the ones figures and thresholds are computed on)."""
        return np.arange(len(self.y)) if self.train_only is None else np.flatnonzero(~self.train_only)

    @property
    def silver(self) -> np.ndarray:
        """Row indices of the silver (train-only) items; empty without any."""
        return np.zeros(0, dtype=int) if self.train_only is None else np.flatnonzero(self.train_only)

    def subset(self, rows: np.ndarray) -> Prepared:
        """The rows given, in that order (embeddings and flags included)."""
        rows = np.asarray(rows, dtype=int)
        return Prepared(
            items=[self.items[i] for i in rows], texts=[self.texts[i] for i in rows],
            words=[self.words[i] for i in rows], lex=self.lex[rows], candidate=self.candidate[rows], y=self.y[rows],
            weights=self.weights[rows], embeddings=None if self.embeddings is None else self.embeddings[rows],
            encoder_spec=self.encoder_spec, train_only=None if self.train_only is None else self.train_only[rows],
            extra_weight=self.extra_weight)

    def embed_lookup(self, rows: np.ndarray) -> Callable[[list[str]], np.ndarray] | None:
        """``embed`` for :meth:`ClassicalModel.predict` over the texts of ``rows``: the precomputed vectors."""
        if self.embeddings is None:
            return None
        emb = self.embeddings
        table = {self.texts[i]: emb[i] for i in rows}
        return lambda texts: np.stack([table[t] for t in texts]) if texts else emb[:0]


def prepare(items: Sequence[LabelledItem], *, segmenter: Segmenter, lexicon: Lexicon,
            extra: Sequence[LabelledItem] = (), extra_weight: float = SILVER_WEIGHT) -> Prepared:
    """Features of ``items`` (gold) followed by ``extra`` (silver: ``train_only``, weight x ``extra_weight``)."""
    every = list(items) + list(extra)
    texts = [normalize(i.text) for i in every]
    hits = [lexicon.match(t) for t in texts]
    weights = np.array(sample_weights(every), dtype=np.float64)
    weights[len(items):] *= extra_weight
    return Prepared(
        items=every,
        texts=texts,
        words=[segmenter.cut(t) for t in texts],
        lex=ClassicalModel.lexicon_features(hits),
        candidate=np.array([h.candidate for h in hits], dtype=bool),
        y=np.array([int(i.labor_dispute) for i in every], dtype=int),
        weights=weights,
        train_only=np.arange(len(every)) >= len(items) if extra else None,
        extra_weight=extra_weight if extra else 1.0,
    )


def add_embeddings(prep: Prepared, base_dir: Path, *, log: Callable[[str], None] | None = None,
                   **spec: Any) -> Prepared:
    """Compute the frozen-encoder embeddings of every text of ``prep`` (``spec``: :class:`EncoderSpec` fields)."""
    import time

    from nlp.model import SentenceEncoder

    enc = SentenceEncoder.load(base_dir, EncoderSpec(**spec) if spec else None)
    t0 = time.monotonic()
    prep.embeddings = enc.embed(prep.texts)
    prep.encoder_spec = enc.spec.as_dict()
    if log:
        log(f"encoder embeddings for {len(prep.texts)} texts in {time.monotonic() - t0:.0f} s "
            f"({enc.spec.num_layers} layers, {enc.spec.max_length} tokens, base {enc.spec.base_fingerprint})")
    return prep


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = 0.7) -> np.ndarray:
    """Group ids joining texts whose character-trigram TF-IDF cosine exceeds ``threshold`` (transitively), so
    that cross-validation never trains on one copy of a message and tests on another."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=int)
    x = TfidfVectorizer(analyzer="char", ngram_range=(3, 3)).fit_transform(["".join(t.split()) for t in texts])
    sim = (x @ x.T).tocoo()
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j, v in zip(sim.row, sim.col, sim.data, strict=True):
        if i < j and v > threshold:
            parent[find(int(i))] = find(int(j))
    return np.array([find(i) for i in range(n)])


def _folds(y: np.ndarray, k: int, seed: int, groups: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds; grouped (near-duplicates kept together) when ``groups`` is given."""
    if groups is None:
        from sklearn.model_selection import StratifiedKFold

        return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    from sklearn.model_selection import StratifiedGroupKFold

    return list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))


def cross_validate(prep: Prepared, *, k: int = 5, seed: int = 13, log: Callable[[str], None] | None = None,
                   transformer_mode: str | None = None, base_dir: Path | None = None,
                   transformer_weight: float = TRANSFORMER_WEIGHT, transformer_layers: int = TRANSFORMER_TOP_LAYERS,
                   state_cache: dict | None = None) -> np.ndarray:
    """Out-of-fold (n, 9) probabilities of the classical model (0 where the prefilter drops the text, and for
    silver rows, which every fold trains on and none scores); with ``transformer_mode``, each fold also fine-tunes
    the transformer member (:func:`fit_transformer`; ``state_cache`` as there) and blends it in as the analyzer
    does."""
    import tempfile

    oof = np.zeros((len(prep.y), 1 + len(EVENT_TYPES)), dtype=np.float32)
    gold, silver = prep.gold, prep.silver
    groups = near_duplicate_groups([prep.texts[i] for i in gold])
    state_cache = {} if state_cache is None else state_cache
    for f, (gtr, gte) in enumerate(_folds(prep.y[gold], k, seed, groups), 1):
        tr, te = np.concatenate([gold[gtr], silver]), gold[gte]
        m = ClassicalModel.fit([prep.texts[i] for i in tr], [prep.words[i] for i in tr], prep.lex[tr],
                               prep.y[tr], [prep.items[i].event_types for i in tr],
                               candidate=prep.candidate[tr], sample_weight=prep.weights[tr],
                               embeddings=None if prep.embeddings is None else prep.embeddings[tr],
                               encoder_spec=prep.encoder_spec, seed=seed)
        refine = None
        if transformer_mode:
            with tempfile.TemporaryDirectory() as d:
                rep = fit_transformer(prep, tr, base_dir, Path(d), mode=transformer_mode, seed=seed, valid_rows=te,
                                      state_cache=state_cache, layers=transformer_layers, log=log)
            refine = _lookup({prep.texts[i]: float(logit(p)) for i, p in zip(te, rep["valid_probs"][:, 0],
                                                                              strict=True)})
        oof[te] = m.predict([prep.texts[i] for i in te], [prep.words[i] for i in te], prep.lex[te],
                            embed=prep.embed_lookup(te), refine=refine, refine_weight=transformer_weight)
        if log:
            log(f"fold {f}/{k} done")
    oof[~prep.candidate] = 0.0
    return oof


def _lookup(table: dict[str, float]) -> Callable[[list[str]], np.ndarray]:
    return lambda texts: np.array([table[t] for t in texts], dtype=np.float32)


def fit_transformer(prep: Prepared, rows: np.ndarray, base_dir: Path | None, out_dir: Path, *, mode: str = "lora",
                    seed: int = 13, valid_rows: np.ndarray | None = None, state_cache: dict | None = None,
                    provenance: dict[str, Any] | None = None, layers: int = TRANSFORMER_TOP_LAYERS,
                    log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fine-tune the transformer member on the prefilter candidates among ``rows`` (the top ``layers`` layers in
    ``mode``, see ``TRANSFORMER_SETTINGS``; every layer, or more than the top two, with ``TRANSFORMER_DEEP``'s rate
    and epochs); without ``valid_rows`` every candidate is trained on. Returns
    :func:`nlp.model.train_classifier`'s report."""
    import json

    from nlp.errors import NlpError
    from nlp.model import train_classifier

    if base_dir is None or not (Path(base_dir) / "config.json").is_file():
        raise NlpError(f"transformer base {base_dir} missing: run `laborwatch nlp build-base` first")
    rows = np.asarray(rows, dtype=int)
    rows = rows[prep.candidate[rows]]  # the model only ever sees prefilter candidates
    n_layers = int(json.loads((Path(base_dir) / "config.json").read_text(encoding="utf-8"))["num_hidden_layers"])
    valid = None if valid_rows is None else ([prep.texts[i] for i in valid_rows], prep.y[valid_rows].tolist(),
                                             [prep.items[i].event_types for i in valid_rows])
    spec = prep.encoder_spec or EncoderSpec().as_dict()  # read texts as the encoder member: inference shares layers
    reading = {k: spec[k] for k in ("max_length", "tail_tokens", "prefix")}
    settings: dict[str, Any] = {**TRANSFORMER_SETTINGS, "lr": TRANSFORMER_LR.get(mode)}
    if layers > TRANSFORMER_TOP_LAYERS:
        settings.update(TRANSFORMER_DEEP)
    return train_classifier(
        base_dir=Path(base_dir), texts=[prep.texts[i] for i in rows], relevance=prep.y[rows].tolist(),
        event_types=[prep.items[i].event_types for i in rows], out_dir=out_dir, mode=mode, seed=seed,
        num_layers=None, train_from=max(0, n_layers - layers),
        valid=valid, valid_fraction=0.0, sample_weight=prep.weights[rows].tolist(), state_cache=state_cache,
        quantize=False, provenance=provenance, progress=log, **settings, **reading)


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for th in np.arange(0.2, 0.81, 0.025):
        pred = p >= th
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1]:
            best = (round(float(th), 3), f1)
    return best


def _git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=5, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _silver_provenance(prep: Prepared, silver_path: str | None) -> dict[str, Any]:
    rows = prep.silver
    if not len(rows):
        return {}
    sha = hashlib.sha256(Path(silver_path).read_bytes()).hexdigest()[:16] if silver_path and Path(
        silver_path).is_file() else ""
    return {"silver": silver_path or "", "silver_sha256_16": sha, "silver_items": len(rows),
            "silver_positives": int(prep.y[rows].sum()),
            "silver_weight": prep.extra_weight}


def _fit_short_member(prep: Prepared, out_dir: Path, log: Callable[[str], None]) -> None:
    """The short-post member (``nlp.short_member``) of the new bundle: the behavioural suites (all but the held-out
    ones) and the bundle's gold items, in the relevance view."""
    from nlp.short_member import SHORT_FILE, fit_member
    from nlp.surface import relevance_view

    gold = prep.gold
    member = fit_member([relevance_view(prep.texts[i]) for i in gold], prep.y[gold].tolist())
    member.save(out_dir / SHORT_FILE)
    log(f"short-post member fitted on {member.meta['suite_texts']} suite texts and {len(gold)} labelled items")


def _fit_short_encoder(prep: Prepared, out_dir: Path, base_dir: Path | None, log: Callable[[str], None]) -> None:
    """The short-post encoder member (``nlp.short_encoder``) of the new bundle, on the encoder the bundle's encoder
    member reads (same base, same spec): the behavioural suites (all but its held-out ones) and the gold items."""
    from nlp.model import EncoderSpec, SentenceEncoder
    from nlp.short_encoder import ENCODER_SHORT_FILE, fit_encoder_member
    from nlp.surface import relevance_view

    assert prep.encoder_spec is not None and base_dir is not None
    enc = SentenceEncoder.load(base_dir, EncoderSpec.from_dict(prep.encoder_spec))
    gold = prep.gold
    member = fit_encoder_member(enc.embed, [relevance_view(prep.texts[i]) for i in gold], prep.y[gold].tolist(),
                                base_fingerprint=enc.spec.base_fingerprint)
    member.save(out_dir / ENCODER_SHORT_FILE)
    log(f"short-post encoder member fitted on {member.meta['suite_texts']} suite texts and {len(gold)} labelled items")


def train_bundle(
    prep: Prepared,
    out_dir: Path,
    *,
    data_path: str,
    command: str,
    silver_path: str | None = None,
    k: int = 5,
    seed: int = 13,
    transformer_mode: str | None = None,
    base_dir: Path | None = None,
    transformer_weight: float = TRANSFORMER_WEIGHT,
    transformer_layers: int = TRANSFORMER_TOP_LAYERS,
    short_member: bool = True,
    log: Callable[[str], None] = print,
    state_cache: dict[Any, Any] | None = None,
    on_oof: Callable[[np.ndarray], None] | None = None,
) -> dict[str, Any]:
    """Cross-validate (``k`` > 1: the threshold; else 0.5), fit on everything and write the bundle to ``out_dir``.

    ``state_cache``: the transformer member's frozen-layer states per text (see :func:`fit_transformer`), for a
    caller that trains several bundles on overlapping texts. ``on_oof`` gets the out-of-fold probabilities as soon
    as the folds are done."""
    if transformer_mode and prep.embeddings is None:
        from nlp.errors import NlpError

        raise NlpError("the transformer member refines the encoder member: train with the encoder (--encoder)")
    if state_cache is None:
        state_cache = {}  # the frozen layers' output, computed once for the folds and the final fit
    oof = cross_validate(prep, k=k, seed=seed, log=log, transformer_mode=transformer_mode, base_dir=base_dir,
                         transformer_weight=transformer_weight, transformer_layers=transformer_layers,
                         state_cache=state_cache) if k > 1 else None
    gold = prep.gold
    threshold, cv_f1 = (0.5, float("nan")) if oof is None else best_threshold(prep.y[gold], oof[gold, 0])
    log(f"cross-validated relevance F1 {cv_f1:.4f} at threshold {threshold}")
    if oof is not None and on_oof is not None:
        on_oof(oof)  # before the final fit, so a stopped run keeps its cross-validated scores
    model = ClassicalModel.fit(prep.texts, prep.words, prep.lex, prep.y, [i.event_types for i in prep.items],
                               candidate=prep.candidate, sample_weight=prep.weights, embeddings=prep.embeddings,
                               encoder_spec=prep.encoder_spec, seed=seed, log=log)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / CLASSICAL_FILE)
    if short_member:
        _fit_short_member(prep, out_dir, log)
        if prep.encoder_spec is not None and base_dir is not None:
            _fit_short_encoder(prep, out_dir, base_dir, log)
    data_sha = hashlib.sha256(Path(data_path).read_bytes()).hexdigest()[:16] if Path(data_path).is_file() else ""
    tw = 0.0
    treport: dict[str, Any] = {}
    if transformer_mode:
        treport = fit_transformer(prep, np.arange(len(prep.y)), base_dir, out_dir / TRANSFORMER_DIR,
                                  mode=transformer_mode, seed=seed, log=log, state_cache=state_cache,
                                  layers=transformer_layers,
                                  provenance={"data": data_path, "data_sha256_16": data_sha, "command": command})
        tw = transformer_weight
    info = BundleInfo(
        version=bundle_version(out_dir, threshold, tw),
        threshold=threshold,
        event_threshold=0.5,
        transformer_weight=tw,
        feature_version=FEATURE_VERSION,
        provenance={"data": data_path, "data_sha256_16": data_sha, "items": len(gold),
                    "positives": int(prep.y[gold].sum()), "command": command, "seed": seed, "git": _git_rev(),
                    **_silver_provenance(prep, silver_path)},
        validation={"cv_folds": k, "cv_grouped_by": "near-duplicate text (char-trigram cosine > 0.7)",
                    "cv_relevance_f1_classical": round(cv_f1, 4),
                    "cv_includes_transformer": bool(transformer_mode),
                    "encoder": prep.encoder_spec,
                    "encoder_gate": list(model.encoder["gate"]) if model.encoder else None,
                    "low_confidence_weight": float(prep.weights[gold].min()) if len(gold) else 1.0,
                    "event_thresholds_classical": [round(float(v), 3) for v in model.event_thresholds]
                    if model.event_thresholds is not None else None,
                    "event_threshold_rule": "micro",
                    "transformer": {kk: v for kk, v in treport.items() if isinstance(v, int | float | str)}},
    )
    info.save(out_dir)
    log(f"bundle {info.version} written to {out_dir}")
    return {"threshold": threshold, "cv_relevance_f1": cv_f1, "version": info.version, "oof": oof}


def load_parts(settings: Settings):  # noqa: ANN201
    """The segmenter and the labour lexicon that ``prepare`` needs, from the settings' resource paths."""
    from nlp.lexicon import Lexicon
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter

    paths = ResourcePaths.from_settings(settings)
    return Segmenter.from_settings(settings), Lexicon.load(paths.labour_terms)
