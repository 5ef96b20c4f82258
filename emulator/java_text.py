"""Values as AppSync prints them in messages and ``$util`` output.

AppSync's GraphQL layer (graphql-java) runs on the JVM, so a variable value shows as Java's
``toString`` prints it (``{a=1, b=[x, y]}``, ``1.0E10``) and a literal as graphql-java prints its
AST (``StringValue{value='x'}``). The scalar errors, the error wording and ``$util`` share these.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from graphql import (
    BooleanValueNode,
    EnumValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)


def java_value(value: Any) -> str:
    """A variable value as Java's ``toString`` prints it (``{a=1, b=[x, y]}``, ``1.0E10``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(java_value(item) for item in value) + "]"
    return str(value)


def java_double(value: float) -> str:
    """``Double.toString``: plain between 10^-3 and 10^7 (``1.0``, ``0.25``), scientific outside
    (``1.0E10``, ``1.5E-4``), always with a fraction digit; the shortest digits that round-trip."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest_digits(abs(value))  # value = 0.digits × 10^exponent
    if 1e-3 <= abs(value) < 1e7:
        if exponent <= 0:
            return f"{sign}0.{'0' * -exponent}{digits}"
        whole, fraction = digits[:exponent].ljust(exponent, "0"), digits[exponent:]
        return f"{sign}{whole}.{fraction or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent - 1}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-trip decimal digits of a positive float and its exponent, such that
    ``value == 0.<digits> × 10**exponent``."""
    _, digit_tuple, power = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    stripped = digits.rstrip("0")
    return stripped, int(power) + len(digits)



def java_literal(node: ValueNode) -> str:
    """A literal as graphql-java prints AST values (``StringValue{value='x'}``)."""
    if isinstance(node, StringValueNode):
        return f"StringValue{{value='{node.value}'}}"
    if isinstance(node, IntValueNode):
        return f"IntValue{{value={node.value}}}"
    if isinstance(node, FloatValueNode):
        return f"FloatValue{{value={node.value}}}"
    if isinstance(node, BooleanValueNode):
        return f"BooleanValue{{value={'true' if node.value else 'false'}}}"
    if isinstance(node, EnumValueNode):
        return f"EnumValue{{name='{node.value}'}}"
    if isinstance(node, NullValueNode):
        return "NullValue{}"
    if isinstance(node, ListValueNode):
        return "ArrayValue{values=[" + ", ".join(java_literal(v) for v in node.values) + "]}"
    if isinstance(node, ObjectValueNode):
        fields = ", ".join(f"ObjectField{{name='{f.name.value}', value={java_literal(f.value)}}}" for f in node.fields)
        return f"ObjectValue{{objectFields=[{fields}]}}"
    return str(node)
