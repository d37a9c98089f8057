"""District places from ``configs/regions.yaml``: towns/streets with aliases and landmark places."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lwcore.errors import ConfigError
from lwcore.settings import load_yaml

__all__ = ["Town", "Regions"]


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    kind: str  # town | street
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.places)


@dataclass(frozen=True, slots=True)
class Regions:
    district: str
    district_aliases: tuple[str, ...]
    towns: tuple[Town, ...]

    @classmethod
    def load(cls, path: str | Path) -> Regions:
        """Load and validate; raises :class:`ConfigError` (file, key, reason) on any problem."""
        path = Path(path)
        data = load_yaml(path)
        f = str(path)
        if not isinstance(data, dict):
            raise ConfigError(f, "", "expected a mapping with 'district' and 'towns'")
        d = data.get("district")
        if not isinstance(d, dict) or not isinstance(d.get("name"), str) or not d["name"].strip():
            raise ConfigError(f, "district.name", "required, a non-empty string")
        towns_raw = data.get("towns")
        if not isinstance(towns_raw, list) or not towns_raw:
            raise ConfigError(f, "towns", "required, a non-empty list")
        towns: list[Town] = []
        seen: set[str] = set()
        for i, t in enumerate(towns_raw):
            key = f"towns[{i}]"
            if not isinstance(t, dict):
                raise ConfigError(f, key, "expected a mapping with name/kind/aliases/places")
            name = t.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(f, f"{key}.name", "required, a non-empty string")
            if name in seen:
                raise ConfigError(f, f"{key}.name", f"duplicate town {name!r}")
            seen.add(name)
            kind = t.get("kind")
            if kind not in ("town", "street"):
                raise ConfigError(f, f"{key}.kind", f"must be 'town' or 'street', got {kind!r}")
            lists = {}
            for field in ("aliases", "places"):
                v = t.get(field, []) or []
                if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                    raise ConfigError(f, f"{key}.{field}", "must be a list of non-empty strings")
                lists[field] = tuple(x.strip() for x in v)
            unknown = set(t) - {"name", "kind", "aliases", "places"}
            if unknown:
                raise ConfigError(f, key, f"unknown key(s) {sorted(unknown)}")
            towns.append(Town(name.strip(), kind, lists["aliases"], lists["places"]))
        aliases = d.get("aliases", []) or []
        if not isinstance(aliases, list) or not all(isinstance(x, str) for x in aliases):
            raise ConfigError(f, "district.aliases", "must be a list of strings")
        return cls(d["name"].strip(), tuple(aliases), tuple(towns))

    def surface_index(self) -> dict[str, str]:
        """Every surface form (name, alias, place) -> town name. Longer forms win on overlap at match time."""
        out: dict[str, str] = {}
        for t in self.towns:
            for s in t.surface_forms:
                out.setdefault(s, t.name)
        return out

    def words(self) -> list[str]:
        """All place words for the segmenter dictionary."""
        w = [self.district, *self.district_aliases]
        for t in self.towns:
            w.extend(t.surface_forms)
        return w

    def get(self, name: str) -> Town | None:
        for t in self.towns:
            if t.name == name:
                return t
        return None
