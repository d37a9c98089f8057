from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from lwcore.domain import EVENT_TYPES, SHANGHAI, Engagement, Post, PostKind, Severity
from lwcore.settings import REPO_ROOT
from nlp.cluster import EventClusterer, hamming, simhash
from nlp.linking import CompanyLinker, normalize_company_name
from nlp.registry import CompanyRegistry
from nlp.severity import SeverityRules

CONFIGS = REPO_ROOT / "configs"
DISPUTE = ("上海赵巷锦绣服装厂拖欠30多名工人三个月工资共15万余元，工人在厂门口拉横幅讨薪，老板失联。")


def _post(pid: str, text: str, *, when: datetime | None = None, reposts: int = 0) -> Post:
    now = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
    return Post(id=pid, url=f"https://example.org/{pid}", source_id="t", platform="weibo", kind=PostKind.SOCIAL,
                title="", content=text, published_at=when or now, fetched_at=now,
                engagement=Engagement(reposts=reposts))


def test_entities_from_a_dispute(analyzer) -> None:  # noqa: ANN001
    e = analyzer.entities.extract(DISPUTE)
    assert e.employers[0] == "上海赵巷锦绣服装厂"
    assert e.workers == 30
    assert e.amount_yuan == 150000
    assert "赵巷镇" in e.towns


def test_workers_and_amount_forms(analyzer) -> None:  # noqa: ANN001
    ex = analyzer.entities
    assert ex.workers("上百名农民工聚集讨薪") == 100
    assert ex.workers("数十名工人") == 10
    assert ex.workers("公司拖欠职工40余人的工资") == 40
    assert ex.amount("老板拖欠工资3万余元") == 30000
    assert ex.amount("至今还欠十几万工钱没给") == 100000
    assert ex.amount("工资1,200元/月 x 3个月没发") == 3600
    assert ex.amount("今天天气不错") is None


def test_linking_methods() -> None:
    reg = CompanyRegistry.load(CONFIGS / "companies.csv")
    lk = CompanyLinker(reg, town_names=("赵巷镇", "华新镇"))
    assert lk.link("圆通速递有限公司").method == "exact"
    a = lk.link("中通")
    assert a.method == "alias" and a.name == "中通快递股份有限公司" and a.key_supervision and a.town == "华新镇"
    n = lk.link("上海中通快递股份有限公司")
    assert n.method == "normalized" and n.company_id == a.company_id
    f = lk.link("上海青浦精工模俱公司")
    assert f.company_id is not None and f.confidence < 0.9
    u = lk.link("华为公司")
    assert u.company_id is None and u.method == "none" and u.mention == "华为公司"
    assert normalize_company_name("上海市青浦区某某物流有限公司") == "某某物流"


