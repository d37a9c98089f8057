"""Data for article extraction on Chinese sites (kept apart from the logic in :mod:`crawlers.extract`)."""

from __future__ import annotations

import re

#: <meta> names/properties that hold the publish time, most trusted first.
DATE_META = (
    "article:published_time", "og:article:published_time", "og:release_date", "publishdate", "pubdate",
    "publish_date", "publishtime", "publish-time", "ptime", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "weibo:article:create_at", "firstpublishedtime", "date", "created", "pubtime",
    "og:published_time", "published_time", "datepublished", "publication_date", "citation_publication_date",
    "parsely-pub-date",
)
#: JSON-LD / microdata keys of the publish time, most trusted first ("pubDate" is Baidu's cambrian JSON-LD).
JSONLD_DATE_KEYS = ("datePublished", "pubDate", "dateCreated", "uploadDate", "dateModified")
#: Labels that introduce the publish time on an info line ("发布时间：2019-08-12 10:30").
#: An update time ("更新时间", "修改时间") is not the publish time, hence the look-behinds.
DATE_LABEL = re.compile(
    r"(?<!更新)(?<!修改)(?:发布时间|发布日期|发表时间|发表日期|发稿时间|发布于|发表于|时间|日期)\s*[:：]?\s*"
)
#: Publish-time variables in inline scripts (``window.DATA = {"pubtime": "2019-09-07 19:02:26"}``,
#: ``var publish_time = 1567850546``); the value is a quoted string or epoch seconds/milliseconds.
SCRIPT_DATE = re.compile(
    r"""["']?\b(?:pubtime|pub_time|pubDate|pub_date|publishTime|publish_time|publishDate|publish_date|"""
    r"""publishedAt|published_at|datePublished|releaseTime|release_time|ptime|firstPublishTime)\b["']?"""
    r"""\s*[:=]\s*(?:["'](?P<s>[^"'\n]{6,40})["']|(?P<n>\d{10}(?:\d{3})?)\b)""",
)
#: Ancestors of a <time> that mark a list of other articles (related links, rankings), not the article's own.
TIME_LIST_ANCESTORS = ("li", "nav", "footer")

AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "byline", "contentsource")

#: Class/id fragments of elements that carry the "info line" (date, source, author) under a headline.
INFO_HINT = re.compile(r"(time|date|pub|info|source|meta|author|byline|attr|tip|detail_?t|article-?t|ly|xx)",
                       re.IGNORECASE)

#: Lines that are never part of an article body.
BOILERPLATE_LINE = re.compile(
    r"^(?:责任编辑|责编|编辑|审核|校对|监制|值班编辑|来源|稿源|作者|记者|原标题|本文来源|文章来源|图片来源|摄影|"
    r"\[?纠错\]?|【纠错】|打印|关闭窗口|分享到|分享|收藏|点赞|评论|举报|字号|扫一扫|扫描二维码|返回顶部|"
    r"上一篇|下一篇|上一条|下一条|声明|免责声明|版权声明|Copyright|©|相关阅读|相关新闻|相关链接|延伸阅读|热门推荐|"
    r"猜你喜欢|推荐阅读|更多精彩|点击进入|点击查看|阅读原文|阅读全文|展开全文|查看更多|关注我们|微信扫码)"
    r"(?:[\s:：/|]|$)",
    re.IGNORECASE,
)
#: A line that starts a trailing block (related links, comments) to cut the body at.
TAIL_MARKER = re.compile(
    r"^(?:相关阅读|相关新闻|相关链接|相关推荐|延伸阅读|热门推荐|猜你喜欢|推荐阅读|热点推荐|网友评论|评论列表|"
    r"最新评论|我要评论|发表评论|全部评论|精彩评论|更多新闻|往期回顾|热门文章|排行榜)\s*[:：]?\s*$"
    r"|^(?:网友评论仅供其表达个人看法|本文系.{0,20}独家稿件|未经授权.{0,10}不得转载|特别声明[：:]|免责声明[：:])"
)
#: Short lines that are share/nav widgets when they appear on their own.
WIDGET_LINE = re.compile(r"^(?:微信|微博|QQ空间|QQ|复制链接|qq|wechat|weibo|\d+|[|｜/·•\s]+)$")

AUTHOR_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:作者|文|撰文|作\s*者)\s*[：:/／|]\s*(?P<a>[\u4e00-\u9fa5A-Za-z·&]{2,12}(?:[ 、，,]+[\u4e00-\u9fa5]{2,4}){0,4})"),
    re.compile(r"(?:本报|本台|本网|新华社|人民网|中新网)?记者\s*[：:]?\s*(?P<a>[\u4e00-\u9fa5]{2,4}(?:[ 、，,]+[\u4e00-\u9fa5]{2,4}){0,4})"),
    re.compile(r"(?:发布者|发帖人|楼主|通讯员)\s*[：:]\s*(?P<a>[\u4e00-\u9fa5A-Za-z0-9_&·]{2,16})"),
)
#: Words that follow a name on an info line and end it (so "记者 张三 摄影 李四" stops at 张三 for "记者").
AUTHOR_STOP = re.compile(r"(来源|发布|时间|日期|编辑|责任|摄|报道|通讯员|浏览|阅读|点击|字号|\d)")
NOT_AUTHOR = {"未知", "佚名", "本站", "admin", "管理员", "来源", "编辑", "记者", "报道", "发布", "时间", "网友"}

TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—{1,2}|–| - )\s*")
