"""Employer mentions: a verb of saying, attributing, complaining or suing (声称, 称, 表示, 指出, 说, 认为, 告诉, 反映,
投诉, 起诉, 状告, 坦言, 证实, 声明...) ends a name. The leftward walk glued the words before such a verb to the firm
after it (B市张三声称 + 华丰电子有限公司, XX有限公司坦言 + YY有限公司): the tagger calls several of these verbs
nouns, and the gap between a masked place chain and the walked name read only a few of them. Invented texts and
invented names only, with look-alikes whose names hold these characters inside other words."""

from __future__ import annotations

import csv

import pytest

from lwcore.settings import REPO_ROOT
from nlp.entities import EntityExtractor
from nlp.entities.vocabulary import _BREAK_WORDS, _GAP_BREAK, _SPEECH_VERBS
from nlp.normalize import normalize
from tests.unit.nlp._helpers import employers_of


@pytest.fixture(scope="module")
def ex(brand_extractor: EntityExtractor) -> EntityExtractor:
    return brand_extractor


_VERBS = ("声称", "称", "表示", "指出", "说", "认为", "告诉", "反映", "投诉", "起诉", "状告", "坦言", "证实", "声明")


@pytest.mark.parametrize("verb", _VERBS)
def test_a_placed_speaker_is_not_glued_to_the_firm_after_the_verb(ex: EntityExtractor, verb: str) -> None:
    # (the place chain B市 joined 张三声称 + the name: a short gap read only 说/称/反映/投诉)
    assert employers_of(ex, f"B市张三{verb}华丰电子有限公司欠他工资") == ["华丰电子有限公司"]
    assert employers_of(ex, f"B市工人{verb}华丰电子有限公司欠他工资") == ["华丰电子有限公司"]


@pytest.mark.parametrize("verb", _VERBS)
def test_two_firms_either_side_of_the_verb_stay_two(ex: EntityExtractor, verb: str) -> None:
    text = f"恒达建材有限公司{verb}鑫垚物流有限公司拖欠工资"
    names = employers_of(ex, text)
    assert names[0] == "鑫垚物流有限公司"
    assert all(verb not in n for n in names)
    assert all(n in ("鑫垚物流有限公司", "恒达建材有限公司") for n in names)


def test_the_briefs_examples_name_each_party_apart(ex: EntityExtractor) -> None:
    assert sorted(employers_of(ex, "甲方恒达建材有限公司声称乙方鑫源物流有限公司拖欠货款")) == ["恒达建材有限公司", "鑫源物流有限公司"]
    assert sorted(employers_of(ex, "甲方B市恒达建材有限公司声称乙方C市鑫源物流有限公司拖欠货款")) == [
        "B市恒达建材有限公司", "C市鑫源物流有限公司"]
    assert employers_of(ex, "张三声称华丰电子有限公司欠他工资") == ["华丰电子有限公司"]


def test_noun_tagged_verbs_end_the_walk(ex: EntityExtractor) -> None:
    # 坦言 / 证实 / 声明 are nouns to the tagger: the walk read them as words of the name
    assert employers_of(ex, "张三证实鑫垚物流有限公司拖欠工资") == ["鑫垚物流有限公司"]
    assert employers_of(ex, "B市恒达坦言华丰电子厂欠他工资") == ["华丰电子厂"]
    assert employers_of(ex, "西地省恒达声明华丰电子厂欠他工资") == ["华丰电子厂"]


def test_a_placed_subject_starts_after_the_verb(ex: EntityExtractor) -> None:
    # the placed subject of a dispute verb (B市XX拖欠) is the name after the verb of saying, not the clause
    assert employers_of(ex, "B市老王说鑫垚物流拖欠工资") == ["鑫垚物流"]
    assert employers_of(ex, "老王说B市鑫垚物流拖欠工资") == ["B市鑫垚物流"]
    assert employers_of(ex, "B市鑫垚物流拖欠工资") == ["B市鑫垚物流"]


@pytest.mark.parametrize(("text", "want"), [
    ("B市称心家政服务有限公司拖欠工资", ["B市称心家政服务有限公司"]),
    ("传说文化传媒有限公司拖欠员工工资", ["传说文化传媒有限公司"]),
    ("B市说明书印刷厂拖欠工资", ["B市说明书印刷厂"]),
    ("B市指南针科技有限公司拖欠工资", ["B市指南针科技有限公司"]),
])
def test_names_holding_the_characters_in_other_words_stay_whole(ex: EntityExtractor, text: str,
                                                               want: list[str]) -> None:
    assert employers_of(ex, text) == want


def _registry_names() -> list[str]:
    with (REPO_ROOT / "configs" / "companies.csv").open(encoding="utf-8") as f:
        return [normalize(row["name"]) for row in csv.DictReader(f)]


def test_registry_names_are_read_whole_after_a_verb_of_saying(ex: EntityExtractor) -> None:
    names = _registry_names()
    assert names
    for name in names:
        assert not any(v in name for v in _SPEECH_VERBS if len(v) > 1), name  # no registry name holds one
        for text in (f"{name}拖欠工资", f"B市工人声称{name}拖欠工资", f"张三状告{name}拖欠工资"):
            assert name in employers_of(ex, text), text


def test_the_verbs_break_both_the_walk_and_the_chain_gap() -> None:
    assert _SPEECH_VERBS <= _BREAK_WORDS
    assert _SPEECH_VERBS <= _GAP_BREAK
