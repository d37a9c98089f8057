"""The employer at the centre: the company registry, the key supervision and service list (重点监管服务名单),
guidance visits (指导走访), the wage-arrears
joint-discipline list (拖欠农民工工资失信联合惩戒名单) with credit repair, and company profiles (企业画像).

Public surface; see :mod:`companies.errors` for the exception tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lwcore.lazy import lazy_exports

from .errors import CompaniesError, InvalidTransition, NotFound, RegistryFileError, RowProblem, ValidationError

if TYPE_CHECKING:
    from .blacklist import BLACKLIST_STATUS_LABELS, REPAIR_LABELS, Blacklist, BlacklistView
    from .config import ProposalRules, SupervisionConfig, VisitPeriod, load_supervision_config
    from .registry import CompanyView, ImportReport, ParsedRegistry, Registry, parse_registry
    from .supervision import GROUNDS, STATUS_LABELS, EntryView, SupervisionList, VisitDue, VisitView
    from .uscc import check_character, is_test_code, normalize_credit_code

__all__ = [
    "BLACKLIST_STATUS_LABELS", "REPAIR_LABELS", "Blacklist", "BlacklistView",
    "CompaniesError", "InvalidTransition", "NotFound", "RegistryFileError", "RowProblem", "ValidationError",
    "CompanyView", "ImportReport", "ParsedRegistry", "Registry", "parse_registry",
    "GROUNDS", "STATUS_LABELS", "EntryView", "SupervisionList", "VisitDue", "VisitView",
    "ProposalRules", "SupervisionConfig", "VisitPeriod", "load_supervision_config",
    "check_character", "is_test_code", "normalize_credit_code",
]

# the registry, lists and their tables load on first use
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        **dict.fromkeys(("BLACKLIST_STATUS_LABELS", "REPAIR_LABELS", "Blacklist", "BlacklistView"), ".blacklist"),
        **dict.fromkeys(("ProposalRules", "SupervisionConfig", "VisitPeriod", "load_supervision_config"), ".config"),
        **dict.fromkeys(("CompanyView", "ImportReport", "ParsedRegistry", "Registry", "parse_registry"), ".registry"),
        **dict.fromkeys(
            ("GROUNDS", "STATUS_LABELS", "EntryView", "SupervisionList", "VisitDue", "VisitView"), ".supervision"
        ),
        **dict.fromkeys(("check_character", "is_test_code", "normalize_credit_code"), ".uscc"),
    },
)
