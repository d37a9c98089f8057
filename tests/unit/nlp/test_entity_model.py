"""The learned entity selector (nlp/entity_model.py): training on a tiny hand-written set, save/load round trip,
fallback to the rules when the model file is absent, clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.data import LabelledItem
from nlp.entities import EntityExtractor
from nlp.entity_model import (
    FEATURE_VERSION,
    EntityModel,
    FieldModel,
    amount_features,
    employer_features,
    train_entity_model,
    worker_features,
)
from nlp.errors import NlpError

# Own sentences (no labelled data): employer, workers and amount stated, or not.
_TEXTS = [
    ("我们是B7县青山机械有限公司的员工，公司拖欠30多名工人工资共计5万元。", ["B7县青山机械有限公司"], 30, 50000.0),
    ("C3市拓丰商贸有限公司欠我两个月的工资，月薪3000元。", ["C3市拓丰商贸有限公司"], None, None),
    ("D2县宏远矿业有限公司欠40名矿工工资20万元，至今未发。", ["D2县宏远矿业有限公司"], 40, 200000.0),
    ("E市海川建筑有限公司滨江工地欠我们12名农民工工钱8万元。", ["E市海川建筑有限公司"], 12, 80000.0),
    ("请问休产假公司会发工资吗？", [], None, None),
    ("F2县金鼎源食品厂辞退员工15人，未支付补偿。", ["F2县金鼎源食品厂"], 15, None),
    ("我在G市永兴物业有限公司做保安，每天120元，老板拖欠工资3个月。", ["G市永兴物业有限公司"], None, None),
    ("H4县长林木业有限公司拖欠20余名工人工资10万余元。", ["H4县长林木业有限公司"], 20, 100000.0),
    ("向A市人社局反映：K2县兴旺纸箱厂拖欠工资6万元。", ["K2县兴旺纸箱厂"], None, 60000.0),
    ("L市明辉电子有限公司裁员50人，员工聚集讨说法。", ["L市明辉电子有限公司"], 50, None),
    ("M3县新城幼儿园拖欠8名教师工资两万元。", ["M3县新城幼儿园"], 8, 20000.0),
    ("我想问一下社保转移怎么办理，谢谢。", [], None, None),
]


@pytest.fixture(scope="module")
def parts(analyzer):  # noqa: ANN001, ANN201
    return analyzer.segmenter, analyzer.registry, analyzer.regions


@pytest.fixture(scope="module")
def rules(parts) -> EntityExtractor:  # noqa: ANN001
    seg, reg, regions = parts
    return EntityExtractor(segmenter=seg, registry=reg, regions=regions, brands=(), model_path=None)


@pytest.fixture(scope="module")
def items() -> list[LabelledItem]:
    return [LabelledItem(id=f"t{i}", text=t, labor_dispute=True, employers=tuple(e), workers=w, amount_yuan=a)
            for i, (t, e, w, a) in enumerate(_TEXTS)]


@pytest.fixture(scope="module")
def model(rules: EntityExtractor, items: list[LabelledItem]) -> EntityModel:
    return train_entity_model(rules, items, inner=2, meta={"command": "test"})


def test_candidates_carry_the_rule_verdict_and_the_gold_value(rules: EntityExtractor) -> None:
    text = _TEXTS[0][0]
    emp = dict(employer_features(rules, text))
    assert "B7县青山机械有限公司" in emp
    assert emp["B7县青山机械有限公司"].get("rule_top") == 1.0
    assert len(emp) > 1  # the wider pool offers other left edges too
    wk = dict(worker_features(rules, text))
    assert wk[30].get("rule_pick") == 1.0
    am = dict(amount_features(rules, text))
    assert am[50000.0].get("kind=owed") == 1.0


def test_trained_selector_fits_its_training_set(model: EntityModel, rules: EntityExtractor,
                                                items: list[LabelledItem]) -> None:
    assert set(model.fields) == {"employers", "workers", "amount"}
    ok_emp = ok_w = 0
    for it in items:
        ok_emp += model.choose("employers", employer_features(rules, it.text)) == list(it.employers)
        ok_w += model.choose("workers", worker_features(rules, it.text)) == it.workers
    assert ok_emp >= len(items) - 2
    assert ok_w >= len(items) - 2
    # thresholds come from inner cross-validation and are probabilities (1.01: never)
    for fm in model.fields.values():
        assert 0.0 <= fm.threshold < 1.0
        assert 0.0 < fm.second_threshold <= 1.01


def test_save_load_round_trip_gives_the_same_choices(model: EntityModel, rules: EntityExtractor,
                                                     tmp_path: Path, parts) -> None:  # noqa: ANN001
    path = tmp_path / "entities.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as z:  # plain arrays only, no pickle
        assert "meta" in z.files
    back = EntityModel.load(path)
    assert back.meta["command"] == "test"
    for f, fm in model.fields.items():
        assert back.fields[f].names == fm.names
        np.testing.assert_allclose(back.fields[f].coef, fm.coef)
        assert back.fields[f].threshold == fm.threshold
    seg, reg, regions = parts
    learned = EntityExtractor(segmenter=seg, registry=reg, regions=regions, brands=(), model_path=path)
    assert learned.model is not None
    text = "P5县宏达塑料有限公司拖欠25名工人工资9万元。"
    e = learned.extract(text)
    assert e.employers == tuple(model.choose("employers", employer_features(rules, text)))
    assert e.workers == model.choose("workers", worker_features(rules, text))


def test_missing_model_file_falls_back_to_the_rules(parts, tmp_path: Path) -> None:  # noqa: ANN001
    seg, reg, regions = parts
    ex = EntityExtractor(segmenter=seg, registry=reg, regions=regions, brands=(), model_path=tmp_path / "none.npz")
    assert ex.model is None
    text = _TEXTS[0][0]
    assert ex.extract(text) == ex.extract_rules(text)
    assert ex.extract(text).employers == ("B7县青山机械有限公司",)


def test_a_model_with_some_fields_uses_the_rules_for_the_others(model: EntityModel, parts) -> None:  # noqa: ANN001
    seg, reg, regions = parts
    only = EntityModel({"workers": model.fields["workers"]})
    ex = EntityExtractor(segmenter=seg, registry=reg, regions=regions, brands=(), model=only)
    text = _TEXTS[2][0]
    rules = ex.extract_rules(text)
    got = ex.extract(text)
    assert got.employers == rules.employers and got.amount_yuan == rules.amount_yuan


def test_bad_model_files_name_the_file_and_the_reason(tmp_path: Path, parts, model: EntityModel) -> None:  # noqa: ANN001
    seg, reg, regions = parts
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip archive")
    with pytest.raises(NlpError, match="junk.npz"):
        EntityExtractor(segmenter=seg, registry=reg, regions=regions, brands=(), model_path=junk)
    with pytest.raises(NlpError, match="missing.npz: entity model file not found"):
        EntityModel.load(tmp_path / "missing.npz")
    # an incompatible feature version asks for retraining
    old = tmp_path / "old.npz"
    np.savez(old, meta=np.array(json.dumps({"feature_version": FEATURE_VERSION + 1, "fields": []})))
    with pytest.raises(NlpError, match="old.npz.*retrain"):
        EntityModel.load(old)
    # weights that do not match the feature names
    bad = tmp_path / "bad.npz"
    EntityModel({"workers": FieldModel(["a", "b"], np.zeros(2), 0.0, 0.5)}).save(bad)
    with np.load(bad, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["workers__coef"] = np.zeros(3)
    np.savez(bad, **arrays)
    with pytest.raises(NlpError, match="bad.npz: invalid entity model: field workers: 3 weights for 2"):
        EntityModel.load(bad)


def test_write_trained_model_reports_cv_and_stores_the_requested_fields(nlp_settings, items: list[LabelledItem],
                                                                         tmp_path: Path) -> None:  # noqa: ANN001
    from nlp.entity_training import write_trained_entity_model

    data = tmp_path / "train.jsonl"
    data.write_text("{}\n", encoding="utf-8")
    out = tmp_path / "m" / "entities.npz"
    rep = write_trained_entity_model(nlp_settings, items + items, out, data_path=str(data), command="cmd", k=2,
                                     all_fields=True)
    cv = rep["cv"]
    assert cv["items"] == 2 * len(items) and cv["folds"] == 2
    for f in ("employers", "workers", "amount"):
        assert set(cv[f]) == {"rules", "learned", "gain_per_fold"} and len(cv[f]["gain_per_fold"]) == 2
        assert 0.0 <= cv["ceiling"][f] <= 1.0
    assert rep["stored_fields"] == ["employers", "workers", "amount"]
    m = EntityModel.load(out)
    assert set(m.fields) == {"employers", "workers", "amount"}
    assert m.meta["command"] == "cmd" and len(m.meta["data_sha256_16"]) == 16


def test_without_all_fields_only_winning_fields_are_stored(nlp_settings, items: list[LabelledItem],
                                                            tmp_path: Path) -> None:  # noqa: ANN001
    from nlp.entity_training import write_trained_entity_model

    out = tmp_path / "entities.npz"
    rep = write_trained_entity_model(nlp_settings, items + items, out, data_path="absent.jsonl", command="c", k=2)
    wins = [f for f, w in rep["wins_out_of_fold"].items() if w]
    assert rep["stored_fields"] == wins
    if wins:
        assert set(EntityModel.load(out).fields) == set(wins)
    else:
        assert not out.exists() and "no model written" in rep["note"]
