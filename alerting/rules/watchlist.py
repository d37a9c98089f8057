"""``watchlist``: any relevant mention of a company on the key-supervision list (重点监管服务名单)."""

from __future__ import annotations

from pydantic import Field

from alerting.rules.base import Hit, Rule, RuleContext, RuleOptions, register_rule_type

__all__ = ["WatchlistRule", "WatchlistOptions"]


class WatchlistOptions(RuleOptions):
    min_score: float = Field(0.5, ge=0, le=1)
    use_registry_flag: bool = True  # CompanyLink.key_supervision from the registry
    companies: tuple[str, ...] = ()  # extra registry ids or exact names to watch
    min_confidence: float = Field(0.8, ge=0, le=1)  # ignore weak company links


@register_rule_type("watchlist")
class WatchlistRule(Rule):
    Options = WatchlistOptions
    options: WatchlistOptions

    def evaluate(self, ctx: RuleContext) -> Hit | None:
        o = self.options
        a = ctx.item.analysis
        if not a.labor_dispute or a.score < self.min_score(o.min_score, ctx.period):
            return None
        for c in a.companies:
            if c.confidence < o.min_confidence:
                continue
            listed = (o.use_registry_flag and c.key_supervision) or (
                (c.company_id is not None and c.company_id in o.companies) or (c.name in o.companies)
            )
            if listed:
                return Hit(
                    self.name,
                    self.level_for(ctx),
                    f"规则「{self.display_name}」命中：重点监管企业「{c.name or c.mention}」出现相关信息",
                )
        return None
