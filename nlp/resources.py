"""Where the nlp room's data files live, and ``check_config`` for ``laborwatch config check``.

Files (under ``settings.config_path``): ``regions.yaml``, ``companies.csv``, ``lexicon/labour_terms.yaml``,
``lexicon/severity.yaml``. Each loader raises :class:`lwcore.errors.ConfigError` with file, key/row and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lwcore.settings import Settings
from nlp.bundle import DEFAULT_MODEL_DIR

__all__ = ["ResourcePaths", "check_config", "DEFAULT_MODEL_DIR"]



@dataclass(frozen=True, slots=True)
class ResourcePaths:
    regions: Path
    companies: Path
    labour_terms: Path
    severity: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> ResourcePaths:
        return cls(
            regions=settings.config_file("regions.yaml"),
            companies=settings.config_file("companies.csv"),
            labour_terms=settings.config_file("lexicon/labour_terms.yaml"),
            severity=settings.config_file("lexicon/severity.yaml"),
        )

    def all(self) -> tuple[Path, ...]:
        return (self.regions, self.companies, self.labour_terms, self.severity)


def check_config(settings: Settings) -> list[str]:
    """Load and validate every nlp config file; raise ConfigError on the first invalid one; return warnings."""
    from nlp.lexicon import Lexicon
    from nlp.regions import Regions
    from nlp.registry import CompanyRegistry
    from nlp.severity import SeverityRules

    paths = ResourcePaths.from_settings(settings)
    warnings: list[str] = []
    regions = Regions.load(paths.regions)
    towns = {t.name for t in regions.towns}
    registry = CompanyRegistry.load(paths.companies, known_towns=towns)
    Lexicon.load(paths.labour_terms)
    SeverityRules.load(paths.severity)
    if len(registry) == 0:
        warnings.append(f"{paths.companies}: registry is empty; no employer will be linked")
    seen: dict[str, str] = {}
    for c in registry:
        for a in (c.name, *c.aliases):
            other = seen.get(a)
            if other and other != c.id:
                warnings.append(f"{paths.companies}: alias {a!r} is shared by {other} and {c.id} (ambiguous)")
            seen[a] = c.id
    from nlp.bundles import BundleStore

    model_dir = (Path(settings.nlp.model_dir) if settings.nlp.model_dir
                 else BundleStore.from_settings(settings).active_dir())
    if not (model_dir / "bundle.json").is_file():
        warnings.append(f"{model_dir}: no trained bundle (bundle.json); analysis runs on lexicon rules only")
        return warnings
    from nlp.members import member_status

    st = member_status(settings)
    for member, reason in st.missing.items():
        warnings.append(f"analyzer member {member!r} missing, analysis degraded ({reason}); {st.message_zh()}")
    return warnings
