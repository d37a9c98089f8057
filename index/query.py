"""Search over the posts alias: Chinese full text, filters, sort, highlights and facets.

Text: the query is split on whitespace into terms; every term must match (a leading ``-`` excludes it).
A term matches when its jieba words all occur in ``title_seg``/``content_seg`` (whitespace analyser), or when
it occurs as a phrase in the per-character ``title``/``content`` fields (standard analyser), which catches
what the segmenter cut differently. Highlights come from the per-character fields (``<em>`` tags, the rest
of the text HTML-escaped), so fragments are the original text.

Facets are computed over the matching posts: source, platform, event_type, severity, town, company,
verification (a post nobody verified yet counts as ``pending``) and ``day`` (Asia/Shanghai calendar days of
``post_time``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from index.documents import Segmenter, segment_text
from index.errors import SearchQueryError
from lwcore.domain import SHANGHAI
from lwcore.settings import EsSettings

__all__ = [
    "SORTS",
    "FACETS",
    "MAX_WINDOW",
    "SearchQuery",
    "SearchHit",
    "SearchResult",
    "build_request",
    "search",
]

logger = logging.getLogger(__name__)

SORTS: tuple[str, ...] = ("relevance", "time", "severity")
MAX_WINDOW = 10000
MAX_SIZE = 200
SEVERITIES = ("I", "II", "III", "IV")
PENDING = "pending"

#: facet name -> (field, number of buckets)
FACETS: dict[str, tuple[str, int]] = {
    "source": ("source_id", 50),
    "platform": ("platform", 20),
    "event_type": ("analysis.event_types", 20),
    "severity": ("analysis.severity", 10),
    "town": ("analysis.towns", 50),
    "company": ("analysis.companies.name", 30),
    "verification": ("verification.state", 10),
}
_LIST_FIELDS = (
    "sources",
    "platforms",
    "event_types",
    "severities",
    "towns",
    "companies",
    "verification_states",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchQuery:
    """One search. ``since`` is inclusive, ``until`` exclusive (both aware); lists are OR-ed within a field.

    ``companies`` match a registry id or a company name; ``verification_states`` include ``pending``.
    """

    text: str = ""
    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    verification_states: tuple[str, ...] = ()
    labor_only: bool = False
    sort: str = "relevance"
    page: int = 1
    size: int = 20

    def __post_init__(self) -> None:
        for name in _LIST_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(v for v in value if v))
        if self.sort not in SORTS:
            raise SearchQueryError(f"sort {self.sort!r} is not one of {', '.join(SORTS)}")
        if self.page < 1:
            raise SearchQueryError(f"page must be >= 1, got {self.page}")
        if not 1 <= self.size <= MAX_SIZE:
            raise SearchQueryError(f"size must be within 1..{MAX_SIZE}, got {self.size}")
        if self.page * self.size > MAX_WINDOW:
            raise SearchQueryError(
                f"page {self.page} x size {self.size} goes past the first {MAX_WINDOW} results; narrow the search"
            )
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise SearchQueryError(f"{name} must be timezone-aware, got {value.isoformat()}")
        if self.since and self.until and self.since >= self.until:
            raise SearchQueryError(f"since {self.since.isoformat()} is not before until {self.until.isoformat()}")
        bad = sorted(set(self.severities) - set(SEVERITIES))
        if bad:
            raise SearchQueryError(f"unknown severities {bad}; use {', '.join(SEVERITIES)}")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    index: str
    score: float | None
    title: str
    url: str
    source_id: str
    platform: str
    kind: str | None
    author: str | None
    published_at: str | None
    fetched_at: str | None
    post_time: str | None
    snippet: str
    analysis: dict[str, Any]
    verification: dict[str, Any]
    highlights: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    took_ms: int = 0
    page: int = 1
    size: int = 20

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "size": self.size,
            "took_ms": self.took_ms,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [[key, n] for key, n in v] for k, v in self.facets.items()},
        }


def _terms(text: str) -> tuple[list[str], list[str]]:
    include, exclude = [], []
    for raw in text.split():
        if raw.startswith("-") and len(raw) > 1:
            exclude.append(raw[1:])
        elif raw != "-":
            include.append(raw)
    return include, exclude


def _term_clause(term: str, segmenter: Segmenter) -> dict[str, Any]:
    should: list[dict[str, Any]] = [
        {"match_phrase": {"title": {"query": term, "boost": 3.0}}},
        {"match_phrase": {"content": {"query": term}}},
    ]
    words = segment_text(term, segmenter)
    if words:
        should += [
            {"match": {"title_seg": {"query": words, "operator": "and", "boost": 2.0}}},
            {"match": {"content_seg": {"query": words, "operator": "and"}}},
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _highlight_words(terms: Sequence[str], segmenter: Segmenter) -> list[str]:
    words: list[str] = []
    for term in terms:
        words.append(term)
        words.extend(w for w in segment_text(term, segmenter).split() if len(w) > 1 or not w.isascii())
    return list(dict.fromkeys(words))


def _filters(q: SearchQuery) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if q.since or q.until:
        rng: dict[str, str] = {}
        if q.since:
            rng["gte"] = q.since.isoformat()
        if q.until:
            rng["lt"] = q.until.isoformat()
        out.append({"range": {"post_time": rng}})
    for values, fld in (
        (q.sources, "source_id"),
        (q.platforms, "platform"),
        (q.event_types, "analysis.event_types"),
        (q.severities, "analysis.severity"),
        (q.towns, "analysis.towns"),
    ):
        if values:
            out.append({"terms": {fld: list(values)}})
    if q.companies:
        out.append(
            {
                "bool": {
                    "should": [
                        {"terms": {"analysis.companies.company_id": list(q.companies)}},
                        {"terms": {"analysis.companies.name": list(q.companies)}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    if q.verification_states:
        should: list[dict[str, Any]] = [{"terms": {"verification.state": list(q.verification_states)}}]
        if PENDING in q.verification_states:
            should.append({"bool": {"must_not": {"exists": {"field": "verification.state"}}}})
        out.append({"bool": {"should": should, "minimum_should_match": 1}})
    if q.labor_only:
        out.append({"term": {"analysis.labor_dispute": True}})
    return out


def build_request(q: SearchQuery, *, segmenter: Segmenter) -> dict[str, Any]:
    """The search request body (keyword arguments of ``Elasticsearch.search``) for ``q``."""
    include, exclude = _terms(q.text)
    must = [_term_clause(t, segmenter) for t in include]
    must_not = [_term_clause(t, segmenter) for t in exclude]
    query: dict[str, Any] = {"bool": {"filter": _filters(q)}}
    if must:
        query["bool"]["must"] = must
    if must_not:
        query["bool"]["must_not"] = must_not
    if q.sort == "relevance" and include:
        sort: list[Any] = ["_score", {"post_time": {"order": "desc"}}]
    elif q.sort == "severity":
        sort = [
            {"analysis.severity_rank": {"order": "asc", "missing": "_last"}},
            {"post_time": {"order": "desc"}},
        ]
    else:
        sort = [{"post_time": {"order": "desc"}}]
    aggs: dict[str, Any] = {name: {"terms": {"field": fld, "size": n}} for name, (fld, n) in FACETS.items()}
    aggs["verification"]["terms"]["missing"] = PENDING
    day: dict[str, Any] = {
        "field": "post_time",
        "calendar_interval": "day",
        "time_zone": "Asia/Shanghai",
        "format": "yyyy-MM-dd",
        "min_doc_count": 1,
    }
    if q.since and q.until and (q.until - q.since) <= timedelta(days=400):
        day["min_doc_count"] = 0
        day["extended_bounds"] = {
            "min": q.since.astimezone(SHANGHAI).strftime("%Y-%m-%d"),
            "max": (q.until - timedelta(microseconds=1)).astimezone(SHANGHAI).strftime("%Y-%m-%d"),
        }
    aggs["day"] = {"date_histogram": day}
    body: dict[str, Any] = {
        "query": query,
        "sort": sort,
        "from_": (q.page - 1) * q.size,
        "size": q.size,
        "track_total_hits": True,
        "source_excludes": ["title_seg", "content_seg", "extra"],
        "aggs": aggs,
    }
    words = _highlight_words(include, segmenter)
    if words:
        hq = [{"match_phrase": {f: w}} for w in words for f in ("title", "content")]
        body["highlight"] = {
            "encoder": "html",
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "highlight_query": {"bool": {"should": hq}},
            "fields": {
                "title": {"number_of_fragments": 0},
                "content": {"fragment_size": 120, "number_of_fragments": 3, "no_match_size": 0},
            },
        }
    return body


def _snippet(text: str, n: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n] + "…"


def _hit(h: dict[str, Any]) -> SearchHit:
    src = h.get("_source") or {}
    return SearchHit(
        id=h["_id"],
        index=h["_index"],
        score=h.get("_score"),
        title=src.get("title") or "",
        url=src.get("url") or "",
        source_id=src.get("source_id") or "",
        platform=src.get("platform") or "",
        kind=src.get("kind"),
        author=src.get("author"),
        published_at=src.get("published_at"),
        fetched_at=src.get("fetched_at"),
        post_time=src.get("post_time"),
        snippet=_snippet(src.get("content") or ""),
        analysis=dict(src.get("analysis") or {}),
        verification=dict(src.get("verification") or {"state": PENDING}),
        highlights={k: list(v) for k, v in (h.get("highlight") or {}).items()},
    )


def search(client: Elasticsearch, es_settings: EsSettings, query: SearchQuery, *, segmenter: Segmenter) -> SearchResult:
    """Run ``query`` against the alias ``es_settings.index_prefix``."""
    body = build_request(query, segmenter=segmenter)
    try:
        resp = client.search(
            index=es_settings.index_prefix,
            ignore_unavailable=True,
            allow_no_indices=True,
            # can-match pre-filter on every search: monthly indices outside the date range are skipped
            pre_filter_shard_size=1,
            **body,
        )
    except ApiError as exc:
        raise SearchQueryError(
            f"search on {es_settings.index_prefix} rejected: HTTP {exc.status_code} {exc.message}"
        ) from None
    aggs = resp.get("aggregations") or {}
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in [*FACETS, "day"]:
        buckets = (aggs.get(name) or {}).get("buckets") or []
        key = "key_as_string" if name == "day" else "key"
        facets[name] = [(str(b.get(key, b["key"])), int(b["doc_count"])) for b in buckets]
    total = resp["hits"]["total"]
    return SearchResult(
        total=int(total["value"] if isinstance(total, dict) else total),
        hits=[_hit(h) for h in resp["hits"]["hits"]],
        facets=facets,
        took_ms=int(resp.get("took") or 0),
        page=query.page,
        size=query.size,
    )
