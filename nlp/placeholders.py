"""Placeholders for what a relevance decision must not depend on: the firm's name, the town and the counts.

Swapping the firm, the town or a number in a post must never change whether it is a labour dispute (issue 14,
invariance). A character n-gram model reads names as evidence like any other characters: the short-post member
(``nlp.short_member``) moved its logit by 1.5 on average when only the firm's name changed in a template, and by 0.3
to 0.5 for a town or a count (``bench/nlp_results.md``, round 21). Reading a text with those spans written as fixed
placeholders, in training and at inference alike, removes that by construction wherever the spans are found:

- a firm's name (:data:`FIRM`): every employer candidate the entity rules propose (registry names and aliases,
  legal-form names, shop and factory names: ``EntityExtractor.employer_candidates``) except public bodies, and any
  name ending in a legal form (有限公司, 集团...) that starts after a function word;
- a town (:data:`TOWN`): the district's places (``configs/regions.yaml``: towns, streets, aliases, landmarks) and any
  two-character head before 镇 / 街道 / 乡 (three characters at the start of a clause);
- a count or a sum (:data:`COUNT`): digits and numerals before a measure word (三十几名, 120个, 5万多), written
  as 几, keeping 万 / 亿 (the size of a sum stays).

Placeholders are words real posts use (某公司, 某镇, 几个月), so the text stays in the language the model learned.
A name the rules do not find stays as written: the guarantee holds for the names they find.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["Placeholders", "FIRM", "TOWN", "COUNT"]

FIRM = "某公司"
TOWN = "某镇"
COUNT = "几"
_CJK = "\u4e00-\u9fff"
#: Characters that end a name on its left: function words and the verbs around a name, punctuation.
_STOP = re.escape("在的被是与和向对给把将从由到为让跟同了及或、，。：；！？,.:;!?（）()【】“”\"' \n#@/")
_LEGAL = r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|集团)"
_LEGAL_NAME = re.compile(rf"[^{_STOP}]{{2,16}}?{_LEGAL}")
#: Heads that make 镇 / 街道 / 乡 a common noun (城镇, 乡镇, 古镇, 小镇...), not a town's name.
_GENERIC_HEAD = frozenset("城乡村重古市小集县大本该我你他她它这那各某全每")
_TOWN_TAIL = r"(?:镇|街道|乡)(?!村|长|政府|里|上|下|区|口)"
_TOWN3 = re.compile(rf"(?:(?<=[{_STOP}区市县])|^)([{_CJK}]{{3}}){_TOWN_TAIL}")
_TOWN2 = re.compile(rf"([{_CJK}]{{2}}){_TOWN_TAIL}")
_REPEATED_TOWN = re.compile(rf"{TOWN}+(?:镇|街道)")
#: Public bodies the employer rules may propose as candidates: not firm names (see :meth:`Placeholders.of_extractor`).
_PUBLIC = re.compile(r"政府|人社|法院|检察|公安|派出所|监察|仲裁|信访|街道办|居委|村委|(?:局|部|委|厅)$")
_NUMERALS = "零〇一二两三四五六七八九十百千"
_COUNT_RE = re.compile(
    rf"[上近约]?(?:\d+(?:[.,]\d+)*|[{_NUMERALS}]{{2,}}|[二两三四五六七八九十百千])(?:[{_NUMERALS}几余多来]|\d)*"
    rf"(万|亿)?(?=[万亿元块个名位人月天年号日岁次户家间台件辆多余来%％小周工员])")


class Placeholders:
    """``placeholders(text)``: ``text`` with firm names, towns and counts written as :data:`FIRM`, :data:`TOWN` and
    :data:`COUNT`. ``places``: the district's place words; ``names``: a function giving the employer names the
    entity rules find in a text (``EntityExtractor.employer_candidates``)."""

    def __init__(self, places: Iterable[str] = (), names: Callable[[str], Iterable[str]] | None = None) -> None:
        words = sorted({p for p in places if len(p) >= 2}, key=len, reverse=True)
        self._places = re.compile("|".join(map(re.escape, words))) if words else None
        self._names = names

    @classmethod
    def of_extractor(cls, extractor: object) -> Placeholders:
        """Placeholders over an ``nlp.entities.EntityExtractor``'s regions and employer candidates (a public body
        among them stays as written: 抗议政府 or 到人社局反映 is not a firm's name, and a member reading 某公司 there
        would take a protest against a government for one against an employer)."""
        regions = extractor.regions  # type: ignore[attr-defined]
        candidates = extractor.employer_candidates  # type: ignore[attr-defined]
        return cls(regions.words(), names=lambda text: [n for n, _ in candidates(text) if not _PUBLIC.search(n)])

    def __call__(self, text: str) -> str:
        out = text
        if self._names is not None:
            for name in sorted({n for n in self._names(text) if len(n) >= 2}, key=len, reverse=True):
                out = out.replace(name, FIRM)
        out = _LEGAL_NAME.sub(FIRM, out)
        if self._places is not None:
            out = self._places.sub(TOWN, out)
        out = _TOWN3.sub(_town, out)
        out = _TOWN2.sub(_town, out)
        out = _REPEATED_TOWN.sub(TOWN, out)
        return _COUNT_RE.sub(lambda m: COUNT + (m.group(1) or ""), out)


def _town(m: re.Match[str]) -> str:
    head = m.group(1)
    return m.group(0) if head[0] in _GENERIC_HEAD or head[-1] in _GENERIC_HEAD else TOWN
