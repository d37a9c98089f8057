"""Firm standing on the bureau's lists, carried onto analysed posts so that alerts about such firms rise.

A firm is *blacklisted* while it has a wage-arrears joint-discipline entry in force (status ``listed``) and
*supervised* while it has an active key supervision and service list entry. :func:`apply_standing` is the rule (a
pure function): for a labour-dispute post linked to such firms it adds the configured steps of each list the firm is
on (``configs/supervision.yaml`` ``severity_raise``; the most affected firm counts), a ``standing:`` severity factor
and, under ``Analysis.explanation["standing"]``, the steps and a Chinese note. The alert engine raises the levels of
the rules that fire by those steps and adds the note to their reasons (``lwcore.standing.standing_of``).

:class:`StandingSource` reads the lists from the database (cached for ``ttl_s``); :class:`StandingAnalyzer` wraps
an analyser stage with it. Only the app shell's wiring puts them together, so the nlp and alerting rooms never
import this one.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from lwcore.db import Database
from lwcore.domain import Analysis, Post, Severity
from lwcore.standing import STANDING_KEY

from .config import SeverityRaise
from .models import BlacklistEntry, Company, SupervisionEntry

__all__ = ["FirmStanding", "StandingSnapshot", "apply_standing", "firm_standing", "load_snapshot", "StandingSource",
           "StandingAnalyzer"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirmStanding:
    credit_code: str
    name: str
    blacklist_decisions: tuple[str, ...] = ()  # decision numbers of the entries in force
    supervision_level: str | None = None  # risk level I..IV of the active list entry; None: not supervised

    @property
    def blacklisted(self) -> bool:
        return bool(self.blacklist_decisions)

    @property
    def supervised(self) -> bool:
        return self.supervision_level is not None

    def steps(self, rule: SeverityRaise) -> int:
        return (rule.blacklist if self.blacklisted else 0) + (rule.key_supervision if self.supervised else 0)

    @property
    def labels(self) -> list[str]:
        """What an alert or case page shows beside the firm (Chinese)."""
        out = []
        if self.blacklisted:
            out.append(f"失信联合惩戒名单（{'、'.join(self.blacklist_decisions)}）")
        if self.supervision_level is not None:
            out.append("重点监管服务名单")
        return out

    def note(self) -> str:
        parts = []
        if self.blacklisted:
            parts.append(f"拖欠农民工工资失信联合惩戒名单（{'、'.join(self.blacklist_decisions)}）")
        if self.supervision_level is not None:
            try:
                level = Severity(self.supervision_level).label_zh
            except ValueError:
                level = self.supervision_level
            parts.append(f"重点监管服务名单（风险等级{level}）")
        return f"涉事企业{self.name}已列入" + "和".join(parts)


@dataclass(frozen=True)
class StandingSnapshot:
    firms: Mapping[str, FirmStanding] = field(default_factory=dict)

    def get(self, credit_code: str | None) -> FirmStanding | None:
        return self.firms.get(credit_code) if credit_code else None


def apply_standing(analysis: Analysis, snapshot: StandingSnapshot, rule: SeverityRaise) -> Analysis:
    """``analysis`` with the standing of its linked firms, or unchanged when none is listed (or the post is not a
    labour dispute, or the configured steps are 0). The NLP severity itself is kept; the alert level rises."""
    if not analysis.labor_dispute:
        return analysis
    seen: set[str] = set()
    best: tuple[int, FirmStanding] | None = None
    for link in analysis.companies:
        firm = snapshot.get(link.company_id)
        if firm is None or firm.credit_code in seen:
            continue
        seen.add(firm.credit_code)
        steps = firm.steps(rule)
        if steps and (best is None or steps > best[0]):
            best = (steps, firm)
    if best is None:
        return analysis
    steps, firm = best
    note = f"{firm.note()}，预警等级上调{steps}级"
    lists = [name for name, on in (("blacklist", firm.blacklisted), ("key_supervision", firm.supervised)) if on]
    factor = f"standing:{'+'.join(lists)}:{firm.credit_code}(level+{steps})"
    payload = {"steps": steps, "note": note, "credit_code": firm.credit_code, "lists": lists}
    return dataclasses.replace(
        analysis,
        severity_factors=(*[f for f in analysis.severity_factors if not f.startswith("standing:")], factor),
        explanation={**(analysis.explanation or {}), STANDING_KEY: payload},
    )


def load_snapshot(db: Database) -> StandingSnapshot:
    """The firms on either list now, read from the database in two queries."""
    decisions: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    names: dict[str, str] = {}
    with db.sessions() as s:
        for code, name, decision in s.execute(
            select(BlacklistEntry.credit_code, Company.name, BlacklistEntry.decision_no)
            .join(Company, Company.credit_code == BlacklistEntry.credit_code)
            .where(BlacklistEntry.status == "listed")
            .order_by(BlacklistEntry.decided_on, BlacklistEntry.id)
        ):
            decisions.setdefault(code, []).append(decision)
            names[code] = name
        for code, name, level in s.execute(
            select(SupervisionEntry.credit_code, Company.name, SupervisionEntry.risk_level)
            .join(Company, Company.credit_code == SupervisionEntry.credit_code)
            .where(SupervisionEntry.status == "active")
        ):
            levels[code] = level
            names[code] = name
    return StandingSnapshot({
        code: FirmStanding(code, names[code], tuple(decisions.get(code, ())), levels.get(code))
        for code in names
    })


def firm_standing(db: Database, credit_code: str | None) -> FirmStanding | None:
    """One firm's standing now (None: unknown code or on no list), for the alert and case pages."""
    if not credit_code:
        return None
    with db.sessions() as s:
        name = s.scalar(select(Company.name).where(Company.credit_code == credit_code))
        if name is None:
            return None
        decisions = tuple(s.scalars(
            select(BlacklistEntry.decision_no).where(BlacklistEntry.credit_code == credit_code,
                                                     BlacklistEntry.status == "listed")
            .order_by(BlacklistEntry.decided_on, BlacklistEntry.id)))
        level = s.scalar(select(SupervisionEntry.risk_level).where(SupervisionEntry.credit_code == credit_code,
                                                                    SupervisionEntry.status == "active"))
    firm = FirmStanding(credit_code, name, decisions, level)
    return firm if firm.blacklisted or firm.supervised else None


