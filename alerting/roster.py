"""Duty roster (值班表) and graded routing (分级负责、归口处理).

``configs/duty_roster.yaml``: people, a weekly shift pattern and dated overrides, in Asia/Shanghai time.
``configs/routing.yaml``: per level (I..IV) who is notified, on which channels, and the acknowledgement
deadline; the escalation order; responsible units (归口) by industry and by town; digests; and one section per
group channel with its named targets (``webhooks:``, ``wecom_robots:``, ``dingtalk_robots:``...).

Channels come from the notifier registry (``alerting.notifiers``): a *person* channel (email, sms) reaches the
people and units of a level at the address its notifier names (``Person.email``, ``Person.phone``...); a
*group* channel reaches the targets a level or unit lists under ``groups:``, defined in that channel's section.

:func:`check_config` (called by ``laborwatch config check``) validates both and reports roster gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from alerting.configfile import config_error
from alerting.notifiers import NOTIFIERS, notifier_class
from lwcore.domain import Severity
from lwcore.errors import ConfigError
from lwcore.settings import Settings, load_yaml

__all__ = [
    "Person",
    "Duty",
    "Roster",
    "Unit",
    "Recipient",
    "Route",
    "Router",
    "RoutingConfig",
    "load_roster",
    "load_routing",
    "check_config",
    "ROSTER_FILE",
    "ROUTING_FILE",
]

ROSTER_FILE = "duty_roster.yaml"
ROUTING_FILE = "routing.yaml"
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Role = Literal["duty_officer", "duty_backup", "duty_leader", "unit", "admin"]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(_M):
    name: str
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = None
    title: str | None = None


class _Shift(_M):
    name: str = ""
    days: tuple[str, ...] = _DAYS
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")  # <= start: ends the next day
    officer: str
    backup: str | None = None
    leader: str | None = None

    @field_validator("days")
    @classmethod
    def _days(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [d for d in v if d not in _DAYS]
        if bad:
            raise ValueError(f"unknown day(s) {bad}; use {list(_DAYS)}")
        return v


class _Override(_M):
    start: datetime
    end: datetime
    officer: str
    backup: str | None = None
    leader: str | None = None
    note: str = ""


class _RosterFile(_M):
    timezone: str = "Asia/Shanghai"
    check_days: int = Field(14, ge=1, le=366)
    people: dict[str, Person]
    shifts: tuple[_Shift, ...] = ()
    overrides: tuple[_Override, ...] = ()


@dataclass(frozen=True, slots=True)
class Duty:
    """Who is on duty at one moment."""

    officer: Person
    backup: Person | None
    leader: Person | None
    shift: str
    start: datetime
    end: datetime

    def person(self, role: str) -> Person | None:
        return {"duty_officer": self.officer, "duty_backup": self.backup, "duty_leader": self.leader}.get(role)


def _hm(s: str) -> time:
    h, m = (int(x) for x in s.split(":"))
    if h > 23 or m > 59:
        raise ValueError(f"invalid time {s!r}")
    return time(h, m)


class Roster:
    def __init__(self, data: _RosterFile, *, file: str) -> None:
        self.file = file
        self.tz = ZoneInfo(data.timezone)
        self.people = data.people
        self.check_days = data.check_days
        self._shifts = data.shifts
        self._overrides = data.overrides
        for i, s in enumerate(data.shifts):
            try:
                _hm(s.start), _hm(s.end)
            except ValueError as exc:
                raise ConfigError(file, f"shifts[{i}]", str(exc)) from None
            self._check_people(f"shifts[{i}]", s.officer, s.backup, s.leader)
        for i, o in enumerate(data.overrides):
            if o.end <= o.start:
                raise ConfigError(file, f"overrides[{i}]", "end must be after start")
            self._check_people(f"overrides[{i}]", o.officer, o.backup, o.leader)

    def _check_people(self, where: str, *ids: str | None) -> None:
        for role, pid in zip(("officer", "backup", "leader"), ids, strict=True):
            if pid is not None and pid not in self.people:
                raise ConfigError(self.file, f"{where}.{role}", f"unknown person {pid!r} (not under people:)")

    def _aware(self, t: datetime) -> datetime:
        return t if t.tzinfo else t.replace(tzinfo=self.tz)

    def _duty(self, name: str, start: datetime, end: datetime, o: str, b: str | None, l: str | None) -> Duty:  # noqa: E741
        return Duty(
            officer=self.people[o],
            backup=self.people[b] if b else None,
            leader=self.people[l] if l else None,
            shift=name,
            start=start,
            end=end,
        )

    def _weekly_instances(self, day: date) -> list[Duty]:
        out = []
        for s in self._shifts:
            if _DAYS[day.weekday()] not in s.days:
                continue
            start = datetime.combine(day, _hm(s.start), tzinfo=self.tz)
            end = datetime.combine(day, _hm(s.end), tzinfo=self.tz)
            if end <= start:
                end += timedelta(days=1)
            out.append(self._duty(s.name or f"{s.start}-{s.end}", start, end, s.officer, s.backup, s.leader))
        return out

    def on_duty(self, at: datetime) -> Duty | None:
        """The duty at ``at`` (overrides first, then the weekly pattern); None in a gap."""
        t = at.astimezone(self.tz)
        for o in self._overrides:
            if self._aware(o.start) <= t < self._aware(o.end):
                return self._duty(
                    o.note or "调班", self._aware(o.start), self._aware(o.end), o.officer, o.backup, o.leader
                )
        for day in (t.date() - timedelta(days=1), t.date()):
            for d in self._weekly_instances(day):
                if d.start <= t < d.end:
                    return d
        return None

    def gaps(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Uncovered intervals in [start, end)."""
        start, end = start.astimezone(self.tz), end.astimezone(self.tz)
        spans: list[tuple[datetime, datetime]] = []
        day = start.date() - timedelta(days=1)
        while day <= end.date():
            spans += [(d.start, d.end) for d in self._weekly_instances(day)]
            day += timedelta(days=1)
        spans += [(self._aware(o.start), self._aware(o.end)) for o in self._overrides]
        spans.sort()
        gaps: list[tuple[datetime, datetime]] = []
        cursor = start
        for s, e in spans:
            if e <= cursor:
                continue
            if s > cursor:
                gaps.append((cursor, min(s, end)))
            cursor = max(cursor, e)
            if cursor >= end:
                break
        if cursor < end:
            gaps.append((cursor, end))
        return [(s, e) for s, e in gaps if s < e]


