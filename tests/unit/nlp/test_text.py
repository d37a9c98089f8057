from __future__ import annotations

import time

import pytest

from nlp.normalize import TRUNCATION_MARK, normalize, truncate_head_tail
from nlp.numbers import parse_cn_number


def test_normalize_width_traditional_html_emoji_controls() -> None:
    s = normalize("<p>青浦區某公司拖欠工資&amp;ＡＢＣ１２３😀\x07  ，兩個月</p>")
    assert s == "青浦区某公司拖欠工资&ABC123 ，两个月"


def test_normalize_empty_and_whitespace() -> None:
    assert normalize(None) == ""
    assert normalize("   \n\t ") == ""
    assert normalize("😀😀") == ""


def test_head_tail_truncation_keeps_both_ends() -> None:
    text = "头" * 5000 + "尾" * 5000
    out = truncate_head_tail(text, 1000)
    assert out.startswith("头" * 750) and out.endswith("尾" * 250) and TRUNCATION_MARK in out
    assert truncate_head_tail("短", 1000) == "短"


def test_normalize_one_megabyte_is_bounded() -> None:
    t0 = time.perf_counter()
    out = normalize("欠薪" * 500_000, max_chars=4000)
    assert len(out) <= 4000 + len(TRUNCATION_MARK)
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize(
    ("s", "v"),
    [("3", 3), ("1,200", 1200), ("三十", 30), ("十几", 10), ("几十", 10), ("上百", 100), ("数十", 10),
     ("两万五千", 25000), ("十几万", 100000), ("二十七", 27), ("几百", 100)],
)
def test_parse_cn_number(s: str, v: float) -> None:
    assert parse_cn_number(s) == v


def test_parse_cn_number_rejects_garbage() -> None:
    assert parse_cn_number("") is None
    assert parse_cn_number("abc") is None
