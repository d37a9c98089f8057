"""Fixtures shared by the index room's unit and integration tests: analysed posts built from the shared domain types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from lwcore.domain import SHANGHAI, Analysis, AnalyzedPost, CompanyLink, Post, PostKind, Severity


def _make(
    pid: str,
    *,
    title: str = "标题",
    content: str = "内容",
    published_at: datetime | None = datetime(2024, 5, 3, 10, 0, tzinfo=SHANGHAI),
    fetched_at: datetime = datetime(2024, 5, 3, 11, 0, tzinfo=SHANGHAI),
    severity: Severity | None = Severity.II,
    **analysis: object,
) -> AnalyzedPost:
    post = Post(
        id=pid,
        url=f"https://news.example/{pid}.html",
        source_id="qingpu-news",
        platform="web",
        kind=PostKind.NEWS,
        title=title,
        content=content,
        published_at=published_at,
        fetched_at=fetched_at,
        extra={"k": "v"},
    )
    fields: dict[str, object] = {
        "labor_dispute": True,
        "score": 0.9,
        "event_types": ("wage_arrears",),
        "towns": ("赵巷镇",),
        "companies": (
            CompanyLink(
                mention="某制衣厂", company_id="91310118X", name="上海某制衣有限公司", confidence=0.9, method="exact"
            ),
        ),
        "severity": severity,
    }
    fields.update(analysis)
    return AnalyzedPost(post, Analysis(post_id=pid, **fields))  # type: ignore[arg-type]


@pytest.fixture
def make_item() -> Callable[..., AnalyzedPost]:
    return _make


@pytest.fixture
def split_segmenter() -> Callable[[str], list[str]]:
    """A deterministic stand-in for jieba: two-character chunks of each whitespace token."""

    def cut(text: str) -> list[str]:
        out: list[str] = []
        for tok in text.split():
            if tok.isascii():
                out.append(tok)
            else:
                out.extend(tok[i : i + 2] for i in range(0, len(tok), 2))
        return out

    return cut
