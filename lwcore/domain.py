"""Shared vocabulary of laborwatch: the values that cross room boundaries.

This module imports nothing from the rooms (crawlers, nlp, index, alerting, ledger); they all import it.
Times are timezone-aware; the reference timezone is Asia/Shanghai.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "SHANGHAI",
    "COMMON_SURNAMES",
    "EVENT_TYPES",
    "EVENT_TYPE_LABELS_ZH",
    "INDUSTRY_LABELS_ZH",
    "PLATFORM_LABELS_ZH",
    "PostKind",
    "Severity",
    "Engagement",
    "Post",
    "CompanyLink",
    "Analysis",
    "AnalyzedPost",
    "IndexOutcome",
    "post_id_for_url",
    "post_id_for_platform",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Common Chinese surnames: a character before 老板/经理 or a short name is read as a person only when it is one of
#: these (the NLP's employer rules and the incident tracker's boss evidence).
COMMON_SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

#: Event type names of the command-line contract (ARCHITECTURE.md), in a stable order.
EVENT_TYPES: tuple[str, ...] = (
    "wage_arrears",
    "social_insurance_arrears",
    "dismissal_layoff",
    "strike_stoppage",
    "closure_relocation",
    "group_action",
    "injury_compensation",
    "other_labor",
)

#: The one set of Chinese names for the event types that bureau staff read: web UI, ledger and its Excel files,
#: briefings. E-mails put 疑似 before them (alerting.texts), since the machine only suspects.
EVENT_TYPE_LABELS_ZH: dict[str, str] = {
    "wage_arrears": "拖欠工资",
    "social_insurance_arrears": "欠缴社保",
    "dismissal_layoff": "裁员辞退",
    "strike_stoppage": "停工罢工",
    "closure_relocation": "关停搬迁",
    "group_action": "群体性事件",
    "injury_compensation": "工伤赔偿",
    "other_labor": "其他劳动争议",
}
assert tuple(EVENT_TYPE_LABELS_ZH) == EVENT_TYPES

#: Industry codes of the company registry (configs/companies.csv) and routing.yaml, as bureau staff read them.
INDUSTRY_LABELS_ZH: dict[str, str] = {
    "agriculture": "农业", "catering": "餐饮业", "commerce": "商贸业", "construction": "建筑业", "education": "教育",
    "exhibition": "会展业", "food_processing": "食品加工", "garment": "服装纺织", "healthcare": "医疗卫生",
    "industry": "工业", "labour_dispatch": "劳务派遣", "logistics": "物流快递", "manufacturing": "制造业",
    "property_management": "物业管理", "real_estate": "房地产", "retail": "零售业", "security_services": "保安服务",
    "services": "服务业", "tourism": "旅游业", "wholesale": "批发业",
}

#: Platforms posts are published on (by code or by site), as bureau staff read them.
PLATFORM_LABELS_ZH: dict[str, str] = {
    "news": "新闻网站", "weibo": "微博", "tieba": "百度贴吧", "douyin": "抖音", "wechat": "微信", "toutiao": "今日头条",
    "zhihu": "知乎", "bilibili": "哔哩哔哩", "xiaohongshu": "小红书", "forum": "论坛", "board": "留言板",
    "liuyan": "领导留言板", "social": "社交媒体", "rss": "订阅源", "web": "网站", "shqp.gov.cn": "青浦区政府网站",
    "liuyan.people.com.cn": "人民网领导留言板", "thepaper.cn": "澎湃新闻", "xinmin.cn": "新民网", "51ldb.com": "劳动报",
    "grid": "网格上报", "hotline12345": "12345热线",
    # the source ids of field reports (companies.fieldreports), shown where a page names the source
    "field-grid": "网格上报", "field-hotline": "12345热线",
}


class PostKind(StrEnum):
    NEWS = "news"
    SOCIAL = "social"
    BOARD = "board"
    FORUM = "forum"
    FIELD = "field"  # a report from the field: 网格上报 or a 12345 hotline ticket (companies.fieldreports)


class Severity(StrEnum):
    """Graded response levels: I is the most severe, IV the least (分级负责)."""

    I = "I"  # noqa: E741 - the bureau's own level names
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def rank(self) -> int:
        """1 for I (most severe) .. 4 for IV."""
        return ("I", "II", "III", "IV").index(self.value) + 1

    @property
    def label_zh(self) -> str:
        return {"I": "一级", "II": "二级", "III": "三级", "IV": "四级"}[self.value]

    def more_severe_than(self, other: Severity | None) -> bool:
        return other is None or self.rank < other.rank


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


def post_id_for_url(canonical_url: str) -> str:
    """Stable post id from a canonical URL (re-crawls give the same id)."""
    return "u-" + _hash(canonical_url)


def post_id_for_platform(platform: str, platform_post_id: str) -> str:
    """Stable post id from a platform's own post id (weibo, tieba, boards)."""
    return f"p-{platform}-" + _hash(f"{platform}:{platform_post_id}")


