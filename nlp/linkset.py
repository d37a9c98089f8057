"""A company-linking test set built from the labelled employers (no registry of those firms exists).

Every distinct labelled employer name becomes a registry entry (synthetic id); the mentions to link are the
written form and the variants people actually write: place prefix dropped (A市..., 西地省...), legal form
changed (有限公司 <-> 公司), the bare core name (legal form and places removed). Mentions that would be
ambiguous between two entries are left out. Used by ``bench/nlp_linking.py`` and the real-data quality test.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.data import LabelledItem
from nlp.linking import CompanyLinker, normalize_company_name
from nlp.registry import Company, CompanyRegistry

__all__ = ["build_link_set", "link_accuracy"]

_ORGLIKE = re.compile(r"(公司|集团|厂|项目部|工地|医院|学校|中学|小学|学院|煤矿|银行|分行|支行|物业|超市|酒店)$")
_PLACE = re.compile(r"^(?:[A-Z]\d{0,2}[省市区县]|西地省|[\u4e00-\u9fff]{2}省)+")


def build_link_set(items: Sequence[LabelledItem]) -> tuple[CompanyRegistry, list[tuple[str, str]]]:
    names = sorted({e.strip() for it in items for e in it.employers if len(e.strip()) >= 4 and _ORGLIKE.search(e)})
    companies = [Company(id=f"LINK{i:014d}", name=n, aliases=(), town=None, industry=None, key_supervision=False)
                 for i, n in enumerate(names)]
    pairs: dict[str, set[str]] = {}
    for c in companies:
        n = c.name
        variants = {n}
        stripped = _PLACE.sub("", n)
        if len(stripped) >= 3:
            variants.add(stripped)
        if n.endswith("有限公司"):
            variants.add(n[: -len("有限公司")] + "公司")
        elif n.endswith("公司") and not n.endswith("分公司"):
            variants.add(n[: -len("公司")] + "有限公司")
        core = normalize_company_name(n)
        if len(core) >= 3 and core != n:
            variants.add(core)
        for v in variants:
            pairs.setdefault(v, set()).add(c.id)
    out = [(m, next(iter(ids))) for m, ids in sorted(pairs.items()) if len(ids) == 1]
    return CompanyRegistry(companies, path="<labelled employers>"), out


def link_accuracy(
    registry: CompanyRegistry, pairs: Sequence[tuple[str, str]]
) -> tuple[float, list[tuple[str, str, str | None]]]:
    linker = CompanyLinker(registry)
    wrong = []
    ok = 0
    for mention, gold in pairs:
        got = linker.link(mention).company_id
        if got == gold:
            ok += 1
        else:
            wrong.append((mention, gold, got))
    return (ok / len(pairs) if pairs else 0.0), wrong
