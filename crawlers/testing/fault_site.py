"""The sample site plus misbehaving pages, for the spiders' robustness tests.

Under ``/faults/``: two list pages linking to a GBK page (declared gb2312), an undeclared GBK page, a page with
no date, broken HTML, a 404, a page that answers 500 once then 200, a 429 with Retry-After once then 200, a slow
page (below the timeout), a page slower than the timeout, a redirect loop, an oversized page, a link to the
robots-disallowed ``/private/`` area; and ``/faults/api/search`` (page 1 good JSON, page 2 malformed) and
``/faults/feed.xml`` (an RSS feed with one unreachable full article). ``hits`` counts requests per path.
"""

from __future__ import annotations

import json
import time
from typing import Any

from crawlers.sample_site import Reply, SampleSite

__all__ = ["FaultSite", "FAULT_ARTICLES", "SLOW_S", "VERY_SLOW_S", "HUGE_BYTES"]

SLOW_S = 1.0
VERY_SLOW_S = 6.0
HUGE_BYTES = 3 * 1024 * 1024

FAULT_ARTICLES: dict[str, dict[str, Any]] = {
    "gbk": dict(id=901, title="青浦区重固镇一包装材料企业拖欠工资 工人维权", date="2024年9月13日 09:20", author="赵强",
                source="重固报道", body=["上海重固包装材料有限公司二十多名工人反映，企业拖欠7月、8月工资共计36万元。",
                                         "重固镇劳动保障所已受理投诉，责令企业限期支付。"]),
    "nodecl": dict(id=902, title="香花桥街道印刷企业停产 员工经济补偿谈判", date="2024-09-12 15:00", author="钱伟",
                   source="香花桥报道", body=["上海香花桥印刷有限公司因订单减少决定停产，涉及员工四十余人。",
                                             "街道工会组织员工代表与企业就经济补偿进行协商。"]),
    "nodate": dict(id=903, title="金泽镇水产合作社招收季节工", date="", author="", source="金泽报道",
                   body=["上海金泽水产养殖专业合作社近日招收季节工三十名，包吃住，月薪六千元以上。",
                         "有意者可到金泽镇社区事务受理服务中心报名。"]),
    "broken": dict(id=904, title="徐泾镇一餐饮企业员工反映加班费未发", date="2024-09-11 12:00", author="孙丽",
                   source="徐泾报道", body=["上海徐泾味鲜餐饮连锁有限公司多名员工反映，公司长期安排加班却未支付加班费。",
                                          "徐泾镇劳动监察已约谈企业负责人。"]),
    "flaky": dict(id=905, title="夏阳街道物业公司保洁员社保断缴", date="2024-09-10 10:00", author="周敏",
                  source="夏阳报道", body=["上海夏阳物业管理有限公司部分保洁员发现社保自今年5月起断缴。",
                                         "公司表示系财务疏漏，将于本月补缴。"]),
    "throttled": dict(id=906, title="赵巷保安公司保安员反映工资低于最低工资标准", date="2024-09-09 09:00", author="吴昊",
                      source="赵巷报道", body=["上海赵巷保安服务有限公司多名保安员反映，扣掉各种费用后到手的工资比最低工资线还低。",
                                            "区人社局已受理相关投诉。"]),
    "slow": dict(id=907, title="朱家角丝绸企业举办职工技能比武", date="2024-09-08 14:00", author="郑洁",
                 source="朱家角报道", body=["上海朱家角丝绸制品有限公司日前举办职工技能比武，八十余名职工参赛。"]),
}


