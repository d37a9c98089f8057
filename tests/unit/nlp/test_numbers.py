"""Number parsing cases for nlp/numbers.py (own examples): zero inside numbers, colloquial and mixed forms."""

from __future__ import annotations

import pytest

from nlp.numbers import parse_cn_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [("一百零五", 105), ("一千零五十", 1050), ("二十万零一千", 201000), ("十五", 15), ("二十五", 25)],
)
def test_zero_inside_a_number(raw: str, value: int) -> None:
    assert parse_cn_number(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("一万二", 12000), ("两千五", 2500), ("一百二", 120), ("三万五", 35000), ("1万5", 15000), ("一亿二", 120_000_000)],
)
def test_colloquial_trailing_digit_takes_the_next_unit(raw: str, value: int) -> None:
    assert parse_cn_number(raw) == value


@pytest.mark.parametrize(("raw", "value"), [("3万", 30000), ("1.5万", 15000), ("2万3千", 23000), ("2亿", 200_000_000)])
def test_arabic_digits_before_a_chinese_magnitude(raw: str, value: int) -> None:
    assert parse_cn_number(raw) == value


def test_not_numbers() -> None:
    assert parse_cn_number("") is None
    assert parse_cn_number("万") is None
    assert parse_cn_number("工资") is None


def test_mixed_forms_in_amounts(analyzer) -> None:  # noqa: ANN001
    ex = analyzer.entities
    assert ex.amount("公司拖欠我工资2万3千多元") == 23000
    assert ex.amount("老板拖欠工资三万五，一直不给") == 35000
    assert ex.amount("项目部欠我们工钱一万二千元") == 12000
