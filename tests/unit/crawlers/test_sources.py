from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.sample_site import load_demo_sources
from crawlers.sources import check_config, load_sources, parse_sources
from lwcore.errors import ConfigError
from lwcore.settings import REPO_ROOT, Settings

GOOD = {"id": "n1", "name": "新闻", "kind": "news", "platform": "x", "start_urls": ["https://example.cn/list"]}


def _err(items: list[dict]) -> ConfigError:
    with pytest.raises(ConfigError) as ei:
        parse_sources({"sources": items}, "sources.yaml")
    return ei.value


def test_repo_sources_file_is_valid() -> None:
    sources = load_sources(REPO_ROOT / "configs" / "sources.yaml")
    ids = {s.id for s in sources}
    assert {"qingpu-gov-news", "people-liuyan-shanghai", "weibo-search", "tieba-qingpu", "rsshub-weibo-keyword"} <= ids
    by_id = {s.id: s for s in sources}
    assert not by_id["weibo-search"].enabled and by_id["weibo-search"].auth.cookie == "weibo_cookie"
    assert not by_id["rsshub-tieba-qingpu"].enabled
    assert by_id["qingpu-rsj-news"].schedule.cron == "15 8-20/3 * * *"
    assert by_id["qingpu-gov-news"].schedule.interval_s == 7200
    assert all("青浦区" in s.region for s in sources)


def test_demo_sources_substitute_base_url() -> None:
    sources = load_demo_sources("http://127.0.0.1:9")
    assert {s.kind for s in sources} == {"news", "search", "board", "forum"}
    assert all("{base_url}" not in (s.endpoint or "") for s in sources)
    weibo = next(s for s in sources if s.id == "sample-weibo")
    assert "青浦 欠薪" in weibo.queries and len(weibo.queries) == 5


@pytest.mark.parametrize(
    ("patch", "key", "reason"),
    [
        ({"schedule": {"interval": "10s"}}, "sources[1].schedule", "below the 60 s minimum"),
        ({"schedule": {"cron": "61 * * * *"}}, "sources[1].schedule.cron", "invalid cron"),
        ({"schedule": {"interval": 600, "cron": "* * * * *"}}, "sources[1].schedule", "exactly one"),
        ({"kind": "blog"}, "sources[1].kind", "news"),
        ({"start_urls": ["ftp://x"]}, "sources[1].start_urls", "not an http(s) URL"),
        ({"politeness": {"obey_robots": False}}, "sources[1].politeness", "robots_reason"),
        ({"encoding": "klingon"}, "sources[1].encoding", "unknown encoding"),
        ({"colour": "red"}, "sources[1].colour", "unknown key"),
        ({"id": "Bad Id"}, "sources[1].id", "must be"),
        ({"response": "json"}, "sources[1]", "json"),
    ],
)
def test_invalid_source_names_key_and_reason(patch: dict, key: str, reason: str) -> None:
    err = _err([GOOD, {**GOOD, "id": "n2", **patch}])
    assert err.file == "sources.yaml"
    assert err.key == key
    assert reason in err.reason


def test_duplicate_id() -> None:
    err = _err([GOOD, dict(GOOD)])
    assert err.key == "sources[1].id" and "duplicate" in err.reason


def test_search_queries_cross_product() -> None:
    src = parse_sources([{**GOOD, "kind": "search", "keywords": ["欠薪", "裁员"], "places": ["青浦", "华新"],
                          "start_urls": [], "endpoint": "https://s.example.cn/?q={query}&p={page}"}], "f")[0]
    assert src.queries == ["青浦 欠薪", "青浦 裁员", "华新 欠薪", "华新 裁员"]


def test_check_config_warns_missing_credentials(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - {id: wb, name: 微博, kind: search, platform: weibo, endpoint: 'https://m.example/?q={query}',"
        " keywords: [欠薪], auth: {cookie: weibo_cookie}}\n", encoding="utf-8")
    s = Settings(config_dir=str(tmp_path))
    warnings = check_config(s)
    assert any("LW__CRAWL__CREDENTIALS__WEIBO_COOKIE" in w for w in warnings)
    s2 = Settings(config_dir=str(tmp_path), crawl={"credentials": {"weibo_cookie": "SUB=secret"}})
    assert not any("credential" in w for w in check_config(s2))
    assert not any("secret" in w for w in check_config(s2))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")


API = {**GOOD, "id": "api", "kind": "search", "start_urls": [], "response": "json", "keywords": ["欠薪"],
       "endpoint": "https://api.example.cn/s?q={query}&cursor={cursor}",
       "json": {"items": "data.list", "id": "mid", "content": "text", "next_cursor": "data.next_cursor"}}


def test_cursor_paging_configurable() -> None:
    src = parse_sources([API], "f")[0]
    assert src.paging == "cursor" and src.json_fields is not None
    assert src.json_fields.next_cursor == "data.next_cursor"
    offset = parse_sources([{**API, "endpoint": "https://a.cn/?q={query}&o={offset}",
                             "json": {**API["json"], "next_cursor": None}}], "f")[0]
    assert offset.paging == "offset"


@pytest.mark.parametrize(
    ("patch", "key", "needles"),
    [
        ({"json": {**API["json"], "next_cursr": "x"}}, "sources[0].json.next_cursr",
         ["unknown key", "next_cursor", "error_code", "ok_codes"]),
        ({"endpoint": "https://a.cn/?q={qury}&c={cursor}"}, "sources[0]",
         ["{qury}", "allowed: {query}, {keyword}, {page}, {offset}, {cursor}, {start}, {end}"]),
        ({"json": {k: v for k, v in API["json"].items() if k != "next_cursor"}}, "sources[0]",
         ["{cursor}", "json.next_cursor"]),
        ({"endpoint": "https://a.cn/?q={query}&p={page}&o={offset}"}, "sources[0]", ["one of page, offset, cursor"]),
        ({"json": {**API["json"], "items": "data.list["}}, "sources[0].json", ["items", "not a valid JMESPath"]),
        ({"selectors": {"links": "a"}}, "sources[0].selectors.links", ["item_links", "next_page", "content"]),
    ],
)
def test_errors_list_what_is_allowed(patch: dict, key: str, needles: list[str]) -> None:
    err = _err([{**API, **patch}])
    assert err.key == key
    for needle in needles:
        assert needle in err.reason, err.reason
