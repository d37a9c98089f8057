"""Article extraction from arbitrary Chinese news pages: title, body, publish time, author.

Body: trafilatura (a well-kept main-content extractor) on the decoded page, then Chinese-site rules on top:
boilerplate lines (责任编辑, 分享到, 相关阅读 ...) and trailing blocks cut, the headline and info line removed,
full-width ASCII normalised. When trafilatura finds nothing useful, a text-density extractor (paragraph text,
Chinese punctuation, link-text penalty) picks the main block. Title: the page headline that matches
``<title>``, or ``<title>`` without the site suffix. Date: meta tags, JSON-LD, ``<time datetime>`` outside
lists, the info line under the headline, inline script variables, the URL, in that order (see ``_date``),
resolved in Asia/Shanghai. Author: meta, then 作者/记者 patterns on the
info line.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from crawlers import extract_rules as rules
from crawlers.dates import find_datetime, parse_datetime
from crawlers.encoding import decode_html
from crawlers.errors import ExtractionError
from crawlers.textnorm import normalize_inline, normalize_text
from lwcore.domain import SHANGHAI

__all__ = ["Article", "extract_article", "not_html_reason", "parse_html", "select_text"]

logger = logging.getLogger(__name__)

#: Dates in URLs: /2019-08/12/, /2019/0812/, /20190812/, and the gov.cn style /201908/t20190812_123.html.
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])_"),
    re.compile(r"/((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:/|\D)"),
)
_CN = re.compile(r"[\u4e00-\u9fa5]")
_PUNCT = re.compile(r"[，。！？；：、“”]")


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    content: str
    published_at: datetime | None
    author: str | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published_at"] = self.published_at.isoformat() if self.published_at else None
        return d


#: Leading bytes of formats that are sometimes saved or served in place of a page.
_MAGIC = (
    (b"\xff\xd8\xff", "a JPEG image"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"), (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"), (b"\x7fELF", "an executable"),
)
_HTML_MARK = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|table|h[1-6]|span|a)\b",
                        re.IGNORECASE)


def _binary_reason(raw: bytes) -> str | None:
    head = raw[:4096]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"not HTML: {what}"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not HTML: binary data (NUL bytes)"
    return None


def _text_reason(text: str) -> str | None:
    if not text.strip():
        return "empty page"
    if not _HTML_MARK.search(text[:65536]):
        return "not HTML: no HTML markup (plain text?)"
    return None


def not_html_reason(data: bytes | str) -> str | None:
    """Why ``data`` is not an HTML page (an image, a binary file, plain text), or None when it looks like one."""
    if isinstance(data, bytes):
        return _binary_reason(data) or _text_reason(decode_html(data)[0])
    return _text_reason(data)


def parse_html(text: str) -> Any:
    """An lxml tree for page text (never raises on broken markup; empty pages raise ExtractionError)."""
    import lxml.html
    from lxml import etree

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise ExtractionError("empty page")
    try:
        return lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(recover=True, remove_comments=True))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None


def select_text(tree: Any, selector: str) -> list[str]:
    """Texts of the nodes a CSS or XPath selector picks (XPath when it starts with ``/`` or ``(``)."""
    from parsel import Selector

    sel = Selector(root=tree, type="html")
    nodes = sel.xpath(selector) if selector.startswith(("/", "(")) else sel.css(selector)
    out = []
    for n in nodes:
        root = n.root
        if isinstance(root, str):
            out.append(root)
        else:
            out.append(_block_text(root))
    return [t for t in (s.strip() for s in out) if t]


_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
               "blockquote", "pre", "dd", "dt", "ul", "ol"}


def _block_text(el: Any) -> str:
    """Text of an element with line breaks at block boundaries."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    text = "".join(parts)
    if el.tail:
        text = text[: len(text) - len(el.tail)]
    return normalize_text(text)


def _meta(tree: Any, names: tuple[str, ...]) -> str | None:
    metas: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        val = m.get("content")
        if key and val and key not in metas:
            metas[key] = val.strip()
    for n in names:
        if metas.get(n):
            return metas[n]
    return None


def _clean_tree(tree: Any) -> None:
    for bad in tree.xpath("//script|//style|//noscript|//template|//iframe|//svg"):
        bad.drop_tree()


def _page_title(tree: Any) -> str:
    t = tree.find(".//title")
    return normalize_inline(t.text_content()) if t is not None else ""


def _headline(tree: Any, page_title: str) -> tuple[str, Any | None]:
    """The headline text and its element: an h1/h2/title-classed node that matches <title>, else the title."""
    og = normalize_inline(_meta(tree, ("og:title", "twitter:title", "articletitle", "headline")))
    best: tuple[int, str, Any] | None = None
    candidates = tree.xpath(
        "//h1|//h2|//h3|//*[contains(@class,'title') or contains(@id,'title') or contains(@class,'Title')"
        " or contains(@id,'Title')]"
    )
    key = page_title.replace(" ", "")
    for el in candidates[:200]:
        text = normalize_inline(el.text_content())
        if not 4 <= len(text) <= 120:
            continue
        compact = text.replace(" ", "")
        score = 0
        if key and compact in key:
            score = 3 + len(compact)
        elif og and compact == og.replace(" ", ""):
            score = 2 + len(compact)
        elif el.tag == "h1" and len(_CN.findall(text)) >= 4:
            score = 1
        if score and (best is None or score > best[0]):
            best = (score, text, el)
    if best is not None:
        return best[1], best[2]
    # a headline in an unmarked element (<span class="bt">, <td><b>): the longest element text that is most of
    # the page title (the rest being the site's suffix)
    if key:
        plain: tuple[int, str, Any] | None = None
        for el in tree.iter():
            if not isinstance(el.tag, str) or el.tag in ("title", "head", "html", "body", "a", "option"):
                continue
            text = normalize_inline(el.text or "")
            compact = text.replace(" ", "")
            if 4 <= len(compact) <= 120 and compact in key and len(compact) * 2 >= len(key) and len(el) == 0:
                if plain is None or len(compact) > plain[0]:
                    plain = (len(compact), text, el)
        if plain is not None:
            return plain[1], plain[2]
    if og:
        return og, None
    parts = [p for p in rules.TITLE_SPLIT.split(page_title) if p]
    if parts and len(parts[0]) >= 5:
        return parts[0], None
    return page_title, None


def _info_text(tree: Any, head_el: Any | None) -> str:
    """Text of the info line(s) near the headline: siblings after it and info-classed elements."""
    texts: list[str] = []
    if head_el is not None:
        node = head_el
        for _ in range(3):  # walk up a little so a headline wrapped in a div still finds its info line
            following = node.itersiblings()
            for i, sib in enumerate(following):
                if i >= 4:
                    break
                if isinstance(sib.tag, str):
                    t = normalize_inline(sib.text_content())
                    if t:
                        texts.append(t[:300])
            if texts:
                break
            node = node.getparent()
            if node is None:
                break
    for el in tree.xpath("//*[@class or @id]")[:3000]:
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if rules.INFO_HINT.search(attrs):
            t = normalize_inline(el.text_content())
            if 4 <= len(t) <= 200:
                texts.append(t)
    return "\n".join(texts)


def _plausible(dt: datetime | None, now: datetime | None) -> bool:
    """A publish time is after 1990 and not more than a day after the fetch time."""
    if dt is None or dt.year < 1990:
        return False
    ref = now if now is not None else datetime.now(dt.tzinfo)
    if ref.tzinfo is None:
        ref = ref.replace(tzinfo=dt.tzinfo)
    return dt <= ref + timedelta(days=1)


def _jsonld_dates(node: Any, out: list[str], depth: int = 0) -> None:
    """Publish-time values of a parsed JSON-LD document, article-typed objects first."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _jsonld_dates(item, out, depth + 1)
        return
    if not isinstance(node, dict):
        return
    for key in rules.JSONLD_DATE_KEYS:
        val = node.get(key)
        if isinstance(val, str | int | float) and not isinstance(val, bool) and str(val).strip():
            out.append(str(val))
            break
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
        if key in node:
            _jsonld_dates(node[key], out, depth + 1)


@dataclass(frozen=True, slots=True)
class _ScriptDates:
    jsonld: tuple[str, ...]  # datePublished / pubDate of JSON-LD blocks, in page order
    inline: tuple[str, ...]  # pubtime / publish_time ... of other inline scripts, in page order


def _script_dates(tree: Any) -> _ScriptDates:
    """Publish-time values held in scripts; read before the scripts are dropped from the tree."""
    jsonld: list[str] = []
    inline: list[str] = []
    for el in tree.iter("script"):
        body = el.text or ""
        if not body.strip():
            continue
        if "ld+json" in (el.get("type") or "").lower():
            found: list[str] = []
            try:
                _jsonld_dates(json.loads(body), found)
            except ValueError:  # broken JSON-LD is common: fall back to the key pattern on its text
                found = [k.group("s") or k.group("n") for k in rules.SCRIPT_DATE.finditer(body)]
            jsonld.extend(found)
        else:
            inline.extend(k.group("s") or k.group("n") for k in rules.SCRIPT_DATE.finditer(body[:200_000]))
    return _ScriptDates(tuple(jsonld), tuple(inline))


def _in_list(el: Any) -> bool:
    return any(anc.tag in rules.TIME_LIST_ANCESTORS for anc in el.iterancestors())


def _info_date(info: str, now: datetime | None) -> datetime | None:
    """The date of the info line: one right after a label (发布时间：...) wins, else the first date."""
    for line in info.split("\n"):
        for m in rules.DATE_LABEL.finditer(line):
            found = find_datetime(line[m.end(): m.end() + 40], now)
            if found is not None and found[1] == 0 and _plausible(found[0], now):
                return found[0]
    for line in info.split("\n"):  # line by line: the info line comes before the paragraphs that follow it
        found = find_datetime(line, now)
        if found is not None and _plausible(found[0], now):
            return found[0]
    return None


def _url_date(url: str, now: datetime | None) -> datetime | None:
    for rx in _URL_DATES:
        m = rx.search(url)
        if m:
            dt = parse_datetime(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", now)
            if _plausible(dt, now):
                return dt
    return None


def _first(values: Any, now: datetime | None) -> datetime | None:
    for v in values:
        dt = parse_datetime(v, now)
        if _plausible(dt, now):
            return dt
    return None


def _labelled_date(text: str, now: datetime | None) -> datetime | None:
    """The first date right after a label (发布时间：..., 日期：...) on any line of ``text``."""
    for line in text.split("\n"):
        for m in rules.DATE_LABEL.finditer(line):
            found = find_datetime(line[m.end(): m.end() + 40], now)
            if found is not None and found[1] == 0 and _plausible(found[0], now):
                return found[0]
    return None


def _after_headline(tree: Any, head_el: Any | None, now: datetime | None) -> datetime | None:
    """The first date in the 300 characters of page text after the headline (old pages put the date there
    without any class or label)."""
    if head_el is None:
        return None
    head = normalize_inline(head_el.text_content())
    full = normalize_inline(tree.text_content())
    i = full.find(head) if head else -1
    if i < 0:
        return None
    found = find_datetime(full[i + len(head): i + len(head) + 300], now)
    return found[0] if found is not None and _plausible(found[0], now) else None


def _day_on_page(day: str, html: str) -> bool:
    """Whether ``YYYY-MM-DD`` is written on the page (2005-8-16, 2005/08/16, 2005年8月16日, 20050816)."""
    y, m, d = day[:4], int(day[5:7]), int(day[8:10])
    rx = re.compile(rf"{y}\s*[-/.年_]\s*0?{m}\s*[-/.月_]\s*0?{d}(?!\d)|{y}{m:02d}{d:02d}(?!\d)")
    return bool(rx.search(html))


def _own_text(tree: Any) -> str:
    """Page text outside lists, navigation and footers (where other articles' dates are)."""
    anc = " or ".join(f"ancestor::{t}" for t in rules.TIME_LIST_ANCESTORS)
    return " ".join(tree.xpath(f"//body//text()[not({anc})]"))


def _htmldate(html: str, own_text: str, url: str | None, now: datetime | None, *,
              extensive: bool) -> datetime | None:
    """htmldate's original publish date, kept only when that day is written in the page's own text, outside
    lists (its extensive search otherwise turns a copyright year into 1 January, and its quick search takes a
    related article's ``<time>``)."""
    from htmldate import find_date

    ref = now if now is not None else datetime.now(SHANGHAI)
    try:
        day = find_date(html, url=url, original_date=True, extensive_search=extensive,
                        max_date=(ref + timedelta(days=1)).strftime("%Y-%m-%d"))
    except Exception:  # noqa: BLE001 - isolation: a library failure on one page only loses this candidate
        logger.debug("htmldate failed on %s", url, exc_info=True)
        return None
    if not day or not _day_on_page(day, own_text):
        return None
    dt = parse_datetime(day, now)
    return dt if _plausible(dt, now) else None


def _date(tree: Any, info: str, url: str | None, now: datetime | None, scripts: _ScriptDates,
          *, html: str = "", head_el: Any | None = None) -> datetime | None:
    """Publish time, most trusted evidence first (order chosen on the cwced and GNE pages, see
    ``bench/extract_bench.py``):

    1. structured: meta tags, JSON-LD, microdata and ``<time datetime>`` outside lists;
    2. a labelled date on the info line under the headline (发布时间：..., relative times included), then a
       publish-time variable of an inline script (``pubtime: "..."``);
    3. the first date of the info line, line by line (``09-11 11:10`` resolved against the fetch time: neither
       htmldate nor a date in the paragraphs below may replace it);
    4. htmldate's quick search, when the day it finds is written in the page's own text (outside lists);
    5. a labelled date anywhere on the page; the first date after the headline; htmldate's extensive search
       (same check); the URL; a bare ``<time>`` text outside lists (a ``<time>`` inside ``<li>`` dates another
       article in a related list)."""
    meta = _meta(tree, rules.DATE_META)
    dt = _first([meta] if meta else [], now)
    if dt is None:
        dt = _first(scripts.jsonld, now)
    if dt is None:
        props = tree.xpath("//*[@itemprop='datePublished' or @itemprop='dateCreated']")
        dt = _first((p.get("content") or p.get("datetime") or p.text_content() for p in props), now)
    times = [t for t in tree.iter("time") if not _in_list(t)]
    if dt is None:
        dt = _first((t.get("datetime") for t in times if t.get("datetime")), now)
    if dt is not None:
        return dt
    labelled = _labelled_date(info, now)
    if labelled is not None:
        return labelled
    named = _first(scripts.inline, now)  # a publish-time variable of an inline script (pubtime: ...)
    if named is not None:
        return named
    dt = _info_date(info, now)
    if dt is not None:
        return dt
    own = _own_text(tree) if html else ""
    if html:
        dt = _htmldate(html, own, url, now, extensive=False)
        if dt is not None:
            return dt
    dt = _labelled_date(tree.text_content(), now) or _after_headline(tree, head_el, now)
    if dt is not None:
        return dt
    if html:
        dt = _htmldate(html, own, url, now, extensive=True)
        if dt is not None:
            return dt
    if url:
        dt = _url_date(url, now)
    if dt is None:
        dt = _first((t.text_content() for t in times), now)
    return dt


def _author(tree: Any, info: str) -> str | None:
    for line in info.split("\n"):
        for rx in rules.AUTHOR_PATTERNS:
            m = rx.search(line)
            if m:
                name = rules.AUTHOR_STOP.split(m.group("a"))[0].strip(" 、，,")
                if name and name not in rules.NOT_AUTHOR and len(name) >= 2:
                    return name
    meta = normalize_inline(_meta(tree, rules.AUTHOR_META))
    if meta and meta not in rules.NOT_AUTHOR and len(meta) <= 30 and not meta.startswith("http"):
        return meta
    return None


def _clean_body(text: str, title: str, info: str) -> str:
    lines = [ln.strip() for ln in normalize_text(text).split("\n")]
    out: list[str] = []
    compact_title = title.replace(" ", "")
    info_lines = {ln for ln in info.split("\n") if ln}
    for i, ln in enumerate(lines):
        if not ln:
            continue
        if rules.TAIL_MARKER.match(ln) and i > len(lines) * 0.3:
            break
        # an info-line sibling of the headline may be the article's first paragraph on short pages: drop only
        # what reads like an info line
        info_like = ln in info_lines and (not _is_prose(ln) or (len(ln) < 120 and _INFO_LINE.search(ln)))
        if i < 3 and (ln.replace(" ", "") == compact_title or info_like):
            continue
        if rules.BOILERPLATE_LINE.match(ln) and len(ln) < 60:
            continue
        if rules.WIDGET_LINE.match(ln):
            continue
        out.append(ln)
    return "\n".join(out)


def _is_prose(line: str) -> bool:
    return len(_CN.findall(line)) >= 10 and bool(_PUNCT.search(line))


def _prose_chars(text: str) -> int:
    return sum(len(ln) for ln in text.split("\n") if _is_prose(ln))


def _trim(text: str) -> str:
    """Drop short list items (``- 标题 2019-09-09``: related links) and trailing non-prose lines."""
    lines = [ln for ln in text.split("\n") if not (ln.startswith(("- ", "* ", "• ")) and len(ln) < 80)]
    ends = ("。", "！", "？", "”")
    while lines and not _is_prose(lines[-1]) and len(lines[-1]) < 40 and not lines[-1].endswith(ends):
        lines.pop()
    return "\n".join(lines)


def _density_body(tree: Any) -> str:
    """Fallback main-block finder: the element whose own paragraphs hold the most non-link Chinese text."""
    best_score, best_el = 0.0, None
    for el in tree.xpath("//div|//article|//section|//td|//main"):
        paras = el.xpath("./p|./div/p|./font|./span")
        text = "".join(p.text_content() for p in paras) if paras else (el.text or "")
        if len(text) < 20:
            continue
        link_text = sum(len(a.text_content()) for a in el.xpath(".//a"))
        total = max(len(el.text_content()), 1)
        cn = len(_CN.findall(text))
        punct = len(_PUNCT.findall(text))
        score = (cn + 10 * punct) * (1 - min(link_text / total, 1.0))
        if score > best_score:
            best_score, best_el = score, el
    return _block_text(best_el) if best_el is not None else ""


_MARK = "\u2063lw-headline\u2063"
_SPACES = re.compile(r"[\s|｜]+")
_FOOTER_LINE = re.compile(r"ICP备|版权所有|Copyright|©|统一刊号|网站标识码|公网安备", re.IGNORECASE)
_INFO_LINE = re.compile(r"(发布时间|发布日期|来源|作者|字号|浏览|点击|阅读)\s*[:：]")


def _lines_after_headline(tree: Any, head_el: Any) -> tuple[list[str], list[str]]:
    """The page's text lines (block boundaries) before and after the headline element."""
    body = tree.find("body")
    root = body if body is not None else tree
    old = head_el.text
    head_el.text = _MARK + (old or "")
    try:
        text = _block_text(root)
    finally:
        head_el.text = old
    i = text.find(_MARK)
    if i < 0:
        return [], []
    before = [ln.strip() for ln in text[:i].split("\n") if ln.strip()]
    after = [ln.strip() for ln in text[i:].split("\n")[1:] if ln.strip()]
    return before, after


def _link_texts(tree: Any) -> set[str]:
    return {t for t in (normalize_inline(a.text_content()) for a in tree.iter("a")) if len(t) >= 2}


def _anchored_body(after: list[str], links: set[str]) -> str:
    """The prose right under the headline and its info line: consecutive prose lines, not links, stopping at
    the first line that is not prose (a related-links heading, 打印本页, a sidebar title). Short district news
    (a few sentences in a page of navigation, notices and footers) is found this way where whole-page
    extractors return the chrome."""
    out: list[str] = []
    skipped = 0
    for ln in after:
        info_like = len(ln) < 120 and _INFO_LINE.search(ln) is not None
        if _FOOTER_LINE.search(ln):
            break
        if _is_prose(ln) and ln not in links and not info_like and not rules.BOILERPLATE_LINE.match(ln):
            out.append(ln)
            continue
        if out:
            break
        skipped += 1
        if skipped > 8:  # the headline is far from any prose: not an article layout this rule knows
            return ""
    return normalize_text("\n".join(out))


def _trafilatura_body(html: str, url: str | None, *, precision: bool) -> str:
    import trafilatura

    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=True, include_images=False,
            favor_precision=precision, favor_recall=not precision, deduplicate=False, with_metadata=False,
        )
    except Exception:  # noqa: BLE001 - isolation: a library failure on one page falls back to density
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return ""
    return text or ""


ANCHOR_SHARE = 0.5


def _prefer_anchored(body: str, tree: Any, head_el: Any | None, title: str) -> str:
    """The prose under the headline instead of the whole-page extractors' body when the latter is mostly
    something else: the page's links, its info line, or text found before the headline (navigation, sidebars)."""
    if head_el is None:  # the headline as a plain element: the innermost one whose whole text is the title
        compact = _SPACES.sub("", title)
        body_el = tree.find("body")
        for el in (body_el.iter() if body_el is not None and compact else ()):
            if (isinstance(el.tag, str) and el.text and compact[:4] in _SPACES.sub("", el.text)
                    and _SPACES.sub("", el.text_content()) == compact):
                head_el = el  # keep descending: a child with the same text is more precise
        if head_el is None:
            return body
    before, after = _lines_after_headline(tree, head_el)
    links = _link_texts(tree)
    anchored = _anchored_body(after, links)
    if not anchored:
        return body
    before_blob = _SPACES.sub("", "".join(before))

    def chrome(line: str) -> bool:  # the page's links, its info line, boilerplate, or text before the headline
        if len(line) < 120 and _INFO_LINE.search(line):
            return True
        if len(line) < 80 and rules.BOILERPLATE_LINE.match(line.strip(" |｜")):
            return True
        tokens = [t for t in _SPACES.split(line) if t]
        return all(t in links or t in before_blob for t in tokens)

    marked = body
    for ln in anchored.split("\n"):
        marked = marked.replace(ln, "\n" + _MARK + "\n", 1)
    parts = [p.strip() for p in marked.split("\n") if p.strip()]
    compact_title = _SPACES.sub("", title)
    is_chrome = [p != _MARK and chrome(p) for p in parts]

    def isolated(i: int) -> bool:  # a sentence alone among links (a sidebar's note), not a paragraph of a text
        return all(is_chrome[j] for j in (i - 1, i + 1) if 0 <= j < len(parts))

    # what the extractors' body holds besides the anchored prose: the rest of a long article (counted), or
    # chrome (navigation, notices, info lines, boilerplate: not counted)
    extra = sum(len(p) for i, p in enumerate(parts)
                if p != _MARK and not is_chrome[i] and _is_prose(p) and not isolated(i)
                and _SPACES.sub("", p) != compact_title)
    if len(anchored) < ANCHOR_SHARE * (len(anchored) + extra) or anchored == body:
        return body
    if len(anchored) > len(body) and _prose_chars(body) >= ANCHOR_SHARE * len(anchored):
        return body  # the extractors' body is the same article, cut more tightly
    return anchored


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    encoding: str | None = None,
    now: datetime | None = None,
) -> Article:
    """Extract the article of a saved or fetched page (bytes in any encoding, or text).

    ``now`` is the fetch time that relative dates ("3分钟前") resolve against (default: now).
    Raises :class:`ExtractionError` for empty, unparseable or non-HTML input (an image, a binary file, text).
    """
    if isinstance(html, bytes):
        reason = _binary_reason(html)
        if reason:
            raise ExtractionError(reason)
    text = decode_html(html, declared=encoding)[0] if isinstance(html, bytes) else html
    reason = _text_reason(text)
    if reason:
        raise ExtractionError(reason)
    tree = parse_html(text)
    scripts = _script_dates(tree)
    _clean_tree(tree)
    page_title = _page_title(tree)
    title, head_el = _headline(tree, page_title)
    info = _info_text(tree, head_el)
    # candidates: trafilatura in precision and in recall mode, and the density block; the one with the most
    # prose wins (precision mode sometimes loses the article on portal pages, recall mode keeps link lists,
    # which _trim cuts)
    candidates = [_trafilatura_body(text, url, precision=True), _trafilatura_body(text, url, precision=False)]
    scored = [(_prose_chars(b), -i, b) for i, b in enumerate(_trim(_clean_body(c, title, info)) for c in candidates)]
    body = max(scored)[2]
    if len(_CN.findall(body)) < 30:
        dense = _clean_body(_density_body(tree), title, info)
        if len(dense) > len(body):
            body = dense
    body = _prefer_anchored(body, tree, head_el, title)
    return Article(
        title=normalize_inline(title),
        content=body,
        published_at=_date(tree, info, url, now, scripts, html=text, head_el=head_el),
        author=_author(tree, info),
    )
