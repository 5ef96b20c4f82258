"""``util.str`` and ``util.math``: string case/replace/normalize, rounding, min/max, random."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.request import UtilRequest
from emulator.resolvers.appsync_util.values import is_number, java_string

NORMAL_FORMS = {"nfc": "NFC", "nfd": "NFD", "nfkc": "NFKC", "nfkd": "NFKD"}


def to_upper(text: Any) -> str | None:
    return None if text is None else java_string(text).upper()


def to_lower(text: Any) -> str | None:
    return None if text is None else java_string(text).lower()


def to_replace(text: Any, target: Any, replacement: Any) -> str | None:
    """Every occurrence of ``target`` replaced (plain text, not a pattern)."""
    if text is None:
        return None
    return java_string(text).replace(java_string(target), java_string(replacement))


def normalize(text: Any, form: Any) -> str | None:
    if text is None:
        return None
    name = NORMAL_FORMS.get(java_string(form).lower())
    if name is None:
        raise HelperFailure(f"Unknown normalization form: {java_string(form)}")
    return unicodedata.normalize(name, java_string(text))  # type: ignore[arg-type]


STR = Namespace(
    "str",
    {
        "toUpper": Helper(to_upper),
        "toLower": Helper(to_lower),
        "toReplace": Helper(to_replace),
        "normalize": Helper(normalize),
    },
)


def _number(value: Any) -> float:
    if not is_number(value):
        raise HelperFailure(f"Expected a number, got {java_string(value)}")
    return float(value)


def round_num(value: Any) -> int:
    """``Math.round``: half up, to a whole number."""
    return math.floor(_number(value) + 0.5)


def min_val(first: Any, second: Any) -> float:
    return min(_number(first), _number(second))


def max_val(first: Any, second: Any) -> float:
    return max(_number(first), _number(second))


def _random_fraction(request: UtilRequest) -> float:
    return (int.from_bytes(request.random_bytes(7), "big") >> 3) / float(1 << 53)


def random_double(request: UtilRequest) -> float:
    return _random_fraction(request)


def random_within_range(request: UtilRequest, low: Any, high: Any) -> int:
    """A whole number from ``low`` (inclusive) to ``high`` (exclusive), as Java's ``nextInt``."""
    start, end = int(_number(low)), int(_number(high))
    if end <= start:
        raise HelperFailure("bound must be greater than origin")
    return start + math.floor(_random_fraction(request) * (end - start))


MATH = Namespace(
    "math",
    {
        "roundNum": Helper(round_num),
        "minVal": Helper(min_val),
        "maxVal": Helper(max_val),
        "randomDouble": Helper(random_double, uses_request=True),
        "randomWithinRange": Helper(random_within_range, uses_request=True),
    },
)
