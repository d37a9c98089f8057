"""Bureau-facing vocabulary (Simplified Chinese) kept apart from logic."""

from __future__ import annotations

from laborwatch.domain import Severity

__all__ = ["EVENT_LABELS", "event_label", "level_title", "ROLE_LABELS", "CHANNEL_LABELS"]

EVENT_LABELS: dict[str, str] = {
    "wage_arrears": "疑似拖欠工资",
    "social_insurance_arrears": "疑似欠缴社保",
    "dismissal_layoff": "疑似违法裁员解雇",
    "strike_stoppage": "疑似停工罢工",
    "closure_relocation": "疑似关停搬迁",
    "group_action": "疑似群体性事件",
    "injury_compensation": "疑似工伤赔偿纠纷",
    "other_labor": "疑似劳动纠纷",
}

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


def event_label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def main_event(event_types: list[str] | tuple[str, ...]) -> str:
    for t in EVENT_PRIORITY:
        if t in event_types:
            return t
    return "other_labor"


def level_title(level: Severity) -> str:
    return f"{level.label_zh}预警"
