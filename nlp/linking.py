"""Company linking: employer mention -> registry entry, with a method and a confidence.

Order: exact name (1.0) -> alias (0.95) -> normalised name, i.e. place prefixes (上海/上海市/青浦/青浦区/towns)
and legal-form suffixes (有限公司/股份有限公司/集团/...) removed on both sides (0.9) -> fuzzy (rapidfuzz ratio of
the normalised forms, accepted at >= ``fuzzy_min``; confidence = ratio * 0.85). An unlinked mention is kept with
``company_id=None`` and method ``none``.
"""

from __future__ import annotations

import re

from lwcore.domain import CompanyLink
from nlp.registry import Company, CompanyRegistry

__all__ = ["CompanyLinker", "normalize_company_name"]

_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团有限公司|集团股份有限公司|集团|总公司|分公司|公司|股份|控股|"
    r"专业合作社|合作社|有限合伙)$"
)
_PLACE_PREFIX = re.compile(
    r"^(中国|上海市|上海|青浦区|青浦|[A-Z]\d{0,2}[省市区县]|[\u4e00-\u9fff]{2}省|(?:[\u4e00-\u9fff]{1,3}(?:镇|街道)))"
)
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def normalize_company_name(name: str, *, extra_prefixes: tuple[str, ...] = ()) -> str:
    s = _BRACKETS.sub("", name).strip()
    for _ in range(3):
        before = s
        for p in extra_prefixes:
            if s.startswith(p) and len(s) > len(p) + 1:
                s = s[len(p):]
        m = _PLACE_PREFIX.match(s)
        if m and len(s) > m.end() + 1:
            s = s[m.end():]
        m2 = _LEGAL.search(s)
        if m2 and m2.start() >= 2:
            s = s[: m2.start()]
        if s == before:
            break
    return s


class CompanyLinker:
    def __init__(self, registry: CompanyRegistry, *, fuzzy_min: float = 80.0, town_names: tuple[str, ...] = ()):
        self.registry = registry
        self.fuzzy_min = fuzzy_min
        self._prefixes = tuple(sorted({*town_names, *(t[:-1] for t in town_names if t.endswith("镇"))},
                                      key=len, reverse=True))
        self._exact: dict[str, Company] = {}
        self._alias: dict[str, Company] = {}
        self._norm: dict[str, Company] = {}
        for c in registry:
            self._exact[c.name] = c
            for a in c.aliases:
                self._alias.setdefault(a, c)
            self._norm.setdefault(self._n(c.name), c)
            for a in c.aliases:
                self._norm.setdefault(self._n(a), c)
        self._norm_keys = [k for k in self._norm if len(k) >= 2]

    def _n(self, s: str) -> str:
        return normalize_company_name(s, extra_prefixes=self._prefixes)

    def link(self, mention: str) -> CompanyLink:
        c = self._exact.get(mention)
        if c:
            return self._mk(mention, c, 1.0, "exact")
        c = self._alias.get(mention)
        if c:
            return self._mk(mention, c, 0.95, "alias")
        n = self._n(mention)
        c = self._norm.get(n)
        if c and len(n) >= 2:
            return self._mk(mention, c, 0.9, "normalized")
        # alias contained in the mention (上海圆通速递青浦分部 -> 圆通速递)
        best: tuple[float, Company] | None = None
        for key in self._norm_keys:
            if len(key) >= 2 and key in n:
                score = 0.8 * min(1.0, len(key) / max(len(n), 1) + 0.4)
                if best is None or score > best[0]:
                    best = (score, self._norm[key])
        if best and best[0] >= 0.6:
            return self._mk(mention, best[1], round(best[0], 3), "fuzzy")
        if self._norm_keys and len(n) >= 2:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(n, self._norm_keys, scorer=fuzz.ratio, score_cutoff=self.fuzzy_min)
            if hit:
                key, score, _ = hit
                return self._mk(mention, self._norm[key], round(score / 100 * 0.85, 3), "fuzzy")
        return CompanyLink(mention=mention, company_id=None, name=None, confidence=0.0, method="none")

    def link_all(self, mentions: tuple[str, ...] | list[str]) -> tuple[CompanyLink, ...]:
        return tuple(self.link(m) for m in mentions)

    @staticmethod
    def _mk(mention: str, c: Company, conf: float, method: str) -> CompanyLink:
        return CompanyLink(
            mention=mention,
            company_id=c.id,
            name=c.name,
            confidence=conf,
            method=method,
            town=c.town,
            industry=c.industry,
            key_supervision=c.key_supervision,
        )
