"""``util.transform``: filter inputs as DynamoDB expressions, OpenSearch queries and subscription
filters.

The DynamoDB expressions come from the same walker the native resolvers use
(``emulator.resolvers.filters``), with AppSync's placeholder names; subscription filters from
``emulator.subscription_filter``, which also evaluates them.
"""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util.dynamodb_helpers import to_dynamodb
from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.values import is_list, is_map, java_string, plain, to_json
from emulator.resolvers.filters import FilterWalker, Path, UnrecognizedFilter
from emulator.subscription_filter import to_filter_json


class AppSyncNames:
    """AppSync's placeholders: ``#<attribute>`` and ``:<path>_<operator>`` (``:and_0_title_eq``)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, attribute: str) -> str:
        placeholder = f"#{attribute}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any, path: Path = ()) -> str:
        placeholder = ":" + "_".join(path)
        self.values[placeholder] = to_dynamodb(value)
        return placeholder


def dynamodb_expression(filter_input: Any) -> dict[str, Any] | None:
    """``{expression, expressionNames, expressionValues}``, or ``None`` for an input AppSync
    cannot express (AppSync answers ``null`` then)."""
    names = AppSyncNames()
    try:
        expression = FilterWalker(names, strict=True).expression(plain(filter_input))
    except UnrecognizedFilter:
        return None
    return {"expression": expression or "", "expressionNames": names.names, "expressionValues": names.values}


def to_dynamodb_filter_expression(filter_input: Any) -> str | None:
    expression = dynamodb_expression(filter_input)
    return None if expression is None else to_json(expression)


def to_subscription_filter(filter_input: Any, ignored_fields: Any = None, rules: Any = None) -> dict[str, Any] | None:
    ignored = [java_string(name) for name in ignored_fields] if is_list(ignored_fields) else []
    return to_filter_json(plain(filter_input), ignored, plain(rules) if is_map(rules) else None)


# --- OpenSearch ------------------------------------------------------------------------------


def to_elasticsearch_query_dsl(filter_input: Any) -> str | None:
    """The OpenSearch query of a ``Searchable…FilterInput`` (AND by default), as JSON text."""
    if filter_input is None:
        return None
    return to_json(_search_group(plain(filter_input)))


def _search_all(clauses: list[Any]) -> Any:
    return clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}}


def _search_group(filter_input: Any) -> Any:
    if not is_map(filter_input):
        raise HelperFailure(f"Could not construct an OpenSearch query from {java_string(filter_input)}")
    clauses = []
    for key, value in filter_input.items():
        if key in ("and", "or"):
            members = [_search_group(member) for member in (value if is_list(value) else [value])]
            clauses.append({"bool": {"must" if key == "and" else "should": members}})
        elif key == "not":
            clauses.append({"bool": {"must_not": _search_group(value)}})
        else:
            if not is_map(value):
                raise HelperFailure(f"Could not construct an OpenSearch query from {key} and {java_string(value)}")
            clauses.append(_search_all([_search_condition(key, operator, operand) for operator, operand in value.items()]))
    return _search_all(clauses)


RANGE_OPERATORS = {"gt", "gte", "lt", "lte"}
FIELD_QUERIES = {"match": "match", "matchPhrase": "match_phrase", "matchPhrasePrefix": "match_phrase_prefix",
                 "multiMatch": "multi_match", "wildcard": "wildcard", "regexp": "regexp"}


def _search_condition(field: str, operator: str, operand: Any) -> Any:
    if operator == "eq":
        return {"term": {field: operand}}
    if operator == "ne":
        return {"bool": {"must_not": {"term": {field: operand}}}}
    if operator in FIELD_QUERIES:
        return {FIELD_QUERIES[operator]: {field: operand}}
    if operator in RANGE_OPERATORS:
        return {"range": {field: {operator: operand}}}
    if operator == "range" and is_list(operand) and len(operand) >= 2:
        return {"range": {field: {"gte": operand[0], "lte": operand[1]}}}
    if operator == "exists" and isinstance(operand, bool):
        exists = {"exists": {"field": field}}
        return exists if operand else {"bool": {"must_not": exists}}
    raise HelperFailure(f"Could not construct an OpenSearch query from {operator} and {java_string(operand)}")


TRANSFORM = Namespace(
    "transform",
    {
        "toDynamoDBFilterExpression": Helper(to_dynamodb_filter_expression),
        "toDynamoDBConditionExpression": Helper(to_dynamodb_filter_expression),
        "toSubscriptionFilter": Helper(to_subscription_filter),
        "toElasticsearchQueryDSL": Helper(to_elasticsearch_query_dsl),
    },
)
