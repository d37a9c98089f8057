from __future__ import annotations

from datetime import UTC, datetime

import pytest

from index.documents import build_document, post_time, segment_text
from index.templates import index_name
from lwcore.domain import SHANGHAI, Severity


def test_segment_text_lowercases_and_joins_words() -> None:
    words = ["青浦", "ABC", "  ", "公司", "New York"]
    assert segment_text("ignored", lambda _: words) == "青浦 abc 公司 new_york"
    assert segment_text("", lambda _: ["x"]) == ""


def test_document_carries_post_analysis_and_segmented_fields(make_item, split_segmenter) -> None:
    item = make_item("p1", title="青浦欠薪", content="工人 讨薪", severity=Severity.I)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    doc = build_document(item, segmenter=split_segmenter, indexed_at=now)
    assert doc["id"] == "p1" and doc["title"] == "青浦欠薪" and doc["kind"] == "news"
    assert doc["title_seg"] == "青浦 欠薪"
    assert doc["content_seg"] == "工人 讨薪"
    assert doc["analysis"]["severity"] == "I" and doc["analysis"]["severity_rank"] == 1
    assert doc["analysis"]["companies"][0]["company_id"] == "91310118X"
    assert doc["post_time"] == "2024-05-03T10:00:00+08:00"
    assert doc["indexed_at"] == now.isoformat()
    assert "verification" not in doc  # a re-index must never reset a verifier's decision


def test_post_time_falls_back_to_fetched_at(make_item, split_segmenter) -> None:
    item = make_item("p2", published_at=None, severity=None)
    doc = build_document(item, segmenter=split_segmenter, indexed_at=datetime.now(UTC))
    assert post_time(item.post) == item.post.fetched_at
    assert doc["post_time"] == item.post.fetched_at.isoformat()
    assert doc["analysis"]["severity_rank"] is None


def test_mismatched_analysis_is_rejected(make_item, split_segmenter) -> None:
    a, b = make_item("a"), make_item("b")
    from lwcore.domain import AnalyzedPost

    with pytest.raises(ValueError, match="paired with post"):
        build_document(AnalyzedPost(a.post, b.analysis), segmenter=split_segmenter, indexed_at=datetime.now(UTC))


def test_monthly_index_uses_shanghai_month() -> None:
    # 2024-05-31 20:00 UTC is already June 1st in Shanghai
    assert index_name("lw", datetime(2024, 5, 31, 20, 0, tzinfo=UTC)) == "lw-2024.06"
    assert index_name("lw", datetime(2024, 5, 31, 23, 0, tzinfo=SHANGHAI)) == "lw-2024.05"
    with pytest.raises(ValueError, match="aware"):
        index_name("lw", datetime(2024, 5, 31))
