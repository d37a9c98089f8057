"""Chinese word segmentation with an owned ``jieba.Tokenizer`` loaded with the project's dictionaries.

The global jieba tokenizer is never changed. Project words (labour terms, registry names and aliases, district
places) are added with a high frequency so they stay whole. Building costs about a second (jieba's main
dictionary, cached by jieba in its own cache file); instances are cached per process and per set of
dictionary files (their paths and modification times). No torch import here: the index room uses this.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from lwcore.settings import Settings

if TYPE_CHECKING:
    import jieba

__all__ = ["Segmenter"]

logger = logging.getLogger(__name__)

_CACHE: dict[tuple, Segmenter] = {}
_LOCK = threading.Lock()
_WORD_FREQ = 200000


class Segmenter:
    def __init__(self, tokenizer: jieba.Tokenizer, words: int = 0) -> None:
        self.tokenizer = tokenizer
        self.n_words = words

    @classmethod
    def from_settings(cls, settings: Settings) -> Segmenter:
        from nlp.resources import ResourcePaths

        paths = ResourcePaths.from_settings(settings)
        return cls.from_files(
            regions=paths.regions, companies=paths.companies, labour_terms=paths.labour_terms
        )

    @classmethod
    def from_files(cls, *, regions: Path, companies: Path, labour_terms: Path) -> Segmenter:
        key = tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in (regions, companies, labour_terms))
        with _LOCK:
            seg = _CACHE.get(key)
            if seg is None:
                seg = cls._build(regions=regions, companies=companies, labour_terms=labour_terms)
                _CACHE[key] = seg
            return seg

    @classmethod
    def from_words(cls, words: list[str]) -> Segmenter:
        """A segmenter with just these extra words (tests, tools)."""
        return cls(_new_tokenizer(words), len(words))

    @classmethod
    def _build(cls, *, regions: Path, companies: Path, labour_terms: Path) -> Segmenter:
        from nlp.lexicon import Lexicon
        from nlp.regions import Regions
        from nlp.registry import CompanyRegistry

        words: list[str] = []
        words.extend(Regions.load(regions).words())
        words.extend(CompanyRegistry.load(companies).words())
        words.extend(Lexicon.load(labour_terms).words())
        tk = _new_tokenizer(words)
        logger.info("segmenter built with %d project words", len(words))
        return cls(tk, len(words))

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (precise mode, HMM for unknown words), whitespace tokens dropped."""
        if not text:
            return []
        return [w for w in self.tokenizer.cut(text, HMM=True) if w.strip()]

    def cut_for_search(self, text: str) -> list[str]:
        if not text:
            return []
        return [w for w in self.tokenizer.cut_for_search(text, HMM=True) if w.strip()]


def _new_tokenizer(words: list[str]) -> jieba.Tokenizer:
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG
    tk = jieba.Tokenizer()
    tk.initialize()
    for w in dict.fromkeys(w.strip() for w in words):
        if w and not any(c.isspace() for c in w) and not w.startswith(("re:", "-")):
            tk.add_word(w, freq=_WORD_FREQ)
    return tk