def test_severity_explains_itself() -> None:
    rules = SeverityRules.load(CONFIGS / "lexicon" / "severity.yaml")
    r = rules.score(labor_dispute=True, event_types=["wage_arrears", "group_action"], workers=120,
                    amount_yuan=300000, text="工人爬塔吊讨薪", when=datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert r.level is Severity.I
    assert any(f.startswith("event:group_action") for f in r.factors)
    assert any(f.startswith("workers>=100") for f in r.factors)
    assert any(f.startswith("extreme:") for f in r.factors)
    low = rules.score(labor_dispute=True, event_types=["other_labor"], workers=None, amount_yuan=None, text="",
                      when=datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert low.level is Severity.IV
    expo = rules.score(labor_dispute=True, event_types=["other_labor"], workers=None, amount_yuan=None, text="",
                       when=datetime(2026, 11, 5, tzinfo=SHANGHAI))
    assert expo.level is Severity.III and any(f.startswith("sensitive_period:进博会") for f in expo.factors)
    assert rules.score(labor_dispute=False, event_types=[], workers=None, amount_yuan=None, text="").level is None


def test_clusterer_reposts_and_seeding() -> None:
    a = "青浦区赵巷镇某服装厂拖欠30多名工人工资三个月，工人聚集厂门口讨薪，老板失联。"
    c = EventClusterer()
    e1 = c.assign(a)
    assert c.assign("转发微博 //@小明: " + a + " #讨薪#") == e1
    assert c.assign(a.replace("30多名", "三十多名")) == e1
    assert c.assign("今天去朱家角古镇玩了一天，吃了阿婆粽，风景很好。") != e1
    fresh = EventClusterer()
    fresh.seed([(a, "ev-known", None)])
    assert fresh.assign("转发 " + a) == "ev-known"
    assert hamming(simhash(a), simhash(a)) == 0
    small = EventClusterer(capacity=3)
    for i in range(10):
        small.assign(f"第{i}条完全不同的内容 {'甲乙丙丁戊己庚辛'[i % 8] * (i + 3)}")
    assert len(small) <= 3


def test_employer_event_id_is_deterministic_across_instances(analyzer, nlp_settings) -> None:  # noqa: ANN001
    from nlp.analyzer import Analyzer

    other = Analyzer.from_settings(nlp_settings)
    t1 = "赵巷锦绣服装厂拖欠工人工资两个月，工人讨薪无门。"
    t2 = "上海赵巷锦绣服装厂又被曝欠薪，多名员工表示工资已拖欠两个月，劳动监察已介入。"
    a1 = analyzer.analyze([_post("x1", t1)])[0]
    a2 = other.analyze([_post("x2", t2)])[0]
    assert a1.labor_dispute and a2.labor_dispute
    assert a1.companies[0].company_id == a2.companies[0].company_id
    assert a1.event_id == a2.event_id


def test_analyze_batch_contract(analyzer) -> None:  # noqa: ANN001
    posts = [
        _post("p1", DISPUTE, reposts=2000),
        _post("p2", "今天去朱家角古镇玩，阿婆粽很好吃。"),
        _post("p3", ""),
        _post("p4", "😀😀😀"),
        _post("p5", "English only text about nothing"),
        _post("p6", "mixed 中文 and English 工资 123 ＡＢＣ"),
        _post("p7", "转发微博 " + DISPUTE, reposts=5),
    ]
    out = analyzer.analyze(posts)
    assert [a.post_id for a in out] == [p.id for p in posts]
    a = out[0]
    assert a.labor_dispute and 0.5 < a.score <= 1.0
    assert "wage_arrears" in a.event_types and set(a.event_types) <= set(EVENT_TYPES)
    assert a.companies[0].company_id and a.companies[0].town == "赵巷镇"
    assert a.severity is not None and a.severity_factors
    assert a.event_id and out[6].event_id == a.event_id
    for b in out[1:6]:
        assert not b.labor_dispute and b.severity is None and b.event_id is None
    assert "朱家角镇" in out[1].towns
    assert analyzer.analyze([]) == []


def test_one_megabyte_post_is_bounded(analyzer) -> None:  # noqa: ANN001
    t0 = time.perf_counter()
    out = analyzer.analyze([_post("big", ("某公司拖欠工资，" * 80_000)[:1_000_000])])
    assert len(out) == 1 and time.perf_counter() - t0 < 20


def test_classify_cli_contract(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "欠薪", "text": DISPUTE}, ensure_ascii=False).encode(),
        json.dumps({"id": "b", "text": ""}).encode(),
        b"not json",
        b'{"id": "c", "text": "\xff\xfe bad bytes \xe6\xac"}',
        b"   ",  # a blank line keeps its place: one output line per input line
        json.dumps({"id": "d", "text": "Hello"}).encode(),
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    dst = tmp_path / "out.jsonl"
    r = subprocess.run([sys.executable, "-m", "laborwatch", "nlp", "classify", "--input", str(src),
                        "--output", str(dst)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    recs = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in recs] == ["a", "b", None, "c", None, "d"]
    keys = {"id", "labor_dispute", "score", "event_types", "employers", "workers", "amount_yuan", "severity"}
    assert all(keys <= set(x) for x in recs)
    assert recs[0]["labor_dispute"] is True and recs[0]["severity"] in ("I", "II", "III", "IV")
    assert "error" in recs[2] and "blank line" in recs[4]["error"] and "line 5" in recs[4]["error"]
    missing = subprocess.run([sys.executable, "-m", "laborwatch", "nlp", "classify", "--input",
                              str(tmp_path / "nope.jsonl"), "--output", str(dst)],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "nope.jsonl" in missing.stderr


def test_classify_explain_is_opt_in(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "厂里从来没给我交过社保，退休手续办不了"}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "b", "text": "急招普工，工资按月发放，从不拖欠，缴纳五险，包吃住"}, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    contract = {"id", "labor_dispute", "score", "event_types", "employers", "workers", "amount_yuan", "severity"}
    for extra in ([], ["--explain"]):
        dst = tmp_path / f"out{len(extra)}.jsonl"
        r = subprocess.run([sys.executable, "-m", "laborwatch", "nlp", "classify", "--input", str(src),
                            "--output", str(dst), *extra], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        recs = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
        assert [set(x) for x in recs] == [contract | ({"explanation"} if extra else set())] * 2
        assert recs[0]["labor_dispute"] is True and recs[0]["event_types"] == ["social_insurance_arrears"]
        assert recs[1]["labor_dispute"] is False
    ex = recs[0]["explanation"]
    assert ex["members"][0] == "tfidf" and ex["cues"][0]["text"] == "从来没给我交过社保"
    assert recs[1]["explanation"]["rule"] == "clear"
    assert any(c["kind"] == "genre:advert" for c in recs[1]["explanation"]["cues"])
