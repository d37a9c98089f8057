"""Finding article links on a list page without configured selectors."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from crawlers.textnorm import normalize_inline

__all__ = ["auto_article_links"]

_ARTICLE_PATH = re.compile(r"(\d{4,}|/t\d+|content_|detail|article|/a/)", re.IGNORECASE)
_NOT_ARTICLE = re.compile(r"(list|index|channel|column|tag|search|login|javascript:)", re.IGNORECASE)
_CN = re.compile(r"[\u4e00-\u9fa5]")


def auto_article_links(sel: Selector, page_url: str, urljoin: Any) -> list[str]:
    """Links that look like articles: same site, a headline-like Chinese text, an article-like path."""
    host = urlsplit(page_url).hostname
    out: list[str] = []
    for a in sel.css("a[href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("#", "javascript", "mailto")):
            continue
        url = urljoin(href)
        parts = urlsplit(url)
        if parts.hostname != host or url.split("#")[0] == page_url:
            continue
        text = normalize_inline(" ".join(a.css("::text").getall())) or a.attrib.get("title", "")
        if len(_CN.findall(text)) < 6:
            continue
        if _NOT_ARTICLE.search(parts.path) or not _ARTICLE_PATH.search(parts.path + "?" + parts.query):
            continue
        out.append(url)
    return list(dict.fromkeys(out))
