"""Silver labels (nlp.data.load_silver) and train-only rows in cross-validation (nlp.training)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from nlp.data import LabelledItem, load_silver
from nlp.errors import InputError
from nlp.training import Prepared, cross_validate


def _sha(t: str) -> str:
    return hashlib.sha1(t.encode("utf-8")).hexdigest()[:12]


def _corpus(tmp_path: Path) -> tuple[Path, list[str]]:
    texts = ["甲镇某厂拖欠工人三个月工资", "乙镇公园樱花开了\u2028游客很多", "丙镇某物流公司不给员工交社保"]
    d = tmp_path / "corpora" / "weibo"
    d.mkdir(parents=True)
    (d / "posts.jsonl").write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts),
                                   encoding="utf-8")
    return tmp_path / "corpora", texts


def _line(key: str, sha: str, rel: bool, types: list[str] | None = None, conf: str = "high") -> str:
    return json.dumps({"key": key, "sha": sha, "source": "weibo", "labor_dispute": rel,
                       "event_types": types or [], "confidence": conf}, ensure_ascii=False) + "\n"


def test_silver_items_read_their_text_from_the_corpus_line(tmp_path: Path) -> None:
    corpora, texts = _corpus(tmp_path)
    f = tmp_path / "silver.jsonl"
    # line 2 comes after a text holding U+2028 (a line separator for str.splitlines, not for JSONL)
    f.write_text(_line("weibo/posts.jsonl:0", _sha(texts[0]), True, ["wage_arrears"])
                 + _line("weibo/posts.jsonl:2", _sha(texts[2]), True, ["social_insurance_arrears", "bogus"], "low"),
                 encoding="utf-8")
    items = load_silver(f, corpora)
    assert [i.text for i in items] == [texts[0], texts[2]]
    assert items[0].id == "silver:weibo/posts.jsonl:0" and items[0].source == "weibo"
    assert items[1].event_types == ("social_insurance_arrears",) and items[1].confidence == "low"


@pytest.mark.parametrize(("key", "sha", "why"), [
    ("weibo/posts.jsonl:0", "000000000000", "differs from the one that was labelled"),
    ("weibo/posts.jsonl:9", None, "has no line 9"),
    ("weibo/missing.jsonl:0", None, "corpus file"),
])
def test_a_silver_line_that_does_not_match_the_corpus_is_refused(tmp_path: Path, key: str, sha: str | None,
                                                                 why: str) -> None:
    corpora, texts = _corpus(tmp_path)
    f = tmp_path / "silver.jsonl"
    f.write_text(_line("weibo/posts.jsonl:1", _sha(texts[1]), False) + _line(key, sha or _sha(texts[0]), True),
                 encoding="utf-8")
    with pytest.raises(InputError, match=f"silver.jsonl: line 2: .*{why}"):
        load_silver(f, corpora)


def _prep(n_gold: int, n_silver: int) -> Prepared:
    """Toy prepared data: separable by the first character; silver rows flagged train-only."""
    rng = np.random.default_rng(5)
    y = np.array([i % 2 for i in range(n_gold + n_silver)])
    texts = [("欠薪" if v else "赏花") + f"第{i}条消息{int(rng.integers(1_000_000))}" for i, v in enumerate(y)]
    items = [LabelledItem(id=str(i), text=t, labor_dispute=bool(v),
                          event_types=("wage_arrears",) if v else ()) for i, (t, v) in enumerate(zip(texts, y, strict=True))]
    return Prepared(items=items, texts=texts, words=[list(t) for t in texts],
                    lex=np.zeros((len(y), 9), dtype=np.float32), candidate=np.ones(len(y), dtype=bool), y=y,
                    weights=np.ones(len(y)), train_only=np.arange(len(y)) >= n_gold, extra_weight=0.3)


def test_cross_validation_trains_on_silver_rows_and_never_scores_them() -> None:
    prep = _prep(40, 20)
    assert list(prep.gold) == list(range(40))
    oof = cross_validate(prep, k=4, seed=13)
    assert (oof[40:] == 0).all()  # no silver row is predicted
    assert (oof[:40, 0][prep.y[:40] == 1] > 0.5).mean() > 0.9  # every gold row is, out of fold
    sub = prep.subset(np.array([0, 45]))
    assert list(sub.train_only) == [False, True] and sub.texts == [prep.texts[0], prep.texts[45]]


def test_nlp_train_with_silver_records_it_and_scores_gold_only(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpora, texts = _corpus(tmp_path)
    gold = tmp_path / "gold.jsonl"
    rows = []
    for k, town in enumerate(["甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇", "庚镇", "辛镇"]):
        rows.append({"id": f"p{k}", "text": f"{town}第{k}服装厂拖欠{10 + k}名工人三个月工资，工人讨薪无果",
                     "labor_dispute": True, "event_types": ["wage_arrears"]})
        rows.append({"id": f"n{k}", "text": f"{town}第{k}公园樱花盛开，周末有{100 + k}位游客前来赏花",
                     "labor_dispute": False, "event_types": []})
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    silver = tmp_path / "silver.jsonl"
    silver.write_text(_line("weibo/posts.jsonl:0", _sha(texts[0]), True, ["wage_arrears"])
                      + _line("weibo/posts.jsonl:1", _sha(texts[1]), False), encoding="utf-8")
    out = tmp_path / "bundle"
    r = subprocess.run([sys.executable, "-m", "laborwatch", "nlp", "train", "--data", str(gold), "--silver",
                        str(silver), "--corpora", str(corpora), "--out", str(out), "--folds", "2", "--no-encoder",
                        "--oof-out", str(tmp_path / "oof.jsonl")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["relevance"]["support"] == 8  # the gold positives only
    assert report["slices"]["short"]["support"] == 8 and report["slices"]["board"]["support"] == 0
    oof = [json.loads(line) for line in (tmp_path / "oof.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in oof] == [r["id"] for r in rows]  # gold items only, each scored out of fold
    assert all(0.0 <= o["score"] <= 1.0 for o in oof)
    assert sum(o["labor_dispute"] for o in oof) == 8
    prov = json.loads((out / "bundle.json").read_text(encoding="utf-8"))["provenance"]
    assert prov["items"] == 16 and prov["silver_items"] == 2 and prov["silver_positives"] == 1
    assert prov["silver_weight"] == 0.3 and len(prov["silver_sha256_16"]) == 16
