"""Incident tracking: which open incident (alert) a relevant post belongs to, by online clustering.

A post is reduced to a :class:`PostSignal` (firm keys, towns, industries, sites, event types, character bigrams,
time). The :class:`IncidentTracker` holds the open incidents as :class:`IncidentProfile` objects and scores the post
against the few that share evidence with it (found through inverted indexes on firm keys, towns and rare
bigrams, so the cost does not grow with the number of open incidents). Each piece of evidence adds to a score:

- a shared firm: the linked registry id, or the core of the name (region prefix and legal suffix removed), so a
  short name, an alias and a full name meet; a contractor and its subcontractor named together in one post both
  become firms of the incident, so a later post naming either one joins it;
- a firm conflict: both name firms and none is shared (two firms with similar names stay apart);
- the place: town overlap (and a penalty when both name towns and none is shared), the industry of a
  description ("赵巷一工地" = a construction site in 赵巷镇) against the incident's firms' industries;
- what the workers give in place of a name: a road as the address ("厂在新府中路那边") and the surname of the boss
  or foreman ("胡老板", "包工头姓陈");
- a post naming no firm the analyzer read is searched for the names of open incidents' firms ("今天重固包装门口聚集",
  a shorter form ending in a trade word counts: "赵巷新城建设" for 赵巷新城建设发展), and a post naming a firm joins an
  incident whose posts named none the analyzer read when their text holds that name;
- the text: the cosine of the post's sentence embedding (the analyzer's e5 encoder) with the incident's centroid,
  or, where either has none, of IDF-weighted character-bigram vectors (reposts, follow-ups);
- time: an incident stays open while it had a post within ``idle_days`` (a sliding window, not a calendar week),
  and the score decays with the days since its last post.

Event types never split an incident: they accumulate (arrears, then a gathering, is one incident that grew).
The best incident whose score reaches ``join_threshold`` takes the post; otherwise the post opens a new
incident. A post that names firms of two open incidents is evidence that they are one: the tracker reports the
pair so the caller can merge them. Every decision carries its evidence (:class:`Decision`), and weights live in
:class:`TrackerWeights`, so hand merges and splits can be turned into labelled pairs to fit them.

The module is pure logic (no database): the alert engine persists each incident's profile on its alert row.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from lwcore.domain import COMMON_SURNAMES, AnalyzedPost, CompanyLink

__all__ = [
    "EVIDENCE_LABELS_ZH",
    "Decision",
    "IncidentProfile",
    "IncidentTracker",
    "PostSignal",
    "TrackerWeights",
    "core_name",
    "evidence_zh",
    "non_report_genre",
    "signal_of",
]

# --- vocabulary (data, not logic) ---------------------------------------------------------------------------

# legal suffixes and organisational heads, longest first
_SUFFIXES = (
    "有限责任公司", "股份有限公司", "集团有限公司", "有限公司", "分公司", "子公司", "集团", "公司", "工作室",
    "合作社", "经营部", "商行", "门市部", "工厂", "厂",
)
_REGION = r"(?:中国|上海市|上海|青浦区|青浦)"
# a firm's role in a contracting chain, written before its name ("总包XX", "劳务分包XX")
_ROLE_PREFIX = re.compile(r"^(?:施工总承包|总承包|总包方?|劳务分包|专业分包|分包方?|承包方?|发包方?|劳务公司)")
_REGION_PREFIX = re.compile(f"^{_REGION}+")
_BRACKETS = re.compile(r"[（(][^）)]{0,12}[）)]")
# words that make a mention a government body or a meeting, never an employer
_NOT_EMPLOYER = re.compile(
    r"部署|会议|政府|人社局|人力资源和|社会保障局|委员会|办公室|管委会|仲裁|法院|公安|派出所|信访|工会"
    r"|^[\u4e00-\u9fff]{1,4}(?:镇|街道|区|村|乡)$"
)
# genres that talk about wage arrears without reporting one: official meetings, notices and reminders, and
# job adverts promising wages paid on time. A post of such a genre with no first-hand complaint raises no alert.
_OFFICIAL = re.compile(
    r"召开[^，。]{0,20}(?:会|会议)|推进会|座谈会|联席会议|部署[^，。]{0,12}(?:行动|工作)|专项行动|"
    r"(?:人社局|人社部门|监察大队|政府)[^，。]{0,6}(?:提醒|提示|通知|公告)|拨打12333|答记者问"
)
_ADVERT = re.compile(r"(?:招聘|急招|诚聘|招工|高薪招)[^。]{0,40}(?:不拖欠|按时发|按月发放|准时发|五险|社保|包吃住)")
_COMPLAINT = re.compile(
    r"拖欠(?:我|我们|了我)|欠(?:我|我们)|讨薪|讨要|没发|不发|未发|维权|聚集|停工|罢工|围堵|举报|求助|投诉无门|跑路"
)

# industry of a description: head words -> registry industry codes (configs/companies.csv `industry`)
INDUSTRY_HEADS: dict[str, tuple[str, ...]] = {
    "construction": ("工地", "项目部", "建筑", "施工", "工程", "楼盘", "总包", "分包", "包工头", "建设"),
    "garment": ("服装", "制衣", "针织", "纺织", "成衣", "服饰", "衣厂"),
    "logistics": ("快递", "物流", "仓储", "分拣", "快运", "货运", "配送", "驿站"),
    "catering": ("餐饮", "饭店", "餐厅", "酒楼", "食堂", "火锅"),
    "manufacturing": ("工厂", "制造", "机械", "电子厂", "零件", "配件", "汽配", "模具", "五金", "塑料", "制品", "包装",
                      "印刷", "家具", "电器", "化工"),
    "food_processing": ("食品",),
    "retail": ("超市", "商场", "门店", "便利店", "卖场"),
    "labour_dispatch": ("劳务派遣", "劳务公司", "人力资源公司"),
    "property_management": ("物业", "保安"),
    "security_services": ("保安",),
    "education": ("学校", "培训", "幼儿园"),
    "healthcare": ("医院", "诊所"),
    "real_estate": ("房地产", "置业"),
    "tourism": ("景区", "旅游"),
}
_HEADS = r"(?:工地|工厂|厂|公司|企业|单位|店|项目|项目部)"
# a bare head or a description ("工地", "一家服装厂", "某建筑公司"), not a name
_GENERIC = re.compile(
    r"^(?:[一某该这那此][家个处所]?)?(?:"
    + "|".join(sorted({h for hs in INDUSTRY_HEADS.values() for h in hs}, key=len, reverse=True))
    + r")?"
    + _HEADS
    + "$"
)
# a place-and-kind description used as a name ("夏阳一服装厂", "华新镇某企业")
_DESCRIBED = re.compile(r"^[\u4e00-\u9fff]{0,5}?(?:的)?(?:一|某)(?:家|个|处|所)?[\u4e00-\u9fff]{0,4}?" + _HEADS + "$")
# a project or site name: "XX项目", "XX工地", "XX花园", "XX广场" (4-10 chars before the head)
_SITE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,10}?(?:项目|工地|花园|广场|大厦|中心|园区|小区))")
_SITE_ONLY = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,10}(?:项目|项目部|工地|花园|广场|大厦|园区|小区)$")
_SITE_STOP = re.compile(r"^(?:这个|那个|一个|某个|该|这|那|在|的|某|一|附近|我们|他们|工人|农民工)")
# an address the post gives: "厂在新府中路那边", "位于华志路88号", "就是崧泽大道上那家" (the road's name, 2-6 characters
# before 路/公路/大道/街, next to an address word so that 出路, 道路 and 一路 are not read as places)
_ROAD = re.compile(
    r"(?:(?:在|位于|地址[是为在：:]?|住在)([\u4e00-\u9fff]{2,6}?(?:公路|大道|路|街))"
    r"|([\u4e00-\u9fff]{2,6}?(?:公路|大道|路|街))(?=\d{1,5}号|那边|那里|附近|上|旁|路口|一带|边上|沿线|那家|这边))"
)
_ROAD_LEAD = re.compile(r"^.*[在于是的到从近那这个家]")  # "厂在新府中路" -> "新府中路"
_ROAD_STOP = re.compile(r"^(?:马路|道路|公路|大道|大街|街道|走投无路|一路|半路|网路|思路|出路|回家路|上班路)$")
# the person the workers name: "胡老板", "老板姓胡", "包工头姓陈", "陈经理" (a common surname, so 大老板 and 黑心老板
# are not read as names)
_BOSS = re.compile(
    r"(?:老板|老总|负责人|包工头|工头|经理|厂长)(?:姓|叫)([\u4e00-\u9fff])"
    r"|([\u4e00-\u9fff])(?:老板|老总|包工头|工头|经理|厂长)"
)
_STRIP = re.compile(r"//@[^:：\s]{1,30}[:：]|@[^\s:：,，]{1,30}|https?://\S+|转发微博|网页链接|[\s\W_]+")

# how the evidence of a decision reads to staff (prefix of an evidence item -> Chinese)
EVIDENCE_LABELS_ZH = {
    "firm:": "同一企业：",
    "firm~": "名称相近：",
    "chain:": "曾与本事件企业同时提及：",
    "firm_conflict": "企业不同",
    "town:": "同一街镇：",
    "town_conflict": "街镇不同",
    "industry:": "描述的行业相符：",
    "industry_conflict": "描述的行业不符",
    "site:": "同一项目或工地：",
    "place:": "同一地址：",
    "place_conflict": "地址不同",
    "person:": "同一负责人：",
    "person_conflict": "负责人不同",
    "text:": "文本相似度 ",
    "emb:": "语义相似度 ",
    "best:": "未达归并分数，最接近的事件得分 ",
}
_LOG1 = [0.0] + [1.0 + math.log(c) for c in range(1, 256)]  # 1 + log(count), counts below 256
FUZZY_TRUST = 0.9  # a fuzzy registry link below this confidence counts by its mention only, not its id


@dataclass(frozen=True, slots=True)
class TrackerWeights:
    """Evidence weights (additive log-odds) and thresholds of the tracker."""

    firm: float = 3.0  # a firm key shared with the incident
    firm_partial: float = 1.6  # one firm core name contains the other (short name vs full name)
    firm_conflict: float = -4.0  # both name firms and none is shared or contained
    town: float = 0.6  # a town shared
    town_conflict: float = -2.0  # both name towns and none is shared
    industry: float = 0.9  # the post's described industry matches the incident's
    industry_conflict: float = -2.0  # a post without a firm describes another trade than the incident's
    site: float = 1.5  # a project or site name shared
    place: float = 1.2  # a road the post gives as the firm's address shared
    place_conflict: float = -1.0  # both give the firm's address and no road is shared
    person: float = 0.8  # the boss, foreman or manager named by surname shared
    person_conflict: float = -0.8  # both name the boss or foreman and no surname is shared
    # the model's sentence embeddings (both sides have them): weight x (cosine - floor) / (1 - floor); they take the
    # place of the character bigrams (bench/incidents.py --embedding-experiment)
    embedding: float = 4.0
    embedding_floor: float = 0.85
    text: float = 5.0  # times (cosine - text_floor) of the character-bigram vectors
    text_floor: float = 0.25
    event_type: float = 0.2  # an event type shared
    decay_per_day: float = 0.12  # per day since the incident's last post
    join_threshold: float = 1.5
    # a post naming no firm joins on weaker evidence, if it clearly prefers one incident over the next best
    anonymous_threshold: float = 0.5
    anonymous_margin: float = 0.3
    merge_threshold: float = 3.0  # a post scoring this on two incidents by firm evidence joins them


@dataclass
class PostSignal:
    """What the tracker reads from one relevant post."""

    post_id: str
    at: datetime
    firms: dict[str, str]  # firm key -> display name
    linked: frozenset[str]  # registry ids among the firms
    towns: frozenset[str]
    industries: frozenset[str]
    sites: frozenset[str]
    event_types: frozenset[str]
    grams: Counter[str]
    description: str | None = None  # "赵巷一工地": a place and industry in place of a name
    key_supervision: bool = False
    places: frozenset[str] = frozenset()  # roads given as the address ("新府中路")
    people: frozenset[str] = frozenset()  # surnames of the boss or foreman named ("胡老板" -> "胡")
    # the text as compared (reposts' markers and punctuation removed); not persisted: only read on arrival, to find
    # the names of open incidents' firms that the analyzer did not extract
    text: str = field(default="", repr=False, compare=False)
    vector: np.ndarray | None = None  # the analyzer's unit-length sentence embedding, when it has its encoder

    def to_json(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "at": self.at.isoformat(),
            "firms": self.firms,
            "linked": sorted(self.linked),
            "towns": sorted(self.towns),
            "industries": sorted(self.industries),
            "sites": sorted(self.sites),
            "event_types": sorted(self.event_types),
            "grams": dict(self.grams.most_common(200)),
            "description": self.description,
            "key_supervision": self.key_supervision,
            "places": sorted(self.places),
            "people": sorted(self.people),
            "vector": [round(float(x), 5) for x in self.vector] if self.vector is not None else None,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PostSignal:
        return cls(
            post_id=d["post_id"],
            at=datetime.fromisoformat(d["at"]),
            firms=dict(d.get("firms") or {}),
            linked=frozenset(d.get("linked") or ()),
            towns=frozenset(d.get("towns") or ()),
            industries=frozenset(d.get("industries") or ()),
            sites=frozenset(d.get("sites") or ()),
            event_types=frozenset(d.get("event_types") or ()),
            grams=Counter(d.get("grams") or {}),
            description=d.get("description"),
            key_supervision=bool(d.get("key_supervision")),
            places=frozenset(d.get("places") or ()),
            people=frozenset(d.get("people") or ()),
            vector=np.asarray(d["vector"], dtype=np.float32) if d.get("vector") else None,
        )


@dataclass
class IncidentProfile:
    """An open incident as the tracker remembers it (persisted as JSON on its alert)."""

    key: str
    first_seen: datetime
    last_seen: datetime
    posts: int = 0
    firms: dict[str, str] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)
    towns: set[str] = field(default_factory=set)
    industries: set[str] = field(default_factory=set)
    sites: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    event_types: set[str] = field(default_factory=set)
    grams: Counter[str] = field(default_factory=Counter)
    centroid: np.ndarray | None = None  # sum of its posts' unit embeddings (direction = their mean)

    MAX_GRAMS = 400

    def absorb(self, sig: PostSignal) -> None:
        """Add one post."""
        self._add(1, sig.at, sig.at, sig.firms, sig.linked, sig.towns, sig.industries, sig.sites, sig.event_types,
                  sig.grams, sig.vector)
        self.places.update(sig.places)
        self.people.update(sig.people)

    def absorb_profile(self, other: IncidentProfile) -> None:
        """Add another incident (a merge)."""
        self._add(other.posts, other.first_seen, other.last_seen, other.firms, other.linked, other.towns,
                  other.industries, other.sites, other.event_types, other.grams, other.centroid)
        self.places.update(other.places)
        self.people.update(other.people)

    def _add(self, posts: int, first: datetime, last: datetime, firms: dict[str, str], linked: Iterable[str],
             towns: Iterable[str], industries: Iterable[str], sites: Iterable[str], event_types: Iterable[str],
             grams: Counter[str], vector: np.ndarray | None) -> None:
        self.posts += posts
        self.first_seen = min(self.first_seen, first)
        self.last_seen = max(self.last_seen, last)
        self.firms.update(firms)
        self.linked.update(linked)
        self.towns.update(towns)
        self.industries.update(industries)
        self.sites.update(sites)
        self.event_types.update(event_types)
        self.grams.update(grams)
        if len(self.grams) > self.MAX_GRAMS:
            self.grams = Counter(dict(self.grams.most_common(self.MAX_GRAMS)))
        if vector is not None:
            self.centroid = vector.astype(np.float32) if self.centroid is None else self.centroid + vector

    def to_json(self) -> dict[str, Any]:
        return {
            "v": 1,
            "posts": self.posts,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "firms": self.firms,
            "linked": sorted(self.linked),
            "towns": sorted(self.towns),
            "industries": sorted(self.industries),
            "sites": sorted(self.sites),
            "places": sorted(self.places),
            "people": sorted(self.people),
            "event_types": sorted(self.event_types),
            "grams": dict(self.grams.most_common(self.MAX_GRAMS)),
            "centroid": [round(float(x), 5) for x in self.centroid] if self.centroid is not None else None,
        }

    @classmethod
    def of_signals(cls, key: str, signals: Iterable[PostSignal]) -> IncidentProfile | None:
        """Rebuild a profile from its posts' signals (after a post is moved by hand); None without any."""
        prof: IncidentProfile | None = None
        for sig in signals:
            if prof is None:
                prof = cls(key=key, first_seen=sig.at, last_seen=sig.at)
            prof.absorb(sig)
        return prof

    @classmethod
    def from_json(cls, key: str, d: dict[str, Any]) -> IncidentProfile:
        return cls(
            key=key,
            first_seen=datetime.fromisoformat(d["first_seen"]),
            last_seen=datetime.fromisoformat(d["last_seen"]),
            posts=int(d.get("posts", 0)),
            firms=dict(d.get("firms") or {}),
            linked=set(d.get("linked") or ()),
            towns=set(d.get("towns") or ()),
            industries=set(d.get("industries") or ()),
            sites=set(d.get("sites") or ()),
            places=set(d.get("places") or ()),
            people=set(d.get("people") or ()),
            event_types=set(d.get("event_types") or ()),
            grams=Counter(d.get("grams") or {}),
            centroid=np.asarray(d["centroid"], dtype=np.float32) if d.get("centroid") else None,
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a post went and why."""

    key: str
    joined: bool  # False: it opened a new incident
    score: float  # the winning score (0.0 for a new incident)
    evidence: tuple[str, ...]  # e.g. ("firm:c:TEST...", "text:0.41", "town:赵巷镇")
    merge: tuple[str, ...] = ()  # other open incidents this post shows to be the same one
    description_link: str | None = None  # "赵巷一工地 -> 上海XX建设有限公司（0.83）": a description joined a named firm
    described: tuple[str, ...] = ()  # those of ``merge`` that are incidents of descriptions this post's firm fits

    def as_dict(self) -> dict[str, Any]:
        """What the alert's history and its evidence rows keep of the decision."""
        out: dict[str, Any] = {"joined": self.joined, "score": self.score, "evidence": list(self.evidence)}
        if self.description_link:
            out["description_link"] = self.description_link
        return out


# --- reading a post -----------------------------------------------------------------------------------------


def core_name(name: str, towns: Iterable[str] = ()) -> str:
    """The distinctive part of an employer name: no brackets, region prefix, glued-on town, legal suffix.

    A town is removed only in its full form ("赵巷镇") or when a region follows it ("赵巷上海..."), so a firm
    named after its town ("华新针织") keeps its name.
    """
    n = _ROLE_PREFIX.sub("", _BRACKETS.sub("", name).strip())
    full = sorted({t for t in towns if t}, key=len, reverse=True)
    short = sorted({_short_town(t) for t in full}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        m = _REGION_PREFIX.match(n)
        if m and len(n) > m.end() + 1:
            n, changed = n[m.end() :], True
        for t in full:
            if n.startswith(t) and len(n) > len(t) + 1:
                n, changed = n[len(t) :], True
        for t in short:
            if n.startswith(t) and re.match(_REGION, n[len(t) :]):
                n, changed = n[len(t) :], True
    changed = True
    while changed:
        changed = False
        for suf in _SUFFIXES:
            if n.endswith(suf) and len(n) > len(suf) + 1:
                n, changed = n[: -len(suf)], True
    return n


def _short_town(town: str) -> str:
    for suf in ("街道", "镇", "乡"):
        if town.endswith(suf) and len(town) > len(suf) + 1:
            return town[: -len(suf)]
    return town


def evidence_zh(items: Iterable[str]) -> str:
    """A decision's evidence in Chinese for the web UI ("同一企业：XX；文本相似度 0.41")."""
    out = []
    for e in items:
        for prefix, zh in EVIDENCE_LABELS_ZH.items():
            if e.startswith(prefix):
                out.append(zh + e[len(prefix):])
                break
    return "；".join(out)


def non_report_genre(text: str) -> str | None:
    """``"official"`` or ``"advert"`` when the text is a meeting, notice or job advert that reports no dispute."""
    if _COMPLAINT.search(text):
        return None
    if _OFFICIAL.search(text):
        return "official"
    if _ADVERT.search(text):
        return "advert"
    return None


def _usable_mention(m: str) -> bool:
    return (
        len(m) >= 2
        and not _NOT_EMPLOYER.search(m)
        and not _GENERIC.match(m)
        and not _SITE_ONLY.match(m)
        and not _DESCRIBED.match(m)
    )


def _trusted(c: CompanyLink, towns: Iterable[str]) -> bool:
    """A registry link to key on: exact, alias or normalised; a fuzzy one only when the names contain each other."""
    if c.method != "fuzzy" or c.confidence >= FUZZY_TRUST:
        return True
    a, b = core_name(c.mention, towns), core_name(c.name or "", towns)
    return min(len(a), len(b)) >= 2 and (a in b or b in a)


def _grams(text: str) -> Counter[str]:
    t = _STRIP.sub("", text)
    return Counter(t[i : i + 2] for i in range(len(t) - 1))


_TRADE_WORDS = tuple(sorted({h for hs in INDUSTRY_HEADS.values() for h in hs}, key=len, reverse=True))


def _name_forms(core: str) -> list[str]:
    """A core name and its shorter forms that end in a trade word ("赵巷新城建设发展" -> + "赵巷新城建设")."""
    forms = [core]
    for j in range(len(core) - 1, 3, -1):
        head = core[:j]
        if head.endswith(_TRADE_WORDS) and len(head) - max(len(w) for w in _TRADE_WORDS if head.endswith(w)) >= 2:
            forms.append(head)
    return forms


def _in_grams(core: str, grams: Counter[str]) -> bool:
    """Every character pair of a firm's core name is among an incident's text bigrams (its name is in its posts)."""
    return len(core) >= 3 and all(core[i : i + 2] in grams for i in range(len(core) - 1))


def _industries(text: str) -> set[str]:
    return {code for code, heads in INDUSTRY_HEADS.items() if any(h in text for h in heads)}


def _description(text: str, towns: Iterable[str]) -> str | None:
    """A place-and-kind description ("赵巷一工地", "华新镇某企业") in the text, if any."""
    names = sorted({n for t in towns for n in (t, _short_town(t)) if n}, key=len, reverse=True)
    if not names:
        return None
    pat = re.compile(
        "(?:" + "|".join(map(re.escape, names)) + r")(?:的)?(?:一|某|一家|一个|一处|某个|某家|有家|有个)"
        r"[\u4e00-\u9fff]{0,4}?(?:工地|工厂|厂|公司|企业|项目|店|单位)"
    )
    m = pat.search(text)
    return m.group(0) if m else None


def roads_of(text: str, towns: Iterable[str] = ()) -> set[str]:
    """The roads a text gives as an address ("厂在新府中路那边" -> {"新府中路"}), without a town written before
    the road's own name ("地址在华新练西公路附近" -> {"练西公路"})."""
    shorts = sorted({f for t in towns for f in (t, _short_town(t))}, key=len, reverse=True)
    out = set()
    for m in _ROAD.finditer(text):
        road = m.group(1) or m.group(2)
        # the town first, so that the lead words are not looked for inside its name (朱家角外青松公路)
        at = next(((i, t) for t in shorts if (i := road.find(t)) >= 0 and len(road) - i - len(t) >= 3), None)
        road = road[at[0] + len(at[1]):] if at else _ROAD_LEAD.sub("", road)
        if len(road) >= 3 and not _ROAD_STOP.match(road):
            out.add(road)
    return out


def people_of(text: str) -> set[str]:
    """Surnames of the boss, foreman or manager a text names ("胡老板", "包工头姓陈" -> {"胡", "陈"})."""
    return {s for m in _BOSS.finditer(text) if (s := m.group(1) or m.group(2)) in COMMON_SURNAMES}


def signal_of(item: AnalyzedPost, *, text_chars: int = 600) -> PostSignal:
    """Reduce an analysed post to what the tracker compares."""
    p, a = item.post, item.analysis
    text = p.text
    towns = set(a.towns)
    for c in a.companies:
        if c.town:
            towns.add(c.town)
    firms: dict[str, str] = {}
    linked: set[str] = set()
    industries = _industries(text[:text_chars])
    key_supervision = False
    for c in a.companies:
        if c.company_id and _trusted(c, towns):
            linked.add(c.company_id)
            firms[f"c:{c.company_id}"] = c.name or c.mention
            if c.name:
                core = core_name(c.name, towns)
                if len(core) >= 2:
                    firms[f"n:{core}"] = c.name
            if c.industry:
                industries.add(c.industry)
            key_supervision = key_supervision or c.key_supervision
        if c.mention and _usable_mention(c.mention):
            core = core_name(c.mention, towns)
            if len(core) >= 2:
                firms.setdefault(f"n:{core}", c.mention)
    sites_named = {m for m in a.employers if _SITE_ONLY.match(m)}
    for m in a.employers:
        if _usable_mention(m):
            core = core_name(m, towns)
            if len(core) >= 2:
                firms.setdefault(f"n:{core}", m)
    sites = {s for s in _SITE.findall(text[:text_chars]) if not _SITE_STOP.match(s) and len(s) >= 4} | sites_named
    sites = {s for s in sites if not s.endswith(("一工地", "某工地"))}  # "赵巷一工地" is a description, not a site
    return PostSignal(
        post_id=p.id,
        at=p.published_at or p.fetched_at,
        firms=firms,
        linked=frozenset(linked),
        towns=frozenset(towns),
        industries=frozenset(industries),
        sites=frozenset(sites),
        event_types=frozenset(a.event_types),
        grams=_grams(text[:text_chars]),
        description=None if linked else _description(text, towns),
        key_supervision=key_supervision,
        text=_STRIP.sub("", text[:text_chars]),
        places=frozenset(roads_of(text[:text_chars], towns)),
        people=frozenset(people_of(text[:text_chars])),
        vector=np.asarray(a.embedding, dtype=np.float32) if a.embedding else None,
    )


# words of a contracting chain (a general contractor, its subcontractor, the labour firm, the builder)
_CHAIN_GRAMS = ("总包", "分包", "劳务", "承包", "发包", "外包", "派遣", "承建", "施工方", "包工")


def _agree(x: dict[str, float], ev: list[str], name: str, a: AbstractSet[str], b: AbstractSet[str],
           shown: str = "{}") -> None:
    """Evidence ``name`` where the post and the incident share a value, ``name_conflict`` where both have values
    and share none, nothing where either side is silent."""
    if not (a and b):
        return
    both = a & b
    if both:
        x[name] = 1.0
        ev.append(f"{name}:" + shown.format(sorted(both)[0]))
    else:
        x[name + "_conflict"] = 1.0
        ev.append(name + "_conflict")


# --- the tracker --------------------------------------------------------------------------------------------


class IncidentTracker:
    """Open incidents in memory, with inverted indexes for candidate retrieval.

    :meth:`assign` scores a post against candidates, adds it to the winner (or opens a new incident) and
    returns a :class:`Decision`. :meth:`put` loads or replaces a persisted profile; :meth:`merge` folds one
    incident into another; :meth:`expire` drops incidents idle for longer than ``idle_days``.
    """

    def __init__(self, *, idle_days: float = 7.0, weights: TrackerWeights | None = None,
                 max_candidates: int = 24) -> None:
        self.idle = timedelta(days=idle_days)
        self.w = weights or TrackerWeights()
        self.max_candidates = max_candidates
        self.incidents: dict[str, IncidentProfile] = {}
        # index name -> index key -> incident keys; and what each incident was indexed under
        self._idx: dict[str, dict[str, set[str]]] = {"firm": {}, "head": {}, "town": {}, "place": {}, "gram": {}}
        self._indexed: dict[str, list[tuple[str, str]]] = {}
        self._norms: dict[str, tuple[int, float]] = {}  # incident -> (documents seen when computed, norm)
        self._df: Counter[str] = Counter()  # bigram -> posts seen containing it (IDF)
        self._docs = 0

    def __len__(self) -> int:
        return len(self.incidents)

    # --- state ----------------------------------------------------------------------------------------------
    def put(self, profile: IncidentProfile) -> None:
        """Load (or replace) a persisted incident."""
        if profile.key in self.incidents:
            self._unindex(profile.key)
        else:  # a profile seen for the first time also informs the IDF statistics
            self._count_df(profile.grams)
        self.incidents[profile.key] = profile
        self._index(profile)

    def drop(self, key: str) -> None:
        if self.incidents.pop(key, None) is not None:
            self._unindex(key)

    def merge(self, into: str, other: str) -> None:
        """Fold incident ``other`` into ``into`` (both must be loaded)."""
        a, b = self.incidents.get(into), self.incidents.get(other)
        if a is None or b is None or a is b:
            return
        self.drop(other)
        self._unindex(into)
        a.absorb_profile(b)
        self._index(a)

    def expire(self, now: datetime) -> int:
        old = [k for k, p in self.incidents.items() if now - p.last_seen > self.idle]
        for k in old:
            self.drop(k)
        return len(old)

    def _index(self, p: IncidentProfile) -> None:
        keys = [("firm", f) for f in p.firms]
        keys += [("head", f[2:4]) for f in p.firms if f.startswith("n:")]
        keys += [("town", t) for t in p.towns]
        keys += [("place", r) for r in p.places]
        keys += [("gram", g) for g in self._rare(p.grams, 24)]
        for name, k in keys:
            self._idx[name].setdefault(k, set()).add(p.key)
        self._indexed[p.key] = keys

    def _unindex(self, key: str) -> None:
        self._norms.pop(key, None)
        for name, k in self._indexed.pop(key, ()):
            s = self._idx[name].get(k)
            if s is not None:
                s.discard(key)
                if not s:
                    del self._idx[name][k]

    def _count_df(self, grams: Counter[str]) -> None:
        self._docs += 1
        self._df.update(grams.keys())

    def _idf(self, g: str) -> float:
        return math.log((self._docs + 2) / (self._df.get(g, 0) + 1))

    def _rare(self, grams: Counter[str], k: int) -> list[str]:
        return sorted(grams, key=lambda g: (self._df.get(g, 0), g))[:k]

    # --- scoring --------------------------------------------------------------------------------------------
    def _vec(self, grams: Counter[str]) -> tuple[dict[str, float], float]:
        """The post's weights times idf once more (so a cosine needs no idf per incident), and its norm."""
        idf = {g: self._idf(g) for g in grams}
        v = {g: (1.0 + math.log(c)) * idf[g] for g, c in grams.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x * idf[g] for g, x in v.items()}, norm

    def _norm(self, prof: IncidentProfile) -> float:
        """The incident's vector norm, cached until the profile changes or the IDF statistics move by 10 %."""
        cached = self._norms.get(prof.key)
        if cached is not None and self._docs <= cached[0] * 1.1 + 5:
            return cached[1]
        norm = math.sqrt(sum(((1.0 + math.log(c)) * self._idf(g)) ** 2 for g, c in prof.grams.items())) or 1.0
        self._norms[prof.key] = (self._docs, norm)
        return norm

    def _cosine(self, pv: tuple[dict[str, float], float], prof: IncidentProfile) -> float:
        qv, qn = pv
        grams = prof.grams
        dot = 0.0
        for g, y in qv.items():  # the post's grams (tens) against the incident's (hundreds); y includes idf(g)²
            c = grams.get(g)
            if c:
                dot += (_LOG1[c] if c < len(_LOG1) else 1.0 + math.log(c)) * y
        return dot / (qn * self._norm(prof))

    def candidates(self, sig: PostSignal) -> list[str]:
        """Open incidents sharing a firm, a name head, a (not too common) town or a rare bigram with the post."""
        hits: Counter[str] = Counter()
        idx = self._idx
        for f in sig.firms:
            for k in idx["firm"].get(f, ()):
                hits[k] += 4
            if f.startswith("n:"):
                for k in idx["head"].get(f[2:4], ()):
                    hits[k] += 2
        for t in sig.towns:
            ks = idx["town"].get(t, ())
            if len(ks) <= 4 * self.max_candidates:
                for k in ks:
                    hits[k] += 1
        for r in sig.places:
            for k in idx["place"].get(r, ()):
                hits[k] += 2
        for g in self._rare(sig.grams, 12):
            for k in idx["gram"].get(g, ()):
                hits[k] += 1
        return [k for k, _ in hits.most_common(self.max_candidates)]

    def score(self, sig: PostSignal, prof: IncidentProfile,
              pv: tuple[dict[str, float], float] | None = None) -> tuple[float, list[str]]:
        """The evidence that the post belongs to the incident, as a score and its reasons."""
        x, ev = self.features(sig, prof, pv)
        w = self.w
        return sum(getattr(w, k) * v for k, v in x.items()), ev

    def features(self, sig: PostSignal, prof: IncidentProfile,
                 pv: tuple[dict[str, float], float] | None = None) -> tuple[dict[str, float], list[str]]:
        """The evidence as features named after the :class:`TrackerWeights` that weigh them (the score is their
        weighted sum; ``alerting.tracker_fit`` fits those weights on labelled pairs), and its reasons."""
        w = self.w
        ev: list[str] = []
        x: dict[str, float] = {}
        shared = [f for f in sig.firms if f in prof.firms]
        if shared:
            x["firm"] = 1.0
            ev.append("firm:" + sig.firms[shared[0]])
        elif sig.firms and prof.firms:
            # two different registered firms conflict whatever their names share ("测试企业1" / "测试企业10")
            partial = None if (sig.linked and prof.linked) else self._partial(sig, prof)
            chained = None if partial else self._named_together(sig, prof)
            if partial:
                x["firm_partial"] = 1.0
                ev.append("firm~" + partial)
            elif chained:
                x["firm_partial"] = 1.0
                ev.append("chain:" + chained)
            else:
                x["firm_conflict"] = 1.0
                ev.append("firm_conflict")
        elif sig.firms and not prof.firms:
            # the incident's posts named no firm the analyzer read, but their text holds the post's firm name
            named = next((v for f, v in sig.firms.items() if f.startswith("n:") and _in_grams(f[2:], prof.grams)), None)
            if named:
                x["firm_partial"] = 1.0
                ev.append("firm~" + named)
        _agree(x, ev, "town", sig.towns, prof.towns)
        if not shared and not sig.firms and sig.industries:
            if sig.industries & prof.industries:
                x["industry"] = 1.0
                ev.append("industry:" + sorted(sig.industries & prof.industries)[0])
            elif prof.industries:
                x["industry_conflict"] = 1.0
                ev.append("industry_conflict")
        if sig.sites & prof.sites:
            x["site"] = 1.0
            ev.append("site:" + sorted(sig.sites & prof.sites)[0])
        _agree(x, ev, "place", sig.places, prof.places)
        _agree(x, ev, "person", sig.people, prof.people, shown="{}某")
        if sig.vector is not None and prof.centroid is not None:
            norm = float(np.linalg.norm(prof.centroid))
            emb = float(sig.vector @ prof.centroid) / norm if norm else 0.0
            if emb > w.embedding_floor:
                x["embedding"] = (emb - w.embedding_floor) / (1.0 - w.embedding_floor)
                ev.append(f"emb:{emb:.2f}")
        else:
            cos = self._cosine(pv or self._vec(sig.grams), prof)
            if cos > w.text_floor:
                x["text"] = cos - w.text_floor
                ev.append(f"text:{cos:.2f}")
        if sig.event_types & prof.event_types:
            x["event_type"] = 1.0
        days = max(0.0, (sig.at - prof.last_seen).total_seconds() / 86400.0)
        if days:
            x["decay_per_day"] = -days
        return x, ev

    @staticmethod
    def _partial(sig: PostSignal, prof: IncidentProfile) -> str | None:
        """A short name inside a longer one ("锐拓" / "锐拓汽车配件"), from the same first characters."""
        for f in sig.firms:
            if not f.startswith("n:"):
                continue
            a = f[2:]
            for g in prof.firms:
                if g.startswith("n:") and g[2:4] == a[:2]:
                    b = g[2:]
                    if a in b or b in a:
                        return f"{sig.firms[f]}/{prof.firms[g]}"
        return None

    @staticmethod
    def _named_together(sig: PostSignal, prof: IncidentProfile) -> str | None:
        """A firm of the post that the incident's posts named beside their own, or the other way round: the
        general contractor and its subcontractor ("总包华淀建筑把工程款拨给了分包浦盈建设"), where the analyzer
        read only one of them per post. Core names of four characters or more, so that a chance pair of
        bigrams is not taken for a name, and only where the posts speak of a chain (总包, 分包, 劳务, 承建...): a
        post that merely repeats another firm's name is no contractor of it."""
        if not (any(g in prof.grams for g in _CHAIN_GRAMS) or any(g in sig.text for g in _CHAIN_GRAMS)):
            return None
        for f, v in sig.firms.items():
            if f.startswith("n:") and len(f) >= 6 and _in_grams(f[2:], prof.grams):
                return v
        for f, v in prof.firms.items():
            if f.startswith("n:") and len(f) >= 6 and f[2:] in sig.text:
                return v
        return None

    def _open(self, prof: IncidentProfile, at: datetime) -> bool:
        return at - prof.last_seen <= self.idle and prof.first_seen - at <= self.idle

    def _joins(self, sig: PostSignal, scored: list[tuple[float, str, list[str]]]) -> bool:
        best, ev = scored[0][0], scored[0][2]
        # a post naming no firm whose address, boss, town or trade differs from the incident's joins only on
        # evidence that points the same way, not on its wording alone ("再次反映这家公司拖欠工资")
        if best >= self.w.join_threshold and (sig.firms or not any(e.endswith("_conflict") for e in ev)):
            return True
        if sig.firms:
            return False
        second = scored[1][0] if len(scored) > 1 else -math.inf
        # a town alone is too little, unless the incident is the only open one there: the text, the industry
        # described or a site must point the same way
        specific = any(e.startswith(("industry:", "site:", "place:", "person:")) for e in ev)
        if not specific and "industry_conflict" not in ev:
            towns = [e[5:] for e in ev if e.startswith("town:")]
            specific = any(len(self._idx["town"].get(t, ())) == 1 for t in towns)
        return specific and best >= self.w.anonymous_threshold and best - second >= self.w.anonymous_margin

    def _names_in_text(self, sig: PostSignal) -> dict[str, str]:
        """Firm core names of open incidents found verbatim in a post that names no firm ("今天重固包装门口...")."""
        found: dict[str, str] = {}
        t, heads = sig.text, self._idx["head"]
        keys: set[str] = set()
        for i in range(len(t) - 1):
            ks = heads.get(t[i : i + 2], ())
            if len(ks) <= self.max_candidates:  # a head shared by many firms (实业, 00) tells nothing
                keys.update(ks)
        for key in keys:
            prof = self.incidents[key]
            if not self._open(prof, sig.at):
                continue
            for f, name in prof.firms.items():
                if len(name) >= 4 and name in t:  # the name as an earlier post wrote it
                    found[f] = name
                elif f.startswith("n:") and (len(f) >= 5 or sig.towns & prof.towns) and any(
                    form in t for form in _name_forms(f[2:])  # a two-character core only where places agree
                ):
                    found[f] = name
        return found

    def read(self, sig: PostSignal) -> PostSignal:
        """The post as the tracker compares it: a post naming no firm takes the names of open incidents its
        text holds."""
        if not sig.firms and sig.text:
            found = self._names_in_text(sig)
            if found:
                return replace(sig, firms=found)
        return sig

    def observe(self, sig: PostSignal, key: str) -> list[tuple[str, dict[str, float]]]:
        """Teacher forcing for fitting: the features of the post against every open incident it is compared
        with, then the post goes into incident ``key`` (its labelled incident, opened if new)."""
        sig = self.read(sig)
        pv = None if sig.vector is not None else self._vec(sig.grams)
        out = [(k, self.features(sig, self.incidents[k], pv)[0])
               for k in self.candidates(sig) if self._open(self.incidents[k], sig.at)]
        self._count_df(sig.grams)
        prof = self.incidents.get(key)
        if prof is None:
            prof = self.incidents[key] = IncidentProfile(key=key, first_seen=sig.at, last_seen=sig.at)
        else:
            self._unindex(key)
        prof.absorb(sig)
        self._index(prof)
        return out

    def assign(self, sig: PostSignal, *, new_key: str | None = None) -> Decision:
        """Put the post in its incident (or a new one) and say why."""
        sig = self.read(sig)
        pv = None if sig.vector is not None else self._vec(sig.grams)  # bigrams only where embeddings are missing
        scored: list[tuple[float, str, list[str]]] = []
        for k in self.candidates(sig):
            prof = self.incidents[k]
            if self._open(prof, sig.at):
                sc, ev = self.score(sig, prof, pv)
                scored.append((sc, k, ev))
        scored.sort(key=lambda x: (-x[0], x[1]))
        self._count_df(sig.grams)
        if scored and self._joins(sig, scored):
            sc, key, ev = scored[0]
            prof = self.incidents[key]
            named = any(e.startswith("firm:") for e in ev)
            # a post naming firms of two incidents joins them (a contractor and its subcontractor)
            merge = tuple(
                k for s2, k, ev2 in scored[1:]
                if named and s2 >= self.w.merge_threshold and any(e.startswith("firm:") for e in ev2)
            )
            link = None
            if sig.description and not sig.firms and prof.linked:
                name = next((v for f, v in prof.firms.items() if f.startswith("c:")), None)
                # the strength of the evidence on a 0-1 scale (monotone in the score, not a calibrated probability)
                conf = 1.0 / (1.0 + math.exp(-(sc - self.w.anonymous_threshold)))
                link = f"{sig.description} -> {name}（{conf:.2f}）" if name else None
            self._unindex(key)
            prof.absorb(sig)
            self._index(prof)
            described = tuple(k for k in self._descriptions_of(sig, prof) if k not in merge)
            return Decision(key=key, joined=True, score=round(sc, 3), evidence=tuple(ev), merge=merge + described,
                            description_link=link, described=described)
        key = new_key or "inc-" + hashlib.sha1(sig.post_id.encode()).hexdigest()[:16]
        prof = IncidentProfile(key=key, first_seen=sig.at, last_seen=sig.at)
        prof.absorb(sig)
        self.incidents[key] = prof
        self._index(prof)
        best = (f"best:{scored[0][0]:.2f}",) if scored else ()
        described = self._descriptions_of(sig, prof)
        return Decision(key=key, joined=False, score=0.0, evidence=best, merge=described, described=described)

    def _descriptions_of(self, sig: PostSignal, prof: IncidentProfile) -> tuple[str, ...]:
        """Open incidents of anonymous posts only (descriptions, "赵巷一工地") that would have joined ``prof`` had
        they arrived after it: the same test a description meets when the named incident is there first, read
        from the other side, so that the arrival order does not split one incident in two. Only a named post
        (``sig.firms``) can make its incident such a target; each anonymous incident must clear the plain join
        threshold and prefer ``prof`` over every other open incident by the anonymous margin."""
        if not sig.firms:
            return ()
        out = []
        for k in self.candidates(sig):
            other = self.incidents.get(k)
            if other is None or other is prof or other.firms or not self._open(other, sig.at):
                continue
            probe = PostSignal(
                post_id=k, at=other.last_seen, firms={}, linked=frozenset(), towns=frozenset(other.towns),
                industries=frozenset(other.industries), sites=frozenset(other.sites),
                event_types=frozenset(other.event_types), grams=other.grams, places=frozenset(other.places),
                people=frozenset(other.people),
                vector=None if other.centroid is None else other.centroid / (np.linalg.norm(other.centroid) or 1.0))
            pv = None if probe.vector is not None else self._vec(probe.grams)
            sc, _ = self.score(probe, prof, pv)
            if sc < self.w.join_threshold:
                continue
            rivals = [self.score(probe, self.incidents[r], pv)[0] for r in self.candidates(probe)
                      if r not in (k, prof.key) and r in self.incidents and self._open(self.incidents[r], sig.at)]
            if not rivals or sc - max(rivals) >= self.w.anonymous_margin:
                out.append(k)
        return tuple(out)
