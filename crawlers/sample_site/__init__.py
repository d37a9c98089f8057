"""The bundled sample site: fictional Qingpu news, a Weibo-style search API, a message board and a forum.

Everything here is invented (companies come from the sample registry ``configs/companies.csv``). The site is
served by a small threaded HTTP server on loopback so the demo and the tests crawl a realistic site with the
real spiders:

- ``/news/list_1.html``, ``/news/list_2.html``: news lists (6 per page, 下一页 link) -> ``/news/<date>/<id>.html``
  articles with navigation, a sidebar, 相关阅读 and comments around the body;
- ``/rss.xml``: an RSS feed whose items only carry a summary;
- ``/api/weibo/search?q=<terms>&page=<n>``: a Weibo-style mobile search API (5 posts per page, reposts included);
  ``q`` may be an OR query (``青浦 讨薪 OR 青浦 欠薪``: posts with every word of any alternative);
- ``/api/board/list?page=<n>`` and ``/api/board/detail?tid=<id>``: a leaders' message board with replies;
- ``/forum/list?pn=<offset>`` and ``/forum/p/<tid>``: a Tieba-style forum (thread list inside an HTML comment);
- ``/robots.txt``: disallows ``/private/``.

``SampleSite().start()`` returns the base URL; ``hits`` counts requests per path (tests assert on it).
"""

from __future__ import annotations

import html
import json
import logging
import threading
from collections import Counter
from collections.abc import Callable
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["SampleSite", "load_demo_sources", "DEMO_SOURCES", "DATA_DIR", "Reply"]

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_SOURCES = Path(__file__).resolve().parent / "sources.yaml"
PER_PAGE = 6

Reply = tuple[int, dict[str, str], bytes]


