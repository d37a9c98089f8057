"""The rule-type contract and its registry.

A rule type is a class with a typed ``Options`` model (pydantic, unknown keys rejected) and an
``evaluate(ctx) -> Hit | None`` method. Rule types register themselves by name with
:func:`register_rule_type`; the loader (:mod:`alerting.rules.loader`) looks them up when the YAML loads.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from lwcore.domain import AnalyzedPost, Severity

__all__ = [
    "RuleOptions",
    "Rule",
    "Hit",
    "ClusterView",
    "RuleContext",
    "ObservationCounter",
    "SensitivePeriod",
    "RULE_TYPES",
    "register_rule_type",
    "LevelSpec",
]

LevelSpec = Literal["I", "II", "III", "IV", "from_analysis"]


class RuleOptions(BaseModel):
    """Options every rule has; each rule type extends this."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    type: str
    enabled: bool = True
    description: str = ""
    level: LevelSpec = "from_analysis"
    default_level: Literal["I", "II", "III", "IV"] = "III"  # used by from_analysis when NLP gave none


@dataclass(frozen=True, slots=True)
class SensitivePeriod:
    """A configured sensitive period (e.g. the import-expo weeks): thresholds lowered while it lasts."""

    name: str
    start: datetime
    end: datetime
    score_delta: float = 0.1  # subtracted from min_score
    count_factor: float = 0.5  # multiplies spike min_count
    level_boost: int = 0  # raise levels by this many steps (IV -> III ...)

    def covers(self, t: datetime) -> bool:
        return self.start <= t < self.end


@dataclass(frozen=True, slots=True)
class ClusterView:
    """The event cluster (future or existing alert) as rules see it, with this post already counted."""

    key: str
    notified_level: Severity | None  # None: not alerted yet
    notified_post_count: int
    post_count: int
    workers: int | None
    prev_workers: int | None
    event_types: frozenset[str]
    prev_event_types: frozenset[str]
    max_severity: Severity | None
    prev_max_severity: Severity | None
    amount_yuan: float | None = None
    prev_amount_yuan: float | None = None
    key_supervision: bool = False  # a key-supervision firm is among the incident's linked firms
    prev_key_supervision: bool = False


class ObservationCounter(Protocol):
    def count(self, key_kind: str, key: str, since: datetime, until: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class RuleContext:
    item: AnalyzedPost
    cluster: ClusterView
    at: datetime  # the post's time (published, else fetched)
    period: SensitivePeriod | None
    counter: ObservationCounter


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    level: Severity
    reason: str  # Simplified Chinese: why this level (shown in the email)
    growth: tuple[str, ...] = ()  # escalation rules: how the incident grew (group, workers, amount, key, severity)


class Rule(ABC):
    type_name: ClassVar[str]
    Options: ClassVar[type[RuleOptions]]

    def __init__(self, options: RuleOptions) -> None:
        self.options = options
        self.name = options.name

    @property
    def display_name(self) -> str:
        """What staff read for this rule (its description from alert_rules.yaml; the name when it has none)."""
        return self.options.description or self.name

    def level_for(self, ctx: RuleContext) -> Severity:
        if self.options.level == "from_analysis":
            return ctx.item.analysis.severity or Severity(self.options.default_level)
        return Severity(self.options.level)

    def lookback(self) -> timedelta:
        """How far before a post's time this rule counts observations (``ctx.counter``); none by default.

        The engine loads the observations of that span once per batch, so a rule that counts must say it here.
        """
        return timedelta(0)

    @staticmethod
    def min_score(base: float, period: SensitivePeriod | None) -> float:
        return max(0.0, base - period.score_delta) if period else base

    @abstractmethod
    def evaluate(self, ctx: RuleContext) -> Hit | None:
        """Return a hit when the rule fires for this post in its cluster."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


RULE_TYPES: dict[str, type[Rule]] = {}


def register_rule_type(name: str) -> Callable[[type[Rule]], type[Rule]]:
    def deco(cls: type[Rule]) -> type[Rule]:
        if name in RULE_TYPES:
            raise ValueError(f"rule type {name!r} registered twice")
        cls.type_name = name
        RULE_TYPES[name] = cls
        return cls

    return deco