class Unit(_M):
    """A responsible unit (归口单位): a bureau department, another authority's contact, a town's office."""

    name: str
    contact: str | None = None
    emails: tuple[str, ...] = ()
    phone: str | None = None
    group: str | None = None  # the key of a group target (any group channel's section), e.g. the unit's robot


def _known_channels(v: tuple[str, ...]) -> tuple[str, ...]:
    bad = [c for c in v if c not in NOTIFIERS]
    if bad:
        raise ValueError(f"unknown channel(s) {bad}; known: {sorted(NOTIFIERS)}")
    return v


class LevelRoute(_M):
    notify: tuple[Role, ...] = ("duty_officer",)
    channels: tuple[str, ...] = ("email",)  # registered notifier channels (alerting.notifiers)
    # keys of group targets (any group channel's section); ``webhooks:`` is its name from before other groups
    # the plugin reads AliasChoices as a dynamic alias; the field has a default, so it is never required
    groups: tuple[str, ...] = Field(default=(), validation_alias=AliasChoices("groups", "webhooks"))  # type: ignore[pydantic-alias]
    ack_minutes: int | None = Field(None, ge=1)  # None: no acknowledgement expected
    digest_only: bool = False  # level IV: no immediate message, only the digest
    incident: bool = False  # open an incident (突发事件) for this level

    _channels = field_validator("channels")(_known_channels)


class DigestConfig(_M):
    hourly: bool = True
    daily: bool = True
    notify: tuple[Role, ...] = ("duty_officer",)
    emails: tuple[str, ...] = ()


