"""Weighted labour-term lexicon: the recall-oriented prefilter and rule features for the classifier.

The data lives in ``configs/lexicon/labour_terms.yaml`` (see the README beside it). Matching is plain substring
search over the normalised text (each term counted once), plus regex patterns; negation and irrelevant contexts
subtract their weight. Tuned for recall: the prefilter only removes texts without any labour vocabulary.
``type_cues`` are regexes that add to one event type's hint only (a rule feature of the event-type models), never
to the prefilter score: e.g. 倒闭/跑路/停产 for closure_relocation, 罢工/停工 for strike_stoppage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lwcore.domain import EVENT_TYPES
from lwcore.errors import ConfigError
from lwcore.settings import load_yaml

__all__ = ["Lexicon", "LexiconHit"]


@dataclass(frozen=True, slots=True)
class LexiconHit:
    score: float
    terms: tuple[str, ...]
    hints: dict[str, float] = field(default_factory=dict)  # event type -> summed weight
    candidate: bool = False


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    weight: float
    types: tuple[str, ...]
    regex: re.Pattern[str] | None = None


class Lexicon:
    def __init__(
        self,
        *,
        terms: list[_Entry],
        patterns: list[_Entry],
        negation: dict[str, float],
        irrelevant: dict[str, float],
        threshold: float,
        type_cues: list[_Entry] | None = None,
    ) -> None:
        self.terms = terms
        self.patterns = patterns
        self.negation = negation
        self.irrelevant = irrelevant
        self.threshold = threshold
        self.type_cues = type_cues or []

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        f = str(path)
        data = load_yaml(path)
        if not isinstance(data, dict):
            raise ConfigError(f, "", "expected a mapping with prefilter/terms/patterns/negation/irrelevant")
        pre = data.get("prefilter") or {}
        thr = pre.get("threshold", 1.0) if isinstance(pre, dict) else None
        if not isinstance(thr, int | float) or thr < 0:
            raise ConfigError(f, "prefilter.threshold", "must be a number >= 0")
        terms = [_entry(f, "terms", k, v, regex=False) for k, v in (_mapping(f, data, "terms")).items()]
        if not terms:
            raise ConfigError(f, "terms", "at least one term is required")
        patterns = [_entry(f, "patterns", k, v, regex=True) for k, v in _mapping(f, data, "patterns").items()]
        neg = {str(k): _weight(f, f"negation.{k}", v) for k, v in _mapping(f, data, "negation").items()}
        irr = {str(k): _weight(f, f"irrelevant.{k}", v) for k, v in _mapping(f, data, "irrelevant").items()}
        cues = [_entry(f, "type_cues", k, v, regex=True) for k, v in _mapping(f, data, "type_cues").items()]
        for c in cues:
            if not c.types:
                raise ConfigError(f, f"type_cues.{c.key}", "a type cue must name at least one event type")
        return cls(terms=terms, patterns=patterns, negation=neg, irrelevant=irr, threshold=float(thr),
                   type_cues=cues)

    def words(self) -> list[str]:
        """Plain terms for the segmenter dictionary."""
        return [e.key for e in self.terms] + list(self.negation) + list(self.irrelevant)

    def match(self, text: str) -> LexiconHit:
        score = 0.0
        hit_terms: list[str] = []
        hints: dict[str, float] = {}
        for e in self.terms:
            if e.key in text:
                score += e.weight
                hit_terms.append(e.key)
                for t in e.types:
                    hints[t] = hints.get(t, 0.0) + e.weight
        for e in self.patterns:
            assert e.regex is not None
            if e.regex.search(text):
                score += e.weight
                hit_terms.append("re:" + e.key)
                for t in e.types:
                    hints[t] = hints.get(t, 0.0) + e.weight
        penalty = 0.0
        for table in (self.negation, self.irrelevant):
            for k, w in table.items():
                if k in text:
                    penalty += w
                    hit_terms.append("-" + k)
        score = max(score - penalty, 0.0) if score > 0 else 0.0
        for e in self.type_cues:
            assert e.regex is not None
            if e.regex.search(text):
                hit_terms.append("cue:" + e.key)
                for t in e.types:
                    hints[t] = hints.get(t, 0.0) + e.weight
        return LexiconHit(score=score, terms=tuple(hit_terms), hints=hints, candidate=score >= self.threshold)


def _mapping(f: str, data: dict, key: str) -> dict:
    v = data.get(key) or {}
    if not isinstance(v, dict):
        raise ConfigError(f, key, "must be a mapping")
    return v


def _weight(f: str, key: str, v: object) -> float:
    if not isinstance(v, int | float) or isinstance(v, bool):
        raise ConfigError(f, key, f"weight must be a number, got {v!r}")
    return float(v)


def _entry(f: str, section: str, k: object, v: object, *, regex: bool) -> _Entry:
    key = f"{section}.{k}"
    if not isinstance(k, str) or not k:
        raise ConfigError(f, key, "term must be a non-empty string")
    if not (isinstance(v, list) and len(v) == 2 and isinstance(v[1], list)):
        raise ConfigError(f, key, "expected [weight, [event types]]")
    w = _weight(f, key, v[0])
    bad = [t for t in v[1] if t not in EVENT_TYPES]
    if bad:
        raise ConfigError(f, key, f"unknown event type(s) {bad}; known: {list(EVENT_TYPES)}")
    rx = None
    if regex:
        try:
            rx = re.compile(k)
        except re.error as exc:
            raise ConfigError(f, key, f"invalid regex: {exc}") from None
    return _Entry(k, w, tuple(v[1]), rx)
