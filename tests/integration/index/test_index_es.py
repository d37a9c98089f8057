"""Indexer and search against the real Elasticsearch node (no mocks)."""

from __future__ import annotations

from datetime import datetime

import pytest

from index import DocumentNotFound, SearchQuery, search
from index.templates import template_name
from lwcore.domain import SHANGHAI, Severity

pytestmark = pytest.mark.integration

MAY = datetime(2024, 5, 3, 10, 0, tzinfo=SHANGHAI)
JUNE = datetime(2024, 6, 20, 9, 0, tzinfo=SHANGHAI)


def _count(client, alias: str, post_id: str | None = None) -> int:
    query = {"ids": {"values": [post_id]}} if post_id else {"match_all": {}}
    return int(client.count(index=alias, query=query)["count"])


def test_template_is_versioned_and_idempotent(es_client, es_settings_isolated, indexer) -> None:
    first = indexer.ensure_templates()
    again = indexer.ensure_templates()
    name = template_name(es_settings_isolated.index_prefix, indexer.mapping.version)
    assert first["template"] == again["template"] == name
    tpl = es_client.indices.get_index_template(name=name)["index_templates"][0]["index_template"]
    assert tpl["template"]["mappings"]["_meta"]["version"] == indexer.mapping.version


def test_reindexing_the_same_post_keeps_one_document(es_client, es_settings_isolated, indexer, make_item) -> None:
    alias = es_settings_isolated.index_prefix
    item = make_item("same", title="某公司欠薪", content="第一次抓取")
    assert indexer.index([item]).indexed == ["same"]
    indexer.refresh()
    again = make_item("same", title="某公司欠薪", content="第二次抓取，内容更新")
    out = indexer.index([again, again])
    assert out.failed == [] and out.indexed == ["same"]
    indexer.refresh()
    assert _count(es_client, alias) == 1
    assert indexer.get("same")["content"] == "第二次抓取，内容更新"
    assert es_client.indices.exists(index=f"{alias}-2024.05")


def test_recrawl_with_another_month_updates_where_it_lives(es_client, es_settings_isolated, indexer, make_item):
    alias = es_settings_isolated.index_prefix
    indexer.index([make_item("moved", published_at=MAY)])
    indexer.refresh()
    out = indexer.index([make_item("moved", published_at=JUNE, content="日期被修正")])
    assert out.failed == []
    indexer.refresh()
    assert _count(es_client, alias, "moved") == 1
    hit = es_client.search(index=alias, query={"ids": {"values": ["moved"]}})["hits"]["hits"][0]
    assert hit["_index"] == f"{alias}-2024.05"
    assert hit["_source"]["content"] == "日期被修正"
    assert not es_client.indices.exists(index=f"{alias}-2024.06")


def test_mapping_conflict_on_one_document_loses_none_of_the_others(es_client, es_settings_isolated, indexer, make_item):
    alias = es_settings_isolated.index_prefix
    items = [make_item(f"ok{i}") for i in range(4)]
    items.insert(2, make_item("bad", workers="about fifty"))  # an analysis bug upstream: text in an integer field
    out = indexer.index(items)
    assert sorted(out.indexed) == ["ok0", "ok1", "ok2", "ok3"]
    assert out.failed == []  # nothing worth retrying ...
    assert [pid for pid, _ in out.rejected] == ["bad"]  # ... the conflict is refused for good (dead letter)
    reason = out.rejected[0][1]
    assert "HTTP 400" in reason and "analysis.workers" in reason
    indexer.refresh()
    assert _count(es_client, alias) == 4


def test_verification_survives_reindex_and_update_fields(indexer, make_item) -> None:
    indexer.index([make_item("v1")])
    indexer.refresh()
    verdict = {
        "state": "confirmed",
        "by": "核实员甲",
        "at": "2024-05-04T09:00:00+08:00",
        "event_types": ["wage_arrears"],
        "company_id": "91310118X",
    }
    indexer.update_fields("v1", {"verification": verdict}, refresh=True)
    indexer.index([make_item("v1", content="再次抓取")])
    indexer.refresh()
    doc = indexer.get("v1")
    assert doc["verification"] == verdict and doc["content"] == "再次抓取"
    with pytest.raises(DocumentNotFound, match="nope"):
        indexer.update_fields("nope", {"verification": {"state": "dismissed"}})