class RoutingConfig(_M):
    levels: dict[Literal["I", "II", "III", "IV"], LevelRoute]
    escalation: tuple[Role, ...] = ("duty_backup", "duty_leader")
    units: dict[str, Unit] = {}
    industries: dict[str, str] = {}  # industry -> unit key
    towns: dict[str, str] = {}  # town -> unit key
    default_unit: str | None = None
    digest: DigestConfig = DigestConfig()
    fallback_emails: tuple[str, ...] = ()  # used (with the admins) when the roster has a gap
    # channel -> its notifier's own section (group: target key -> Target; person: Config), read by load_routing
    _sections: dict[str, Any] = PrivateAttr(default_factory=dict)

    def section(self, channel: str) -> Any:
        """The parsed routing.yaml section of ``channel``'s notifier; None when the file has none."""
        return self._sections.get(channel)

    @property
    def group_channels(self) -> dict[str, str]:
        """Group target key -> its channel."""
        return {
            key: ch
            for ch, sec in self._sections.items()
            if notifier_class(ch).audience == "group"
            for key in sec
        }


@dataclass(frozen=True, slots=True)
class Recipient:
    role: str
    name: str
    channel: str  # a registered notifier channel
    address: str  # e-mail address, phone number, or the key of a group target

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.address}"


@dataclass
class Route:
    level: Severity
    recipients: list[Recipient]
    unit_key: str | None
    unit: Unit | None
    ack_minutes: int | None
    digest_only: bool
    incident: bool
    duty: Duty | None
    problems: list[str] = field(default_factory=list)  # roster gap, person without email... (recorded on the alert)


