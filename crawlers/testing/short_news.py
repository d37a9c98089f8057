"""A second local news site: short district news (a few sentences each) in the layouts district portals use.

Everything is invented. 18 articles in six layouts (a table-based government portal, a TRS-CMS ``#zoom`` body
with ``<br>`` lines, spans in nested divs, an image with a one-paragraph caption-like body, ``<font>`` paragraphs,
a ``<section>`` mobile page), each wrapped in the chrome that makes short bodies hard: long navigation, a
notices sidebar written in full sentences, related links, and a long footer. ``SHORT_NEWS`` holds the gold
(title, body paragraphs, date, author); :func:`render` returns a page. Used by the extraction tests and by
``bench/extract_bench.py`` as its own slice.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["SHORT_NEWS", "LAYOUTS", "render", "short_news_cases"]

SHORT_NEWS: list[dict[str, Any]] = [
    {"title": "白鹤镇开展根治欠薪冬季专项行动", "date": "2024-11-20", "author": "",
     "body": ["11月19日，白鹤镇劳动保障监察中队对辖区12个在建工地开展根治欠薪冬季专项检查。",
              "检查发现2家企业未按月足额支付工资，已当场责令整改。"]},
    {"title": "练塘镇调解一起农民工工资纠纷", "date": "2024-11-18", "author": "沈洁",
     "body": ["近日，练塘镇人民调解委员会成功调解一起涉及15名农民工的工资纠纷，帮助工人拿回工资21万元。"]},
    {"title": "金泽镇举办春风行动专场招聘会", "date": "2024-02-26", "author": "",
     "body": ["2月25日，金泽镇春风行动专场招聘会在镇社区事务受理服务中心举行。",
              "35家企业提供岗位600余个，现场达成初步就业意向160人。"]},
    {"title": "朱家角镇一服装厂拖欠工资问题得到解决", "date": "2024-10-09", "author": "陆文",
     "body": ["日前，朱家角镇一服装厂30余名员工反映被拖欠两个月工资。",
              "镇劳动保障所约谈企业负责人后，企业于10月8日将拖欠的工资全部发放到位。"]},
    {"title": "赵巷镇开展劳动合同法宣传进企业活动", "date": "2024-09-05", "author": "",
     "body": ["9月4日，赵巷镇人社部门走进辖区企业开展劳动合同法宣传，发放宣传资料300余份，现场解答职工咨询40余人次。"]},
    {"title": "夏阳街道劳动监察约谈三家物业公司", "date": "2024-08-21", "author": "顾琳",
     "body": ["8月20日，夏阳街道劳动保障监察中队约谈辖区三家物业公司负责人。",
              "约谈内容涉及保洁人员加班费和社会保险缴纳问题，三家公司均表示将在一个月内整改到位。"]},
    {"title": "盈浦街道为困难职工发放慰问金", "date": "2024-01-30", "author": "",
     "body": ["春节前夕，盈浦街道总工会走访慰问辖区困难职工86户，发放慰问金和慰问品共计12万元。"]},
    {"title": "香花桥街道处置一起工资集体讨要事件", "date": "2024-07-15", "author": "王磊",
     "body": ["7月14日上午，香花桥街道一物流企业20余名员工聚集讨要工资。",
              "街道接报后立即协调企业与员工代表协商，当天下午企业支付了拖欠的6月工资。",
              "街道将持续关注该企业后续经营情况。"]},
    {"title": "华新镇完成年度劳动用工书面审查", "date": "2024-06-28", "author": "",
     "body": ["截至6月27日，华新镇已完成辖区1200余家用人单位的劳动保障年度书面审查，审查率达98%。"]},
    {"title": "徐泾镇一餐饮企业补缴职工社保", "date": "2024-05-17", "author": "许敏",
     "body": ["经徐泾镇劳动保障监察中队督促，一餐饮企业于5月16日为18名职工补缴了今年1月至4月的社会保险费。"]},
    {"title": "重固镇开展欠薪隐患排查", "date": "2024-04-12", "author": "",
     "body": ["4月11日起，重固镇对辖区建设工程项目开展为期一个月的欠薪隐患排查。",
              "重点检查实名制管理、工资专用账户和农民工工资保证金落实情况。"]},
    {"title": "青浦工业园区举办劳动关系协调员培训", "date": "2024-03-22", "author": "杨帆",
     "body": ["3月21日，青浦工业园区举办企业劳动关系协调员培训班，60余家企业的人事负责人参加培训。"]},
    {"title": "区人社局公布第二批重大劳动保障违法行为", "date": "2024-10-30", "author": "",
     "body": ["10月29日，区人社局向社会公布第二批重大劳动保障违法行为，涉及拖欠劳动报酬企业4家。",
              "相关企业已被列入失信联合惩戒名单。"]},
    {"title": "白鹤镇一建筑工地工人讨薪获妥善处理", "date": "2024-12-03", "author": "钱晨",
     "body": ["12月2日，白鹤镇一建筑工地10余名工人到镇信访办反映工资被拖欠。",
              "镇劳动保障监察中队当日约谈总承包单位，总承包单位先行垫付工资8万元。"]},
    {"title": "练塘镇举办退役军人专场招聘", "date": "2024-08-01", "author": "",
     "body": ["7月31日，练塘镇举办退役军人专场招聘活动，20家企业提供岗位150个。"]},
    {"title": "金泽镇一企业停产 镇里协调员工安置", "date": "2024-09-26", "author": "唐颖",
     "body": ["因订单不足，金泽镇一电子配件企业宣布9月底停产，涉及员工52人。",
              "镇人社部门已指导企业依法支付经济补偿，并为有就业意愿的员工推荐岗位。"]},
    {"title": "朱家角镇开展工伤预防宣传", "date": "2024-06-06", "author": "",
     "body": ["6月5日，朱家角镇在辖区制造业企业开展工伤预防宣传活动，发放工伤预防手册500余册。"]},
    {"title": "赵巷镇妥善处置一起劳务纠纷", "date": "2024-11-08", "author": "周游",
     "body": ["11月7日，赵巷镇一装修公司8名工人因工资结算问题与公司发生纠纷。",
              "经镇调解委员会调解，双方当场达成协议，公司支付工资4.6万元。"]},
]

_NAV = "".join(f'<a href="/col/{i}/index.html">{n}</a> ' for i, n in enumerate(
    ["首页", "政务公开", "政务服务", "互动交流", "走进青浦", "新闻中心", "镇街动态", "部门动态", "通知公告", "政策解读",
     "人事信息", "专题专栏", "数据发布", "办事指南", "信息公开目录"]))
_NOTICES = (
    "<div class='sidebar notices'><h3>通知公告</h3><ul>"
    "<li><a href='/n/1.html'>关于2024年度青浦区企业职工最低工资标准调整的通知，请各用人单位按照新标准执行并做好宣传工作。</a></li>"
    "<li><a href='/n/2.html'>关于开展2024年度劳动保障书面审查工作的公告，请各单位于规定时间内登录系统完成申报。</a></li>"
    "<li><a href='/n/3.html'>青浦区人力资源和社会保障局关于公开招聘社区劳动保障协管员的公告（第二批）。</a></li>"
    "</ul><p>办事咨询请拨打服务热线12333，工作日上午9:00至下午5:00，节假日除外，感谢您的理解与支持。</p></div>"
)
_RELATED = ("<div class='related'><h3>相关新闻</h3><ul>" + "".join(
    f"<li><a href='/r/{i}.html'>{t}</a><span>2024-0{i + 1}-1{i}</span></li>" for i, t in enumerate(
        ["青浦区召开根治欠薪工作推进会", "区人社局开展劳动保障法律宣传周活动", "青浦区发布2024年就业促进计划",
         "我区举办人力资源服务产业园开园仪式"])) + "</ul></div>")
_FOOTER = ("<div class='footer'><p>主办单位：上海市青浦区人民政府办公室　承办单位：上海市青浦区大数据中心</p>"
           "<p>地址：上海市青浦区公园路100号　邮编：201700　联系电话：021-00000000</p>"
           "<p>沪ICP备00000000号　沪公网安备00000000000000号　网站标识码：0000000000</p>"
           "<p>建议使用1366×768分辨率浏览本站，为了获得更好的浏览效果，建议使用新版浏览器访问本网站。</p></div>")


def _info(a: dict[str, Any], sep: str = "　") -> str:
    parts = [f"发布时间：{a['date']}", "来源：青浦区人社局"]
    if a["author"]:
        parts.append(f"作者：{a['author']}")
    return sep.join(parts) + sep + "字号：[大 中 小]"


def _esc(t: str) -> str:
    return html.escape(t)


def _table(a: dict[str, Any]) -> str:
    paras = "".join(f"<p style='text-indent:2em'>{_esc(p)}</p>" for p in a["body"])
    return (f"<table width='1000'><tr><td colspan='2'>{_NAV}</td></tr><tr><td width='260'>{_NOTICES}</td><td>"
            f"<table><tr><td class='title' align='center'><b>{_esc(a['title'])}</b></td></tr>"
            f"<tr><td class='info' align='center'>{_info(a)}</td></tr>"
            f"<tr><td class='content'>{paras}</td></tr>"
            f"<tr><td>【<a href='javascript:print()'>打印本页</a>】【<a href='javascript:close()'>关闭窗口</a>】</td></tr>"
            f"</table></td></tr></table>{_RELATED}{_FOOTER}")


def _zoom(a: dict[str, Any]) -> str:
    lines = "<br/>".join("　　" + _esc(p) for p in a["body"])
    return (f"<div class='nav'>{_NAV}</div><div class='main'><div class='detail'><h1>{_esc(a['title'])}</h1>"
            f"<div class='fbxx'>{_info(a)}</div><div id='zoom'>{lines}</div></div>{_NOTICES}</div>"
            f"{_RELATED}{_FOOTER}")


def _trs(a: dict[str, Any]) -> str:
    spans = "".join(f"<div><span style='font-size:16px'>{_esc(p)}</span></div>" for p in a["body"])
    return (f"<div class='top'>{_NAV}</div><div class='position'>当前位置：首页 &gt; 新闻中心 &gt; 镇街动态</div>"
            f"<div class='article'><div class='art-title'>{_esc(a['title'])}</div>"
            f"<div class='art-info'>{_info(a, ' | ')}</div><div class='TRS_Editor'>{spans}</div>"
            f"<div class='share'>分享到：微信 微博</div></div>{_NOTICES}{_RELATED}{_FOOTER}")


def _image(a: dict[str, Any]) -> str:
    paras = "".join(f"<p>{_esc(p)}</p>" for p in a["body"])
    return (f"<header>{_NAV}</header><main><article><h2 class='news-title'>{_esc(a['title'])}</h2>"
            f"<p class='meta'>{_info(a)}</p><div class='news-body'><p style='text-align:center'>"
            f"<img src='/img/{len(a['title'])}.jpg'></p>{paras}</div></article>"
            f"<aside>{_NOTICES}</aside></main>{_RELATED}{_FOOTER}")


def _font(a: dict[str, Any]) -> str:
    paras = "".join(f"<p><font face='宋体' size='3'>{_esc(p)}</font></p>" for p in a["body"])
    return (f"<div id='header'>{_NAV}</div><div id='container'><div id='left'>{_NOTICES}</div><div id='right'>"
            f"<div id='ArticleTitle'>{_esc(a['title'])}</div><div id='ArticleInfo'>{_info(a)}</div>"
            f"<div id='ArticleContent'>{paras}</div></div></div>{_RELATED}{_FOOTER}")


def _section(a: dict[str, Any]) -> str:
    paras = "".join(f"<section><p>{_esc(p)}</p></section>" for p in a["body"])
    return (f"<div class='m-nav'>{_NAV}</div><section class='m-article'><h1>{_esc(a['title'])}</h1>"
            f"<section class='m-info'>{_info(a)}</section><section class='m-body'>{paras}</section></section>"
            f"{_RELATED}{_NOTICES}{_FOOTER}")


LAYOUTS = {"table": _table, "zoom": _zoom, "trs": _trs, "image": _image, "font": _font, "section": _section}


def render(i: int) -> tuple[str, str]:
    """(layout name, page HTML) of article ``i`` (layouts take turns)."""
    a = SHORT_NEWS[i]
    name = list(LAYOUTS)[i % len(LAYOUTS)]
    body = LAYOUTS[name](a)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_esc(a['title'])}_青浦区人民政府</title>"
            f"</head><body>{body}</body></html>")
    return name, page


def short_news_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(page name, HTML, gold) for every short article."""
    out = []
    for i, a in enumerate(SHORT_NEWS):
        layout, page = render(i)
        out.append((f"short{i:02d}-{layout}", page, a))
    return out
