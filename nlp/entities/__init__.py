"""Entities of a labour-dispute text: employer mentions, locations/towns, worker counts, money owed, dates.

Employers (mentions as written, following the labelling guidelines):
(1) the registry gazetteer (names and aliases, longest first);
(2) organisation suffixes (有限公司/集团/厂/项目部/工地/门店/医院/学校/银行/局/站/指挥部..., 店 after a masked
    place: XX公司D市店) whose left edge is found by walking back over the words of the owned jieba segmenter until
    a function word, pronoun or verb (在, 我们, 拖欠...; a verb of saying or suing, 声称 / 状告 / 坦言, whatever the
    tagger calls it, also between a masked place chain and the name); single-character verbs inside an unknown name (优客租, 楚维:
    the dictionary segmenter splits unknown names into characters), numerals inside a name (江岭二医院, 第三医院, 上海建工七建集团),
    phases and zones (安置区二期) and bracketed words (建设(集团)有限公司) do not end it; a masked place chain just
    left of it (西地省E9县, A市A5区) joins the name when only name-like words stand between; "西地省" is dropped
    before a masked city/county (the label convention); a chain inside the walked part cuts off the words before
    it (写信给I5县... -> I5县...), unless they end a branch's parent
    (XX公司D市店, 南方电网E市分公司); a later chain after a complete name or repeating the first starts a new
    name; floors/street numbers (三楼), role words (施工方) and 单位 before a name are cut; a town name left of
    it joins it (青岗 + 镇畜牧兽医站, 白沙铺 + 中心小学 when the text writes 白沙铺镇);
    a registered name is read as place + 字号 + trade + legal form (issue 14): trade words the tagger calls verbs
    stay in the trade slot (上海宏盛 + 包装 + 有限公司, XX + 快递有限公司青浦分公司; a bare 公司/厂 only after a
    city), as do trade words it calls adverbs (宁远 + 高速 + 项目部, 青浦 + 长途 + 客运站; a connective 可 / 却 is
    no first character), a 字号 the tagger cut into single characters or tagged as an adverb stays whole after a city (上海 +
    和美 / 顺通 / 鼎新 ...), 和/之 between single characters of a 字号 (佳和餐饮, 味之源), a quoted 字号
    (“乐活”餐饮管理有限公司); sentence words the tagger calls nouns end a name (本报讯, 原告, 开发商, 办理, 交由,
    隶属于, 当地, 上述...), as do a parent and its relation (恒远集团旗下子公司 + 上海恒远置业有限公司); a place + branch
    word takes the parent's short name before it (招行 + 武汉分行) or names no one; small businesses and studios
    are suffixes too (面馆, 小吃店, 美容院, 工作室...), a chain store's branch named by a district town is one name
    (好又多超市赵巷店, :mod:`nlp.entities.local_names`; the name structure in :mod:`nlp.entities.registered_names`), and a firm's gate (XX有限公司门口) is no mere building;
(3) names without a suffix: placed subject of a dispute verb, adverbs allowed between (G5县瑞丰达(一直)拖欠...),
    a contractor before what it built (由西地省XX建筑承建的), a labour contractor named as a person (包工头是刘某某),
    a public body written with a bare head (教育局拖欠..., 县邮政局是...: the wrong right after it or
    the text's opening subject), a name in brackets after a company word or mention (该公司(XX重钢), XX中学（现YY中学）), a known brand
    alone as a hashtag (#京东#), a headline subject
    (XX裁员过冬, 【#XX将与所有员工解约#】: a known brand, else the leading name words, never a place or a
    common noun alone; strikers written after their employer are cut off, 法航 + 员工罢工), a firm without a
    legal suffix as the party of a dispute told right after it or its workers in a short post (字号 + trade word
    opening a segment, 网传XX教育拖欠员工工资, #XX物流员工被拖欠工资#; a known brand or a listed company's stem as a
    word of its own, 顺丰的快递员集体讨薪: :mod:`nlp.entities.short_names`), and, when nothing else is found, the
    workplace (在想象科技上班);
then phrases are dropped (a count inside: 120名物业; a verb of the sentence: 希望政府; a word that ends in a
suffix: 布局; generic heads: 堂堂国有银行, 中心学校), as are generic/authority mentions (某公司, 人社局, 劳动监察大队,
政法委, industry-only names; an authority the text says employs the writer stays: 在XX劳动局从事保洁), hospitals named only where someone was treated (送往X医院; 在X医院 only with a
treatment word: 在X医院做护工 is a workplace), public authorities named only in their oversight role (XX市场监督管理局查过了,
XX法院判决, XX派出所出警), helpers and media (法律援助中心, 区总工会, 融媒体中心) unless they employ
or wronged the writers, and organisations named only as a
building (XX局二楼会议室); aliases after 简称 count for the full name, shorter variants merge into the longest one (a head office,
中国XX总公司, and a placed company of its name, F市XX公司, are two)
(except: of two placed forms of one name, with and without the outer city A市 or a town, the one the text writes
more often, a tie to the shorter; and a company also written without its branch), a site of a company names the
company, and mentions are ranked by evidence (legal form, place prefix, repetitions, named in the first 60
characters; the party written with the wrong right after it, XX拖欠我们 / XX老板跑路, or named as the one
who did it, 拖欠我们工资的是包工头XX, ranked up; governments ranked down: mostly addressees; the subject a
letter opens with, XX厂破产后 / XX公司改制以来一直没给 (unless another party is written with the wrong), and the organisation that writes as 我站 / 我指挥部 and signs
the letter with a date, ranked first). The best one is
returned, a second/third only when listed with it (X、Y / X和Y / X（现Y）) or written with an employer cue of its
own and never as an addressee (我们是XX的职工, XX承建的, 施工方XX, 派到XX的 (the user firm of dispatched workers),
转包给了包工头XX, 由XX总包，, 派我们到XX; not 向XX反映) or, for an organisation, with the wrong right after it (XX拖欠)
or as the other party of the writers' own contract (我公司与XX于...签订), or the works a chosen
contractor built (XX公司承建的YY项目部).
Brand names (联想, 中兴通讯) come from the shared company lists (A-share short names, CLUENER company mentions)
read at run time from ``../shared/data/companies`` when present (:func:`load_brands`); never copied here.
Workers: counts next to a person noun (30多名工人, 上百名农民工, 职工50余人, 5-6个人, 5至6名油漆工, 五位环卫工, 十几个搬运工, 一百多在职教师,
350名XX公司员工), layoffs (减员3万), couples (两口子), people alike (两千多这样的人), vague forms and ranges floored;
a count tied to the dispute (400余名职工被拖欠, 裁员1200人, 40多位职工的社保没有缴纳, 我们三人) wins, one in a short
title first, else the largest (title first). Not counts: digits of masked place codes (B5区教师), numbers inside names
(三队职工, 百货公司员工, 四人行物流), counts of things (三个林场职工), persons who are no workers (会员, 党员), sums of
wages (几十万民工工资), counts inside a document title (《关于某等53人...》), false claims (谎报有22人), 4050人员; a lone
first-person complainant states no count (the labels leave it empty).
Amount: money expressions (3万余元, 十几万, 四五十万, 1,200元/月 x 3个月; a range as its lower bound: 三到五万元 ->
3万) sorted into kinds (:meth:`money_mentions`):
owed (a clause/sentence about arrears: 欠/拖/未发/克扣/扣押/工程款/补偿/差额, claims and judgments: 应向我支付,
判决...支付; a fine the employer put on the worker: 被罚款500元), si (unpaid social insurance, 五险一金), rate (a
wage level or a per-person sum: 月工资1350元, 120元一天, 标准, 退休金, 每人6000元, 一千元/人) and other (fines on employers, prices, debts, deposits, taxes,
public funding, sums paid or received: 只拿到2万多, 只给工人发了800元, insurance the worker paid himself, 国家赔偿);
the largest owed amount named as owed by the words of its own clause wins (还拖欠我们6万5千余元 over 工钱总共有9万多),
else the largest owed amount, else the largest si amount (the guidelines allow it only when no wages are stated),
else none.
Figures: ``python bench/nlp_entities.py --split test`` (held-out folds; ``--split dev`` is what rules were tuned on);
``--cases tests/unit/nlp/entity_cases.yaml`` (invented local-site cases by failure kind); name boundaries on
CLUENER2020 company spans: ``python bench/employer_boundaries.py``.

The code is split along its seams (issue 14): :mod:`nlp.entities.vocabulary` (patterns, word lists, brand names),
:mod:`nlp.entities.employers` (employer mentions; their context cues in
:mod:`nlp.entities.employer_cues`, the merging of name variants in :mod:`nlp.entities.employer_variants`),
:mod:`nlp.entities.workers_money` (worker counts, amounts); this
module joins them in :class:`EntityExtractor` and keeps every name importable from ``nlp.entities``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.employer_names import EmployerNameRules

# re-exports: the names other modules and tests import from ``nlp.entities`` (kept working after the split)
from nlp.entities.employers import EmployerMentions, _built_by, _coordinated  # noqa: F401
from nlp.entities.local_names import BranchStores
from nlp.entities.short_names import load_brand_stems
from nlp.entities.vocabulary import (  # noqa: F401
    _ADDR_RE,
    _DATE_RE,
    _DISPUTE_WORDS,
    _GENERIC_GOV,
    _LEGAL_END,
    _MASKED_CHAIN,
    _MASKED_PLACE,
    _MAX_NAME,
    _MAX_SUFFIX_HITS,
    _NAME_CHARS,
    _NOT_EMPLOYER,
    _ORG_END,
    _OUTER_CITY,
    _STAND_VERB_NEXT,
    _SUFFIX_RE,
    DEFAULT_BRANDS_DIR,
    load_brands,
)
from nlp.entities.workers_money import MoneyMention, WorkerCount, WorkersAndMoney, _masked_code_digit, _parse_count  # noqa: F401
from nlp.entity_model import DEFAULT_ENTITY_MODEL, EntityModel, amount_features, employer_features, worker_features
from nlp.regions import Regions
from nlp.registry import CompanyRegistry
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter

__all__ = ["DEFAULT_BRANDS_DIR", "Entities", "EntityExtractor", "MoneyMention", "WorkerCount", "load_brands"]

logger = logging.getLogger(__name__)


_ROAD_AFTER_PLACE = re.compile(r"[东西南北中]?(?:路(?!口)|大道|公路|大街)")


@dataclass(frozen=True, slots=True)
class Entities:
    employers: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    workers: int | None = None
    amount_yuan: float | None = None
    dates: tuple[str, ...] = ()



class EntityExtractor(EmployerMentions, WorkersAndMoney):
    def __init__(self, *, segmenter: Segmenter, registry: CompanyRegistry, regions: Regions,
                 brands: Iterable[str] | None = None, model_path: Path | None = DEFAULT_ENTITY_MODEL,
                 model: EntityModel | None = None, brand_stems: Iterable[str] | None = None) -> None:
        """``brands``: short company names without a legal suffix (联想, 中兴通讯) that may stand as a
        headline subject; None reads them from the shared company lists when present (:func:`load_brands`).
        ``brand_stems``: listed companies' short names without their tail (顺丰控股 -> 顺丰), used only before a
        dispute told of their workers; None reads them with the brands (none when ``brands`` is given).
        ``model``/``model_path``: the learned selector (:mod:`nlp.entity_model`) choosing employer, workers and
        amount among the rule candidates; a missing file means the rules alone (logged), an unreadable one is an
        ``NlpError`` naming it; ``model_path=None`` and no ``model``: rules alone."""
        self.segmenter = segmenter
        self.registry = registry
        self.regions = regions
        self.brands = frozenset(load_brands(DEFAULT_BRANDS_DIR) if brands is None else brands)
        # listed companies' stems (顺丰控股 -> 顺丰): read with the brands, or given (round 14)
        self.brand_stems = frozenset(
            (load_brand_stems(DEFAULT_BRANDS_DIR) if brands is None else ()) if brand_stems is None else brand_stems
        ) - self.brands
        self._stem_max = max(map(len, self.brand_stems), default=0)
        self._brand_max = max(map(len, self.brands), default=0)
        forms: dict[str, str] = {}
        for c in registry:
            for f in (c.name, *c.aliases):
                if len(f) >= 2:
                    forms.setdefault(f, c.name)
        self._posseg: Any = None  # jieba.posseg.POSTokenizer, created on first use (heavy import)
        self._pos_cache: dict[str, list[tuple[str, str]]] = {}
        self._gazetteer = sorted(forms, key=len, reverse=True)
        self.name_rules: EmployerNameRules | None = EmployerNameRules(registry_forms=forms, places=regions.words())
        self._gaz_re = re.compile("|".join(map(re.escape, self._gazetteer))) if self._gazetteer else None
        self._branch_stores = BranchStores(regions.words())
        self._places_words = frozenset(regions.words())
        self._places = regions.surface_index()
        self._place_re = re.compile(
            "|".join(map(re.escape, sorted(self._places, key=len, reverse=True)))
        ) if self._places else None
        if model is None and model_path is not None:
            if Path(model_path).is_file():
                model = EntityModel.load(Path(model_path))
            else:
                logger.info("entity model %s absent: employer/workers/amount chosen by the rules alone", model_path)
        self.model = model


    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> EntityExtractor:  # noqa: ANN401 - laborwatch Settings
        """The extractor over ``settings``' registry, regions and segmenter; ``kw`` as for the constructor
        (``model_path=None``: rules alone)."""
        paths = ResourcePaths.from_settings(settings)
        regions = Regions.load(paths.regions)
        registry = CompanyRegistry.load(paths.companies, known_towns={t.name for t in regions.towns})
        return cls(segmenter=Segmenter.from_settings(settings), registry=registry, regions=regions, **kw)
    def extract(self, text: str) -> Entities:
        """Entities of ``text``: employer, workers and amount chosen by the learned selector when one is loaded
        (among the rule candidates and a wider pool), else by the rules (:meth:`extract_rules`)."""
        if self.model is None:
            return self.extract_rules(text)
        m = self.model
        return Entities(
            employers=tuple(m.choose("employers", employer_features(self, text))) if "employers" in m.fields
            else tuple(self.employers(text)),
            locations=tuple(self.locations(text)),
            towns=tuple(self.towns(text)),
            workers=m.choose("workers", worker_features(self, text)) if "workers" in m.fields
            else self.workers(text),
            amount_yuan=m.choose("amount", amount_features(self, text)) if "amount" in m.fields
            else self.amount(text),
            dates=tuple(dict.fromkeys(_DATE_RE.findall(text)))[:5],
        )

    def extract_rules(self, text: str) -> Entities:
        """Entities chosen by the hand rules alone (the fallback, and the baseline the model is measured on)."""
        return Entities(
            employers=tuple(self.employers(text)),
            locations=tuple(self.locations(text)),
            towns=tuple(self.towns(text)),
            workers=self.workers(text),
            amount_yuan=self.amount(text),
            dates=tuple(dict.fromkeys(_DATE_RE.findall(text)))[:5],
        )

    # --- places ----------------------------------------------------------------------------------------
    def towns(self, text: str) -> list[str]:
        if self._place_re is None:
            return []
        # a town's name at the head of a road's ("金泽大道", "徐泾北路") names the road, not the town
        return list(dict.fromkeys(
            self._places[m.group(0)] for m in self._place_re.finditer(text)
            if not _ROAD_AFTER_PLACE.match(text, m.end())
        ))

    def locations(self, text: str) -> list[str]:
        out: list[str] = []
        if self._place_re is not None:
            out.extend(m.group(0) for m in self._place_re.finditer(text))
        out.extend(_ADDR_RE.findall(text))
        out.extend(_MASKED_PLACE.findall(text))
        return list(dict.fromkeys(out))[:10]