class StandingSource:
    """The lists as of at most ``ttl_s`` seconds ago. A database that cannot be read keeps the last snapshot (empty
    at first) and logs a warning: a post is never lost or delayed because the lists are unavailable."""

    def __init__(self, db: Database, *, ttl_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._clock = clock
        self._snapshot = StandingSnapshot()
        self._loaded_at: float | None = None

    def snapshot(self) -> StandingSnapshot:
        now = self._clock()
        if self._loaded_at is None or now - self._loaded_at >= self.ttl_s:
            try:
                self._snapshot = load_snapshot(self.db)
            except Exception as exc:  # isolation boundary: the lists are an enrichment, the post goes on
                logger.warning("company lists unavailable, alert levels not raised for listed firms: %s", exc)
            self._loaded_at = now
        return self._snapshot


class StandingAnalyzer:
    """An analyser stage whose analyses carry the standing of their linked firms (built by the shell's wiring)."""

    def __init__(self, inner: Any, source: StandingSource, rule: SeverityRaise) -> None:
        self.inner = inner
        self.source = source
        self.rule = rule

    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        analyses = self.inner.analyze(posts)
        if not any(a.labor_dispute and a.companies for a in analyses):
            return list(analyses)
        snapshot = self.source.snapshot()
        return [apply_standing(a, snapshot, self.rule) for a in analyses]

    def __getattr__(self, name: str) -> Any:  # the wrapped analyser's other attributes (model_version, ...)
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
