"""The briefing as a Word document in the layout bureaus use for a 舆情日报/周报: a red masthead, the issuing
office and date under it, a red rule, then numbered sections (一、总体情况 …) in 仿宋 body text, the trend chart,
and the 内部资料 note at the end. Built with python-docx; every text is plain text (nothing is evaluated)."""

from __future__ import annotations

import io
from typing import Any

from laborwatch.web.briefing import Briefing, trend_chart_png
from laborwatch.web.labels import ALERT_STATUS_LABELS, LEVEL_LABELS, fmt_time

__all__ = ["briefing_docx"]

_RED = "C00000"
_TITLE_FONT = "方正小标宋简体"
_HEADING_FONT = "黑体"
_BODY_FONT = "仿宋_GB2312"


def _font(run: Any, name: str, size_pt: float, *, bold: bool = False, color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _red_rule(paragraph: Any) -> None:
    """A red line under the masthead (the paragraph's bottom border)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", _RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def briefing_docx(b: Briefing) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    def para(text: str = "", *, size: float = 16, font: str = _BODY_FONT, bold: bool = False,
             align: Any = None, color: str | None = None, indent: bool = False) -> Any:
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing = Pt(28)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if text:
            _font(p.add_run(text), font, size, bold=bold, color=color)
        return p

    para(b.masthead, size=26, font=_TITLE_FONT, color=_RED,
         align=WD_ALIGN_PARAGRAPH.CENTER)
    rule = para(f"{b.bureau}　　　　{b.period_label}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(rule)
    para()

    def heading(text: str) -> None:
        para(text, font=_HEADING_FONT)

    heading("一、总体情况")
    monitored = f"共监测网络信息{b.monitored_posts}条，" if b.monitored_posts is not None else ""
    para(f"{b.period_label}，{monitored}发现涉劳动争议信息{b.evidence_total}条，形成预警{b.alerts_total}起"
         + ("（" + "、".join(f"{k}{n}起" for k, n in b.by_level if n) + "）" if b.alerts_total else "")
         + f"；新登记矛盾纠纷台账{b.new_cases}件，办结{b.closed_cases}件，在办{b.open_cases}件，"
         f"其中超期{b.overdue_total}件；突发事件{len(b.incidents)}起。", indent=True)
    if b.by_type:
        para("从事件类型看，" + "，".join(f"{k}{n}起" for k, n in b.by_type) + "。", indent=True)
    if b.by_town:
        para("从街镇分布看，" + "，".join(f"{k}{n}起" for k, n in b.by_town[:8]) + "。", indent=True)
    if b.by_source:
        para("从信息来源看，" + "，".join(f"{k}{n}条" for k, n in b.by_source[:8]) + "。", indent=True)
    if b.index_note:
        para(b.index_note, size=12, indent=True)
    chart = doc.add_paragraph()
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    chart.add_run().add_picture(io.BytesIO(trend_chart_png(b)), width=Cm(15))

    heading("二、重点事件")
    if not b.top_events:
        para("本期无预警。", indent=True)
    for i, e in enumerate(b.top_events, start=1):
        facts = [LEVEL_LABELS.get(e["level"], "") + "预警", e.get("company") or "", e.get("town") or "",
                 e.get("types") or "", f"信息{e['posts']}条"]
        if e.get("workers"):
            facts.append(f"涉及约{e['workers']}人")
        facts.append(ALERT_STATUS_LABELS.get(e.get("status") or "", ""))
        para(f"{i}. {e['title']}（" + "，".join(f for f in facts if f) + f"；首次发现{fmt_time(e['first_seen'])}）。",
             indent=True)

    heading("三、矛盾纠纷台账办理情况")
    if b.open_cases:
        para("在办台账：" + "，".join(f"{k}{n}件" for k, n in b.open_by_status if n) + "。", indent=True)
    if b.overdue_cases:
        items = [f"{c.number} {c.title}（责任人{c.responsible_person or '未明确'}，时限{c.deadline}）"
                 for c in b.overdue_cases]
        more = f"等{b.overdue_total}件" if b.overdue_total > len(items) else ""
        para("超期未化解：" + "；".join(items) + more + "。", indent=True)
    else:
        para("无超期台账。", indent=True)
    if b.overdue_visits:
        from laborwatch.web.briefing import visit_line

        lines = "；".join(visit_line(v) for v in b.overdue_visits)
        para(f"重点监管企业逾期未走访{len(b.overdue_visits)}企业·周：{lines}。", indent=True)

    heading("四、突发事件")
    if b.incidents:
        for i, inc in enumerate(b.incidents, start=1):
            para(f"{i}. {inc.number} {inc.title}（{inc.status_label}）。", indent=True)
    else:
        para("本期无突发事件。", indent=True)

    para()
    para(f"（内部资料　注意保存）　　生成时间：{fmt_time(b.generated_at)}", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
