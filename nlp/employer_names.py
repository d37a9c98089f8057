"""The last word on an employer mention: what :class:`nlp.entities.EntityExtractor` proposes is cleaned here before
it is returned (issue 14: places, bare heads, cut names, towns glued on, descriptions).

Rules, in order, for each ranked candidate:

1. a registry name or alias (``configs/companies.csv``) inside the candidate with only a place around it wins:
   ``赵巷圆通速递有限公司`` -> ``圆通速递有限公司``, and so does one followed by a place and an outlet word:
   ``韵达快递赵巷网点`` -> ``韵达快递``; unless the candidate as written is itself part of a longer registered name
   (``赵巷锦绣服装厂`` of ``上海赵巷锦绣服装厂``: the town is part of the 字号, the fuller form stays);
2. a town, street or district glued in front of a registered-looking name that carries its own city (上海..., 江苏...)
   is cut off: ``赵巷上海锐拓汽车配件有限公司`` -> ``上海锐拓汽车配件有限公司``, ``青浦区华新镇上海新鑫物流有限公司`` ->
   ``上海新鑫物流有限公司``;
3. never a place (``朱家角``), a bare head (``工地``, ``厂``, ``公司``), a place with a bare head (``赵巷工地``) or a
   description (``白鹤镇一鞋厂``, ``朱家角一工地``, ``某服装厂``) or several of a kind (``全区各乡镇中心小学``,
   ``各级医院``): dropped;
4. never a cut name: a legal-form name whose distinctive part, once the legal form and the industry words are
   taken off, is shorter than two characters (``鑫物流有限公司``, ``制品有限公司``): replaced by the longer candidate
   or text span that ends with it, else dropped;
5. the fullest name wins: a candidate contained in another kept candidate is merged into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.entity_patterns import _MASKED_CHAIN, CN_PLACES

__all__ = ["EmployerNameRules"]

_LEGAL = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团|公司|总厂|分厂|厂)$")
_INDUSTRY = re.compile(
    r"(?:汽车配件|汽车零部件|塑料制品|金属制品|制品|物流|快递|速递|科技|贸易|实业|建筑|建设|工程|劳务|服装|制衣|电子|机械|"
    r"包装材料|包装|材料|鞋业|食品|餐饮|物业|管理|服务|发展|投资|置业|房地产|装饰|装潢|印刷|化工|纺织|制造|设备|"
    r"信息技术|网络|商贸|运输|配件|五金|模具|家具|新材料|环保|能源|医疗器械|生物|智能)+$")
_CITY_START = re.compile(rf"^(?:{CN_PLACES}|青海|内蒙古|宁夏|新疆|西藏|中国)")
_CITY_BARE = re.compile(rf"(?:{CN_PLACES}|青海|内蒙古|宁夏|新疆|西藏)[省市]?"
                        r"(?:公司|工厂|厂|工地|企业|单位|集团|门店|项目|市场)")
# a country or region, or a foreign / local origin, with a bare head (美国公司, 韩国工厂, 外资企业, 香港公司: round 13)
_ORIGIN_BARE = re.compile(r"(?:美国|英国|法国|德国|日本|韩国|意大利|西班牙|俄罗斯|加拿大|澳大利亚|新加坡|"
                          r"马来西亚|印度|越南|泰国|台湾|香港|澳门|中国|外国|国外|海外|境外|外资|合资|欧美|"
                          r"日资|韩资|台资|港资|美资|国内|本地|当地|外地)"
                          r"(?:的)?(?:公司|工厂|厂|工地|企业|单位|集团|门店|项目|老板|市场)")
_DESCRIPTION = re.compile(r"^(?:一|某|一家|一个|这家|该|那家)[\u4e00-\u9fff]{0,4}"
                          r"(?:厂|工厂|公司|工地|项目|项目部|门店|店|企业|单位)$")
# several organisations of a kind, not one (round 7): 各 / 各级 / 各个 + a head, after a place or none
# (全区各乡镇中心小学, 各级医院, 各街道社区卫生服务中心). A placed kind without 各 (X县乡镇卫生院) stays: the
# labels keep it (dropping it too cost two labelled mentions)
_KIND = re.compile(r"^(?:全|本|我)?[区市县镇]?(?:各级|各个|各)(?:乡镇|街道|村|基层|区属|县属|市属|镇属|下属)?"
                   r"(?:中心|社区|国有)?(?:卫生服务中心|卫生院|医院|学校|中学|小学|幼儿园|企业|工厂|单位|事业单位|公司|厂|机关)$")
# a local outlet of a registered firm, after a place: 网点, 站点, 仓库, 分拨中心 (a named branch company stays whole)
_OUTLET = re.compile(r"(?:网点|站点|驿站|仓库|仓|分拨中心|转运中心|营业部|配送站|工地|项目部)?")
_SCHOOL_KINDS = {"小学", "中学", "幼儿园", "中小学", "学校"}
_BARE = {"工地", "厂", "工厂", "公司", "项目", "项目部", "企业", "单位", "门店", "店", "集团", "车间", "工程", "老板"}


class EmployerNameRules:
    """Cleans employer candidates against the registry forms and the place names of the district."""

    def __init__(self, *, registry_forms: Iterable[str], places: Iterable[str]) -> None:
        self.registry_forms = sorted({f for f in registry_forms if len(f) >= 2}, key=len, reverse=True)
        pl = {p for p in places if p}
        pl.update(p + s for p in list(pl) for s in ("镇", "街道") if not p.endswith(("镇", "街道")))
        self.places = sorted(pl, key=len, reverse=True)
        self._place_chain = re.compile(
            "^(?:" + "|".join(map(re.escape, self.places)) + ")+") if self.places else None
        self._registry_re = re.compile("|".join(map(re.escape, self.registry_forms))) if self.registry_forms else None

    def strip_places(self, name: str) -> tuple[str, str]:
        """(leading place chain, the rest)."""
        if self._place_chain is None:
            return "", name
        m = self._place_chain.match(name)
        return (m.group(0), name[m.end():]) if m else ("", name)

    def clean(self, name: str, text: str) -> str | None:
        """The mention to return for candidate ``name`` (None: not an employer name)."""
        place, rest = self.strip_places(name)
        if self._registry_re is not None and not (place and rest and self._inside_registered(name)):
            m = self._registry_re.search(name)
            if m and m.start() <= len(place) and _only_place_or_empty(self, name[:m.start()]) and \
                    m.end() == len(name):
                return m.group(0)
            if m and m.start() == 0 and _OUTLET.fullmatch(self.strip_places(name[m.end():])[1]) and \
                    self.strip_places(name[m.end():])[0]:
                return m.group(0)  # 韵达快递 + 赵巷 + 网点: a registered firm's local outlet names the firm
        if not rest or rest in _BARE or name in self.places:
            return None  # a place, a bare head, a place with a bare head
        if _CITY_BARE.fullmatch(name) or _ORIGIN_BARE.fullmatch(name):
            return None  # 上海公司, 江苏工厂, 美国公司: a province, city or country with a bare head (rounds 10, 13)
        if rest.lstrip("的") in _BARE or _MASKED_CHAIN.sub("", name) in _SCHOOL_KINDS:
            return None  # (B5区小学: a district has many schools, a masked place + 小学 is a kind, not one; round 16)
        if _DESCRIPTION.search(rest) or _DESCRIPTION.search(name) or _KIND.match(_MASKED_CHAIN.sub("", rest)):
            return None
        if place and _CITY_START.match(rest) and _LEGAL.search(rest):
            name = rest  # a town glued onto a registered name that carries its own city
        if self.is_cut(name):
            return self.complete(name, text)
        return name

    def _inside_registered(self, name: str) -> bool:
        """``name`` as written is part of a longer registered name (赵巷锦绣服装厂 in 上海赵巷锦绣服装厂): the town
        belongs to the registered 字号, so the fuller form as written stays."""
        return any(len(f) > len(name) and name in f for f in self.registry_forms)

    @staticmethod
    def is_cut(name: str) -> bool:
        """A legal-form name with less than two distinctive characters (鑫物流有限公司, 制品有限公司)."""
        m = _LEGAL.search(name)
        if not m or not m.group(0).endswith(("公司", "集团")):
            return False
        core = name[: m.start()]
        core = _INDUSTRY.sub("", core)
        return len(core) < 2

    def complete(self, name: str, text: str) -> str | None:
        """The longest span of ``text`` ending with ``name`` whose extra characters are name characters (no
        punctuation, function words or places only), cleaned again; None when there is none."""
        best: str | None = None
        for m in re.finditer(re.escape(name), text):
            s = m.start()
            k = s
            while k > 0 and k > s - 12 and re.match(r"[\u4e00-\u9fffA-Za-z0-9]", text[k - 1]) and \
                    text[k - 1] not in "的在是了和与对向被给把由从到为及":
                k -= 1
            cand = text[k: m.end()]
            if cand != name and not self.is_cut(cand):
                place, rest = self.strip_places(cand)
                cand = rest if place and _CITY_START.match(rest) else cand
                if best is None or len(cand) > len(best):
                    best = cand
        return best

    def clean_all(self, names: list[str], text: str) -> list[str]:
        """Clean every candidate, then merge a name contained in a longer kept one (the fullest name wins)."""
        out: list[str] = []
        for n in names:
            c = self.clean(n, text)
            if c and c not in out:
                out.append(c)
        return [n for n in out if not any(n != o and n in o for o in out)]


def _only_place_or_empty(rules: EmployerNameRules, prefix: str) -> bool:
    if not prefix:
        return True
    place, rest = rules.strip_places(prefix)
    return bool(place) and not rest
