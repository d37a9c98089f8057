"""Chinese display names for codes shown to bureau staff (event types, levels, statuses)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lwcore.domain import EVENT_TYPE_LABELS_ZH, INDUSTRY_LABELS_ZH, PLATFORM_LABELS_ZH, SHANGHAI

logger = logging.getLogger(__name__)

__all__ = [
    "EVENT_TYPE_LABELS",
    "LEVEL_LABELS",
    "ALERT_STATUS_LABELS",
    "ALERT_EVENT_LABELS",
    "VERIFICATION_LABELS",
    "INDUSTRY_LABELS",
    "PLATFORM_LABELS",
    "ALERT_STATE_LABELS",
    "AUDIT_ACTION_LABELS",
    "TARGET_TYPE_LABELS",
    "DETAIL_KEY_LABELS",
    "HISTORY_ACTION_LABELS",
    "DisplayNames",
    "fmt_time",
    "post_title",
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
    "incident_failed": "登记突发事件失败",
    "ack_reset": "级别提高，需重新签收",
    "digest_only": "仅列入汇总",
    "silenced": "已静默",
    "company_unregistered": "企业未在名录中",
    "delivery_failed": "通知发送失败",
    "closed": "关闭预警",
    "reopened": "重新打开",
}

INDUSTRY_LABELS: dict[str, str] = INDUSTRY_LABELS_ZH

PLATFORM_LABELS: dict[str, str] = PLATFORM_LABELS_ZH

ALERT_STATE_LABELS: dict[str, str] = {
    "open": "待签收", "acknowledged": "已签收", "closed": "已关闭", "confirmed": "已核实", "dismissed": "已排除",
    "silenced": "已静默", "escalated": "已升级", "cased": "已转台账",
}

SILENCE_SCOPE_LABELS: dict[str, str] = {"alert": "本预警", "company": "该企业", "town": "该街镇", "rule": "该规则"}

#: Audit log actions (laborwatch.web.accounts.audit callers).
AUDIT_ACTION_LABELS: dict[str, str] = {
    "login": "登录", "login.failed": "登录失败", "login.locked": "登录锁定", "logout": "退出登录",
    "user.add": "添加用户", "user.update": "修改用户", "user.passwd": "重置密码",
    "alert.ack": "签收预警", "alert.escalate": "升级上报", "alert.silence": "静默预警", "alert.close": "关闭预警",
    "verify.confirm": "核实：确认属实", "verify.correct": "核实：更正",
    "review.decision": "待复核：完成一条", "model.promote": "启用模型", "model.rollback": "回退模型",
    "verify.not_dispute": "核实：排除（非劳动争议）",
    "verify.duplicate": "核实：排除（重复）", "verify.outside_district": "核实：排除（非本辖区）",
    "case.open": "登记台账", "case.open_from_alert": "由预警建档", "case.open_from_post": "由信息建档",
    "case.attach_alert": "预警并入台账", "case.attach_post": "信息并入台账", "case.update": "修改台账",
    "case.transition": "台账状态变更", "case.export": "导出台账", "incident.open": "登记突发事件",
    "incident.step": "记录处置节点", "incident.export": "导出突发事件", "search.export": "导出检索结果",
    "alert.merge": "合并预警", "alert.move_post": "移出预警信息",
    "briefing.download": "下载舆情报告", "briefing.send": "发送舆情报告", "access.denied": "越权访问被拒绝",
}

TARGET_TYPE_LABELS: dict[str, str] = {
    "model": "模型",
    "alert": "预警", "case": "台账", "incident": "突发事件", "post": "信息", "user": "用户", "search": "检索",
    "briefing": "舆情报告", "page": "页面",
}

#: Keys of audit and alert-event details, in Chinese; keys not listed are internal and not shown.
DETAIL_KEY_LABELS: dict[str, str] = {
    "reason": "原因", "note": "说明", "level": "级别", "from": "原级别", "to": "变为", "rules": "触发规则",
    "posts": "信息数", "posts_added": "新增信息", "post_count": "信息总数", "step": "上报级次", "role": "上报对象",
    "recipients": "通知对象", "via": "方式", "first_by": "首次签收人", "previous_ack_by": "原签收人", "until": "静默至",
    "scope": "静默范围", "value": "静默对象", "ack_deadline": "签收时限", "next_deadline": "下次时限",
    "problem": "问题", "mention": "企业名称", "error": "错误", "incident": "突发事件", "number": "编号",
    "event_types": "事件类型", "employers": "涉事企业", "company_id": "信用代码", "alert_id": "预警",
    "post_id": "信息", "rows": "条数", "q": "关键词", "filters": "筛选条件", "fields": "修改字段", "queued": "发送人数",
    "username": "用户名", "role_to": "角色", "active": "启用", "path": "页面", "method": "请求方式",
    "permission": "所需权限", "kind": "类型", "manual": "人工上报", "stage": "节点", "ip": "地址",
    "display_name": "姓名", "dismissed": "排除", "decision": "结论",
    "from_alert": "原预警", "into_alert": "并入预警", "to_alert": "移至预警", "merged_alert": "并入的预警",
    "post": "信息", "new_alert": "新建预警",
    "previous": "原模型", "forced": "强制启用", "generation": "切换次数", "why": "入队原因",
}

#: Kinds of alert notifications (alert event ``notified``, detail ``kind``).
NOTIFY_KIND_LABELS: dict[str, str] = {
    "new": "首次通知", "raised": "升级通知", "grown": "事件续报", "escalation": "逾期催办",
    "manual_escalation": "人工上报",
}

#: Actions of the ledger's case and incident history (ledger.records.HistoryEntry.action).
HISTORY_ACTION_LABELS: dict[str, str] = {
    "created": "登记", "update": "修改", "transition": "状态变更", "link_alert": "关联预警", "link_post": "关联信息",
    "imported": "导入", "step": "处置节点", "report": "报告", "dispatch": "派员", "link_case": "关联台账",
    "link_incident": "关联突发事件",
}

VIA_LABELS: dict[str, str] = {"web": "网页", "link": "邮件链接", "email": "邮件链接", "cli": "命令行", "system": "系统"}

ESCALATION_ROLE_LABELS: dict[str, str] = {
    "duty_officer": "值班人员", "duty_backup": "备班人员", "duty_leader": "带班领导", "unit": "归口单位联系人",
    "admin": "系统管理员", "extra": "抄送",
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


_SENTENCE_END = re.compile(r"[。！？!?\n]")


_FACTOR = re.compile(r"^(?P<name>[a-z_]+)(?P<bound>>=[0-9.]+)?(?::(?P<detail>.*?))?\((?P<effect>[^()]*)\)$")
_FACTOR_LISTS = {"blacklist": "拖欠农民工工资失信联合惩戒名单", "key_supervision": "重点监管服务名单"}


def severity_factor(text: str) -> str:
    """One severity factor of the analyser (``name:detail(+points)``, ``standing:...(level+N)``) in Chinese; an
    unknown form is shown as it is."""
    m = _FACTOR.match(str(text or ""))
    if not m:
        return str(text or "")
    name, bound, detail, effect = m["name"], (m["bound"] or "")[2:], m["detail"] or "", m["effect"]
    if name == "event":
        what = f"事件类型：{EVENT_TYPE_LABELS.get(detail, detail)}"
    elif name == "workers":
        what = f"涉及人数不少于{bound}人"
    elif name == "amount_yuan":
        what = f"涉及金额不少于{float(bound or 0):,.0f}元"
    elif name == "engagement":
        what = f"转评赞不少于{bound}"
    elif name == "extreme":
        what = f"极端或聚集行为：{detail}"
    elif name == "key_supervision":
        what = f"重点监管企业：{detail}"
    elif name == "sensitive_period":
        what = f"敏感时期：{detail}"
    elif name == "standing":
        lists, _, code = detail.partition(":")
        names = "和".join(_FACTOR_LISTS.get(x, x) for x in lists.split("+"))
        what = f"企业已列入{names}" + (f"（{code}）" if code else "")
    else:
        return str(text)
    if effect.startswith("level+"):  # standing raises the alert's level, a sensitive period the analyser's
        return f"{what}，{'预警' if name == 'standing' else '研判'}等级上调{effect[6:]}级"
    return f"{what}（{effect.replace('+', '加')}分）" if effect.startswith("+") else f"{what}（{effect}）"


def post_title(title: str | None, content: str | None = None, limit: int = 40) -> str:
    """A post's title; for title-less posts (Weibo, boards) the first sentence of its text, cut at ``limit``."""
    if title and title.strip():
        return title.strip()
    text = " ".join((content or "").split("\n", 50)).strip() if content else ""
    if not text:
        return "（无标题）"
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip() or text
    return first if len(first) <= limit else first[:limit].rstrip() + "…"


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


