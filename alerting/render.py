"""Bureau-facing messages (Simplified Chinese): alert emails (HTML + plain text), escalation reminders,
digests and webhook markdown. Pure functions of stored rows: a re-send renders nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from alerting.models import Alert, AlertPost
from alerting.texts import event_label, industry_label, main_event, platform_label, source_names
from lwcore.domain import SHANGHAI, Severity
from lwcore.settings import Settings

__all__ = ["AlertMail", "render_alert", "render_digest", "company_display", "subject_for", "fmt_time"]

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)
_COLORS = {"I": "#b00000", "II": "#d35400", "III": "#b7950b", "IV": "#555555"}
MAX_POSTS = 10


@dataclass(frozen=True)
class AlertMail:
    subject: str
    text: str
    html: str
    markdown: str


def fmt_time(t: datetime | None) -> str:
    return t.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if t else "未知"


def _amount(v: float | None) -> str:
    if v is None:
        return "未提及"
    return f"{v / 10000:,.1f}万元" if v >= 10000 else f"{v:,.0f}元"


def company_display(alert: Alert) -> str:
    return alert.company_name or (f"{alert.town}某企业" if alert.town else "未识别企业")


def subject_for(alert: Alert, *, kind: str = "new", level: Severity | None = None) -> str:
    lv = level or Severity(alert.level)
    what = event_label(main_event(alert.event_types))
    core = f"{company_display(alert)}{what}（{alert.post_count}条相关信息）"
    if kind == "raised":
        return f"【升级为{lv.label_zh}预警】{core}"
    if kind == "grown":
        return f"【事件升级·{lv.label_zh}预警续报】{core}"
    if kind == "escalation":
        return f"【逾期未确认·催办】【{lv.label_zh}预警】{core}"
    if kind == "manual_escalation":
        return f"【人工上报】【{lv.label_zh}预警】{core}"
    return f"【{lv.label_zh}预警】{core}"


def render_alert(
    settings: Settings,
    alert: Alert,
    posts: list[AlertPost],
    *,
    kind: str = "new",
    ack_link: str | None,
    verify_link: str,
    unit_name: str | None,
    notice: str | None = None,
) -> AlertMail:
    lv = Severity(alert.level)
    subject = subject_for(alert, kind=kind)
    n = settings.alerting.snippet_chars
    shown = sorted(posts, key=lambda p: p.published_at or p.added_at, reverse=True)[:MAX_POSTS]
    names = source_names(settings.config_file("sources.yaml"))
    prow = [
        {
            "url": p.url,
            "title": p.title,
            "source": names.get(p.source_id) or platform_label(p.platform) or "网络信息",
            "platform": platform_label(p.platform),
            "time": fmt_time(p.published_at or p.added_at),
            "workers": p.workers,
            "amount": _amount(p.amount_yuan) if p.amount_yuan is not None else None,
            "snippet": (p.snippet[:n] + "…") if len(p.snippet) > n else p.snippet,
        }
        for p in shown
    ]
    company_note = None
    if not alert.company_registered:
        company_note = "未在企业名录中匹配，请核实主体"
    elif alert.company_id:
        company_note = f"统一社会信用代码 {alert.company_id}" + ("，重点监管服务名单" if alert.key_supervision else "")
    headline = {
        "new": f"{lv.label_zh}预警：{company_display(alert)}",
        "raised": f"预警升级为{lv.label_zh}：{company_display(alert)}",
        "grown": f"{lv.label_zh}预警事件升级（续报）：{company_display(alert)}",
        "escalation": f"逾期未确认的{lv.label_zh}预警：{company_display(alert)}",
        "manual_escalation": f"值班人员上报的{lv.label_zh}预警：{company_display(alert)}",
    }[kind]
    ctx: dict[str, Any] = {
        "subject": subject,
        "headline": headline,
        "notice": notice,
        "color": _COLORS[lv.value],
        "level_zh": f"{lv.label_zh}（{lv.value}级）",
        "company": company_display(alert),
        "company_note": company_note,
        "event_types": "、".join(event_label(t) for t in alert.event_types) or "未分类",
        "town": alert.town,
        "industry": industry_label(alert.industry),
        "unit": unit_name,
        "post_count": alert.post_count,
        "workers": alert.workers,
        "amount": _amount(alert.amount_yuan),
        "first_seen": fmt_time(alert.first_seen),
        "deadline": fmt_time(alert.ack_deadline) if alert.ack_deadline and ack_link else None,
        "reasons": alert.reasons,
        "posts": prow,
        "ack_link": ack_link,
        "verify_link": verify_link,
        "alert_id": alert.id,
        "bureau": settings.bureau,
    }
    html = _ENV.get_template("alert_email.html").render(**ctx)
    lines = [headline, ""]
    if notice:
        lines += [notice, ""]
    lines += [
        f"预警等级：{ctx['level_zh']}",
        f"涉事企业：{ctx['company']}" + (f"（{company_note}）" if company_note else ""),
        f"事件类型：{ctx['event_types']}",
        f"所属街镇：{alert.town or '未识别'}    行业：{industry_label(alert.industry) or '未识别'}",
        f"归口单位：{unit_name or '未配置'}",
        f"相关信息：{alert.post_count}条    涉及人数：{alert.workers if alert.workers is not None else '未提及'}"
        f"    涉及金额：{ctx['amount']}",
        f"首次发现：{ctx['first_seen']}",
    ]
    if ctx["deadline"]:
        lines.append(f"确认时限：{ctx['deadline']}前，逾期将逐级上报")
    lines += ["", "定级依据："] + [f"  - {r}" for r in alert.reasons]
    lines += ["", f"相关信息（{len(prow)}/{alert.post_count}）："]
    for i, p in enumerate(prow, 1):
        extra = (f"，涉及{p['workers']}人" if p["workers"] else "") + (f"，金额{p['amount']}" if p["amount"] else "")
        lines += [
            f"{i}. {p['title'] or '（无标题）'}",
            f"   来源：{p['source']}（{p['platform']}），{p['time']}{extra}",
            f"   {p['snippet']}",
            f"   {p['url']}",
        ]
    lines.append("")
    if ack_link:
        lines.append(f"确认收到：{ack_link}")
    lines.append(f"核实处置：{verify_link}")
    lines += ["", f"预警编号 #{alert.id} · {settings.bureau}舆情监测系统自动发送"]
    md = [
        f"**{subject}**",
        f"> 等级：{ctx['level_zh']}",
        f"> 企业：{ctx['company']}",
        f"> 街镇：{alert.town or '未识别'}",
        f"> 依据：{'；'.join(alert.reasons[:3])}",
    ]
    if prow:
        md.append(f"[{prow[0]['title'] or '原文'}]({prow[0]['url']})")
    md.append(f"[核实处置]({verify_link})")
    return AlertMail(subject=subject, text="\n".join(lines), html=html, markdown="\n".join(md))


def _level_zh(level: Any) -> str:
    try:
        return Severity(str(level)).label_zh
    except ValueError:
        return str(level or "")


def render_digest(
    settings: Settings, *, kind: str, start: datetime, end: datetime, sections: list[tuple[str, list[dict[str, Any]]]]
) -> AlertMail:
    label = "小时" if kind == "hourly" else "每日"
    sections = [(title, [{**r, "level": _level_zh(r.get("level"))} for r in rows]) for title, rows in sections]
    counts = "、".join(f"{title}{len(rows)}条" for title, rows in sections)
    subject = f"【舆情预警{label}摘要】{fmt_time(start)}至{fmt_time(end)}：{counts}"
    period = f"{fmt_time(start)} 至 {fmt_time(end)}"
    html = _ENV.get_template("digest_email.html").render(
        subject=subject,
        headline=f"舆情预警{label}摘要",
        period=period,
        bureau=settings.bureau,
        sections=[{"title": t, "rows": rows} for t, rows in sections],
    )
    lines = [f"舆情预警{label}摘要", f"统计时段：{period}", ""]
    for title, rows in sections:
        lines.append(f"{title}（{len(rows)}条）：")
        lines += [
            f"  #{r['id']} [{r['level']}] {r['company']} {r['event']} {r['town']} {r['posts']}条 {r['note']}"
            f"  {r['link']}"
            for r in rows
        ] or ["  无"]
        lines.append("")
    return AlertMail(subject=subject, text="\n".join(lines), html=html, markdown="\n".join(lines[:30]))
