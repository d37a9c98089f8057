"""Helpers for tests and benchmarks of the alerting room (no test framework imported here).

``make_item`` builds an analysed post; ``FakeClock`` is a settable clock; ``CapturingNotifier`` records what
it would send (unit tests only: integration tests use the real SMTP server on loopback).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from alerting.errors import NotifierError
from alerting.notifiers import Notifier, OutgoingMessage
from lwcore.domain import Analysis, AnalyzedPost, CompanyLink, Post, PostKind, Severity

__all__ = ["make_item", "company", "FakeClock", "CapturingNotifier", "T0"]

T0 = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Shanghai: the weekday day shift
_seq = itertools.count(1)


def company(
    name: str = "上海某某物流有限公司",
    company_id: str | None = "TEST91310118000099",
    *,
    town: str | None = "华新镇",
    industry: str | None = "logistics",
    key_supervision: bool = False,
    confidence: float = 0.95,
) -> CompanyLink:
    return CompanyLink(
        mention=name,
        company_id=company_id,
        name=name if company_id else None,
        confidence=confidence,
        method="exact" if company_id else "none",
        town=town,
        industry=industry,
        key_supervision=key_supervision,
    )


def make_item(
    *,
    post_id: str | None = None,
    event_id: str | None = "evt-1",
    event_types: tuple[str, ...] = ("wage_arrears",),
    severity: Severity | str | None = Severity.III,
    score: float = 0.9,
    companies: tuple[CompanyLink, ...] | None = None,
    towns: tuple[str, ...] = ("华新镇",),
    workers: int | None = None,
    amount_yuan: float | None = None,
    at: datetime = T0,
    relevant: bool = True,
    title: str = "某物流公司拖欠工资，工人讨薪",
    content: str = "多名快递员反映，上海某某物流有限公司近三个月一直没发工资，公司负责人联系不上。",
    platform: str = "weibo",
) -> AnalyzedPost:
    pid = post_id or f"p-test-{next(_seq)}"
    post = Post(
        id=pid,
        url=f"https://example.com/post/{pid}",
        source_id="test-source",
        platform=platform,
        kind=PostKind.SOCIAL,
        title=title,
        content=content,
        published_at=at,
        fetched_at=at + timedelta(seconds=30),
    )
    analysis = Analysis(
        post_id=pid,
        labor_dispute=relevant,
        score=score,
        event_types=event_types,
        employers=tuple(c.mention for c in (companies or ())),
        companies=companies if companies is not None else (company(),),
        towns=towns,
        workers=workers,
        amount_yuan=amount_yuan,
        severity=Severity(severity) if severity else None,
        severity_factors=("test",),
        event_id=event_id,
    )
    return AnalyzedPost(post, analysis)


@dataclass
class FakeClock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now = self.now + timedelta(**kw)
        return self.now


@dataclass
class CapturingNotifier(Notifier):
    """Records messages; ``fail`` (an exception instance) is raised instead of sending while set."""

    sent: list[OutgoingMessage] = field(default_factory=list)
    fail: NotifierError | None = None
    fail_for: dict[str, NotifierError] = field(default_factory=dict)

    def send(self, msg: OutgoingMessage) -> None:
        if msg.recipient in self.fail_for:
            raise self.fail_for[msg.recipient]
        if self.fail is not None:
            raise self.fail
        self.sent.append(msg)

    def factory(self, channel: str) -> Notifier:
        return self

    def subjects(self) -> list[str]:
        return [m.subject for m in self.sent]

    def to(self, recipient: str) -> list[Any]:
        return [m for m in self.sent if m.recipient == recipient]
