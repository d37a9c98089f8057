"""``match``: conditions on one post's analysis (score, event types, severity, towns, platforms, companies)."""

from __future__ import annotations

from pydantic import Field, field_validator

from alerting.rules.base import Hit, Rule, RuleContext, RuleOptions, register_rule_type
from alerting.texts import event_label
from lwcore.domain import EVENT_TYPES, Severity

__all__ = ["MatchRule", "MatchOptions"]


class MatchOptions(RuleOptions):
    min_score: float = Field(0.5, ge=0, le=1)
    event_types: tuple[str, ...] = ()  # any of these (empty: any)
    min_severity: Severity | None = None  # the post's NLP severity at least this severe
    towns: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()  # registry ids or exact names
    industries: tuple[str, ...] = ()
    min_workers: int | None = Field(None, ge=1)
    min_amount_yuan: float | None = Field(None, ge=0)

    @field_validator("event_types")
    @classmethod
    def _known_types(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(v) - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event type(s) {unknown}; known: {list(EVENT_TYPES)}")
        return v


@register_rule_type("match")
class MatchRule(Rule):
    Options = MatchOptions
    options: MatchOptions

    def evaluate(self, ctx: RuleContext) -> Hit | None:
        o = self.options
        a = ctx.item.analysis
        if not a.labor_dispute or a.score < self.min_score(o.min_score, ctx.period):
            return None
        why: list[str] = []
        if o.event_types:
            types = [t for t in a.event_types if t in o.event_types]
            if not types:
                return None
            why.append("事件类型：" + "、".join(event_label(t) for t in types))
        if o.min_severity is not None:
            if a.severity is None or a.severity.rank > o.min_severity.rank:
                return None
            why.append(f"研判等级{a.severity.label_zh}")
        if o.towns:
            towns = [t for t in a.towns if t in o.towns] + [c.town for c in a.companies if c.town and c.town in o.towns]
            if not towns:
                return None
            why.append(f"涉及街镇：{towns[0]}")
        if o.platforms and ctx.item.post.platform not in o.platforms:
            return None
        if o.companies:
            hit = [c for c in a.companies if (c.company_id in o.companies) or (c.name in o.companies)]
            if not hit:
                return None
            why.append(f"关注企业：{hit[0].name or hit[0].mention}")
        if o.industries and not any(c.industry in o.industries for c in a.companies):
            return None
        if o.min_workers is not None:
            if a.workers is None or a.workers < o.min_workers:
                return None
            why.append(f"涉及{a.workers}人")
        if o.min_amount_yuan is not None:
            if a.amount_yuan is None or a.amount_yuan < o.min_amount_yuan:
                return None
            why.append(f"涉及金额{a.amount_yuan:,.0f}元")
        why.append(f"相关度{a.score:.2f}")
        return Hit(self.name, self.level_for(ctx), f"规则「{self.display_name}」命中：" + "，".join(why))
