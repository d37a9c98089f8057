from __future__ import annotations

from datetime import datetime

import pytest

from crawlers.errors import ExtractionError
from crawlers.extract import extract_article
from crawlers.sample_site import SampleSite
from crawlers.testing.fault_site import FaultSite
from laborwatch.domain import SHANGHAI

NOW = datetime(2024, 9, 14, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def site() -> FaultSite:
    return FaultSite()  # routes are called directly, no server needed


def test_sample_article_fields_and_boilerplate(site: SampleSite) -> None:
    a = site.articles[1]
    html = site.render_article(a)
    art = extract_article(html, "http://x/news/2024/0911/102.html", now=NOW)
    assert art.title == "赵巷镇一建筑工地数十名农民工聚集讨薪"
    assert art.published_at == datetime(2024, 9, 11, 16, 45, tzinfo=SHANGHAI)
    assert art.author == "陈思远"
    assert "上海赵巷新城建设发展有限公司" in art.content
    assert art.content.count("\n") == len(a["body"]) - 1
    for junk in ("相关阅读", "网友评论", "支持依法维权", "责任编辑", "分享到", "热点排行", "版权所有", "首页"):
        assert junk not in art.content, junk


def test_gbk_page_bytes(site: FaultSite) -> None:
    status, _, body = site.route("/faults/gbk.html", {}, 1)
    assert status == 200
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    art = extract_article(body, now=NOW)
    assert art.title == "青浦区重固镇一包装材料企业拖欠工资 工人维权"
    assert "上海重固包装材料有限公司" in art.content
    assert art.published_at == datetime(2024, 9, 13, 9, 20, tzinfo=SHANGHAI)


def test_undeclared_encoding(site: FaultSite) -> None:
    _, _, body = site.route("/faults/nodecl.html", {}, 1)
    art = extract_article(body, now=NOW)
    assert "上海香花桥印刷有限公司" in art.content


def test_no_date_is_none(site: FaultSite) -> None:
    _, _, body = site.route("/faults/nodate.html", {}, 1)
    art = extract_article(body, now=NOW)
    assert art.published_at is None
    assert "季节工" in art.content


def test_broken_html_still_extracts(site: FaultSite) -> None:
    _, _, body = site.route("/faults/broken.html", {}, 1)
    art = extract_article(body, now=NOW)
    assert "加班费" in art.content


def test_relative_date_and_url_date() -> None:
    html = ("<html><head><title>测试 - 某网</title></head><body><h1>华新镇工人讨薪</h1>"
            "<div class='info'>3小时前 来源：某网</div><div class='content'>"
            + "<p>华新镇某企业拖欠工人工资，工人到镇里反映情况，希望尽快解决问题。</p>" * 5 + "</div></body></html>")
    art = extract_article(html, now=NOW)
    assert art.published_at == datetime(2024, 9, 14, 9, 0, tzinfo=SHANGHAI)
    art2 = extract_article(html.replace("3小时前", ""), "http://x.cn/2024/0913/a.html", now=NOW)
    assert art2.published_at == datetime(2024, 9, 13, tzinfo=SHANGHAI)


def test_fullwidth_normalised() -> None:
    html = ("<html><body><h1>ＡＢＣ公司欠薪１２３万元</h1><div>"
            + "<p>ＡＢＣ公司拖欠工人工资１２３万元，工人们多次讨要未果，已向劳动监察部门投诉。</p>" * 4 + "</div></body></html>")
    art = extract_article(html, now=NOW)
    assert "ABC公司拖欠工人工资123万元" in art.content


def test_empty_page_raises() -> None:
    with pytest.raises(ExtractionError):
        extract_article(b"   ")
