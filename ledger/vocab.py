"""The ledger's vocabulary: case statuses, incident stages, risk levels and dispute types, with the Chinese
labels bureau staff read, and tolerant parsers for what staff type (CLI, imported Excel ledgers).
"""

from __future__ import annotations

import re
from enum import StrEnum

from lwcore.domain import EVENT_TYPE_LABELS_ZH, EVENT_TYPES, Severity

from .errors import ValidationError

__all__ = [
    "CaseStatus",
    "CaseSource",
    "IncidentStage",
    "IncidentStatus",
    "RiskLevel",
    "DISPUTE_TYPE_LABELS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "parse_status",
    "parse_risk_level",
    "parse_stage",
    "parse_dispute_types",
    "dispute_types_zh",
    "risk_label",
]

#: Risk levels are the graded-response levels of the whole project (I most severe .. IV).
RiskLevel = Severity


class CaseStatus(StrEnum):
    """Case workflow: 待核实 -> 核实中 -> 化解中 -> 已化解, or 不属实 once verification finds nothing."""

    PENDING = "pending"  # 待核实
    VERIFYING = "verifying"  # 核实中
    RESOLVING = "resolving"  # 化解中
    RESOLVED = "resolved"  # 已化解
    UNFOUNDED = "unfounded"  # 不属实

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


_STATUS_ZH = {
    CaseStatus.PENDING: "待核实",
    CaseStatus.VERIFYING: "核实中",
    CaseStatus.RESOLVING: "化解中",
    CaseStatus.RESOLVED: "已化解",
    CaseStatus.UNFOUNDED: "不属实",
}

OPEN_STATUSES: frozenset[CaseStatus] = frozenset({CaseStatus.PENDING, CaseStatus.VERIFYING, CaseStatus.RESOLVING})

#: Allowed status changes. The two "back" edges reopen a closed case (a relapse, or new evidence) and
#: need a note, like every change into a closed status.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.PENDING: frozenset({CaseStatus.VERIFYING, CaseStatus.UNFOUNDED}),
    CaseStatus.VERIFYING: frozenset({CaseStatus.RESOLVING, CaseStatus.UNFOUNDED}),
    CaseStatus.RESOLVING: frozenset({CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.RESOLVING}),
    CaseStatus.UNFOUNDED: frozenset({CaseStatus.VERIFYING}),
}


class CaseSource(StrEnum):
    ALERT = "alert"  # from a verified alert
    MANUAL = "manual"  # entered by hand
    IMPORT = "import"  # imported from an existing Excel ledger

    @property
    def label_zh(self) -> str:
        return {"alert": "舆情预警", "manual": "人工登记", "import": "台账导入"}[self.value]


class IncidentStage(StrEnum):
    """Timeline of a group incident (突发事件), in order."""

    RECEIVED = "received"  # 接报
    REPORTED = "reported"  # 报告上级
    ON_SCENE = "on_scene"  # 到场
    HANDLING = "handling"  # 处置
    SETTLED = "settled"  # 平息

    @property
    def label_zh(self) -> str:
        return _STAGE_ZH[self]

    @property
    def order(self) -> int:
        return list(IncidentStage).index(self)

    @property
    def repeatable(self) -> bool:
        """Several reports to superiors and several handling actions are normal; the rest happen once."""
        return self in (IncidentStage.REPORTED, IncidentStage.HANDLING)


_STAGE_ZH = {
    IncidentStage.RECEIVED: "接报",
    IncidentStage.REPORTED: "报告上级",
    IncidentStage.ON_SCENE: "到场",
    IncidentStage.HANDLING: "处置",
    IncidentStage.SETTLED: "平息",
}


class IncidentStatus(StrEnum):
    OPEN = "open"  # 处置中
    SETTLED = "settled"  # 已平息

    @property
    def label_zh(self) -> str:
        return {"open": "处置中", "settled": "已平息"}[self.value]


DISPUTE_TYPE_LABELS: dict[str, str] = EVENT_TYPE_LABELS_ZH  # the names staff see everywhere