def test_existing_ids(indexer, make_item) -> None:
    assert indexer.existing_ids(["a"]) == set()  # no index yet: not an error
    indexer.index([make_item("a"), make_item("b", published_at=JUNE)])
    indexer.refresh()
    assert indexer.existing_ids(["a", "b", "c"]) == {"a", "b"}
    assert indexer.get("c") is None


@pytest.fixture
def corpus(indexer, make_item):
    items = [
        make_item(
            "arrears",
            title="青浦某制衣厂拖欠工资 数十名工人讨薪",
            content="赵巷镇一家制衣厂拖欠50名工人三个月工资，工人聚集在厂门口讨要欠薪。",
            severity=Severity.II,
        ),
        make_item(
            "strike",
            title="徐泾镇物流园司机停工",
            content="因社保断缴，司机集体停工，要求补缴社会保险。",
            event_types=("strike_stoppage", "social_insurance_arrears"),
            towns=("徐泾镇",),
            companies=(),
            severity=Severity.I,
            published_at=JUNE,
        ),
        make_item(
            "weather",
            title="青浦今日天气晴好",
            content="气温二十度，适合出行。",
            labor_dispute=False,
            score=0.05,
            event_types=(),
            towns=(),
            companies=(),
            severity=None,
            published_at=JUNE,
        ),
    ]
    out = indexer.index(items)
    assert out.failed == []
    indexer.update_fields("strike", {"verification": {"state": "confirmed"}})
    indexer.refresh()
    return items


def test_chinese_query_finds_the_right_post_with_highlight(es_client, es_settings_isolated, corpus, jieba_cut):
    res = search(es_client, es_settings_isolated, SearchQuery(text="欠薪"), segmenter=jieba_cut)
    assert res.total == 1 and res.hits[0].id == "arrears"
    hit = res.hits[0]
    assert any("<em>欠薪</em>" in frag for frag in hit.highlights["content"])
    assert hit.highlights["content"][0].startswith("赵巷镇")  # the original text, not the word-split field
    assert hit.analysis["severity"] == "II" and hit.url.endswith("arrears.html")
    # a word the segmenter keeps whole, and a character phrase it would cut differently
    assert [
        h.id for h in search(es_client, es_settings_isolated, SearchQuery(text="社保"), segmenter=jieba_cut).hits
    ] == ["strike"]
    assert search(es_client, es_settings_isolated, SearchQuery(text="衣厂拖"), segmenter=jieba_cut).total == 1
    assert search(es_client, es_settings_isolated, SearchQuery(text="青浦 -天气"), segmenter=jieba_cut).total == 1


def test_filters_facets_sort(es_client, es_settings_isolated, corpus, jieba_cut) -> None:
    def run(**kw):
        return search(es_client, es_settings_isolated, SearchQuery(**kw), segmenter=jieba_cut)

    everything = run(size=10)
    assert everything.total == 3
    f = everything.facets
    assert dict(f["severity"]) == {"I": 1, "II": 1}
    assert dict(f["verification"]) == {"pending": 2, "confirmed": 1}
    assert dict(f["town"]) == {"赵巷镇": 1, "徐泾镇": 1}
    assert dict(f["company"]) == {"上海某制衣有限公司": 1}
    assert dict(f["day"]) == {"2024-05-03": 1, "2024-06-20": 2}
    assert dict(f["source"]) == {"qingpu-news": 3}
    assert run(labor_only=True).total == 2
    assert [h.id for h in run(sort="severity", labor_only=True).hits] == ["strike", "arrears"]
    assert {h.id for h in run(since=JUNE).hits} == {"strike", "weather"}
    assert run(until=JUNE).total == 1
    assert [h.id for h in run(verification_states=("pending",), labor_only=True).hits] == ["arrears"]
    assert run(companies=("91310118X",)).total == 1
    assert run(event_types=("social_insurance_arrears",), towns=("徐泾镇",)).total == 1
    assert run(sources=("elsewhere",)).total == 0
