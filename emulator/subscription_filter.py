"""Subscription filters: one model for argument filters, ``filter:`` inputs and auth filters.

AppSync decides whether an event reaches a subscription with its enhanced-filter engine
(``extensions.setSubscriptionFilter``): rules inside a filter are ANDed, filters inside a
``filterGroup`` are ORed, field names may reach 5 levels into the payload with ``.``. Basic
argument filtering (each given argument equals the same payload field), the v2 ``filter:``
argument (``util.transform.toSubscriptionFilter``) and the runtime filters of ``@auth`` rules are
all special cases, so they are all converted into the one tree defined here and evaluated by
the one ``matches`` below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_PATH_DEPTH = 5
MAX_PATH_LENGTH = 256
MAX_IN_VALUES = 5  # ``in`` / ``notIn``
MAX_CONTAINS_ANY_VALUES = 20


class FilterError(ValueError):
    """A filter AppSync would refuse (unknown operator, too deep a path, too many values)."""


@dataclass(frozen=True)
class Condition:
    """One rule: the payload value at ``path`` compared with ``value`` by ``operator``."""

    path: tuple[str, ...]
    operator: str
    value: Any

    def matches(self, payload: Mapping[str, Any]) -> bool:
        return OPERATORS[self.operator](_lookup(payload, self.path), self.value)


@dataclass(frozen=True)
class AllOf:
    """Every part must match (a filter's rules). No parts: matches everything."""

    parts: tuple[Filter, ...]

    def matches(self, payload: Mapping[str, Any]) -> bool:
        return all(part.matches(payload) for part in self.parts)


@dataclass(frozen=True)
class AnyOf:
    """At least one part must match (a filter group's filters). No parts: matches everything."""

    parts: tuple[Filter, ...]

    def matches(self, payload: Mapping[str, Any]) -> bool:
        return not self.parts or any(part.matches(payload) for part in self.parts)


Filter = Condition | AllOf | AnyOf
MATCH_ALL: Filter = AllOf(())


def all_of(*filters: Filter | None) -> Filter | None:
    """AND the given filters, skipping ``None``; ``None`` when none is given."""
    present = tuple(item for item in filters if item is not None)
    if not present:
        return None
    return present[0] if len(present) == 1 else AllOf(present)


# ---------------------------------------------------------------------------------------------
# Operators. ``actual`` is the payload value (``None`` when absent), ``expected`` the filter's.


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if _is_number(actual) and _is_number(expected):
        return actual == expected
    return type(actual) is type(expected) and actual == expected


def _comparable(actual: Any, expected: Any) -> bool:
    return (_is_number(actual) and _is_number(expected)) or (isinstance(actual, str) and isinstance(expected, str))


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda actual, expected: _comparable(actual, expected) and test(actual, expected)


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    if isinstance(actual, list):
        return any(_equal(item, expected) for item in actual)
    return False


def _in(actual: Any, expected: Any) -> bool:
    return any(_equal(actual, candidate) for candidate in expected)


def _between(actual: Any, expected: Any) -> bool:
    low, high = expected
    return _comparable(actual, low) and _comparable(actual, high) and low <= actual <= high


def _contains_any(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(_equal(item, candidate) for item in actual for candidate in expected)
    return _in(actual, expected)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _equal,
    "ne": lambda actual, expected: not _equal(actual, expected),
    "lt": _ordered(lambda actual, expected: actual < expected),
    "le": _ordered(lambda actual, expected: actual <= expected),
    "gt": _ordered(lambda actual, expected: actual > expected),
    "ge": _ordered(lambda actual, expected: actual >= expected),
    "contains": _contains,
    "notContains": lambda actual, expected: not _contains(actual, expected),
    "beginsWith": lambda actual, expected: (
        isinstance(actual, str) and isinstance(expected, str) and actual.startswith(expected)
    ),
    "in": _in,
    "notIn": lambda actual, expected: not _in(actual, expected),
    "between": _between,
    "containsAny": _contains_any,
}


def _lookup(payload: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a dotted path; ``None`` when any step is missing or not an object."""
    value: Any = payload
    for step in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


# ---------------------------------------------------------------------------------------------
# Building filters (with AppSync's limits checked once, at subscription start).


def condition(field_name: str, operator: str, value: Any) -> Condition:
    """A validated rule; ``field_name`` may be dotted (``author.name``)."""
    if operator not in OPERATORS:
        raise FilterError(f"Unsupported operator '{operator}' for field '{field_name}'.")
    path = tuple(field_name.split("."))
    if len(field_name) > MAX_PATH_LENGTH or len(path) > MAX_PATH_DEPTH or not all(path):
        raise FilterError(f"Invalid field name '{field_name}': at most {MAX_PATH_DEPTH} levels are supported.")
    if operator in ("in", "notIn", "containsAny", "between"):
        if not isinstance(value, list | tuple):
            raise FilterError(f"Operator '{operator}' on field '{field_name}' needs a list value.")
        value = tuple(value)
        limit = {"in": MAX_IN_VALUES, "notIn": MAX_IN_VALUES, "containsAny": MAX_CONTAINS_ANY_VALUES}.get(operator)
        if limit is not None and len(value) > limit:
            raise FilterError(f"Operator '{operator}' on field '{field_name}' accepts at most {limit} values.")
        if operator == "between" and len(value) != 2:
            raise FilterError(f"Operator 'between' on field '{field_name}' needs exactly two values.")
    return Condition(path, operator, value)


def from_arguments(arguments: Mapping[str, Any]) -> Filter:
    """Basic filtering: every given argument equals the same-named payload field (``null``
    means the field is null)."""
    return AllOf(tuple(condition(name, "eq", value) for name, value in arguments.items()))


def from_filter_input(filter_input: Mapping[str, Any]) -> Filter:
    """``util.transform.toSubscriptionFilter``: a ``Model…SubscriptionFilterInput``-shaped dict
    (``{"title": {"eq": "x"}, "or": [...], "and": [...]}``) as one filter."""
    parts: list[Filter] = []
    for key, value in filter_input.items():
        if value is None:
            continue
        if key in ("and", "or"):
            if not isinstance(value, Sequence) or isinstance(value, str):
                raise FilterError(f"'{key}' needs a list of filters.")
            children = tuple(from_filter_input(_mapping(item, key)) for item in value if item is not None)
            parts.append(AllOf(children) if key == "and" else AnyOf(children))
        elif key == "not":
            raise FilterError("Operator 'not' is not supported in subscription filters.")
        else:
            operators = _mapping(value, key)
            parts.extend(condition(key, operator, expected) for operator, expected in operators.items())
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def from_filter_json(filter_json: Mapping[str, Any]) -> Filter:
    """``extensions.setSubscriptionFilter``'s argument:
    ``{"filterGroup": [{"filters": [{"fieldName", "operator", "value"}, ...]}, ...]}``."""
    groups = filter_json.get("filterGroup")
    if not isinstance(groups, Sequence) or isinstance(groups, str):
        raise FilterError("A subscription filter needs a 'filterGroup' list.")
    filters = []
    for group in groups:
        rules = _mapping(group, "filterGroup").get("filters")
        if not isinstance(rules, Sequence) or isinstance(rules, str):
            raise FilterError("Each filter in 'filterGroup' needs a 'filters' list.")
        filters.append(AllOf(tuple(_rule(_mapping(rule, "filters")) for rule in rules)))
    return AnyOf(tuple(filters))


def _rule(rule: Mapping[str, Any]) -> Condition:
    field_name, operator = rule.get("fieldName"), rule.get("operator")
    if not isinstance(field_name, str) or not isinstance(operator, str):
        raise FilterError("A filter rule needs 'fieldName' and 'operator' strings.")
    return condition(field_name, operator, rule.get("value"))


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FilterError(f"Expected an object in '{where}'.")
    return value


# ---------------------------------------------------------------------------------------------
# ``util.transform.toSubscriptionFilter``: a filter input as the filter JSON AppSync delivers on.


def to_filter_json(
    filter_input: Any, ignored_fields: Sequence[str] = (), rules: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """The ``{"filterGroup": [{"filters": [...]}, ...]}`` of a filter input, as AppSync's
    ``toSubscriptionFilter`` builds it: the input expanded into OR-ed groups of AND-ed rules.
    Several operators on one field are alternatives (OR), ``and`` members multiply out, ``or``
    members are alternatives, ``ignored_fields`` are skipped and each of ``rules`` is an
    alternative added to every group (the examples of AppSync's transformation-helpers page). ``None`` for an input that is not a filter object."""
    try:
        groups = _alternatives(filter_input, tuple(ignored_fields))
        if isinstance(rules, Mapping):
            extra = [alternative for name, operators in rules.items() for alternative in _field_alternatives(name, operators)]
            if extra:
                groups = _cross(groups, extra)
    except FilterError:
        return None
    return {"filterGroup": [{"filters": filters} for filters in groups if filters]}


Rules = list[dict[str, Any]]


def _cross(groups: list[Rules], alternatives: list[Rules]) -> list[Rules]:
    return [group + alternative for group in groups for alternative in alternatives]


def _field_alternatives(name: str, operators: Any) -> list[Rules]:
    return [[{"fieldName": name, "operator": operator, "value": value}] for operator, value in _mapping(operators, name).items()]


def _alternatives(filter_input: Any, ignored: tuple[str, ...]) -> list[Rules]:
    groups: list[Rules] = [[]]
    for key, value in _mapping(filter_input, "filter").items():
        if key in ("and", "or"):
            if not isinstance(value, Sequence) or isinstance(value, str):
                raise FilterError(f"'{key}' needs a list of filters.")
            if key == "and":
                for member in value:
                    groups = _cross(groups, _alternatives(member, ignored))
            else:
                # an ``or`` member left without rules (all its fields ignored) is no alternative
                alternatives = [group for member in value for group in _alternatives(member, ignored) if group]
                if alternatives:
                    groups = _cross(groups, alternatives)
        elif key not in ignored:
            groups = _cross(groups, _field_alternatives(key, value))
    return groups
