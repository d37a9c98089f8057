"""``spike``: N relevant posts about one company / town / event type in a window, against its own baseline."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Literal

from pydantic import Field

from alerting.rules.base import Hit, Rule, RuleContext, RuleOptions, register_rule_type
from alerting.texts import event_label
from lwcore.domain import AnalyzedPost

__all__ = ["SpikeRule", "SpikeOptions", "observation_keys"]

KeyKind = Literal["company", "town", "event_type"]


def observation_keys(item: AnalyzedPost) -> list[tuple[str, str]]:
    """The (kind, key) pairs one relevant post counts towards."""
    a = item.analysis
    keys: set[tuple[str, str]] = set()
    for c in a.companies:
        ident = c.company_id or (f"name:{c.name}" if c.name else f"mention:{c.mention}")
        keys.add(("company", ident))
        if c.town:
            keys.add(("town", c.town))
    for t in a.towns:
        keys.add(("town", t))
    for e in a.event_types:
        keys.add(("event_type", e))
    return sorted(keys)


class SpikeOptions(RuleOptions):
    key: KeyKind = "company"
    window_min: int = Field(60, ge=1, le=7 * 24 * 60)
    min_count: int = Field(3, ge=1)
    baseline_days: int = Field(7, ge=0, le=365)  # 0: no baseline, min_count alone
    factor: float = Field(3.0, ge=1.0)  # the window count must reach factor x the baseline rate
    min_score: float = Field(0.5, ge=0, le=1)


@register_rule_type("spike")
class SpikeRule(Rule):
    Options = SpikeOptions
    options: SpikeOptions

    def lookback(self) -> timedelta:
        """The window and the baseline before it."""
        return timedelta(minutes=self.options.window_min) + timedelta(days=self.options.baseline_days)

    def evaluate(self, ctx: RuleContext) -> Hit | None:
        o = self.options
        a = ctx.item.analysis
        if not a.labor_dispute or a.score < self.min_score(o.min_score, ctx.period):
            return None
        window = timedelta(minutes=o.window_min)
        min_count = o.min_count
        if ctx.period is not None:
            min_count = max(1, math.ceil(min_count * ctx.period.count_factor))
        best: Hit | None = None
        for kind, key in observation_keys(ctx.item):
            if kind != o.key:
                continue
            n = ctx.counter.count(kind, key, ctx.at - window, ctx.at)
            if n < min_count:
                continue
            rate = 0.0
            if o.baseline_days:
                span = timedelta(days=o.baseline_days)
                base_n = ctx.counter.count(kind, key, ctx.at - window - span, ctx.at - window)
                rate = base_n * (window / span)
                if n < o.factor * rate:
                    continue
            label = _key_label(ctx.item, kind, key)
            reason = (
                f"规则「{self.display_name}」命中：{label}在{o.window_min}分钟内相关信息{n}条"
                f"（阈值{min_count}条，历史基线约{rate:.1f}条）"
            )
            best = Hit(self.name, self.level_for(ctx), reason)
            break
        return best


def _key_label(item: AnalyzedPost, kind: str, key: str) -> str:
    if kind == "company":
        for c in item.analysis.companies:
            if key in (c.company_id, f"name:{c.name}", f"mention:{c.mention}"):
                return f"企业「{c.name or c.mention}」"
        return f"企业「{key}」"
    if kind == "town":
        return f"街镇「{key}」"
    return f"事件类型「{event_label(key)}」"