@dataclass(frozen=True, slots=True)
class Engagement:
    reposts: int = 0
    comments: int = 0
    likes: int = 0
    views: int = 0

    @property
    def total(self) -> int:
        return self.reposts + self.comments + self.likes


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """One collected item: a news article, a social post, a board message or a forum thread."""

    id: str
    url: str
    source_id: str
    platform: str
    kind: PostKind
    title: str
    content: str
    published_at: datetime | None
    fetched_at: datetime
    author: str | None = None
    engagement: Engagement = field(default_factory=Engagement)
    region: tuple[str, ...] = ()
    raw_hash: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("Post.id must not be empty")
        if self.fetched_at.tzinfo is None:
            raise ValueError(f"Post {self.id}: fetched_at must be timezone-aware")
        if self.published_at is not None and self.published_at.tzinfo is None:
            raise ValueError(f"Post {self.id}: published_at must be timezone-aware")

    @property
    def text(self) -> str:
        """Title and body as one text for analysis."""
        if self.title and self.content and not self.content.startswith(self.title):
            return f"{self.title}\n{self.content}"
        return self.content or self.title

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["kind"] = self.kind.value
        d["published_at"] = self.published_at.isoformat() if self.published_at else None
        d["fetched_at"] = self.fetched_at.isoformat()
        d["region"] = list(self.region)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Post:
        eng = d.get("engagement") or {}
        pub = d.get("published_at")
        return cls(
            id=d["id"],
            url=d["url"],
            source_id=d["source_id"],
            platform=d["platform"],
            kind=PostKind(d["kind"]),
            title=d.get("title") or "",
            content=d.get("content") or "",
            published_at=datetime.fromisoformat(pub) if pub else None,
            fetched_at=datetime.fromisoformat(d["fetched_at"]),
            author=d.get("author"),
            engagement=Engagement(**eng) if isinstance(eng, dict) else Engagement(),
            region=tuple(d.get("region") or ()),
            raw_hash=d.get("raw_hash"),
            extra=dict(d.get("extra") or {}),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyLink:
    """An employer mention linked to the company registry."""

    mention: str
    company_id: str | None  # unified social credit code, None when unlinked
    name: str | None
    confidence: float
    method: str  # exact | alias | normalized | fuzzy | none
    town: str | None = None
    industry: str | None = None
    key_supervision: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """What the NLP stage adds to a post."""

    post_id: str
    labor_dispute: bool
    score: float
    event_types: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    companies: tuple[CompanyLink, ...] = ()
    locations: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    workers: int | None = None
    amount_yuan: float | None = None
    severity: Severity | None = None
    severity_factors: tuple[str, ...] = ()
    event_id: str | None = None
    model_version: str = "unknown"
    # why the decision (nlp.frames.Explanation.as_dict()): the members that decided, the rule, the model's own
    # score and the cue spans behind the decision and each event type; None from older producers
    explanation: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    # the e5 encoder's unit-length sentence embedding of a relevant post, for incident tracking (alerting reads it;
    # never indexed); None where the analyzer ran without its encoder
    embedding: tuple[float, ...] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.event_types) - set(EVENT_TYPES)
        if unknown:
            raise ValueError(f"Analysis {self.post_id}: unknown event types {sorted(unknown)}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"Analysis {self.post_id}: score {self.score} outside [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["severity"] = self.severity.value if self.severity else None
        for key in ("event_types", "employers", "locations", "towns", "severity_factors"):
            d[key] = list(d[key])
        d["companies"] = [dataclasses.asdict(c) for c in self.companies]
        d["embedding"] = list(self.embedding) if self.embedding is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        return cls(
            post_id=d["post_id"],
            labor_dispute=bool(d["labor_dispute"]),
            score=float(d["score"]),
            event_types=tuple(d.get("event_types") or ()),
            employers=tuple(d.get("employers") or ()),
            companies=tuple(CompanyLink(**c) for c in d.get("companies") or ()),
            locations=tuple(d.get("locations") or ()),
            towns=tuple(d.get("towns") or ()),
            workers=d.get("workers"),
            amount_yuan=d.get("amount_yuan"),
            severity=Severity(d["severity"]) if d.get("severity") else None,
            severity_factors=tuple(d.get("severity_factors") or ()),
            event_id=d.get("event_id"),
            model_version=d.get("model_version") or "unknown",
            explanation=d.get("explanation"),
            embedding=tuple(d["embedding"]) if d.get("embedding") else None,
        )


@dataclass(frozen=True, slots=True)
class AnalyzedPost:
    post: Post
    analysis: Analysis


@dataclass
class IndexOutcome:
    """What an index stage reports: ids stored, (id, reason) for each failed action (worth retrying: the cluster
    was down or busy) and (id, reason) for each post it refused for good (a mapping conflict, a document that
    cannot be built): retrying those would fail forever, so they go to the dead-letter spool instead."""

    indexed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