# What staff write in existing ledgers, mapped to event type codes. Longest match first.
_DISPUTE_ALIASES: dict[str, str] = {
    **{v: k for k, v in DISPUTE_TYPE_LABELS.items()},
    **{k: k for k in EVENT_TYPES},
    "欠薪": "wage_arrears",
    "拖欠工资": "wage_arrears",
    "工资拖欠": "wage_arrears",
    "欠发工资": "wage_arrears",
    "讨薪": "wage_arrears",
    "欠缴社保": "social_insurance_arrears",
    "社保欠缴": "social_insurance_arrears",
    "未缴社保": "social_insurance_arrears",
    "社会保险": "social_insurance_arrears",
    "社保": "social_insurance_arrears",
    "裁员": "dismissal_layoff",
    "辞退": "dismissal_layoff",
    "解除劳动合同": "dismissal_layoff",
    "经济补偿": "dismissal_layoff",
    "停工": "strike_stoppage",
    "罢工": "strike_stoppage",
    "停产": "closure_relocation",
    "关停": "closure_relocation",
    "倒闭": "closure_relocation",
    "搬迁": "closure_relocation",
    "停业": "closure_relocation",
    "群体性事件": "group_action",
    "群体事件": "group_action",
    "集体上访": "group_action",
    "聚集": "group_action",
    "工伤": "injury_compensation",
    "其他": "other_labor",
}

_STATUS_ALIASES: dict[str, CaseStatus] = {
    **{s.value: s for s in CaseStatus},
    **{s.label_zh: s for s in CaseStatus},
    "待核查": CaseStatus.PENDING,
    "核查中": CaseStatus.VERIFYING,
    "处理中": CaseStatus.RESOLVING,
    "化解": CaseStatus.RESOLVING,
    "已解决": CaseStatus.RESOLVED,
    "已办结": CaseStatus.RESOLVED,
    "已结案": CaseStatus.RESOLVED,
    "不实": CaseStatus.UNFOUNDED,
}

_LEVEL_ALIASES: dict[str, Severity] = {
    **{s.value: s for s in Severity},
    **{s.label_zh: s for s in Severity},
    "Ⅰ": Severity.I,
    "Ⅱ": Severity.II,
    "Ⅲ": Severity.III,
    "Ⅳ": Severity.IV,
    "1": Severity.I,
    "2": Severity.II,
    "3": Severity.III,
    "4": Severity.IV,
    "一": Severity.I,
    "二": Severity.II,
    "三": Severity.III,
    "四": Severity.IV,
}

_STAGE_ALIASES: dict[str, IncidentStage] = {
    **{s.value: s for s in IncidentStage},
    **{s.label_zh: s for s in IncidentStage},
    "处置中": IncidentStage.HANDLING,
    "已平息": IncidentStage.SETTLED,
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).strip()


def parse_status(value: CaseStatus | str) -> CaseStatus:
    if isinstance(value, CaseStatus):
        return value
    key = _norm(value)
    found = _STATUS_ALIASES.get(key) or _STATUS_ALIASES.get(key.lower())
    if found is None:
        allowed = "、".join(s.label_zh for s in CaseStatus)
        raise ValidationError("status", f"unknown status {value!r} (one of {allowed})")
    return found


def parse_risk_level(value: Severity | str | int) -> Severity:
    if isinstance(value, Severity):
        return value
    key = _norm(str(value)).upper().removesuffix("级").removesuffix("级风险")
    key = key.removeprefix("LEVEL")
    found = _LEVEL_ALIASES.get(key) or _LEVEL_ALIASES.get(key + "级") or _LEVEL_ALIASES.get(key.lower())
    if found is None:
        raise ValidationError("risk_level", f"unknown risk level {value!r} (I..IV or 一级..四级)")
    return found


def parse_stage(value: IncidentStage | str) -> IncidentStage:
    if isinstance(value, IncidentStage):
        return value
    found = _STAGE_ALIASES.get(_norm(value)) or _STAGE_ALIASES.get(_norm(value).lower())
    if found is None:
        allowed = "、".join(s.label_zh for s in IncidentStage)
        raise ValidationError("stage", f"unknown stage {value!r} (one of {allowed})")
    return found


def parse_dispute_types(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Codes from codes or Chinese labels, separated by 、，,;；/ or whitespace; order kept, duplicates dropped."""
    if value is None:
        return ()
    parts = [str(v) for v in value] if isinstance(value, list | tuple) else re.split(r"[、，,;；/\s]+", str(value))
    out: list[str] = []
    for part in parts:
        p = part.strip()
        if not p:
            continue
        code = _DISPUTE_ALIASES.get(p) or _DISPUTE_ALIASES.get(p.lower())
        if code is None:
            raise ValidationError(
                "dispute_types",
                f"unknown dispute type {p!r} (one of {'、'.join(DISPUTE_TYPE_LABELS.values())})",
            )
        if code not in out:
            out.append(code)
    return tuple(out)


def dispute_types_zh(codes: tuple[str, ...] | list[str]) -> str:
    return "、".join(DISPUTE_TYPE_LABELS.get(c, c) for c in codes)


def risk_label(level: Severity | None) -> str:
    return f"{level.label_zh}（{level.value}级）" if level else ""
