"""Variants of one employer name (see :mod:`nlp.entities`): a shorter way of writing a longer mention merges into
it (nested, or the same core name), except where the labels keep the form the text writes most (two placed forms of
one name, a company also written without its branch). Split out of :mod:`nlp.entities.employers` (entity round 7).
"""

from __future__ import annotations

import re

from nlp.entity_patterns import _MASKED_CHAIN, _ORG_END
from nlp.linking import normalize_company_name


def _core(name: str) -> str:
    return normalize_company_name(_MASKED_CHAIN.sub("", name))


# what a longer placed form may add before the name: nothing, or a town (I市I5县清塘镇XX煤矿 / I5县XX煤矿)
_TOWN_PART = re.compile(r"(?:[\u4e00-\u9fff]{1,4}(?:镇|乡|街道))?")


def _placed_variant(longer: str, shorter: str) -> bool:
    """Two placed ways of writing one name (B市B3区环卫处 / B3区环卫处, I市I5县清塘镇XX煤矿 / I5县XX煤矿): both
    start with a masked place chain, the shorter one's chain ends the longer one's and its core ends the longer's."""
    lm, sm = _MASKED_CHAIN.match(longer), _MASKED_CHAIN.match(shorter)
    if lm is None or sm is None:
        return False
    core, lcore = shorter[sm.end():], longer[lm.end():]
    return (len(core) >= 2 and lm.group(0).endswith(sm.group(0)) and lcore.endswith(core)
            and bool(_TOWN_PART.fullmatch(lcore[: len(lcore) - len(core)])))


def _head_office_and_placed(a: str, b: str) -> bool:
    """A head office (中国XX总公司, XX总厂) and a company written with a masked place (F市XX公司): two organisations."""
    return any(x.endswith(("总公司", "总厂")) and _MASKED_CHAIN.match(y) is not None for x, y in ((a, b), (b, a)))


_FACTORY_HEAD = re.compile(r"(?:工厂|厂)$")


def _factory_of(short: str, core: str, longer: str, lcore: str) -> bool:
    """A short form written with a bare 厂 of a registered company name that carries the same 字号 and trade
    (新亚包装厂 / 上海新亚包装材料有限公司): one organisation, the fullest form wins (round 10)."""
    m = _FACTORY_HEAD.search(core)
    return (m is not None and m.start() >= 3 and longer.endswith("公司") and not _head_office_and_placed(longer, short)
            and lcore.startswith(core[: m.start()]))


def _alone_count(text: str, name: str, longer: str) -> int:
    """How often ``name`` is written outside the occurrences of ``longer``."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(longer), text)]
    return sum(1 for m in re.finditer(re.escape(name), text)
               if not any(a <= m.start() and m.end() <= b for a, b in spans))


def _merge_variants(cands: dict[str, float], text: str | None = None) -> list[str]:
    """Drop a mention that is a shorter way of writing a longer one (nested, or same core name: 金禾物业公司 in
    A市A2区金禾物业有限公司); its evidence is added (halved) to the longer mention."""
    kept: list[str] = []
    cores: dict[str, str] = {}
    absorbed: dict[str, str] = {}  # a longer form replaced by a shorter one -> that one (variants still merge)
    for n in sorted(cands, key=len, reverse=True):
        c = _core(n)
        # a head office and a placed company of one name are two organisations (中国华联总公司 / F市华联公司, round 9)
        host = next((k for k in kept if n in k or (len(c) >= 2 and c in cores[k] and not _head_office_and_placed(k, n))
                     or _factory_of(n, c, k, cores[k])), None)
        if host is None:
            host = next((absorbed[k] for k in absorbed if n in k), None)
            if host is not None:
                cands[host] += cands[n] * 0.5
                continue
        if host is not None:
            cands[host] += cands[n] * 0.5
            if text is not None and ((_placed_variant(host, n) and _alone_count(text, n, host) >= text.count(host))
                                     or (host.startswith(n) and _ORG_END.search(n)
                                         and host.endswith(("分公司", "分厂"))
                                         and text.count(n) > text.count(host))):
                # K市宏光服务有限公司K2区分公司 with K市宏光服务有限公司 also written alone: the company is meant
                # B市B3区环卫处 written once, B3区环卫处 once or more: the labels keep the form the text uses
                # most, a tie the shorter (of two placed forms of one name; also I市I5县XX镇YY矿 / I5县YY矿)
                kept[kept.index(host)] = n
                cands[n] = cands.pop(host) + cands[n] * 0.5
                cores[n] = cores.pop(host)
                absorbed[host] = n
        else:
            kept.append(n)
            cores[n] = c
    return kept
