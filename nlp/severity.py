"""Severity I (most severe) .. IV: a documented additive rule whose factors explain each score.

Points (weights in ``configs/lexicon/severity.yaml``): the most severe event type present (strike, closure and
group action weigh most), workers affected (bands), amount owed (bands), extreme acts or public group action
(跳楼, 爬塔吊, 堵路, 拉横幅...), a key-supervision company linked, engagement of the post (bands). Levels: total >=
levels.I -> I, >= II -> II, >= III -> III, else IV. During a configured sensitive period (e.g. 进博会 weeks) the
level is raised by ``sensitive_period_raise`` steps. Only labour-dispute posts get a level; others get None.
Every factor that fired is returned as ``"name:detail(+points)"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lwcore.domain import EVENT_TYPES, CompanyLink, Engagement, Severity
from lwcore.errors import ConfigError
from lwcore.settings import load_yaml

__all__ = ["SeverityRules", "SeverityResult", "SensitivePeriod"]

_LEVELS = (Severity.I, Severity.II, Severity.III, Severity.IV)


@dataclass(frozen=True, slots=True)
class SensitivePeriod:
    name: str
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]

    def contains(self, d: date) -> bool:
        md = (d.month, d.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # wraps over the new year


@dataclass(frozen=True, slots=True)
class SeverityResult:
    level: Severity | None
    points: float
    factors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SeverityRules:
    levels: dict[str, float]
    event_points: dict[str, float]
    workers: tuple[tuple[float, float], ...]
    amount: tuple[tuple[float, float], ...]
    extreme_terms: tuple[str, ...]
    extreme_points: float
    key_supervision_points: float
    engagement: tuple[tuple[float, float], ...]
    sensitive_raise: int
    periods: tuple[SensitivePeriod, ...]

    @classmethod
    def load(cls, path: str | Path) -> SeverityRules:
        path = Path(path)
        f = str(path)
        d = load_yaml(path)
        if not isinstance(d, dict):
            raise ConfigError(f, "", "expected a mapping")
        try:
            levels = {k: float(d["levels"][k]) for k in ("I", "II", "III")}
            if not levels["I"] > levels["II"] > levels["III"]:
                raise ConfigError(f, "levels", "need I > II > III")
            ev = {k: float(v) for k, v in (d.get("event_points") or {}).items()}
            bad = set(ev) - set(EVENT_TYPES)
            if bad:
                raise ConfigError(f, "event_points", f"unknown event type(s) {sorted(bad)}")
            periods = []
            for i, p in enumerate(d.get("sensitive_periods") or []):
                try:
                    sm, sd = (int(x) for x in str(p["start"]).split("-"))
                    em, ed = (int(x) for x in str(p["end"]).split("-"))
                    date(2000, sm, sd), date(2000, em, ed)  # noqa: B018 - validates month/day
                except (KeyError, ValueError) as exc:
                    raise ConfigError(
                        f, f"sensitive_periods[{i}]", f"need name and start/end as MM-DD: {exc}"
                    ) from None
                periods.append(SensitivePeriod(str(p.get("name", f"period{i}")), (sm, sd), (em, ed)))
            ex = d.get("extreme_terms") or {}
            return cls(
                levels=levels,
                event_points=ev,
                workers=_bands(f, "workers", d.get("workers")),
                amount=_bands(f, "amount_yuan", d.get("amount_yuan")),
                extreme_terms=tuple(str(t) for t in ex.get("terms", [])),
                extreme_points=float(ex.get("points", 0)),
                key_supervision_points=float(d.get("key_supervision_points", 0)),
                engagement=_bands(f, "engagement", d.get("engagement")),
                sensitive_raise=int(d.get("sensitive_period_raise", 0)),
                periods=tuple(periods),
            )
        except KeyError as exc:
            raise ConfigError(f, str(exc.args[0]), "required key missing") from None
        except (TypeError, ValueError) as exc:
            raise ConfigError(f, "", f"invalid value: {exc}") from None

    def score(
        self,
        *,
        labor_dispute: bool,
        event_types: tuple[str, ...] | list[str],
        workers: int | None,
        amount_yuan: float | None,
        text: str,
        companies: tuple[CompanyLink, ...] = (),
        engagement: Engagement | None = None,
        when: datetime | None = None,
    ) -> SeverityResult:
        if not labor_dispute:
            return SeverityResult(None, 0.0, ())
        pts = 0.0
        factors: list[str] = []
        if event_types:
            top = max(event_types, key=lambda t: self.event_points.get(t, 0.0))
            p = self.event_points.get(top, 0.0)
            if p:
                pts += p
                factors.append(f"event:{top}(+{p:g})")
        for label, value, bands in (("workers", workers, self.workers), ("amount_yuan", amount_yuan, self.amount)):
            if value is not None:
                for lo, p in bands:
                    if value >= lo:
                        pts += p
                        factors.append(f"{label}>={lo:g}(+{p:g})")
                        break
        hits = [t for t in self.extreme_terms if t in text]
        if hits and self.extreme_points:
            pts += self.extreme_points
            factors.append(f"extreme:{'/'.join(hits[:3])}(+{self.extreme_points:g})")
        ks = [c for c in companies if c.key_supervision and c.company_id]
        if ks and self.key_supervision_points:
            pts += self.key_supervision_points
            factors.append(f"key_supervision:{ks[0].name}(+{self.key_supervision_points:g})")
        if engagement is not None:
            for lo, p in self.engagement:
                if engagement.total >= lo:
                    pts += p
                    factors.append(f"engagement>={lo:g}(+{p:g})")
                    break
        idx = 3
        for i, key in enumerate(("I", "II", "III")):
            if pts >= self.levels[key]:
                idx = i
                break
        if when is not None and self.sensitive_raise:
            period = next((p for p in self.periods if p.contains(when.date())), None)
            if period is not None:
                new = max(0, idx - self.sensitive_raise)
                if new != idx:
                    factors.append(f"sensitive_period:{period.name}(level+{idx - new})")
                idx = new
        return SeverityResult(_LEVELS[idx], pts, tuple(factors))


def _bands(f: str, key: str, v: object) -> tuple[tuple[float, float], ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, list) and len(x) == 2 for x in v):
        raise ConfigError(f, key, "expected a list of [minimum, points] pairs")
    return tuple(sorted(((float(a), float(b)) for a, b in v), reverse=True))
