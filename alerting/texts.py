"""Bureau-facing vocabulary (Simplified Chinese) kept apart from logic."""

from __future__ import annotations

from laborwatch.domain import EVENT_TYPE_LABELS_ZH, INDUSTRY_LABELS_ZH, Severity

__all__ = ["EVENT_LABELS", "event_label", "level_title", "ROLE_LABELS", "CHANNEL_LABELS", "industry_label"]

#: The staff-facing type names with 疑似 ("suspected") in front: an e-mail reports what the machine suspects.
EVENT_LABELS: dict[str, str] = {k: "疑似" + v for k, v in EVENT_TYPE_LABELS_ZH.items()}

#: Which event type names the subject when a cluster has several (most serious first).
EVENT_PRIORITY: tuple[str, ...] = (
    "group_action",
    "strike_stoppage",
    "wage_arrears",
    "closure_relocation",
    "dismissal_layoff",
    "social_insurance_arrears",
    "injury_compensation",
    "other_labor",
)

ROLE_LABELS: dict[str, str] = {
    "duty_officer": "值班人员",
    "duty_backup": "备班人员",
    "duty_leader": "带班领导",
    "unit": "归口单位联系人",
    "admin": "系统管理员",
    "extra": "抄送",
}

CHANNEL_LABELS: dict[str, str] = {"email": "邮件", "webhook": "群机器人"}

def industry_label(code: str | None) -> str | None:
    """The Chinese name of an industry code; a code not in the table reads as 其他行业, Chinese text as itself."""
    if not code:
        return None
    if code in INDUSTRY_LABELS_ZH:
        return INDUSTRY_LABELS_ZH[code]
    return "其他行业" if code.isascii() else code


def event_label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def main_event(event_types: list[str] | tuple[str, ...]) -> str:
    for t in EVENT_PRIORITY:
        if t in event_types:
            return t
    return "other_labor"


def level_title(level: Severity) -> str:
    return f"{level.label_zh}预警"
