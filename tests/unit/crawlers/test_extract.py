from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crawlers.errors import ExtractionError
from crawlers.extract import extract_article
from crawlers.sample_site import SampleSite
from crawlers.testing.fault_site import FaultSite
from lwcore.domain import SHANGHAI

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


_PARAS = "<p>华新镇某企业拖欠工人工资，工人到镇里反映情况，希望尽快解决问题。</p>" * 5


def _page(head: str = "", info: str = "", tail: str = "", title: str = "华新镇一企业拖欠工资") -> str:
    return (f"<html><head><title>{title} - 某网</title>{head}</head><body><h1>{title}</h1>{info}"
            f"<div class='content'>{_PARAS}</div>{tail}</body></html>")


def test_time_in_related_list_does_not_beat_info_line() -> None:
    related = "<ul>" + "<li><h5>另一条新闻标题</h5><p><time>2024-09-13</time></p></li>" * 3 + "</ul>"
    art = extract_article(_page(info="<span>2024-09-11 11:10 某网[整理]</span>", tail=related), now=NOW)
    assert art.published_at == datetime(2024, 9, 11, 11, 10, tzinfo=SHANGHAI)


def test_time_datetime_attribute_outside_lists() -> None:
    info = "<div class='byline'><time datetime='2024-09-10T08:05:00+08:00'>9月10日</time></div>"
    art = extract_article(_page(info=info), now=NOW)
    assert art.published_at == datetime(2024, 9, 10, 8, 5, tzinfo=SHANGHAI)


def test_jsonld_date_published_in_graph() -> None:
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebSite", "name": "某网"},'
          '{"@type": "NewsArticle", "datePublished": "2024-09-09T21:30:00+08:00"}]}</script>')
    art = extract_article(_page(head=ld, info="<span>阅读 1200</span>"), now=NOW)
    assert art.published_at == datetime(2024, 9, 9, 21, 30, tzinfo=SHANGHAI)


def test_broken_jsonld_pubdate_read_by_key_pattern() -> None:
    # Baidu cambrian JSON-LD, with the trailing comma that json.loads refuses
    ld = ('<script type="application/ld+json">{"title": "x", "pubDate": "2024-09-05T11:10:52",}</script>')
    related = "<ul><li><time>2024-09-13</time></li></ul>"
    art = extract_article(_page(tail=ld + related), now=NOW)
    assert art.published_at == datetime(2024, 9, 5, 11, 10, 52, tzinfo=SHANGHAI)


def test_inline_script_pubtime_not_a_version_string() -> None:
    script = '<script>window.DATA = {"article_id": "x1", "pubtime": "2024-09-07 19:02:26", "media": "某网"}</script>'
    # a video player's version string elsewhere on the page is not a publish time
    html = (f"<html><head><title>华新镇一企业拖欠工资</title>{script}</head><body><div class='article'>"
            f"<h1>华新镇一企业拖欠工资</h1><div class='content'>{_PARAS}</div></div><div class='video'>"
            "<div class='txp_value'>3.4.40-1.0.141 (2024-9-5 9:38:01 PM)</div></div></body></html>")
    art = extract_article(html, now=NOW)
    assert art.published_at == datetime(2024, 9, 7, 19, 2, 26, tzinfo=SHANGHAI)


def test_inline_script_epoch_seconds() -> None:
    script = "<script>var publish_time = 1725930000;</script>"  # 2024-09-10 09:00 in Shanghai
    art = extract_article(_page(head=script), now=NOW)
    assert art.published_at == datetime(2024, 9, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("name", ["PubDate", "publishdate", "article:published_time"])
def test_meta_publish_time_any_case(name: str) -> None:
    attr = "property" if ":" in name else "name"
    head = f'<meta {attr}="{name}" content="2024-09-08 07:45:00">'
    art = extract_article(_page(head=head, info="<span>2024-09-01</span>"), now=NOW)
    assert art.published_at == datetime(2024, 9, 8, 7, 45, tzinfo=SHANGHAI)


def test_labelled_publish_time_wins_over_update_time() -> None:
    info = "<div class='info'>更新时间：2024-09-13 18:00 发布时间：2024-09-12 10:30 来源：某网</div>"
    art = extract_article(_page(info=info), now=NOW)
    assert art.published_at == datetime(2024, 9, 12, 10, 30, tzinfo=SHANGHAI)


def test_source_line_with_chinese_date() -> None:
    info = "<div class='source'>来源：青浦报道 2024年09月12日</div>"
    art = extract_article(_page(info=info), now=NOW)
    assert art.published_at == datetime(2024, 9, 12, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://www.shqp.gov.cn/shqp/201908/t20190812_123456.html", datetime(2019, 8, 12, tzinfo=SHANGHAI)),
        ("http://news.x.cn/2019-08/12/c_1124862.htm", datetime(2019, 8, 12, tzinfo=SHANGHAI)),
        ("http://x.cn/news/20190812/a.html", datetime(2019, 8, 12, tzinfo=SHANGHAI)),
    ],
)
def test_url_dates(url: str, day: datetime) -> None:
    art = extract_article(_page(), url, now=NOW)
    assert art.published_at == day