class FaultSite(SampleSite):
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)

    def _fault_article(self, key: str, **kw: Any) -> str:
        a = dict(FAULT_ARTICLES[key], slug=f"faults/{key}")
        return self.render_article(a, **kw)

    def extra_routes(self, path: str, q: dict[str, str], count: int) -> Reply | None:
        html_ct = "text/html; charset=utf-8"
        if path == "/faults/list_1.html":
            links = ["/faults/gbk.html", "/faults/nodecl.html", "/faults/nodate.html", "/faults/broken.html",
                     "/faults/missing.html", "/faults/flaky.html"]
            return self._text(self._list(links, next_url="/faults/list_2.html"), html_ct)
        if path == "/faults/list_2.html":
            links = ["/faults/throttled.html", "/faults/slow.html", "/faults/very_slow.html", "/faults/loop_a.html",
                     "/faults/huge.html", "/private/secret.html", "/faults/crash.html"]
            return self._text(self._list(links, next_url=None), html_ct)
        if path == "/faults/gbk.html":
            body = self._fault_article("gbk", charset="gb2312").encode("gbk")
            return 200, {"Content-Type": "text/html"}, body  # charset only in <meta>
        if path == "/faults/nodecl.html":
            text = self._fault_article("nodecl").replace('<meta charset="utf-8">', "")
            return 200, {"Content-Type": "text/html"}, text.encode("gb18030")  # no charset anywhere
        if path == "/faults/nodate.html":
            return self._text(self._fault_article("nodate", with_date=False), html_ct)
        if path == "/faults/broken.html":
            text = self._fault_article("broken")
            cut = text.index("</p>") + 4
            return self._text(text[:cut].replace("</div>", "") + "<p>徐泾镇劳动监察已约谈企业负责人。<div><span><table><tr>", html_ct)
        if path == "/faults/flaky.html":
            if count == 1:
                return self._text("<h1>服务器繁忙</h1>", html_ct, status=500)
            return self._text(self._fault_article("flaky"), html_ct)
        if path == "/faults/throttled.html":
            if count == 1:
                return 429, {"Content-Type": "text/plain", "Retry-After": "1"}, b"too many requests"
            return self._text(self._fault_article("throttled"), html_ct)
        if path == "/faults/slow.html":
            time.sleep(SLOW_S)
            return self._text(self._fault_article("slow"), html_ct)
        if path == "/faults/very_slow.html":
            time.sleep(VERY_SLOW_S)
            return self._text("<h1>太慢了</h1>", html_ct)
        if path in ("/faults/loop_a.html", "/faults/loop_b.html"):
            target = "/faults/loop_b.html" if path.endswith("a.html") else "/faults/loop_a.html"
            return 302, {"Location": target, "Content-Type": "text/plain"}, b""
        if path == "/faults/huge.html":
            filler = "<p>" + "很长的页面。" * 100 + "</p>"
            body = ("<html><body>" + filler * (HUGE_BYTES // len(filler.encode()) + 1) + "</body></html>").encode()
            return 200, {"Content-Type": html_ct}, body
        if path == "/faults/crash.html":
            # valid HTTP, but a page the spider's selectors cannot turn into text: an empty document
            return self._text("", html_ct)
        if path == "/faults/api/search":
            page = int(q.get("page") or 1)
            if page == 1:
                posts = [{"mblog": {"id": f"77{i}", "text": f"青浦讨薪第{i}条：工地老板拖欠工资", "created_at": "1小时前",
                                    "user": {"screen_name": f"用户{i}"}, "reposts_count": i}} for i in range(3)]
                return self._json({"ok": 1, "data": {"cards": posts}})
            return 200, {"Content-Type": "application/json"}, b'{"ok": 1, "data": {"cards": [ {"mblog": '
        if path == "/faults/feed.xml":
            items = "".join(
                f"<item><title>{a['title']}</title><link>{self.base_url}{self.article_path(a)}</link>"
                f"<description>{a['body'][0][:30]}……</description><pubDate>Thu, 12 Sep 2024 10:30:00 +0800</pubDate></item>"
                for a in self.articles[:3])
            items += (f"<item><title>无法访问的全文</title><link>{self.base_url}/faults/missing_article.html</link>"
                      "<description>这条摘要在全文无法获取时保留。青浦某企业拖欠工资……</description></item>")
            xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
            return self._text(xml, "application/rss+xml; charset=utf-8")
        return None

    def _list(self, links: list[str], next_url: str | None) -> str:
        titles = {f"/faults/{k}.html": a["title"] for k, a in FAULT_ARTICLES.items()}
        rows = "".join(
            f'<li><a href="{u}">{titles.get(u, "青浦区劳动保障监察通报第" + str(i) + "期内容")}</a></li>'
            for i, u in enumerate(links))
        nxt = f'<a class="next" href="{next_url}">下一页</a>' if next_url else ""
        return (f"<html><head><meta charset='utf-8'><title>故障测试列表</title></head><body>"
                f"<ul class='news-list'>{rows}</ul><div class='pager'>{nxt}</div></body></html>")


def fault_sources_yaml(base_url: str, **overrides: Any) -> str:
    """Sources for the fault site (news list, malformed JSON search, feed), as YAML text."""
    data: dict[str, Any] = {
        "defaults": {"region": ["青浦区"], "politeness": {"download_delay_s": 0, "concurrency": 8}},
        "sources": [
            {"id": "fault-news", "name": "故障站点新闻", "kind": "news", "platform": "fault",
             "start_urls": [f"{base_url}/faults/list_1.html"],
             "selectors": {"item_links": ".news-list a", "next_page": "a.next"}, "max_pages": 3},
            {"id": "fault-search", "name": "故障站点搜索", "kind": "search", "platform": "faultweibo",
             "response": "json", "endpoint": f"{base_url}/faults/api/search?q={{query}}&page={{page}}",
             "keywords": ["讨薪"], "max_pages": 5,
             "json": {"items": "data.cards[*].mblog", "id": "id", "content": "text", "author": "user.screen_name",
                      "published_at": "created_at", "reposts": "reposts_count"}},
            {"id": "fault-feed", "name": "故障站点订阅", "kind": "feed", "platform": "faultfeed",
             "start_urls": [f"{base_url}/faults/feed.xml"]},
        ],
    }
    for src in data["sources"]:
        src.update(overrides.get(src["id"], {}))
    return json.dumps(data, ensure_ascii=False)
