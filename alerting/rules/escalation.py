"""``escalation``: an incident already alerted grows (more posts, more workers, a group action, severity rises,
a larger sum, a key-supervision firm involved)."""

from __future__ import annotations

from pydantic import Field

from alerting.rules.base import Hit, Rule, RuleContext, RuleOptions, register_rule_type
from lwcore.domain import Severity

__all__ = ["EscalationRule", "EscalationOptions", "GROUP_TYPES", "raise_level"]

#: Event types that make an incident a group one (a gathering, a stoppage): their first appearance is growth.
GROUP_TYPES = frozenset({"group_action", "strike_stoppage"})


def raise_level(level: Severity, steps: int) -> Severity:
    return Severity(("I", "II", "III", "IV")[max(0, level.rank - 1 - steps)])


class EscalationOptions(RuleOptions):
    more_posts: int | None = Field(5, ge=1)  # at least this many posts since the last notification
    workers_at_least: int | None = Field(None, ge=1)  # workers involved reach this number (and grew)
    group_action: bool = True  # a group action / strike appears in the cluster
    severity_rise: bool = True  # the NLP severity of the cluster rises above what was notified
    workers_rise_factor: float | None = Field(2.0, gt=1.0)  # the workers involved grow at least this many times
    amount_rise_factor: float | None = Field(2.0, gt=1.0)  # the sum in arrears grows at least this many times
    key_supervision: bool = True  # a key-supervision firm turns out to be involved
    steps: int = Field(1, ge=1, le=3)  # with level=from_analysis: raise the notified level by this many steps


@register_rule_type("escalation")
class EscalationRule(Rule):
    Options = EscalationOptions
    options: EscalationOptions

    def evaluate(self, ctx: RuleContext) -> Hit | None:
        o = self.options
        c = ctx.cluster
        if c.notified_level is None:
            return None
        why: list[str] = []
        grew: list[str] = []
        if o.more_posts is not None and c.post_count - c.notified_post_count >= o.more_posts:
            why.append(f"上次通报后新增相关信息{c.post_count - c.notified_post_count}条")
        if (
            o.workers_at_least is not None
            and c.workers is not None
            and c.workers >= o.workers_at_least
            and (c.prev_workers is None or c.prev_workers < c.workers)
        ):
            why.append(f"涉及人数增至{c.workers}人")
            grew.append("workers")
        elif (
            o.workers_rise_factor is not None
            and c.workers is not None
            and c.prev_workers is not None
            and c.workers >= c.prev_workers * o.workers_rise_factor
        ):
            why.append(f"涉及人数由{c.prev_workers}人增至{c.workers}人")
            grew.append("workers")
        if o.group_action and (c.event_types & GROUP_TYPES) and not (c.prev_event_types & GROUP_TYPES):
            why.append("出现群体性行动或停工")
            grew.append("group")
        if (
            o.severity_rise
            and c.max_severity is not None
            and c.max_severity.more_severe_than(c.prev_max_severity)
            and c.max_severity.more_severe_than(c.notified_level)
        ):
            why.append(f"研判等级升至{c.max_severity.label_zh}")
            grew.append("severity")
        if (
            o.amount_rise_factor is not None
            and c.amount_yuan is not None
            and c.prev_amount_yuan is not None
            and c.amount_yuan >= c.prev_amount_yuan * o.amount_rise_factor
        ):
            why.append(f"涉及金额增至{c.amount_yuan / 10000:g}万元")
            grew.append("amount")
        if o.key_supervision and c.key_supervision and not c.prev_key_supervision:
            why.append("涉及重点监管服务名单企业")
            grew.append("key_supervision")
        if not why:
            return None
        if o.level == "from_analysis":
            level = raise_level(c.notified_level, o.steps)
            if c.max_severity is not None and c.max_severity.more_severe_than(level):
                level = c.max_severity
        else:
            level = Severity(o.level)
        return Hit(self.name, level, f"规则「{self.display_name}」命中：事件升级（" + "；".join(why) + "）",
                   growth=tuple(grew))