_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_RULE_IN_REASON = re.compile(r"规则「([A-Za-z0-9_.-]+)」")
_RECIPIENT = re.compile(r"^(?:[a-z_]+:)?([^<(]+)")


@dataclass
class DisplayNames:
    """Chinese names for the codes that come from the operator's config files (source ids, rule names) and for
    the fixed vocabularies above; unknown codes fall back to a neutral Chinese word, never to the raw code where
    that code is an English identifier."""

    sources: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Any) -> DisplayNames:
        """Read source names (sources.yaml) and rule descriptions (alert_rules.yaml); a missing or broken file
        only costs the display names (logged), the pages still work."""
        from lwcore.settings import load_yaml

        names = cls()
        for file, key, id_key, text_keys, target in (
            ("sources.yaml", "sources", "id", ("name",), names.sources),
            ("alert_rules.yaml", "rules", "name", ("description", "title"), names.rules),
        ):
            try:
                data = load_yaml(settings.config_file(file))
            except Exception as exc:  # noqa: BLE001 - display names are optional: fall back to generic words
                logger.warning("display names: cannot read %s: %s", file, exc)
                continue
            for item in (data or {}).get(key) or [] if isinstance(data, Mapping) else []:
                if not isinstance(item, Mapping) or not item.get(id_key):
                    continue
                text = next((str(item[k]) for k in text_keys if item.get(k)), "")
                if text:
                    target[str(item[id_key])] = text
        try:
            from ledger.fields import FIELD_LABELS

            names.fields = dict(FIELD_LABELS)
        except ImportError:  # pragma: no cover - the ledger room is part of the project
            pass
        return names

    def source(self, code: str | None) -> str:
        if not code:
            return ""
        if code in self.sources:
            return self.sources[code]
        return PLATFORM_LABELS.get(code) or ("其他信息源" if _CODE.match(code) else code)

    def platform(self, code: str | None) -> str:
        if not code:
            return ""
        return PLATFORM_LABELS.get(code) or ("其他平台" if _CODE.match(code) else code)

    def rule(self, code: str | None) -> str:
        if not code:
            return ""
        return self.rules.get(code) or ("预警规则" if _CODE.match(code) else code)

    def reason(self, text: str | None) -> str:
        """An alert reason, with rule names recorded before rules had display names replaced by them."""
        return _RULE_IN_REASON.sub(lambda m: f"规则「{self.rule(m.group(1))}」", text or "")

    def industry(self, code: str | None) -> str:
        if not code:
            return ""
        return INDUSTRY_LABELS.get(code) or ("其他行业" if _CODE.match(code) else code)

    def field(self, name: str | None) -> str:
        if not name:
            return ""
        return self.fields.get(name) or DETAIL_KEY_LABELS.get(name) or ("其他字段" if _CODE.match(name) else name)

    def action(self, code: str | None) -> str:
        if not code:
            return ""
        return AUDIT_ACTION_LABELS.get(code) or ("其他操作" if _CODE.match(code) else code)

    def detail(self, detail: Any) -> list[tuple[str, str]]:
        """An audit or alert-event detail as (Chinese label, readable value) pairs; internal keys are left out."""
        if not isinstance(detail, Mapping):
            return []
        out: list[tuple[str, str]] = []
        for key, value in detail.items():
            name = DETAIL_KEY_LABELS.get(str(key))
            if name is None:
                continue
            text = self._value(str(key), value)
            if text:
                out.append((name, text))
        return out

    def _value(self, key: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return ""
        if key in ("posts", "posts_added") and isinstance(value, list | tuple):
            return f"{len(value)} 条"
        if key in ("level", "from", "to"):
            return LEVEL_LABELS.get(str(value), "")
        if key == "rules":
            return "、".join(self.rule(str(r)) for r in value) if isinstance(value, list | tuple) else self.rule(value)
        if key == "event_types":
            return "、".join(EVENT_TYPE_LABELS.get(str(t), "其他") for t in value or [])
        if key == "fields":
            return "、".join(self.field(str(f)) for f in value or [])
        if key == "via":
            return VIA_LABELS.get(str(value), "")
        if key in ("role", "role_to"):
            return ESCALATION_ROLE_LABELS.get(str(value)) or _role_zh(str(value))
        if key == "scope":
            return SILENCE_SCOPE_LABELS.get(str(value), "")
        if key == "recipients" and isinstance(value, list | tuple):
            names = [m.group(1).strip() for r in value if (m := _RECIPIENT.match(str(r)))]
            return "、".join(n for n in names if n)
        if key == "filters" and isinstance(value, Mapping):
            parts = [f"{self.field(str(k))}：{self._plain(v)}" for k, v in value.items() if v not in (None, "", [])]
            return "；".join(parts)
        if key in ("alert_id", "from_alert", "into_alert", "to_alert", "merged_alert"):
            return f"#{value}"
        if key == "kind" and str(value) in NOTIFY_KIND_LABELS:
            return NOTIFY_KIND_LABELS[str(value)]
        return self._plain(value)

    def _plain(self, value: Any) -> str:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, int | float):
            return f"{value:g}" if isinstance(value, float) else str(value)
        if isinstance(value, list | tuple):
            return "、".join(t for t in (self._plain(v) for v in value) if t)
        if isinstance(value, Mapping):
            return "；".join(f"{k}：{self._plain(v)}" for k, v in value.items()
                            if k in DETAIL_KEY_LABELS and v not in (None, ""))
        text = str(value)
        if _ISO_TIME.match(text):
            return fmt_time(text)
        if text in LEVEL_LABELS:
            return LEVEL_LABELS[text]
        if text in EVENT_TYPE_LABELS:
            return EVENT_TYPE_LABELS[text]
        return text


def _role_zh(code: str) -> str:
    from laborwatch.web.models import ROLE_LABELS

    return ROLE_LABELS.get(code, "")