class Router:
    """Resolves a level + town + industry + time to recipients (roster, units, group targets, fallbacks)."""

    def __init__(
        self, config: RoutingConfig, roster: Roster, *, admin_emails: tuple[str, ...] = (), file: str = ""
    ) -> None:
        self.config = config
        self.roster = roster
        self.admin_emails = admin_emails
        for lv in ("I", "II", "III", "IV"):
            if lv not in config.levels:
                raise ConfigError(file, f"levels.{lv}", "missing: every level I..IV needs a route")
        self.groups = config.group_channels
        for key, u in config.units.items():
            if u.group and u.group not in self.groups:
                raise ConfigError(file, f"units.{key}.group", f"unknown group target {u.group!r}{_defined(config)}")
        for section in ("industries", "towns"):
            for k, unit in getattr(config, section).items():
                if unit not in config.units:
                    raise ConfigError(file, f"{section}.{k}", f"unknown unit {unit!r} (not under units:)")
        if config.default_unit and config.default_unit not in config.units:
            raise ConfigError(file, "default_unit", f"unknown unit {config.default_unit!r}")
        for lv, r in config.levels.items():
            for ch in r.channels:
                cls = notifier_class(ch)
                if cls.audience == "person" and cls.section and config.section(ch) is None:
                    raise ConfigError(
                        file, f"levels.{lv}.channels", f"channel {ch!r} needs its settings under {cls.section}:"
                    )
            for w in r.groups:
                if w not in self.groups:
                    raise ConfigError(file, f"levels.{lv}.groups", f"unknown group target {w!r}{_defined(config)}")
                if self.groups[w] not in r.channels:
                    raise ConfigError(
                        file,
                        f"levels.{lv}.groups",
                        f"{w!r} is a {self.groups[w]} target but {self.groups[w]!r} is not in this level's channels",
                    )

    def unit_for(self, *, town: str | None, industry: str | None) -> tuple[str | None, Unit | None]:
        """归口: the industry's authority first (e.g. construction), else the town's office, else the default."""
        key = None
        if industry and industry in self.config.industries:
            key = self.config.industries[industry]
        elif town and town in self.config.towns:
            key = self.config.towns[town]
        else:
            key = self.config.default_unit
        return key, (self.config.units.get(key) if key else None)

    def _people(
        self,
        roles: tuple[str, ...],
        duty: Duty | None,
        unit: Unit | None,
        problems: list[str],
        channels: tuple[str, ...] = ("email",),
    ) -> list[Recipient]:
        """The people (and units) of ``roles`` on the person channels among ``channels``; a unit's group target too
        when its channel is among them. The administrators are reached at ``alerting.admin_emails``."""
        person = [(ch, notifier_class(ch)) for ch in channels if notifier_class(ch).audience == "person"]
        out: list[Recipient] = []
        for role in roles:
            if role == "unit":
                if unit is None:
                    continue
                for ch, cls in person:
                    out += [Recipient("unit", unit.contact or unit.name, ch, a) for a in _addresses(unit, cls)]
                if unit.group and self.groups.get(unit.group) in channels:
                    out.append(Recipient("unit", unit.name, self.groups[unit.group], unit.group))
            elif role == "admin":
                out += [Recipient("admin", "系统管理员", "email", e) for e in self.admin_emails]
            else:
                if duty is None:
                    continue
                p = duty.person(role)
                if p is None:
                    problems.append(f"值班表当前班次（{duty.shift}）未设置{role}")
                    continue
                for ch, cls in person:
                    addresses = _addresses(p, cls)
                    if not addresses:
                        problems.append(f"{p.name}（{role}）没有{cls.address_label}")
                    out += [Recipient(role, p.name, ch, a) for a in addresses]
        return out

    def _fallback(self, problems: list[str], at: datetime) -> list[Recipient]:
        problems.append(f"值班表在{at.astimezone(self.roster.tz):%Y-%m-%d %H:%M}无人值班，已转发备用收件人")
        emails = tuple(dict.fromkeys(self.config.fallback_emails + self.admin_emails))
        return [Recipient("admin", "备用收件人", "email", e) for e in emails]

    def route(self, level: Severity, *, town: str | None, industry: str | None, at: datetime) -> Route:
        lr = self.config.levels[level.value]
        duty = self.roster.on_duty(at)
        unit_key, unit = self.unit_for(town=town, industry=industry)
        problems: list[str] = []
        recipients: list[Recipient] = []
        if not lr.digest_only:
            if any(notifier_class(ch).audience == "person" for ch in lr.channels):
                recipients = self._people(lr.notify, duty, unit, problems, lr.channels)
                if duty is None and any(r.startswith("duty_") for r in lr.notify):
                    recipients += self._fallback(problems, at)
            recipients += [Recipient("group", w, self.groups[w], w) for w in lr.groups]
            if not recipients:
                problems.append(f"{level.label_zh}预警没有可用收件人")
        return Route(
            level=level,
            recipients=_dedup(recipients),
            unit_key=unit_key,
            unit=unit,
            ack_minutes=lr.ack_minutes,
            digest_only=lr.digest_only,
            incident=lr.incident,
            duty=duty,
            problems=problems,
        )

    def escalation_recipients(self, step: int, *, at: datetime) -> tuple[list[Recipient], list[str]]:
        """Recipients of escalation step ``step`` (1 = first role of ``escalation``); empty when exhausted."""
        problems: list[str] = []
        if step < 1 or step > len(self.config.escalation):
            return [], problems
        role = self.config.escalation[step - 1]
        duty = self.roster.on_duty(at)
        out = self._people((role,), duty, None, problems)
        if duty is None:
            out += self._fallback(problems, at)
        return _dedup(out), problems

    def digest_recipients(self, *, at: datetime) -> list[Recipient]:
        problems: list[str] = []
        duty = self.roster.on_duty(at)
        out = self._people(self.config.digest.notify, duty, None, problems)
        out += [Recipient("extra", e, "email", e) for e in self.config.digest.emails]
        if not out:
            out = self._fallback(problems, at)
        return _dedup(out)


def _addresses(contact: Person | Unit, cls: Any) -> tuple[str, ...]:
    """A person's or unit's addresses on a person channel (``address_field``, or its plural: Unit.emails)."""
    field_name = cls.address_field
    v = getattr(contact, field_name, None)
    if v is None:
        v = getattr(contact, field_name + "s", None)
    if not v:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def _defined(config: RoutingConfig) -> str:
    keys = sorted(config.group_channels)
    sections = [cls.section for cls in NOTIFIERS.values() if cls.audience == "group"]
    return f" (defined: {keys})" if keys else f" (none defined under {', '.join(str(s) for s in sections)})"


