"""The indexed document of an analysed post, and its Chinese word field.

Fields: everything in ``Post.to_dict()``; ``analysis`` (``Analysis.to_dict()`` plus ``severity_rank``,
1 = most severe); ``title_seg``/``content_seg`` (words from the injected segmenter, lower-cased, joined by
single spaces, for the ``whitespace`` analyser); ``post_time`` (published_at, else fetched_at; it picks the
monthly index and drives date filters, sort and the daily histogram); ``indexed_at``. ``verification`` is
never part of a re-indexed document: it is set on insert only (state ``pending``) and changed only through
``Indexer.update_fields``, so a re-crawl never undoes a verifier's decision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from lwcore.domain import AnalyzedPost, Post

__all__ = ["Segmenter", "segment_text", "post_time", "build_document", "INITIAL_VERIFICATION"]

Segmenter = Callable[[str], list[str]]

#: verification object of a post the first time it is indexed
INITIAL_VERIFICATION: dict[str, Any] = {"state": "pending"}


def segment_text(text: str, segmenter: Segmenter) -> str:
    """Words of ``text`` as one space-separated, lower-cased string (empty for empty text)."""
    if not text:
        return ""
    words = (w.strip().lower() for w in segmenter(text))
    return " ".join("_".join(w.split()) for w in words if w)


def post_time(post: Post) -> datetime:
    return post.published_at or post.fetched_at


def build_document(item: AnalyzedPost, *, segmenter: Segmenter, indexed_at: datetime) -> dict[str, Any]:
    post, analysis = item.post, item.analysis
    if analysis.post_id != post.id:
        raise ValueError(f"analysis of {analysis.post_id} paired with post {post.id}")
    doc = post.to_dict()
    a = analysis.to_dict()
    a.pop("embedding", None)  # for incident tracking in this process only: 384 floats per post are not indexed
    a["severity_rank"] = analysis.severity.rank if analysis.severity else None
    doc["analysis"] = a
    doc["title_seg"] = segment_text(post.title, segmenter)
    doc["content_seg"] = segment_text(post.content, segmenter)
    doc["post_time"] = post_time(post).isoformat()
    doc["indexed_at"] = indexed_at.isoformat()
    return doc
