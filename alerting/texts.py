"""Bureau-facing vocabulary (Simplified Chinese) kept apart from logic."""

from __future__ import annotations

import logging
from typing import Any

from lwcore.domain import EVENT_TYPE_LABELS_ZH, EVENT_TYPES, INDUSTRY_LABELS_ZH, PLATFORM_LABELS_ZH, Severity

logger = logging.getLogger(__name__)

__all__ = ["EVENT_LABELS", "event_label", "level_title", "ROLE_LABELS", "industry_label",
           "platform_label", "source_names"]

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
if sorted(EVENT_PRIORITY) != sorted(EVENT_TYPES):  # a type left out would name e-mails "other_labor" silently
    raise RuntimeError(
        f"alerting.texts.EVENT_PRIORITY must list every lwcore.domain.EVENT_TYPES once: "
        f"missing {sorted(set(EVENT_TYPES) - set(EVENT_PRIORITY))}, "
        f"unknown {sorted(set(EVENT_PRIORITY) - set(EVENT_TYPES))}"
    )

ROLE_LABELS: dict[str, str] = {
    "duty_officer": "值班人员",
    "duty_backup": "备班人员",
    "duty_leader": "带班领导",
    "unit": "归口单位联系人",
    "admin": "系统管理员",
    "extra": "抄送",
    "group": "工作群",
}

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


def platform_label(code: str | None) -> str:
    if not code:
        return ""
    return PLATFORM_LABELS_ZH.get(code) or ("其他平台" if code.isascii() else code)


def source_names(path: Any) -> dict[str, str]:
    """Source id -> the name the operator gave it in sources.yaml ({} when the file cannot be read)."""
    from lwcore.settings import load_yaml

    try:
        data = load_yaml(path)
    except Exception:  # noqa: BLE001 - names are a courtesy in the e-mail: fall back to the platform name
        logger.warning("cannot read source names from %s", path)
        return {}
    items = (data or {}).get("sources") or [] if isinstance(data, dict) else []
    return {str(i["id"]): str(i["name"]) for i in items if isinstance(i, dict) and i.get("id") and i.get("name")}
