"""``Analyzer.analyze(posts) -> list[Analysis]``: the analyse stage of the pipeline.

Per batch: normalise -> lexicon prefilter (recall-tuned; non-candidates are answered without the models) ->
classifier ensemble on the candidates (non-neural TF-IDF/SVM always; its frozen-encoder member, e5 embeddings from
:mod:`nlp.model`, for the candidates inside the bundle's gate band when the built base is present, else a logged notice
and a ``-lr`` model version; a fine-tuned transformer when the bundle gives it weight, built on the encoder's own
frozen layers so that one pass serves both members) -> event frames (:mod:`nlp.frames`: dispute predicate, actors,
negation, resolution, modality, genre; they lift specific first-hand posts, clear look-alikes and keep only the event
types with evidence, and every decision carries its explanation) -> the short-post members on short texts (they move
a score the others gave; a short non-candidate that no frame lifts is rescued when both claim it) -> entities ->
company linking -> severity -> event id. Models load lazily, once per process. torch is imported only inside
:mod:`nlp.model` and only when the transformer is used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lwcore.domain import EVENT_TYPES, Analysis, Engagement, Post
from lwcore.settings import Settings
from nlp.bundle import BUNDLE_FILE, CLASSICAL_FILE, TRANSFORMER_DIR, BundleInfo
from nlp.bundles import ACTIVE_FILE, ActiveWatch
from nlp.classical import ClassicalModel, logit
from nlp.cluster import EventClusterer
from nlp.entities import EntityExtractor
from nlp.frames import MAX_LIFT_CHARS, Explanation, FrameReading, choose_types, decide, read_frames, type_cues
from nlp.lexicon import Lexicon
from nlp.linking import CompanyLinker
from nlp.normalize import normalize
from nlp.placeholders import Placeholders
from nlp.regions import Regions
from nlp.registry import CompanyRegistry
from nlp.resources import DEFAULT_MODEL_DIR, ResourcePaths
from nlp.segment import Segmenter
from nlp.severity import SeverityRules
from nlp.short_encoder import ENCODER_SHORT_FILE, RESCUE_CHAR, EncoderShortMember, agreement_score, rescue_score
from nlp.short_encoder import WEIGHT as SHORT_ENCODER_WEIGHT
from nlp.short_member import MAX_CHARS as SHORT_MAX_CHARS
from nlp.short_member import SHORT_FILE, ShortPostMember
from nlp.surface import relevance_view

if TYPE_CHECKING:
    from nlp.model import TransformerClassifier

__all__ = ["Analyzer", "TextInput", "MEMBERS"]

#: Every member the analyzer can run, in the order they are reported (``Analyzer.members``, ``missing_members``).
MEMBERS = ("tfidf", "encoder", "transformer", "frames", "short", "short_encoder")

logger = logging.getLogger(__name__)

# Loaded sentence encoders, shared by every Analyzer of the process (the weights are read-only): (base dir, spec).
_ENCODERS: dict[tuple[str, str], object] = {}
_ENCODERS_LOCK = threading.Lock()
# incident tracking embeds the head of a relevant post (headline and first sentences name the firm, place, act)
EMBED_CHARS = 160


# Loaded short-post members, shared by every Analyzer of the process (read-only): path -> (mtime, member, tag).
_SHORT: dict[str, tuple[float, object, str]] = {}


def _short_member(path: Path) -> tuple[ShortPostMember, str]:
    """The short-post member stored at ``path`` (loaded once per process and file version) and its model-version tag
    (``+short-`` and the file's digest)."""
    return _cached_member(path, "+short-", ShortPostMember.load)  # type: ignore[return-value]


def _short_encoder_member(path: Path) -> tuple[EncoderShortMember, str]:
    """The short-post encoder member stored at ``path`` and its model-version tag (``+senc-`` and the digest)."""
    return _cached_member(path, "+senc-", EncoderShortMember.load)  # type: ignore[return-value]


def _cached_member(path: Path, prefix: str, load: object) -> tuple[object, str]:
    mtime = path.stat().st_mtime
    with _ENCODERS_LOCK:
        hit = _SHORT.get(str(path))
        if hit is None or hit[0] != mtime:
            tag = prefix + hashlib.sha256(path.read_bytes()).hexdigest()[:8]
            hit = _SHORT[str(path)] = (mtime, load(path), tag)  # type: ignore[operator]
    return hit[1], hit[2]


class _EncoderUnavailable(Exception):
    """The encoder could not be loaded (logged where it happened); the batch falls back to the TF-IDF member."""


class _TransformerUnavailable(Exception):
    """The fine-tuned transformer failed (logged where it happened); the encoder member answers without it."""


@dataclass(frozen=True, slots=True)
class TextInput:
    """What the analyzer needs from a post (the CLI builds these from ``{"id", "text", "title"}`` lines)."""

    id: str
    text: str
    published_at: datetime | None = None
    engagement: Engagement | None = None


class Analyzer:
    def __init__(
        self,
        *,
        lexicon: Lexicon,
        segmenter: Segmenter,
        registry: CompanyRegistry,
        regions: Regions,
        severity: SeverityRules,
        model_dir: Path | None,
        base_dir: Path | None = None,
        use_transformer: bool = True,
        embed_relevant: bool = True,
        device: str = "cpu",
        batch_size: int = 16,
        threshold: float | None = None,
        max_chars: int = 4000,
        use_frames: bool = True,
        active_watch: ActiveWatch | None = None,
        type_evidence: bool = True,
        use_rescue: bool = True,
    ) -> None:
        """``use_frames=False`` turns the event-frame layer off (the behaviour of bundle lw-0a6a3707 before it,
        for side-by-side benches); ``type_evidence=False`` keeps every event type over its threshold, evidence or
        not (the rule before issue 14's precision-first types); ``use_rescue=False`` leaves short texts no member
        scored unread (:meth:`_rescue`, the behaviour before session 19)."""
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.registry = registry
        self.regions = regions
        self.severity = severity
        self.entities = EntityExtractor(segmenter=segmenter, registry=registry, regions=regions)
        self.linker = CompanyLinker(registry, town_names=tuple(t.name for t in regions.towns))
        self.clusterer = EventClusterer()
        self.model_dir = model_dir
        self.base_dir = base_dir
        self.use_transformer = use_transformer
        self.embed_relevant = embed_relevant
        self.device = device
        self.batch_size = batch_size
        self.threshold_override = threshold
        self.max_chars = max_chars
        self.use_frames = use_frames
        self.use_rescue = use_rescue
        # follows <state>/models/active.json (nlp.bundles): a promoted bundle is loaded at the next batch
        self.active_watch = active_watch
        self.type_evidence = type_evidence
        self._embedded: dict[str, np.ndarray] = {}  # the texts of the current batch the encoder read: embeddings
        self._lock = threading.Lock()
        self._loaded = False
        self._info: BundleInfo | None = None
        self._classical: ClassicalModel | None = None
        self._transformer: TransformerClassifier | None = None
        self._member_logits: dict[str, float] = {}  # the member's relevance logits from the last shared pass
        self._encoder_ok = False  # the bundle has an encoder member and a matching base is built
        self._short: ShortPostMember | None = None  # the short-post member, when the bundle has one
        self._placeholders: Placeholders | None = None  # what the short-post member reads (built on first use)
        self._short_tag = ""  # appended to model_version when it runs (the bundle's version does not cover it)
        self._short_enc: EncoderShortMember | None = None  # the short-post encoder member, when it can run
        self._short_enc_file = False  # the bundle has one (expected, whether or not it can run)
        self._short_enc_tag = ""
        self.encoded = 0  # texts the encoder embedded so far (candidates inside the gate band, short texts)
        self.model_version = "lex-rules"

    @property
    def model_version(self) -> str:
        """The bundle's version and its members (``lw-...-lr+enc+...``), plus the short-post member's digest when it
        runs (the bundle's version does not cover that file)."""
        return self._model_version + self._short_tag + (self._short_enc_tag if self._short_enc is not None else "")

    @model_version.setter
    def model_version(self, value: str) -> None:
        self._model_version = value

    @classmethod
    def from_settings(cls, settings: Settings, **kw: object) -> Analyzer:
        """The analyzer of ``settings``; ``kw`` overrides constructor options (``use_frames=False``).

        Without ``nlp.model_dir`` (an operator's pinned bundle) the analyzer follows the active-bundle pointer of
        the state folder (``laborwatch nlp promote|rollback``), checked once per batch; ``follow_active=False``
        reads it once and stays on that bundle (the promotion gate's side-by-side runs)."""
        paths = ResourcePaths.from_settings(settings)
        regions = Regions.load(paths.regions)
        registry = CompanyRegistry.load(paths.companies, known_towns={t.name for t in regions.towns})
        follow = bool(kw.pop("follow_active", True))
        watch = None
        if settings.nlp.model_dir:
            model_dir = Path(settings.nlp.model_dir)
        else:
            watch = ActiveWatch(settings.state_path / "models" / ACTIVE_FILE, DEFAULT_MODEL_DIR)
            model_dir = watch.current()
            if not follow:
                watch = None
        base_dir = Path(settings.nlp.base_dir) if settings.nlp.base_dir else settings.state_path / "models" / "base"
        return cls(
            lexicon=Lexicon.load(paths.labour_terms),
            segmenter=Segmenter.from_settings(settings),
            registry=registry,
            regions=regions,
            severity=SeverityRules.load(paths.severity),
            model_dir=model_dir,
            base_dir=base_dir,
            use_transformer=settings.nlp.use_transformer,
            embed_relevant=settings.nlp.embed_relevant,
            device=settings.nlp.device,
            batch_size=settings.nlp.batch_size,
            threshold=settings.nlp.threshold,
            active_watch=watch,
            **kw,  # type: ignore[arg-type]
        )

    # --- models ----------------------------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            self._loaded = True
            md = self.model_dir
            if md is None or not (md / CLASSICAL_FILE).is_file():
                logger.warning("no analyzer bundle at %s: lexicon rules only (lower quality)", md)
                return
            self._info = BundleInfo.load(md)
            self._classical = ClassicalModel.load(md / CLASSICAL_FILE)
            if (md / SHORT_FILE).is_file():
                try:
                    self._short, self._short_tag = _short_member(md / SHORT_FILE)
                except Exception:  # isolation boundary: a broken file degrades to the other members, reported
                    logger.exception("%s: the short-post member cannot be read; running without it", md / SHORT_FILE)
            if self._info.event_types:
                # per-type event thresholds stored beside the bundle (bundle.json ``event_types``, written by
                # ``python bench/nlp_types.py fit-bundle``): they replace the classical model's own
                from nlp.type_evidence import TypeRule

                rule = TypeRule.from_dict(self._info.event_types, where=f"{md / BUNDLE_FILE}: event_types")
                self._classical.event_thresholds = np.asarray(rule.thresholds, dtype=np.float32)
            self.model_version = f"{self._info.version}-lr"
            spec = self._classical.encoder_spec
            if spec is not None and self.use_transformer:
                self._encoder_ok = self._encoder_available(spec)
                if self._encoder_ok:
                    self.model_version = f"{self._info.version}-lr+enc"
            self._load_short_encoder(md / ENCODER_SHORT_FILE)
            tdir = md / TRANSFORMER_DIR
            if self._encoder_ok and self._info.transformer_weight > 0:  # it refines the encoder member
                if not (tdir / "classifier.json").is_file() or self.base_dir is None or not self.base_dir.is_dir():
                    logger.warning(
                        "transformer part unavailable (model %s, base %s; run `laborwatch nlp build-base`): "
                        "using the non-neural + rule ensemble", tdir, self.base_dir)
                else:
                    self._load_transformer(tdir)

    def _load_short_encoder(self, path: Path) -> None:
        """The short-post encoder member, when the bundle has one and the encoder it reads runs on its base."""
        self._short_enc_file = path.is_file()
        if not self._short_enc_file:
            return
        if not self._encoder_ok:
            if self.use_transformer and self._classical is not None and self._classical.encoder_spec is not None:
                logger.warning("%s: the short-post encoder member needs the encoder member's base; running without it",
                               path)  # (with the neural members off by the settings it is not expected: no warning)
            return
        try:
            member, self._short_enc_tag = _short_encoder_member(path)
        except Exception:  # isolation boundary: a broken file degrades to the other members, reported
            logger.exception("%s: the short-post encoder member cannot be read; running without it", path)
            return
        want = (self._classical.encoder_spec or {}).get("base_fingerprint") if self._classical else None
        if member.base_fingerprint and want and member.base_fingerprint != want:
            logger.warning("%s: fitted on encoder base %s, the bundle's encoder is %s: running without it", path,
                           member.base_fingerprint, want)
            return
        self._short_enc = member

    def _load_transformer(self, tdir: Path) -> None:
        """Load the member on the encoder's own frozen layers (one pass serves both, one copy of the base)."""
        info = self._info
        assert info is not None
        try:
            enc = self._encoder()
        except _EncoderUnavailable:
            return  # logged; the TF-IDF member answers, and the transformer only refines the encoder member
        try:
            from nlp.model import TransformerClassifier

            transformer = TransformerClassifier.load(tdir, base_dir=self.base_dir, device=self.device, shared=enc)
            self._transformer = transformer
            self.model_version = f"{info.version}-lr+enc+{transformer.version}"
        except Exception:  # isolation boundary: a broken transformer must not stop analysis
            logger.exception("transformer failed to load; using the non-neural ensemble")
            self._transformer = None

    def _encoder_available(self, spec: dict) -> bool:
        from nlp.model.base import read_base_info
        from nlp.model.errors import ModelError

        try:
            info = read_base_info(self.base_dir) if self.base_dir is not None else None
        except ModelError as exc:
            info = None
            logger.warning("encoder member unavailable (%s): using the TF-IDF member only, lower quality", exc)
        if info is None:
            return False
        if spec.get("base_fingerprint") and info.fingerprint != spec["base_fingerprint"]:
            logger.warning("encoder member trained on base %s, but %s holds %s: using the TF-IDF member only "
                           "(rebuild the base or retrain)", spec["base_fingerprint"], self.base_dir, info.fingerprint)
            return False
        return True

    def _encoder(self):  # noqa: ANN202 (nlp.model.SentenceEncoder; torch stays unimported until used)
        """The frozen encoder, loaded on first use, once per process and base; raises ``_EncoderUnavailable``."""
        assert self._classical is not None and self.base_dir is not None
        spec = self._classical.encoder_spec or {}
        key = (str(self.base_dir), repr(sorted(spec.items())))
        with _ENCODERS_LOCK:
            enc = _ENCODERS.get(key)
            if enc is None:
                from nlp.model import EncoderSpec, SentenceEncoder

                try:
                    enc = _ENCODERS[key] = SentenceEncoder.load(self.base_dir, EncoderSpec.from_dict(spec),
                                                                device=self.device)
                except Exception as exc:  # isolation boundary: a broken base must not stop analysis
                    logger.exception("encoder failed to load from %s; using the TF-IDF member only", self.base_dir)
                    self._encoder_ok = False
                    if self._info is not None:
                        self.model_version = f"{self._info.version}-lr"
                    raise _EncoderUnavailable(str(exc)) from exc
        return enc

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Frozen-encoder embeddings; a member sharing the encoder's layers computes its logits in the same pass."""
        enc = self._encoder()
        self.encoded += len(texts)
        tr = self._transformer
        emb = None
        if tr is not None and tr.shared is enc:
            try:
                emb, probs = tr.embed_and_predict(texts, batch_size=self.batch_size)
            except Exception as exc:  # isolation boundary: a broken transformer must not stop analysis
                self._drop_transformer(exc)  # then the encoder alone, below
            else:
                self._member_logits = dict(zip(texts, logit(probs[:, 0]).tolist(), strict=True))
        if emb is None:
            emb = enc.embed(texts, batch_size=self.batch_size)  # type: ignore[attr-defined]
        self._embedded.update(zip(texts, emb, strict=True))
        return emb

    def _drop_transformer(self, exc: Exception) -> None:
        logger.error("transformer failed (%s: %s); using the encoder member without it", type(exc).__name__, exc,
                     exc_info=exc)
        self._transformer = None
        self._member_logits = {}
        if self._info is not None:
            self.model_version = f"{self._info.version}-lr+enc"

    def warm_up(self) -> None:
        """Load every model now (the bundle and, when it is used, the encoder) rather than on the first post."""
        self._load()
        if self._encoder_ok:
            try:
                self._embed(["预热"])
            except _EncoderUnavailable:
                pass  # already logged; the TF-IDF member answers
            self.encoded = 0
            self._member_logits = {}

    @property
    def members(self) -> tuple[str, ...]:
        """The members this analyzer runs now (loads the bundle first): a subset of :data:`MEMBERS`."""
        self._load()
        out = []
        if self._classical is not None:
            out.append("tfidf")
        if self._encoder_ok:
            out.append("encoder")
        if self._transformer is not None:
            out.append("transformer")
        if self.use_frames:
            out.append("frames")
        if self._short is not None:
            out.append("short")
        if self._short_enc is not None and self._encoder_ok:
            out.append("short_encoder")
        return tuple(out)

    @property
    def expected_members(self) -> tuple[str, ...]:
        """The members the bundle asks for (``tfidf`` and ``frames`` always; ``encoder`` when it has an encoder
        block; ``transformer`` when it gives it weight and the settings allow it)."""
        self._load()
        out = ["tfidf"]
        if self._classical is not None and self._classical.encoder_spec is not None and self.use_transformer:
            out.append("encoder")
            if self._info is not None and self._info.transformer_weight > 0:
                out.append("transformer")
        if self.use_frames:
            out.append("frames")
        if self.model_dir is not None and (self.model_dir / SHORT_FILE).is_file():
            out.append("short")
        if self._short_enc_file and "encoder" in out:
            out.append("short_encoder")
        return tuple(out)

    @property
    def missing_members(self) -> tuple[str, ...]:
        """Members the bundle asks for that do not run (a degraded analyzer): empty when all run."""
        running = set(self.members)
        return tuple(m for m in self.expected_members if m not in running)

    @property
    def threshold(self) -> float:
        if self.threshold_override is not None:
            return self.threshold_override
        return self._info.threshold if self._info else 0.5

    def _probabilities(self, texts: list[str], words: list[list[str]], hits: list) -> np.ndarray:  # noqa: ANN001
        n = len(texts)
        if n == 0:
            return np.zeros((0, 1 + len(EVENT_TYPES)), dtype=np.float32)
        lexf = ClassicalModel.lexicon_features(hits)
        if self._classical is None:
            # rules only: squash the lexicon score; event types from the lexicon hints
            p = np.zeros((n, 1 + len(EVENT_TYPES)), dtype=np.float32)
            for i, h in enumerate(hits):
                p[i, 0] = min(1.0, h.score / 12.0)
                for k, t in enumerate(EVENT_TYPES):
                    p[i, 1 + k] = min(1.0, h.hints.get(t, 0.0) / 6.0)
            return p
        weight = self._info.transformer_weight if self._info is not None else 0.0
        for refine in ((self._refine,) if self._transformer is not None else ()) + (None,):
            try:
                return self._classical.predict(texts, words, lexf, embed=self._embed if self._encoder_ok else None,
                                               refine=refine, refine_weight=weight)
            except _TransformerUnavailable:
                continue  # logged; the encoder member answers without it
            except _EncoderUnavailable:
                break
        return self._classical.predict(texts, words, lexf)

    def _refine(self, texts: list[str]) -> np.ndarray:
        """The fine-tuned transformer's relevance logits (for the candidates inside the encoder gate): from the
        shared pass ``_embed`` just made, else a pass of the member's own."""
        known, self._member_logits = self._member_logits, {}
        if texts and all(t in known for t in texts):
            return np.array([known[t] for t in texts], dtype=np.float32)
        if self._transformer is None:
            raise _TransformerUnavailable("dropped during this batch")
        try:
            pt = self._transformer.predict(texts, batch_size=self.batch_size)[:, 0]
        except Exception as exc:  # isolation boundary: a broken transformer must not stop analysis
            self._drop_transformer(exc)
            raise _TransformerUnavailable(str(exc)) from exc
        return logit(pt)

    # --- public ----------------------------------------------------------------------------------------
    def seed_events(self, items: Iterable[tuple[str, str, datetime | None]]) -> int:
        """Seed the event index with (text, event_id, published_at) from earlier runs/processes."""
        return self.clusterer.seed((normalize(t, max_chars=self.max_chars), e, w) for t, e, w in items)

    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        return self.analyze_inputs(
            [TextInput(p.id, p.text, p.published_at, p.engagement) for p in posts]
        )

    def follow_active(self) -> bool:
        """Switch to the promoted bundle when the pointer changed (one ``stat`` when it did not); True if switched.

        The next :meth:`_load` reads the new bundle; the event index and the shared encoders are kept."""
        if self.active_watch is None:
            return False
        new = self.active_watch.changed()
        if new is None or new == self.model_dir:
            return False
        with self._lock:
            logger.warning("analyzer bundle changed: %s -> %s (generation %d)", self.model_dir, new,
                           self.active_watch.generation)
            self.model_dir = new
            self._loaded = False
            self._info = None
            self._classical = None
            self._transformer = None
            self._member_logits = {}
            self._encoder_ok = False
            self._short = self._short_enc = None
            self._short_tag = self._short_enc_tag = ""
            self._short_enc_file = False
            self.model_version = "lex-rules"
        return True

    def analyze_inputs(self, inputs: Sequence[TextInput]) -> list[Analysis]:
        self.follow_active()
        self._load()
        texts = [normalize(x.text, max_chars=self.max_chars) for x in inputs]
        # the frame layer's relevance view (nlp.surface): platform residue out, pinyin abbreviations written out;
        # the relevance members and the frames read it, the entities read the normalised text
        views = [relevance_view(t) for t in texts] if self.use_frames else texts
        hits = [self.lexicon.match(t) for t in views]
        cand = [i for i, h in enumerate(hits) if h.candidate]
        probs = np.zeros((len(inputs), 1 + len(EVENT_TYPES)), dtype=np.float32)
        self._embedded = {}
        if cand:
            ctexts = [views[i] for i in cand]
            cwords = [self.segmenter.cut(t) for t in ctexts]
            probs[cand] = self._probabilities(ctexts, cwords, [hits[i] for i in cand])
        thr = self.threshold
        ethr: float | np.ndarray = self._info.event_threshold if self._info else 0.5
        if self._classical is not None and self._classical.event_thresholds is not None:
            ethr = self._classical.event_thresholds  # per type, picked on inner cross-validation
        out: list[Analysis] = []
        # a non-candidate is read only when short enough for a lift (read_frames is regex work on every post)
        readings = [read_frames(views[i]) if self.use_frames and (hits[i].candidate or len(views[i]) <= MAX_LIFT_CHARS)
                    else None for i in range(len(inputs))]
        # the short-post member reads the short texts that get a score of the others: the candidates and the
        # non-candidates the frames lift (in _one it moves only that score)
        short = [i for i, r in enumerate(readings) if len(views[i]) <= SHORT_MAX_CHARS and (
            hits[i].candidate or (r is not None and bool(r.lifting)))]
        p_short: dict[int, float] = {}
        if self._short is not None and short:
            p_short = dict(zip(short, self._short.proba([self._short_view(views[i]) for i in short]).tolist(),
                               strict=True))
        p_senc = self._short_encoder_scores(views, short)
        rescued = self._rescue(views, hits, readings, set(short))
        if rescued and self._classical is not None:
            # a rescued text's event types come from the TF-IDF member's type heads (and the evidence rules in _one)
            r = list(rescued)
            rtexts = [views[i] for i in r]
            probs[r, 1:] = self._classical.predict(rtexts, [self.segmenter.cut(t) for t in rtexts],
                                                   ClassicalModel.lexicon_features([hits[i] for i in r]))[:, 1:]
        for i, x in enumerate(inputs):
            out.append(self._one(x, texts[i], hits[i], probs[i], thr, ethr, readings[i], view=views[i],
                                 p_short=p_short.get(i), p_senc=p_senc.get(i), rescue=rescued.get(i)))
        return self._with_embeddings(out, texts)

    def _rescue(self, views: list[str], hits: list, readings: list[FrameReading | None],  # noqa: ANN001
                scored: set[int]) -> dict[int, tuple[float, float, float]]:
        """The short texts no member scores (no lexicon hit, no frame lift) that both short-post members claim
        (``nlp.short_encoder.rescue_score``): ``{index: (character member's probability, encoder member's, their
        score)}``. The character member reads every such text (cheap); the encoder member only those the first gives
        ``RESCUE_CHAR`` (20 of 17,018 real posts)."""
        if not self.use_rescue or self._short is None or self._short_enc is None or not self._encoder_ok:
            return {}
        pool = [i for i, r in enumerate(readings) if r is not None and i not in scored and not hits[i].candidate
                and len(views[i]) <= SHORT_MAX_CHARS]
        if not pool:
            return {}
        p_char = dict(zip(pool, self._short.proba([self._short_view(views[i]) for i in pool]).tolist(), strict=True))
        out: dict[int, tuple[float, float, float]] = {}
        for i, p_enc in self._short_encoder_scores(views, [i for i in pool if p_char[i] >= RESCUE_CHAR]).items():
            score = rescue_score(p_char[i], p_enc)
            if score is not None:
                out[i] = (p_char[i], p_enc, score)
        return out

    def _short_encoder_scores(self, views: list[str], short: list[int]) -> dict[int, float]:
        """The short-post encoder member's probability for the ``short`` texts (those that get a score of the others,
        as the character member reads them); embeddings the encoder member made in this batch are reused, the rest
        embedded."""
        if self._short_enc is None or not self._encoder_ok or not short:
            return {}
        known = self._embedded  # the encoder member's, of this batch (it reports "encoder" for those alone)
        todo = list(dict.fromkeys(views[i] for i in short if views[i] not in known))
        try:
            own: dict[str, np.ndarray] = {}
            if todo:
                self.encoded += len(todo)
                own = dict(zip(todo, self._encoder().embed(todo, batch_size=self.batch_size), strict=True))
            p = self._short_enc.proba(np.stack([own[v] if v in own else known[v] for v in (views[i] for i in short)]))
        except Exception:  # isolation boundary: the other members' scores stand
            logger.exception("short-post encoder member failed on %d text(s); their scores stand without it",
                             len(short))
            return {}
        return dict(zip(short, p.tolist(), strict=True))

    def _short_view(self, view: str) -> str:
        """What the short-post member reads: the relevance view, with placeholders for firm names, towns and counts
        when the member was trained so (``nlp.placeholders``; members of session 15 read the view as it is)."""
        if self._short is None:
            return view
        if self._placeholders is None:
            self._placeholders = Placeholders.of_extractor(self.entities)
        return self._short.reads(view, self._placeholders)

    def _with_embeddings(self, out: list[Analysis], texts: list[str]) -> list[Analysis]:
        """Relevant posts get the frozen encoder's unit-length embedding (incident tracking compares them).

        bench/incidents.py --embedding-experiment measured them against character bigrams. Without the encoder
        (TF-IDF member only) the field stays None and the tracker falls back to bigrams.
        """
        rel = [i for i, a in enumerate(out) if a.labor_dispute]
        if not rel or not self.embed_relevant or not self._encoder_ok:
            return out
        try:
            emb = self._encoder().embed([texts[i][:EMBED_CHARS] for i in rel], batch_size=self.batch_size)
        except Exception:  # isolation boundary: tracking falls back to bigrams, the decision stands
            logger.exception("embedding %d relevant post(s) failed; incident tracking uses their text only", len(rel))
            return out
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        emb = emb / np.where(norms > 0, norms, 1.0)
        for j, i in enumerate(rel):
            out[i] = dataclasses.replace(out[i], embedding=tuple(round(float(v), 5) for v in emb[j]))
        return out

    def _item_members(self, text: str, candidate: bool) -> tuple[str, ...]:
        if not candidate:
            return ("lexicon",)
        if self._classical is None:
            return ("lexicon",)
        if text in self._embedded:
            return ("tfidf", "encoder", "transformer") if self._transformer is not None else ("tfidf", "encoder")
        return ("tfidf",)

    def _one(self, x: TextInput, text: str, hit, p: np.ndarray, thr: float,  # noqa: ANN001
             ethr: float | np.ndarray, reading: FrameReading | None = None, view: str | None = None,
             p_short: float | None = None, p_senc: float | None = None,
             rescue: tuple[float, float, float] | None = None) -> Analysis:
        view = text if view is None else view
        p_model = float(np.clip(p[0], 0.0, 1.0)) if hit.candidate else 0.0
        members = self._item_members(view, hit.candidate)
        expl: Explanation | None = None
        if reading is not None and (hit.candidate or (reading.lifting and len(view) <= MAX_LIFT_CHARS)):
            # a non-candidate is read by the frames too: an explicit dispute claim the prefilter missed
            score, expl = decide(p_model, reading, members=members, text=view)
            relevant = bool(score >= thr)
        elif reading is not None and rescue is not None:
            # a short text no member scored that both short-post members claim: their score, through the frame rules
            score, expl = decide(rescue[2], reading, members=(*members, "short", "short_encoder"), text=view)
            expl = dataclasses.replace(expl, rule="rescue" if expl.rule == "model" else expl.rule,
                                       short_score=round(rescue[0], 4), short_encoder_score=round(rescue[1], 4))
            relevant = bool(score >= thr)
        else:
            score = p_model
            relevant = bool(hit.candidate and p_model >= thr)
            expl = Explanation(members=members, rule="model" if hit.candidate else "no-candidate",
                               model_score=p_model)
        if p_short is not None and (hit.candidate or expl.rule == "lift"):
            # the short-post member moves a score the others gave (nlp.short_member), never a score of nothing
            score = ShortPostMember.adjust(score, p_short)
            relevant = bool(score >= thr)
            expl = dataclasses.replace(expl, members=(*expl.members, "short"), short_score=round(p_short, 4))
        if p_senc is not None and (hit.candidate or expl.rule == "lift"):
            # and so does the short-post encoder member (nlp.short_encoder), after it
            score = ShortPostMember.adjust(score, p_senc, SHORT_ENCODER_WEIGHT)
            relevant = bool(score >= thr)
            expl = dataclasses.replace(expl, members=(*expl.members, "short_encoder"),
                                       short_encoder_score=round(p_senc, 4))
        agreed = agreement_score(p_short, p_senc) if hit.candidate and expl.rule == "model" else None
        if agreed is not None and agreed > score:
            # a candidate no frame rule moved that both short-post members are sure of: their score (session 20)
            score = agreed
            relevant = bool(score >= thr)
            expl = dataclasses.replace(expl, rule="agree")
        types: tuple[str, ...] = ()
        employers: tuple[str, ...] = ()
        companies: tuple = ()
        workers = amount = None
        locations: tuple[str, ...] = ()
        towns: tuple[str, ...] = ()
        if relevant:
            tp = p[1:]
            th = np.broadcast_to(np.asarray(ethr, dtype=np.float32), tp.shape)
            # precision first: a type only over its threshold *and* with evidence in the text
            types = choose_types(tp.tolist(), th.tolist(), reading, view, evidence=self.type_evidence)
            if reading is not None:
                expl = dataclasses.replace(expl, type_cues=type_cues(types, reading, view))
            ents = self.entities.extract(text)
            employers = ents.employers
            companies = self.linker.link_all(employers)
            workers = ents.workers
            amount = ents.amount_yuan
            locations = ents.locations
            towns = tuple(dict.fromkeys([*ents.towns, *(c.town for c in companies if c.town)]))
        elif text:
            towns = tuple(self.entities.towns(text))
        sev = self.severity.score(
            labor_dispute=relevant, event_types=types, workers=workers, amount_yuan=amount, text=text,
            companies=companies, engagement=x.engagement, when=x.published_at,
        )
        event_id = None
        if relevant:
            linked = next((c.company_id for c in companies if c.company_id), None)
            key = linked or (employers[0] if employers else None)
            event_id = self.clusterer.assign(text, employer_key=key, event_type=types[0] if types else None,
                                             when=x.published_at)
        return Analysis(
            post_id=x.id,
            labor_dispute=relevant,
            score=round(score, 4),
            event_types=types,
            employers=employers,
            companies=companies,
            locations=locations,
            towns=towns,
            workers=workers,
            amount_yuan=amount,
            severity=sev.level,
            severity_factors=sev.factors,
            event_id=event_id,
            model_version=self.model_version,
            explanation=expl.as_dict(),
        )
