"""Chinese display names for codes shown to bureau staff (event types, levels, statuses)."""

from __future__ import annotations

from datetime import datetime

from laborwatch.domain import EVENT_TYPE_LABELS_ZH, SHANGHAI

__all__ = [
    "EVENT_TYPE_LABELS",
    "LEVEL_LABELS",
    "ALERT_STATUS_LABELS",
    "ALERT_EVENT_LABELS",
    "VERIFICATION_LABELS",
    "fmt_time",
    "label",
]

EVENT_TYPE_LABELS: dict[str, str] = EVENT_TYPE_LABELS_ZH

LEVEL_LABELS: dict[str, str] = {"I": "一级", "II": "二级", "III": "三级", "IV": "四级"}

ALERT_STATUS_LABELS: dict[str, str] = {"open": "待签收", "acknowledged": "已签收", "closed": "已关闭"}

ALERT_EVENT_LABELS: dict[str, str] = {
    "created": "生成预警",
    "updated": "新增信息",
    "level_raised": "级别提高",
    "notified": "已通知",
    "acknowledged": "已签收",
    "ack_repeated": "重复签收",
    "escalation_requested": "申请升级",
    "escalated": "逐级上报",
    "escalation_exhausted": "逐级上报后仍未签收",
    "snoozed": "静默",
    "routing_problem": "通知对象缺失",
    "incident_opened": "登记突发事件",
    "merged": "并入其他预警",
    "merged_into": "已并入其他预警",
    "post_moved_out": "帖子移出",
    "post_moved_in": "帖子移入",
}

VERIFICATION_LABELS: dict[str, str] = {
    "pending": "未核实",
    "confirmed": "已确认",
    "dismissed": "已排除",
    "confirm": "已确认",
    "not_dispute": "排除：非劳动争议",
    "duplicate": "排除：重复",
    "outside_district": "排除：非本辖区",
    "correct": "已更正",
}


def fmt_time(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in Asia/Shanghai for display; '' for None; ISO strings accepted."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    if value.tzinfo is None:
        return value.strftime(fmt)
    return value.astimezone(SHANGHAI).strftime(fmt)


def label(code: str | None, table: dict[str, str]) -> str:
    if code is None:
        return ""
    return table.get(str(code), str(code))
