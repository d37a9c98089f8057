"""Helpers of the index room's integration tests (real Elasticsearch through the es_client fixture)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.index_support import make_item, split_segmenter

__all__ = ["make_item", "split_segmenter", "jieba_cut", "indexer"]


@pytest.fixture(scope="session")
def jieba_cut() -> Callable[[str], list[str]]:
    """A private jieba tokenizer (the global one is never touched)."""
    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    return lambda text: [w for w in tk.lcut(text) if w.strip()]


@pytest.fixture
def indexer(es_client, es_settings_isolated, jieba_cut):
    from index import Indexer

    return Indexer(es_client, es_settings_isolated, segmenter=jieba_cut)