def test_future_meta_date_is_not_trusted() -> None:
    head = '<meta name="pubdate" content="2099-01-01 00:00:00">'
    art = extract_article(_page(head=head, info="<span>发布时间：2024-09-12 10:30</span>"), now=NOW)
    assert art.published_at == datetime(2024, 9, 12, 10, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "not HTML: a JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "not HTML: a PDF document"),
        (b"\x01\x02\x00\x00\x13binary", "not HTML: binary data"),
        ("只是一段文字，没有任何标记。".encode(), "not HTML: no HTML markup"),
        (b"   \n", "empty page"),
    ],
)
def test_extract_refuses_what_is_not_html(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_article(data)


def test_extract_cli_exits_non_zero_on_a_jpeg(tmp_path: Path) -> None:
    import subprocess
    import sys

    jpeg = tmp_path / "photo.html"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)))
    proc = subprocess.run([sys.executable, "-m", "laborwatch", "extract", "--html", str(jpeg)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and proc.stdout == ""
    assert f"{jpeg}: not HTML: a JPEG image" in proc.stderr


def test_labelled_date_on_an_unclassed_line_is_found() -> None:
    html = ("<html><head><title>某公司欠薪纠纷调解成功</title></head><body><table><tr><td>"
            "<b>某公司欠薪纠纷调解成功</b></td></tr><tr><td>来源：本站　发布时间：2022-02-13 04:22:18　浏览：12</td></tr>"
            f"<tr><td>{_PARAS}</td></tr></table></body></html>")
    art = extract_article(html, now=NOW)
    assert art.published_at == datetime(2022, 2, 13, 4, 22, 18, tzinfo=SHANGHAI)


def test_old_page_date_right_after_the_headline_without_label() -> None:
    html = ("<html><head><title>华新镇一企业拖欠工资</title></head><body><center><font size=5>华新镇一企业拖欠工资"
            "</font><br><font size=2>2005-8-16 09:07</font></center>"
            f"<div>{_PARAS}</div><div>相关：<a href='/x'>别的新闻 2004-01-02</a></div></body></html>")
    art = extract_article(html, now=NOW)
    assert art.published_at is not None and art.published_at.date().isoformat() == "2005-08-16"


def test_htmldate_year_guess_is_not_taken_as_a_date() -> None:
    html = ("<html><head><title>华新镇一企业拖欠工资</title></head><body><h1>华新镇一企业拖欠工资</h1>"
            f"<div class='content'>{_PARAS}</div><div class='footer'>Copyright 2019 版权所有</div></body></html>")
    assert extract_article(html, now=NOW).published_at is None


def _char_f1(pred: str, gold: str) -> float:
    from collections import Counter

    p, g = Counter("".join(pred.split())), Counter("".join(gold.split()))
    common = sum((p & g).values())
    return 0.0 if not common else 2 * common / (sum(p.values()) + sum(g.values()))


@pytest.mark.parametrize("case", range(18))
def test_short_district_news_extracted_without_page_chrome(case: int) -> None:
    """Issue 15: a few sentences in a page of navigation, notices, related links and footers."""
    from crawlers.testing.short_news import short_news_cases

    name, page, gold = short_news_cases()[case]
    art = extract_article(page, now=datetime(2025, 1, 1, tzinfo=SHANGHAI))
    assert _char_f1(art.content, "\n".join(gold["body"])) >= 0.95, (name, art.content[:200])
    assert art.title == gold["title"], name
    assert art.published_at is not None and art.published_at.date().isoformat() == gold["date"], name
    assert (art.author or "") == gold["author"], name


def test_month_day_info_line_is_not_replaced_by_a_date_in_the_body() -> None:
    body = "<p>华新镇某企业拖欠工人工资，工人到镇里反映情况。根据2023年5月1日起施行的条例，企业应按时足额支付工资。</p>" * 3
    html = (f"<html><head><title>华新镇一企业拖欠工资_某网</title></head><body><h1>华新镇一企业拖欠工资</h1>"
            f"<p class='time'>09-11 11:10</p><div class='content'>{body}</div></body></html>")
    assert extract_article(html, now=NOW).published_at == datetime(2024, 9, 11, 11, 10, tzinfo=SHANGHAI)
