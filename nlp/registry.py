"""The company registry (``configs/companies.csv``).

Columns: ``credit_code,name,aliases,town,industry,key_supervision``; aliases are ``|``-separated;
key_supervision is true/false (also 1/0, yes/no, 是/否).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lwcore.errors import ConfigError

__all__ = ["Company", "CompanyRegistry", "COLUMNS"]

COLUMNS = ("credit_code", "name", "aliases", "town", "industry", "key_supervision")
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否", ""}


@dataclass(frozen=True, slots=True)
class Company:
    id: str  # unified social credit code
    name: str
    aliases: tuple[str, ...]
    town: str | None
    industry: str | None
    key_supervision: bool


class CompanyRegistry:
    def __init__(self, companies: list[Company], *, path: str = "") -> None:
        self.path = path
        self._by_id = {c.id: c for c in companies}
        self._list = list(companies)

    @classmethod
    def load(cls, path: str | Path, *, known_towns: set[str] | None = None) -> CompanyRegistry:
        """Load and validate; raises :class:`ConfigError` with file, row and field on any problem."""
        path = Path(path)
        f = str(path)
        try:
            fh = path.open(encoding="utf-8-sig", newline="")
        except FileNotFoundError:
            raise ConfigError(f, "", "file not found") from None
        companies: list[Company] = []
        seen: dict[str, int] = {}
        with fh:
            try:
                reader = csv.DictReader(fh)
                header = reader.fieldnames or []
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    raise ConfigError(f, "header", f"missing column(s) {missing}; expected {list(COLUMNS)}")
                for row in reader:
                    rown = reader.line_num
                    companies.append(_parse_row(f, rown, row, seen, known_towns))
            except UnicodeDecodeError as exc:
                raise ConfigError(f, "", f"not UTF-8: {exc.reason} at byte {exc.start}") from None
        return cls(companies, path=f)

    def get(self, company_id: str) -> Company | None:
        return self._by_id.get(company_id)

    def all(self) -> list[Company]:
        return list(self._list)

    def __iter__(self) -> Iterator[Company]:
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    def words(self) -> list[str]:
        """Names and aliases for the segmenter dictionary."""
        out: list[str] = []
        for c in self._list:
            out.append(c.name)
            out.extend(c.aliases)
        return out


def _parse_row(
    f: str, rown: int, row: dict[str, str | None], seen: dict[str, int], known_towns: set[str] | None
) -> Company:
    def field(name: str) -> str:
        v = row.get(name)
        return (v or "").strip()

    if None in row:  # more cells than columns
        raise ConfigError(f, f"row {rown}", "more cells than header columns (an unquoted comma?)")
    code = field("credit_code")
    name = field("name")
    if not code:
        raise ConfigError(f, f"row {rown}.credit_code", "required")
    if not (len(code) == 18 and code.isalnum() and code.upper() == code):
        raise ConfigError(f, f"row {rown}.credit_code", f"{code!r} is not an 18-character upper-case code")
    if code in seen:
        raise ConfigError(f, f"row {rown}.credit_code", f"duplicate of row {seen[code]}")
    seen[code] = rown
    if not name:
        raise ConfigError(f, f"row {rown}.name", "required")
    ks = field("key_supervision").lower()
    if ks not in _TRUE and ks not in _FALSE:
        raise ConfigError(f, f"row {rown}.key_supervision", f"{ks!r} is not true/false")
    town = field("town") or None
    if town and known_towns is not None and town not in known_towns:
        raise ConfigError(f, f"row {rown}.town", f"{town!r} is not a town in regions.yaml")
    aliases = tuple(a.strip() for a in field("aliases").split("|") if a.strip())
    return Company(
        id=code,
        name=name,
        aliases=aliases,
        town=town,
        industry=field("industry") or None,
        key_supervision=ks in _TRUE,
    )
