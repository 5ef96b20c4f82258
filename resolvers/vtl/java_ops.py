"""Velocity 1.7's operators on Java values, as AppSync evaluates them.

* Truth: only ``null`` and ``false`` are false (an empty string or list is true).
* ``==``: numbers by value (``1 == 1.0``); values of the same class by ``equals``; otherwise
  by their ``toString`` (``5 == "5"`` is true); ``null == null`` is true.
* ``<`` ``>`` ``<=`` ``>=``: numbers only (anything else is false).
* Arithmetic: integers stay integers (``7 / 2`` is ``3``, truncating toward zero, as Java);
  any decimal makes a decimal; ``+`` with a string concatenates; a null operand or a division
  by zero gives null.
"""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util.values import is_number, java_equals, java_string


def truthy(value: Any) -> bool:
    return value is not None and value is not False


def _java_class(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, str):
        return "String"
    if isinstance(value, dict):
        return "Map"
    if isinstance(value, list | tuple):
        return "List"
    return type(value).__name__


def velocity_equals(left: Any, right: Any) -> bool:
    if is_number(left) and is_number(right):
        return bool(left == right)
    if left is None or right is None:
        return left is None and right is None
    if _java_class(left) == _java_class(right):
        return java_equals(left, right)
    return java_string(left) == java_string(right)


def velocity_compare(operator: str, left: Any, right: Any) -> bool:
    if not (is_number(left) and is_number(right)):
        return False
    if operator == "<":
        return bool(left < right)
    if operator == ">":
        return bool(left > right)
    if operator == "<=":
        return bool(left <= right)
    return bool(left >= right)


def velocity_math(operator: str, left: Any, right: Any, left_text: str, right_text: str) -> Any:
    """``left <operator> right``; ``*_text`` are the operands as written (Velocity prints an
    undefined operand's source when concatenating)."""
    if operator == "+" and (isinstance(left, str) or isinstance(right, str)):
        return (left_text if left is None else java_string(left)) + (right_text if right is None else java_string(right))
    if not (is_number(left) and is_number(right)):
        return None
    if isinstance(left, float) or isinstance(right, float):
        return _decimal(operator, float(left), float(right))
    return _integer(operator, int(left), int(right))


def _decimal(operator: str, left: float, right: float) -> float | None:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        return None
    if operator == "/":
        return left / right
    remainder = abs(left) % abs(right)
    return remainder if left >= 0 else -remainder


def _integer(operator: str, left: int, right: int) -> int | None:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        return None
    quotient = abs(left) // abs(right)
    if (left < 0) != (right < 0):
        quotient = -quotient
    if operator == "/":
        return quotient
    return left - quotient * right