def _dedup(rs: list[Recipient]) -> list[Recipient]:
    seen: set[str] = set()
    out = []
    for r in rs:
        if r.key not in seen:
            seen.add(r.key)
            out.append(r)
    return out


def _load_model(model: type[BaseModel], path: Path, data: Any = None) -> Any:
    data = load_yaml(path) if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "top level must be a mapping")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise config_error(str(path), exc) from None


def _load_routing_config(path: Path) -> RoutingConfig:
    """routing.yaml: each group channel's section checked by its notifier's Target model, the rest by RoutingConfig."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "top level must be a mapping")
    data = dict(data)
    sections: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for channel, cls in sorted(NOTIFIERS.items()):
        if not cls.section or cls.section not in data:
            continue
        raw = data.pop(cls.section)
        model: Any = dict[str, cls.Target] if cls.audience == "group" else cls.Config  # type: ignore[name-defined]
        try:
            parsed = TypeAdapter(model).validate_python({} if raw is None and cls.audience == "group" else raw)
        except ValidationError as exc:
            raise config_error(str(path), exc, prefix=str(cls.section)) from None
        if cls.audience == "group":
            for key in parsed:
                if key in owner:
                    raise ConfigError(
                        str(path), f"{cls.section}.{key}", f"target name {key!r} is also used under {owner[key]}:"
                    )
                owner[key] = str(cls.section)
        sections[channel] = parsed
    cfg: RoutingConfig = _load_model(RoutingConfig, path, data)
    cfg._sections.update(sections)
    return cfg


def load_roster(settings: Settings, path: Path | None = None) -> Roster:
    p = path or settings.config_file(ROSTER_FILE)
    data = _load_model(_RosterFile, p)
    try:
        ZoneInfo(data.timezone)
    except (KeyError, ValueError):
        raise ConfigError(str(p), "timezone", f"unknown time zone {data.timezone!r}") from None
    return Roster(data, file=str(p))


def load_routing(settings: Settings, roster: Roster | None = None, path: Path | None = None) -> Router:
    p = path or settings.config_file(ROUTING_FILE)
    cfg = _load_routing_config(p)
    return Router(cfg, roster or load_roster(settings), admin_emails=settings.alerting.admin_emails, file=str(p))


def check_config(settings: Settings, *, now: datetime | None = None) -> list[str]:
    """Validate roster and routing; return warnings, including every roster gap in the next check_days."""
    roster = load_roster(settings)
    router = load_routing(settings, roster)
    warnings: list[str] = []
    start = (now or datetime.now(roster.tz)).astimezone(roster.tz)
    for s, e in roster.gaps(start, start + timedelta(days=roster.check_days)):
        warnings.append(
            f"{roster.file}: roster gap (无人值班) {s:%Y-%m-%d %H:%M} -> {e:%Y-%m-%d %H:%M} {roster.tz.key}"
        )
    used = sorted({ch for r in router.config.levels.values() for ch in r.channels} | {"email"})
    for ch in used:
        cls = notifier_class(ch)
        if cls.audience == "person":
            for pid, p in roster.people.items():
                if not _addresses(p, cls):
                    warnings.append(
                        f"{roster.file}: people.{pid} ({p.name}) has no {cls.address_field}: cannot be alerted by {ch}"
                    )
        warnings += [
            f"{settings.config_file(ROUTING_FILE)}: {w}"
            for w in cls.config_warnings(settings, router.config.section(ch))
        ]
    if not router.config.fallback_emails and not settings.alerting.admin_emails:
        warnings.append(
            f"{settings.config_file(ROUTING_FILE)}: no fallback_emails and no alerting.admin_emails: "
            "alerts in a roster gap would reach nobody"
        )
    for lv, r in router.config.levels.items():
        if lv in ("I", "II") and r.ack_minutes is None:
            warnings.append(f"{settings.config_file(ROUTING_FILE)}: levels.{lv} has no ack_minutes: no escalation")
    return warnings
