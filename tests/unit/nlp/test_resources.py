from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from lwcore.errors import ConfigError
from lwcore.settings import REPO_ROOT, load_settings
from nlp.lexicon import Lexicon
from nlp.regions import Regions
from nlp.registry import CompanyRegistry
from nlp.resources import check_config
from nlp.segment import Segmenter

CONFIGS = REPO_ROOT / "configs"


def test_shipped_configs_are_valid() -> None:
    warnings = check_config(load_settings(environ={}))
    assert not any("ambiguous" in w for w in warnings), warnings


def test_registry_sample_covers_towns_and_express_firms() -> None:
    regions = Regions.load(CONFIGS / "regions.yaml")
    reg = CompanyRegistry.load(CONFIGS / "companies.csv", known_towns={t.name for t in regions.towns})
    assert 40 <= len(reg) <= 80
    assert {c.town for c in reg} == {t.name for t in regions.towns}
    names = " ".join(c.name for c in reg)
    for firm in ("圆通", "中通", "申通", "韵达"):
        assert firm in names
    assert all(c.id.startswith("TEST") and len(c.id) == 18 for c in reg)
    c = reg.get(reg.all()[0].id)
    assert c is not None and c.aliases


def _copy_configs(tmp_path: Path) -> Path:
    d = tmp_path / "configs"
    shutil.copytree(CONFIGS, d)
    return d


def test_registry_errors_name_file_row_and_field(tmp_path: Path) -> None:
    p = tmp_path / "companies.csv"
    p.write_text("credit_code,name,aliases,town,industry,key_supervision\n"
                 "TEST91310118000001,甲公司,,华新镇,retail,maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        CompanyRegistry.load(p)
    assert "row 2.key_supervision" in str(e.value) and str(p) in str(e.value)
    p.write_text("credit_code,name\nX,Y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing column"):
        CompanyRegistry.load(p)
    p.write_text("credit_code,name,aliases,town,industry,key_supervision\n"
                 "TEST91310118000001,甲公司,,火星镇,retail,true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="row 2.town"):
        CompanyRegistry.load(p, known_towns={"华新镇"})


def test_regions_and_lexicon_errors(tmp_path: Path) -> None:
    p = tmp_path / "regions.yaml"
    p.write_text("district: {name: 青浦区}\ntowns:\n  - {name: 赵巷镇, kind: village}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"towns\[0\]\.kind"):
        Regions.load(p)
    q = tmp_path / "terms.yaml"
    q.write_text("terms:\n  欠薪: [3, [no_such_type]]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown event type"):
        Lexicon.load(q)
    q.write_text("terms:\n  欠薪: [3, [wage_arrears]]\npatterns:\n  '(unclosed': [1, []]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid regex"):
        Lexicon.load(q)
    q.write_text("terms:\n  欠薪: [3, [wage_arrears]]\ntype_cues:\n  倒闭: [5, []]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"type_cues\.倒闭.*at least one event type"):
        Lexicon.load(q)


def test_check_config_raises_for_broken_copy(tmp_path: Path) -> None:
    d = _copy_configs(tmp_path)
    (d / "lexicon" / "severity.yaml").write_text("levels: {I: 1, II: 5, III: 9}\n", encoding="utf-8")
    settings = load_settings(d / "settings.yaml", environ={})
    with pytest.raises(ConfigError, match="severity.yaml"):
        check_config(settings)


def test_segmenter_keeps_project_words_whole_and_no_torch() -> None:
    seg = Segmenter.from_settings(load_settings(environ={}))
    words = seg.cut("青浦区赵巷镇上海赵巷锦绣服装厂拖欠农民工工资，工人在国家会展中心拉横幅讨薪")
    for w in ("赵巷镇", "上海赵巷锦绣服装厂", "农民工", "国家会展中心", "拉横幅", "讨薪"):
        assert w in words
    assert seg.cut("") == []
    assert Segmenter.from_settings(load_settings(environ={})) is seg  # cached


def test_nlp_package_imports_without_torch() -> None:
    import subprocess

    code = ("import sys, nlp, nlp.segment, nlp.cli, nlp.analyzer; "
            "from lwcore.settings import load_settings; "
            "nlp.segment.Segmenter.from_settings(load_settings(environ={})).cut('欠薪'); "
            "assert 'torch' not in sys.modules, 'torch imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]


def test_lexicon_prefilter() -> None:
    lx = Lexicon.load(CONFIGS / "lexicon" / "labour_terms.yaml")
    hit = lx.match("某公司拖欠工资三个月，工人讨薪")
    assert hit.candidate and hit.hints["wage_arrears"] > 0
    assert not lx.match("今天天气很好，去朱家角玩").candidate
    assert not lx.match("").candidate


def test_type_cues_add_hints_but_never_make_a_candidate(tmp_path: Path) -> None:
    q = tmp_path / "terms.yaml"
    q.write_text("terms:\n  欠薪: [3, [wage_arrears]]\ntype_cues:\n  '(倒闭|跑路)': [5, [closure_relocation]]\n",
                 encoding="utf-8")
    lx = Lexicon.load(q)
    only_cue = lx.match("这家奶茶店倒闭了")
    assert not only_cue.candidate and only_cue.score == 0.0  # the prefilter ignores cues
    assert only_cue.hints == {"closure_relocation": 5.0} and "cue:(倒闭|跑路)" in only_cue.terms
    both = lx.match("工厂倒闭，老板跑路，工人欠薪")
    assert both.candidate and both.score == 3.0
    assert both.hints == {"wage_arrears": 3.0, "closure_relocation": 5.0}
    shipped = Lexicon.load(CONFIGS / "lexicon" / "labour_terms.yaml")
    assert shipped.match("服装厂突然停产倒闭，员工工资没发").hints.get("closure_relocation", 0) >= 5
    assert shipped.match("公交司机集体罢工讨要工资").hints.get("strike_stoppage", 0) >= 5
