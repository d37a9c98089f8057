"""Chinese sentences for the errors other rooms raise in English (the ledger's field validation, workflow and
locking errors, alerting's acknowledgement errors), so no English reason reaches a page."""

from __future__ import annotations

import re
from typing import Any

from laborwatch.web.labels import DisplayNames

__all__ = ["zh_error", "has_chinese"]

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: (pattern of the English reason, Chinese reason); the first match wins.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), zh)
    for p, zh in (
        (r"must not be empty|^required$", "不能为空"),
        (r"not a (whole )?number of people", "须为人数（整数，如 30）"),
        (r"not a date|use YYYY-MM-DD", "日期格式无效（应为 年-月-日，如 2026-03-10）"),
        (r"not (a valid|an) amount|amount out of range", "须为金额（元，如 300000）"),
        (r"too long", "内容过长"),
        (r"out of range", "超出允许范围"),
        (r"unknown risk level", "风险等级无效（一级至四级）"),
        (r"is in the future", "不能晚于当前时间"),
        (r"timezone-aware", "时间无效"),
        (r"unknown (incident )?status", "状态无效"),
        (r"unknown stage", "处置节点无效"),
        (r"already open for (the same )?event", "同一事件已有在办台账，请在该台账中办理"),
        (r"at most \d+ characters", "内容过长"),
        (r"nothing to (change|do)", "没有需要修改的内容"),
    )
)


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def _reason(reason: str) -> str:
    for pattern, zh in _REASONS:
        if pattern.search(reason):
            return zh
    return reason if has_chinese(reason) and not re.search(r"[A-Za-z]{4,}", reason) else "无效"


def zh_error(exc: BaseException, names: DisplayNames | None = None) -> str:
    """The reason of ``exc`` as one Chinese sentence for a page (never the English text)."""
    names = names or DisplayNames()
    kind = type(exc).__name__
    attrs: dict[str, Any] = vars(exc) if hasattr(exc, "__dict__") else {}
    if kind == "ValidationError" and "field" in attrs:
        field = names.field(str(attrs["field"]).split("/")[0]) or "输入"
        return f"{field}{_reason(str(attrs.get('reason', '')))}"
    if kind == "InvalidTransition":
        reason = str(attrs.get("reason", ""))
        if "一人一案一策" in reason:
            missing = reason.split("set", 1)[-1].replace("first", "")
            fields = "、".join(names.field(f.strip()) for f in missing.split(",") if f.strip())
            why = f"转入化解前须先填写：{fields}（一人一案一策）"
        elif "already in that status" in reason:
            why = "已处于该状态"
        elif "note" in reason:
            why = "办结或重新打开时须填写说明"
        elif "allowed next" in reason:
            why = "当前状态下只能变更为：" + reason.split(":", 1)[-1].strip()
        else:
            why = _reason(reason)
        return f"不能由「{attrs.get('from_status')}」变更为「{attrs.get('to_status')}」：{why}"
    if kind == "InvalidStep":
        reason = str(attrs.get("reason", ""))
        if "settled" in reason:
            why = "该事件已平息，不能再记录节点"
        elif "already recorded" in reason:
            why = "该节点已记录过"
        elif "comes before" in reason or "before the previous" in reason:
            why = "节点顺序或时间早于上一节点"
        else:
            why = "接报节点在登记事件时已记录" if "接报" in reason else _reason(reason)
        return f"处置节点「{attrs.get('stage')}」未记录：{why}"
    if kind == "StaleVersion":
        return "该记录已被他人修改，请刷新页面后重新填写。"
    if kind == "AlertAlreadyLinked":
        return f"该预警已关联台账 {attrs.get('case_number')}。"
    if kind == "NotFound":
        return "记录不存在或已被删除。"
    if kind == "SearchQueryError" and "goes past the first" in str(exc):
        return "只能翻阅前 10,000 条检索结果。请增加关键词、选择筛选条件或缩小时间范围后再查看。"
    if kind == "SecretKeyMissing":
        return "系统未配置签名密钥（环境变量 LW_SECRET_KEY），无法发出带签收链接的通知，请联系系统管理员。"
    if kind == "AccountError":
        return str(attrs.get("zh") or "账号操作无效")
    text = str(exc)
    if has_chinese(text):
        # keep the Chinese part of bilingual messages such as "确认链接已过期 (acknowledgement link expired)"
        return re.sub(r"\s*\([A-Za-z][^)]*\)", "", text)
    return "操作未完成，请检查填写的内容后重试。"
