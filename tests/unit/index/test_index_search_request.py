from __future__ import annotations

import json
from datetime import datetime

import pytest

from index.errors import SearchQueryError
from index.query import FACETS, SearchQuery, build_request
from lwcore.domain import SHANGHAI


def _cut(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(0, len(text), 2)]


def test_text_terms_match_words_or_character_phrase_and_highlight() -> None:
    body = build_request(SearchQuery(text="青浦欠薪 -天气"), segmenter=_cut)
    must = body["query"]["bool"]["must"]
    assert len(must) == 1
    should = must[0]["bool"]["should"]
    assert {"match_phrase": {"title": {"query": "青浦欠薪", "boost": 3.0}}} in should
    assert {"match": {"content_seg": {"query": "青浦 欠薪", "operator": "and"}}} in should
    assert must[0]["bool"]["minimum_should_match"] == 1
    assert "天气" in json.dumps(body["query"]["bool"]["must_not"], ensure_ascii=False)
    hl = body["highlight"]
    assert hl["pre_tags"] == ["<em>"] and hl["encoder"] == "html"
    assert set(hl["fields"]) == {"title", "content"}
    assert body["sort"][0] == "_score"


def test_filters_sort_and_paging() -> None:
    since = datetime(2024, 5, 1, tzinfo=SHANGHAI)
    until = datetime(2024, 6, 1, tzinfo=SHANGHAI)
    q = SearchQuery(
        since=since,
        until=until,
        sources=["a"],
        severities=("I",),
        towns=("赵巷镇",),
        companies=("X公司",),
        verification_states=("pending", "confirmed"),
        labor_only=True,
        sort="severity",
        page=3,
        size=10,
    )
    body = build_request(q, segmenter=_cut)
    filters = body["query"]["bool"]["filter"]
    assert {"range": {"post_time": {"gte": since.isoformat(), "lt": until.isoformat()}}} in filters
    assert {"terms": {"source_id": ["a"]}} in filters
    assert {"term": {"analysis.labor_dispute": True}} in filters
    text = json.dumps(filters, ensure_ascii=False)
    assert "analysis.companies.company_id" in text and "analysis.companies.name" in text
    assert '"must_not": {"exists": {"field": "verification.state"}}' in text  # pending = never verified
    assert body["sort"][0] == {"analysis.severity_rank": {"order": "asc", "missing": "_last"}}
    assert body["from_"] == 20 and body["size"] == 10
    assert "highlight" not in body and "must" not in body["query"]["bool"]
    assert set(FACETS) | {"day"} == set(body["aggs"])
    day = body["aggs"]["day"]["date_histogram"]
    assert day["time_zone"] == "Asia/Shanghai" and day["extended_bounds"] == {"min": "2024-05-01", "max": "2024-05-31"}
    assert body["aggs"]["verification"]["terms"]["missing"] == "pending"


def test_relevance_without_text_sorts_by_time() -> None:
    assert build_request(SearchQuery(), segmenter=_cut)["sort"] == [{"post_time": {"order": "desc"}}]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sort": "random"}, "sort 'random'"),
        ({"page": 0}, "page must be"),
        ({"size": 0}, "size must be"),
        ({"page": 200, "size": 100}, "past the first 10000"),
        ({"since": datetime(2024, 1, 1)}, "since must be timezone-aware"),
        (
            {"since": datetime(2024, 2, 1, tzinfo=SHANGHAI), "until": datetime(2024, 1, 1, tzinfo=SHANGHAI)},
            "not before",
        ),
        ({"severities": ("V",)}, "unknown severities"),
    ],
)
def test_invalid_queries_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(SearchQueryError, match=message):
        SearchQuery(**kwargs)


def test_lists_become_tuples() -> None:
    q = SearchQuery(sources=["a", "", "b"], towns="赵巷镇")  # type: ignore[arg-type]
    assert q.sources == ("a", "b") and q.towns == ("赵巷镇",)
    hash(q)