def _load(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _page(title: str, main: str, *, charset: str = "utf-8", extra_head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{html.escape(title)}_青浦新闻网</title>
<meta name="keywords" content="青浦,新闻">{extra_head}</head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/news/list_1.html">青浦要闻</a> | <a href="/news/list_1.html">镇街动态</a>
 | <a href="/rss.xml">订阅</a> | <a href="/forum/list">青浦吧</a> | <a href="/private/admin">管理</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/news/list_1.html">青浦要闻</a></div>
{main}
<div class="sidebar"><h3>热点排行</h3><ul><li><a href="/news/2024/0905/107.html">第十届朱家角水乡音乐节开幕</a></li>
<li><a href="/news/2024/0904/108.html">沪渝高速青浦段开展养护施工</a></li></ul></div>
<div class="footer">主办：青浦新闻网（虚构示例站点） 版权所有 2024 沪ICP备00000000号</div>
</body></html>"""


class SampleSite:
    """Threaded loopback HTTP server for the sample site. Subclasses add routes via :meth:`extra_routes`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.articles: list[dict[str, Any]] = _load("articles.json")
        self.weibo: list[dict[str, Any]] = _load("weibo.json")
        self.board: list[dict[str, Any]] = _load("board.json")
        self.forum: list[dict[str, Any]] = _load("forum.json")
        self.hits: Counter[str] = Counter()
        self.url_hits: Counter[str] = Counter()  # per path and query string (the JSON APIs page by query)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # -- server -------------------------------------------------------------------------------------------
    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server hook
                site._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
                logger.debug("sample site: " + format, *args)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # clients that cancel a download (size cap, timeout) reset the connection: not an error here
                logger.debug("sample site: connection from %s ended abnormally", client_address, exc_info=True)

        self._server = Server((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="sample-site", daemon=True)
        self._thread.start()
        self.base_url = f"http://{self.host}:{self.port}"
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SampleSite:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        with self._lock:
            self.hits[parts.path] += 1
            self.url_hits[req.path] += 1
            count = self.hits[parts.path]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            reply = self.route(parts.path, query, count)
        except Exception:  # noqa: BLE001 - a bug in a route answers 500 instead of killing the server thread
            logger.exception("sample site route failed: %s", req.path)
            reply = (500, {"Content-Type": "text/plain"}, b"internal error")
        if reply is None:
            reply = (404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>404 页面不存在</h1>".encode())
        reply = self.finish_reply(parts.path, req.headers, reply)
        status, headers, body = reply
        try:
            req.send_response(status)
            for k, v in headers.items():
                req.send_header(k, v)
            if "Content-Length" not in headers:
                req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client went away: %s", req.path)

    # -- routes -------------------------------------------------------------------------------------------
    def route(self, path: str, q: dict[str, str], count: int) -> Reply | None:
        routes: dict[str, Callable[[], Reply | None]] = {
            "/robots.txt": lambda: self._text("User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/rss.xml": self._rss,
            "/api/weibo/search": lambda: self._weibo(q),
            "/api/board/list": lambda: self._board_list(q),
            "/api/board/detail": lambda: self._board_detail(q),
            "/forum/list": lambda: self._forum_list(q),
        }
        if path in routes:
            return routes[path]()
        if path.startswith("/news/list_"):
            return self._news_list(path)
        if path.startswith("/news/"):
            return self._article(path)
        if path.startswith("/forum/p/"):
            return self._forum_thread(path)
        if path.startswith("/private/"):
            return self._text("<h1>内部页面</h1>", "text/html; charset=utf-8")
        return self.extra_routes(path, q, count)

    def extra_routes(self, path: str, q: dict[str, str], count: int) -> Reply | None:
        return None

    def finish_reply(self, path: str, headers: Any, reply: Reply) -> Reply:
        """Last look at a reply with the request's headers (subclasses: conditional requests ...)."""
        return reply

    @staticmethod
    def _text(text: str, ctype: str, status: int = 200, encoding: str = "utf-8") -> Reply:
        return status, {"Content-Type": ctype}, text.encode(encoding)

    @staticmethod
    def _json(obj: Any) -> Reply:
        return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(obj, ensure_ascii=False).encode()

    def article_path(self, a: dict[str, Any]) -> str:
        return f"/news/{a['slug']}.html"

    def _news_list(self, path: str) -> Reply | None:
        try:
            n = int(path.removeprefix("/news/list_").removesuffix(".html"))
        except ValueError:
            return None
        pages = (len(self.articles) + PER_PAGE - 1) // PER_PAGE
        if not 1 <= n <= pages:
            return None
        rows = []
        for a in self.articles[(n - 1) * PER_PAGE : n * PER_PAGE]:
            date = a["date"].removeprefix("发布时间：")
            rows.append(f'<li><a href="{self.article_path(a)}" title="{html.escape(a["title"])}">'
                        f'{html.escape(a["title"])}</a><span class="date">{html.escape(date)}</span></li>')
        pager = f'<div class="pager">第{n}页/共{pages}页 '
        if n > 1:
            pager += f'<a href="/news/list_{n - 1}.html">上一页</a> '
        if n < pages:
            pager += f'<a class="next" href="/news/list_{n + 1}.html">下一页</a>'
        pager += "</div>"
        main = f'<div class="news-list"><h2>青浦要闻</h2><ul>{"".join(rows)}</ul>{pager}</div>'
        return self._text(_page("青浦要闻", main), "text/html; charset=utf-8")

    def render_article(self, a: dict[str, Any], *, charset: str = "utf-8", with_date: bool = True) -> str:
        info = f'<span class="source">来源：{html.escape(a["source"])}</span> '
        if a.get("author"):
            info += f'<span class="author">记者 {html.escape(a["author"])}</span> '
        if with_date:
            info += f'<span class="time">{html.escape(a["date"])}</span>'
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in a["body"])
        related = "".join(f'<li><a href="{self.article_path(o)}">{html.escape(o["title"])}</a></li>'
                          for o in self.articles if o["id"] != a["id"])[:2000]
        main = f"""<div class="article">
<h1 class="article-title">{html.escape(a["title"])}</h1>
<div class="article-info">{info}</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="article-content">{paras}</div>
<div class="editor">责任编辑：王芳</div>
<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>
<div class="comments"><h3>网友评论</h3><div class="comment">网友：支持依法维权！</div>
<div class="comment">网友：希望尽快解决。</div></div></div>"""
        return _page(a["title"], main, charset=charset)

    def _article(self, path: str) -> Reply | None:
        for a in self.articles:
            if path == self.article_path(a):
                return self._text(self.render_article(a), "text/html; charset=utf-8")
        return None

    def _rss(self) -> Reply:
        from datetime import datetime

        from crawlers.dates import parse_datetime

        items = []
        for a in self.articles:
            pub = parse_datetime(a["date"], datetime.now().astimezone())
            items.append(
                f"<item><title>{html.escape(a['title'])}</title>"
                f"<link>{self.base_url}{self.article_path(a)}</link>"
                f"<guid>{self.base_url}{self.article_path(a)}</guid>"
                f"<description>{html.escape(a['body'][0][:40])}……</description>"
                f"<pubDate>{format_datetime(pub) if pub else ''}</pubDate></item>"
            )
        xml = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>青浦新闻网</title>'
               f"<link>{self.base_url}/</link><description>青浦要闻</description>{''.join(items)}</channel></rss>")
        return self._text(xml, "application/rss+xml; charset=utf-8")

    def _weibo(self, q: dict[str, str]) -> Reply:
        alternatives = [words for alt in (q.get("q") or "").split(" OR ") if (words := alt.split())]
        page = int(q.get("page") or 1)
        matched = [w for w in self.weibo if any(all(t in w["text"] for t in words) for words in alternatives)]
        chunk = matched[(page - 1) * 5 : page * 5]
        if not chunk:
            return self._json({"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}})
        cards = [{"card_type": 11, "card_group": []}]  # non-post cards exist in the real API; spiders skip them
        for w in chunk:
            cards.append({"card_type": 9, "mblog": {
                "id": w["id"], "text": w["text"], "created_at": w["created_at"],
                "user": {"screen_name": w["user"]}, "reposts_count": w["reposts"],
                "comments_count": w["comments"], "attitudes_count": w["likes"]}})
        return self._json({"ok": 1, "data": {"cards": cards, "cardlistInfo": {"page": page}}})

    def _board_list(self, q: dict[str, str]) -> Reply:
        page = int(q.get("page") or 1)
        chunk = self.board[(page - 1) * 2 : page * 2]
        threads = [{"tid": b["tid"], "subject": b["subject"], "createDateline": b["created"],
                    "userName": b["author"]} for b in chunk]
        return self._json({"resultCode": "200", "resultData": {"data": threads,
                                                              "hasMore": page * 2 < len(self.board)}})

    def _board_detail(self, q: dict[str, str]) -> Reply | None:
        for b in self.board:
            if str(b["tid"]) == q.get("tid"):
                return self._json({"resultCode": "200", "resultData": {"thread": {
                    "tid": b["tid"], "subject": b["subject"], "content": b["content"],
                    "createDateline": b["created"], "userName": b["author"],
                    "reply": {"content": b["reply"], "status": b["reply_status"], "time": b["reply_time"]}}}})
        return None

    def _forum_list(self, q: dict[str, str]) -> Reply:
        pn = int(q.get("pn") or 0)
        chunk = self.forum[pn : pn + 3]
        rows = "".join(
            f'<li class="j_thread_list"><span class="threadlist_rep_num">{t["replies"]}</span>'
            f'<a class="j_th_tit" href="/forum/p/{t["tid"]}" title="{html.escape(t["title"])}">'
            f'{html.escape(t["title"])}</a><span class="tb_icon_author">{html.escape(t["author"])}</span></li>'
            for t in chunk)
        nxt = f'<a class="next pagination-item" href="/forum/list?pn={pn + 3}">下一页&gt;</a>' \
            if pn + 3 < len(self.forum) else ""
        # like Tieba, the thread list is shipped inside an HTML comment and rendered by script
        body = (f'<code class="pagelet_html" id="pagelet_html_frs-list/pagelet/thread_list" style="display:none;">'
                f'<!--<ul id="thread_list">{rows}</ul><div class="thread_list_bottom">{nxt}</div>--></code>')
        return self._text(_page("青浦吧", body), "text/html; charset=utf-8")

    def _forum_thread(self, path: str) -> Reply | None:
        tid = path.removeprefix("/forum/p/")
        for t in self.forum:
            if str(t["tid"]) == tid:
                main = (f'<h3 class="core_title_txt">{html.escape(t["title"])}</h3>'
                        f'<div class="l_post"><a class="p_author_name">{html.escape(t["author"])}</a>'
                        f'<div class="d_post_content">{html.escape(t["content"])}</div>'
                        f'<span class="tail-info">1楼</span><span class="tail-info">{html.escape(t["created"])}</span></div>'
                        f'<div class="l_post"><a class="p_author_name">路人</a><div class="d_post_content">顶</div></div>')
                return self._text(_page(t["title"], main), "text/html; charset=utf-8")
        return None


def load_demo_sources(base_url: str, path: Path | None = None) -> list[Any]:
    """The demo's sources (``sources.yaml`` here) with ``{base_url}`` replaced by the running site's URL."""
    import yaml

    from crawlers.sources import parse_sources

    p = path or DEMO_SOURCES
    text = p.read_text(encoding="utf-8").replace("{base_url}", base_url)
    return parse_sources(yaml.safe_load(text), str(p))


