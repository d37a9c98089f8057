"""Unlinked employer mentions: alerts whose employer the linker could not find in the registry.

Staff link a mention to a registry company (it becomes one of the company's aliases) or add the firm to the registry
with the mention as an alias. Either way the mention is found next time: the profile counts those alerts at once,
and :func:`export_registry_csv` writes the registry (aliases included) in the format the NLP linker reads
(``configs/companies.csv``), so linking improves with use.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, or_, select

from lwcore.db import Database, utcnow

from .errors import NotFound, ValidationError
from .history import add_history
from .models import BlacklistEntry, Company, CompanyAlias, SupervisionEntry
from .registry import MAX_NAME, CompanyView, Registry
from .uscc import is_test_code, normalize_credit_code

__all__ = ["Mention", "unlinked_mentions", "link_mention", "add_company_from_mention", "export_registry_csv",
           "REGISTRY_CSV_HEADER"]

REGISTRY_CSV_HEADER = ("credit_code", "name", "aliases", "town", "industry", "key_supervision")


@dataclass(frozen=True)
class Mention:
    name: str
    alerts: int
    last_seen: datetime


def unlinked_mentions(db: Database, *, limit: int = 200) -> list[Mention]:
    """Employer names of unregistered alerts that are neither a registry name nor an alias, most alerts first."""
    from alerting.models import Alert

    known = select(Company.name).union(select(CompanyAlias.alias))
    with db.sessions() as s:
        rows = s.execute(
            select(Alert.company_name, func.count(Alert.id), func.max(Alert.last_seen))
            .where(Alert.company_id.is_(None), Alert.company_registered.is_(False), Alert.company_name.is_not(None),
                   Alert.company_name.not_in(known))
            .group_by(Alert.company_name).order_by(func.count(Alert.id).desc(), Alert.company_name).limit(limit)
        ).all()
    return [Mention(str(name), int(n), last) for name, n, last in rows]


def _mention(text: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationError("mention", "empty")
    if len(value) > MAX_NAME:
        raise ValidationError("mention", f"{len(value)} characters, at most {MAX_NAME}")
    return value


def link_mention(db: Database, mention: str, credit_code: str, *, actor: str,
                 now: datetime | None = None) -> CompanyView:
    """Make ``mention`` an alias of the registry company ``credit_code``."""
    mention = _mention(mention)
    with db.session() as s:
        company = s.get(Company, credit_code)
        if company is None:
            raise NotFound("company", credit_code)
        owner = s.scalar(select(CompanyAlias.credit_code).where(CompanyAlias.alias == mention))
        if owner is not None and owner != credit_code:
            raise ValidationError("mention", f"{mention!r} is already an alias of {owner}")
        if mention != company.name and owner is None:
            s.add(CompanyAlias(credit_code=credit_code, alias=mention))
        add_history(s, actor=actor, action="mention.link", target_type="company", target_id=credit_code,
                    detail={"mention": mention}, now=now)
    view = Registry(db).get(credit_code)
    assert view is not None
    return view


def add_company_from_mention(db: Database, mention: str, *, credit_code: str, name: str, actor: str,
                             town: str | None = None, industry: str | None = None,
                             now: datetime | None = None) -> CompanyView:
    """Add a firm to the registry with ``mention`` as its alias (when it differs from the name)."""
    mention, code = _mention(mention), normalize_credit_code(credit_code)
    name = (name or "").strip() or mention
    if len(name) > MAX_NAME:
        raise ValidationError("name", f"{len(name)} characters, at most {MAX_NAME}")
    now = now or utcnow()
    with db.session() as s:
        if s.get(Company, code) is not None:
            raise ValidationError("credit_code", f"{code} is already in the registry: link the mention instead")
        s.add(Company(credit_code=code, name=name, town=(town or "").strip() or None,
                      industry=(industry or "").strip() or None, key_supervision=False, is_test=is_test_code(code),
                      created_at=now, updated_at=now))
        s.flush()
        if mention != name:
            s.add(CompanyAlias(credit_code=code, alias=mention))
        add_history(s, actor=actor, action="mention.add_company", target_type="company", target_id=code,
                    detail={"mention": mention, "name": name}, now=now)
    view = Registry(db).get(code)
    assert view is not None
    return view


def export_registry_csv(db: Database, path: Path | None = None, *, known_towns: set[str] | None = None) -> str:
    """The registry as the NLP linker's CSV (``configs/companies.csv`` format). ``key_supervision`` is true for a
    firm flagged in the registry, on the key supervision list now, or on the wage-arrears blacklist now, so
    severity that reads the flag rises for them. A town outside ``known_towns`` (regions.yaml) is left empty, as
    the linker refuses unknown towns. Written to ``path`` when given; the text is returned."""
    with db.sessions() as s:
        aliases: dict[str, list[str]] = {}
        for code, alias in s.execute(select(CompanyAlias.credit_code, CompanyAlias.alias).order_by(CompanyAlias.id)):
            aliases.setdefault(code, []).append(alias)
        flagged = set(s.scalars(select(SupervisionEntry.credit_code).where(SupervisionEntry.status == "active")))
        flagged |= set(s.scalars(select(BlacklistEntry.credit_code).where(BlacklistEntry.status == "listed")))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(REGISTRY_CSV_HEADER)
        for c in s.scalars(select(Company).order_by(Company.credit_code)):
            w.writerow([c.credit_code, c.name, "|".join(a.replace("|", " ") for a in aliases.get(c.credit_code, [])),
                        c.town if c.town and (known_towns is None or c.town in known_towns) else "",
                        c.industry or "",
                        "true" if c.key_supervision or c.credit_code in flagged else "false"])
    text = buf.getvalue()
    if path is not None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return text


def alerts_filter(credit_code: str, names: list[str]):  # type: ignore[no-untyped-def]
    """SQL condition for a firm's alerts: linked by code, or unregistered with its name or an alias."""
    from alerting.models import Alert

    return or_(Alert.company_id == credit_code,
               (Alert.company_id.is_(None)) & (Alert.company_name.in_(names)))
