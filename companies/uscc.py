"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

18 characters from the 31-character set ``0-9 A-H J-N P-R T U W-Y`` (no I, O, Z, S, V):

=====  ===========================================================
pos    meaning
=====  ===========================================================
1      registration authority (登记管理部门代码): 1-9, A, N, Y
2      organisation category (机构类别代码)
3-8    administrative division code (登记管理机关行政区划码), digits
9-17   organisation code (主体标识码, GB 11714)
18     check character (校验码)
=====  ===========================================================

The check character: each of the first 17 characters has the value of its index in the set above; weight
``W_i = 3^(i-1) mod 31``; ``C18 = 31 - (sum(value_i * W_i) mod 31)``, where 31 becomes 0.

Test codes: the bundled sample registry (``configs/companies.csv``) and the test suites use made-up codes
``TEST`` + 14 digits (e.g. ``TEST91310118000001``). They cannot collide with a real code (``T`` is not a valid
registration authority and real codes have no fifth letter in that place), so they are accepted as they are,
without a check character, and marked as test codes (:func:`is_test_code`).
"""

from __future__ import annotations

import re

from .errors import ValidationError

__all__ = ["CHARSET", "WEIGHTS", "check_character", "normalize_credit_code", "is_test_code", "FIELD"]

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
_AUTHORITIES = frozenset("123456789ANY")
_TEST = re.compile(r"^TEST\d{14}$")
#: the field name used in errors
FIELD = "credit_code"
# full-width digits/letters and the separators people paste from Word or a PDF
_TRANSLATE = {**{0xFF10 + i: ord("0") + i for i in range(10)},
              **{0xFF21 + i: ord("A") + i for i in range(26)},
              **{0xFF41 + i: ord("A") + i for i in range(26)}}


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters (upper case, from :data:`CHARSET`)."""
    if len(first17) != 17:
        raise ValidationError(FIELD, f"need 17 characters to compute the check character, got {len(first17)}")
    total = 0
    for pos, (ch, weight) in enumerate(zip(first17, WEIGHTS, strict=True), start=1):
        value = _VALUE.get(ch)
        if value is None:
            raise ValidationError(FIELD, f"character {ch!r} at position {pos} is not allowed in a credit code")
        total += value * weight
    return CHARSET[(31 - total % 31) % 31]


def is_test_code(code: str) -> bool:
    """True for the made-up ``TEST`` + 14 digits codes of the sample registry and the tests."""
    return bool(_TEST.match(code))


def normalize_credit_code(raw: object) -> str:
    """The code upper-cased with blanks, hyphens and full-width forms removed; raises :class:`ValidationError`
    saying why when it is not a valid GB 32100-2015 code (or a ``TEST`` code)."""
    if raw is None:
        raise ValidationError(FIELD, "empty")
    code = re.sub(r"[\s\-\u3000]", "", str(raw).translate(_TRANSLATE)).upper()
    if not code:
        raise ValidationError(FIELD, "empty")
    if is_test_code(code):
        return code
    if len(code) != 18:
        raise ValidationError(FIELD, f"{code!r} has {len(code)} characters, a credit code has 18")
    for pos, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            raise ValidationError(FIELD, f"{code!r}: character {ch!r} at position {pos} is not allowed "
                                         "(0-9 and A-Y without I, O, S, V, Z)")
    if code[0] not in _AUTHORITIES:
        raise ValidationError(FIELD, f"{code!r}: registration authority {code[0]!r} (position 1) "
                                     "must be 1-9, A, N or Y")
    if not code[2:8].isdigit():
        raise ValidationError(FIELD, f"{code!r}: positions 3-8 (administrative division) must be digits")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(FIELD, f"{code!r}: check character is {code[17]!r}, GB 32100-2015 gives "
                                     f"{expected!r} (a typo in the code?)")
    return code
