"""``util.dynamodb`` and ``util.transform``: AppSync's documented examples and recorded outputs.

Filter expressions: the shapes AWS returns (recorded by LocalStack's appsync-utils against AWS,
and an AppSync Lambda event in public code): every condition parenthesised, ``#field`` names,
values named after their path (``:and_0_title_eq``), functions without a space after the comma.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.appsync_util_support import call


def test_to_dynamodb_examples() -> None:
    assert call("dynamodb.toDynamoDB", "foo") == {"S": "foo"}
    assert call("dynamodb.toDynamoDB", 12345) == {"N": 12345}
    assert call("dynamodb.toDynamoDB", True) == {"BOOL": True}
    assert call("dynamodb.toDynamoDB", ["foo", 123, {"bar": "baz"}]) == {
        "L": [{"S": "foo"}, {"N": 123}, {"M": {"bar": {"S": "baz"}}}]}
    assert call("dynamodb.toDynamoDB", {"foo": "bar", "baz": 1234, "beep": ["boop"]}) == {
        "M": {"foo": {"S": "bar"}, "baz": {"N": 1234}, "beep": {"L": [{"S": "boop"}]}}}
    assert call("dynamodb.toDynamoDB", None) == call("dynamodb.toNull") == {"NULL": None}
    assert call("dynamodb.toMapValues", {"a": 1.5, "b": None}) == {"a": {"N": 1.5}, "b": {"NULL": None}}
    assert call("dynamodb.toStringSet", ["foo", "bar"]) == {"SS": ["foo", "bar"]}
    assert call("dynamodb.toNumberSet", [1, 23, 4.56]) == {"NS": [1, 23, 4.56]}
    assert call("dynamodb.toBinary", "Zm9v") == {"B": "Zm9v"} and call("dynamodb.toBoolean", False) == {"BOOL": False}
    assert call("dynamodb.toString", "x") == {"S": "x"} and call("dynamodb.toNumber", 2) == {"N": 2}


def test_json_variants_are_the_same_value_as_text() -> None:
    assert call("dynamodb.toDynamoDBJson", {"a": [1, "x"]}) == '{"M":{"a":{"L":[{"N":1},{"S":"x"}]}}}'
    assert call("dynamodb.toMapValuesJson", {"n": 1.0}) == '{"n":{"N":1.0}}'
    assert call("dynamodb.toNullJson") == '{"NULL":null}'


def test_s3_objects() -> None:
    stored = call("dynamodb.toS3Object", "foo", "bar", "baz")
    assert json.loads(stored["S"]) == {"s3": {"key": "foo", "bucket": "bar", "region": "baz"}}
    versioned = call("dynamodb.toS3Object", "foo", "bar", "baz", "beep")
    assert call("dynamodb.fromS3ObjectJson", versioned["S"]) == {"key": "foo", "bucket": "bar", "region": "baz", "version": "beep"}
    assert call("dynamodb.fromS3ObjectJson", versioned) == call("dynamodb.fromS3ObjectJson", versioned["S"])


def expression(filter_input: Any) -> Any:
    text = call("transform.toDynamoDBFilterExpression", filter_input)
    assert text == call("transform.toDynamoDBConditionExpression", filter_input)  # the same builder
    return None if text is None else json.loads(text)


@pytest.mark.parametrize(
    "filter_input,expression_text,values",
    [
        ({"title": {"contains": "Hello World"}}, "(contains(#title,:title_contains))", {":title_contains": {"S": "Hello World"}}),
        ({"and": [{"int_field": {"eq": 123}}, {"bool_field": {"attributeExists": True}}]},
         "((#int_field = :and_0_int_field_eq) AND (attribute_exists(#bool_field)))", {":and_0_int_field_eq": {"N": 123}}),
        ({"or": [{"content": {"beginsWith": "a"}}, {"id": {"between": ["1", "9"]}}]},
         "((begins_with(#content,:or_0_content_beginsWith)) OR (#id BETWEEN :or_1_id_between_start AND :or_1_id_between_end))",
         {":or_0_content_beginsWith": {"S": "a"}, ":or_1_id_between_start": {"S": "1"}, ":or_1_id_between_end": {"S": "9"}}),
        ({"v": {"ge": 1, "le": 5}}, "((#v >= :v_ge) AND (#v <= :v_le))", {":v_ge": {"N": 1}, ":v_le": {"N": 5}}),
        ({"a": {"eq": 1}, "and": [{"b": {"eq": 2}}]}, "(#a = :a_eq) AND (#b = :and_0_b_eq)", {":a_eq": {"N": 1}, ":and_0_b_eq": {"N": 2}}),
        ({"or": [{"and": [{"a": {"eq": 1}}, {"b": {"eq": 2}}]}, {"c": {"eq": 3}}]},
         "(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))",
         {":or_0_and_0_a_eq": {"N": 1}, ":or_0_and_1_b_eq": {"N": 2}, ":or_1_c_eq": {"N": 3}}),
        ({"not": {"and": [{"a": {"eq": 1}}, {"b": {"eq": 2}}]}},
         "(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))", {":not_and_0_a_eq": {"N": 1}, ":not_and_1_b_eq": {"N": 2}}),
        ({"v": {"notContains": "x"}}, "(NOT contains(#v,:v_notContains))", {":v_notContains": {"S": "x"}}),
        ({"v": {"attributeType": "stringSet"}}, "(attribute_type(#v,:v_attributeType))", {":v_attributeType": {"S": "SS"}}),
        ({"v": {"in": ["a", "b"]}}, "(#v IN (:v_in_0, :v_in_1))", {":v_in_0": {"S": "a"}, ":v_in_1": {"S": "b"}}),
        ({"v": {"in": []}}, "(null)", {}),
        ({"v": {"size": {"gt": 2}}}, "(size(#v) > :v_size_gt)", {":v_size_gt": {"N": 2}}),
        ({"id": {"attributeExists": False}}, "(attribute_not_exists(#id))", {}),
        ({}, "", {}),
        ({"a": {"eq": 1}, "b": {}}, "(#a = :a_eq) AND ", {":a_eq": {"N": 1}}),  # AWS leaves the joiner
        ({"not": {}}, "(NOT )", {}),
    ],
)
def test_filter_expressions_as_aws_renders_them(filter_input: Any, expression_text: str, values: Any) -> None:
    rendered = expression(filter_input)
    assert rendered["expression"] == expression_text
    assert rendered["expressionValues"] == values
    assert list(rendered) == ["expression", "expressionNames", "expressionValues"]


@pytest.mark.parametrize(
    "filter_input",
    [None, "x", [], {"v": 1}, {"and": {"a": {"eq": 1}}}, {"and": [None]}, {"v": {"between": [1]}},
     {"v": {"unknown": 1}}, {"v": {"attributeExists": "yes"}}, {"v": {"attributeType": "S"}}, {"v": {"size": 3}}],
)
def test_filters_aws_cannot_express_give_null(filter_input: Any) -> None:
    assert expression(filter_input) is None


def test_subscription_filter_examples() -> None:
    """AppSync's transformation-helpers page: arguments 1, 2 and 3."""
    argument = {
        "percentageUp": {"lte": 50, "gte": 20},
        "and": [{"title": {"ne": "Book1"}}, {"downvotes": {"gt": 2000}}],
        "or": [{"author": {"eq": "Admin"}}, {"isPublished": {"eq": False}}],
    }
    rule = lambda name, operator, value: {"fieldName": name, "operator": operator, "value": value}  # noqa: E731
    common = [rule("title", "ne", "Book1"), rule("downvotes", "gt", 2000)]
    assert call("transform.toSubscriptionFilter", argument) == {"filterGroup": [
        {"filters": [rule("percentageUp", "lte", 50), *common, rule("author", "eq", "Admin")]},
        {"filters": [rule("percentageUp", "lte", 50), *common, rule("isPublished", "eq", False)]},
        {"filters": [rule("percentageUp", "gte", 20), *common, rule("author", "eq", "Admin")]},
        {"filters": [rule("percentageUp", "gte", 20), *common, rule("isPublished", "eq", False)]},
    ]}
    ignored = ["percentageUp", "author"]
    assert call("transform.toSubscriptionFilter", argument, ignored) == {"filterGroup": [
        {"filters": [*common, rule("isPublished", "eq", False)]}]}
    rules = {"upvotes": {"gte": 250}, "author": {"eq": "Person1"}}
    assert call("transform.toSubscriptionFilter", argument, ignored, rules) == {"filterGroup": [
        {"filters": [*common, rule("isPublished", "eq", False), rule("upvotes", "gte", 250)]},
        {"filters": [*common, rule("isPublished", "eq", False), rule("author", "eq", "Person1")]},
    ]}
    assert call("transform.toSubscriptionFilter", {"title": "x"}) is None


def test_opensearch_query_example() -> None:
    query = call("transform.toElasticsearchQueryDSL", {"upvotes": {"ne": 15, "range": [10, 20]}, "title": {"eq": "hihihi", "wildcard": "h*i"}})
    assert json.loads(query) == {"bool": {"must": [
        {"bool": {"must": [{"bool": {"must_not": {"term": {"upvotes": 15}}}}, {"range": {"upvotes": {"gte": 10, "lte": 20}}}]}},
        {"bool": {"must": [{"term": {"title": "hihihi"}}, {"wildcard": {"title": "h*i"}}]}},
    ]}}
    assert json.loads(call("transform.toElasticsearchQueryDSL", {"or": [{"a": {"match": "x"}}, {"b": {"exists": False}}]})) == {
        "bool": {"should": [{"match": {"a": "x"}}, {"bool": {"must_not": {"exists": {"field": "b"}}}}]}}
