"""GB 32100-2015 credit codes: the check character, normalisation and the reasons given for bad codes."""

from __future__ import annotations

import pytest

from companies import ValidationError, check_character, is_test_code, normalize_credit_code
from companies.uscc import CHARSET, WEIGHTS


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == tuple(pow(3, i, 31) for i in range(17))
    assert len(CHARSET) == 31 and not set("IOSVZ") & set(CHARSET)


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    "91110000802100433B",
    "91310000MA1FL8TQ36",
])
def test_known_good_codes_pass(code: str) -> None:
    assert check_character(code[:17]) == code[17]
    assert normalize_credit_code(code) == code


def test_check_character_31_becomes_zero() -> None:
    # find a body whose weighted sum is a multiple of 31: its check character must be "0", not out of range
    body = next(b for b in (f"9131011800000{i:04d}" for i in range(10000))
                if sum(CHARSET.index(c) * w for c, w in zip(b, WEIGHTS, strict=True)) % 31 == 0)
    assert check_character(body) == "0"


def test_normalisation_strips_blanks_full_width_and_case() -> None:
    assert normalize_credit_code(" ９１３５０１００m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code("9135-0100-M000-100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "empty"),
    (None, "empty"),
    ("91350100M000100Y4", "has 17 characters"),
    ("91350100M000100Y44", "check character is '4', GB 32100-2015 gives '3'"),
    ("91350100M000100I43", "character 'I' at position 16"),
    ("B1350100M000100Y43", "registration authority 'B'"),
    ("9135A100M000100Y43", "positions 3-8"),
])
def test_bad_codes_say_why(raw: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_credit_code(raw)
    assert err.value.field == "credit_code"
    assert fragment in err.value.reason


def test_test_codes_are_accepted_without_check_character() -> None:
    assert is_test_code("TEST91310118000001")
    assert normalize_credit_code("test91310118000001") == "TEST91310118000001"
    assert not is_test_code("TEST9131011800000")  # 13 digits: not the test pattern
    with pytest.raises(ValidationError):
        normalize_credit_code("TEST9131011800000X")
