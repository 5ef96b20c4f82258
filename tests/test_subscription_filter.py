"""The one subscription-filter model: operators, paths, the three sources, AppSync's limits."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.subscription_filter import (
    MATCH_ALL,
    AllOf,
    AnyOf,
    FilterError,
    all_of,
    condition,
    from_arguments,
    from_filter_input,
    from_filter_json,
)

PAYLOAD: dict[str, Any] = {
    "id": "p1",
    "title": "Hello world",
    "rating": 3,
    "score": 2.5,
    "published": True,
    "status": None,
    "tags": ["a", "b"],
    "groups": ["admins", "editors"],
    "author": {"name": "Ann", "address": {"city": "Oslo", "geo": {"zone": {"code": "N"}}}},
    "comments": [{"text": "first"}],
}


def matches(field_name: str, operator: str, value: Any, payload: dict[str, Any] = PAYLOAD) -> bool:
    return condition(field_name, operator, value).matches(payload)


@pytest.mark.parametrize(
    "field_name,operator,value,expected",
    [
        ("title", "eq", "Hello world", True),
        ("title", "eq", "hello world", False),
        ("rating", "eq", 3, True),
        ("rating", "eq", 3.0, True),
        ("rating", "eq", "3", False),
        ("published", "eq", True, True),
        ("published", "eq", 1, False),  # booleans are not numbers
        ("status", "eq", None, True),  # null means "is null"
        ("missing", "eq", None, True),
        ("title", "eq", None, False),
        ("title", "ne", "other", True),
        ("missing", "ne", "x", True),
        ("rating", "lt", 4, True),
        ("rating", "le", 3, True),
        ("rating", "gt", 3, False),
        ("rating", "ge", 3, True),
        ("score", "gt", 2, True),
        ("title", "lt", "Z", True),
        ("title", "lt", 5, False),  # mixed types never order
        ("missing", "gt", 0, False),
        ("title", "contains", "world", True),
        ("title", "contains", "World", False),
        ("tags", "contains", "a", True),
        ("tags", "contains", "z", False),
        ("title", "notContains", "xyz", True),
        ("tags", "notContains", "a", False),
        ("title", "beginsWith", "Hell", True),
        ("title", "beginsWith", "ello", False),
        ("rating", "beginsWith", "3", False),
        ("rating", "in", [1, 2, 3], True),
        ("rating", "in", [1, 2], False),
        ("rating", "notIn", [1, 2], True),
        ("rating", "between", [3, 5], True),
        ("rating", "between", [4, 5], False),
        ("title", "between", ["A", "I"], True),
        ("groups", "containsAny", ["viewers", "admins"], True),
        ("groups", "containsAny", ["viewers"], False),
        ("rating", "containsAny", [3, 9], True),  # a scalar field is a list of one
        ("author.name", "eq", "Ann", True),
        ("author.address.city", "beginsWith", "Os", True),
        ("author.address.geo.zone.code", "eq", "N", True),  # 5 levels
        ("author.nothing.city", "eq", None, True),
        ("comments.text", "eq", "first", False),  # no filtering inside lists
    ],
)
def test_operators(field_name: str, operator: str, value: Any, expected: bool) -> None:
    assert matches(field_name, operator, value) is expected


@pytest.mark.parametrize(
    "field_name,operator,value,message",
    [
        ("title", "like", "x", "Unsupported operator 'like'"),
        ("a.b.c.d.e.f", "eq", 1, "at most 5 levels"),
        ("a..b", "eq", 1, "Invalid field name"),
        ("rating", "in", [1, 2, 3, 4, 5, 6], "at most 5 values"),
        ("rating", "notIn", 1, "needs a list value"),
        ("groups", "containsAny", list(range(21)), "at most 20 values"),
        ("rating", "between", [1], "exactly two values"),
    ],
)
def test_limits_are_checked_when_built(field_name: str, operator: str, value: Any, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        condition(field_name, operator, value)


def test_arguments_all_must_match() -> None:
    assert from_arguments({"id": "p1", "rating": 3}).matches(PAYLOAD)
    assert not from_arguments({"id": "p1", "rating": 4}).matches(PAYLOAD)
    assert from_arguments({"status": None}).matches(PAYLOAD)
    assert from_arguments({}).matches(PAYLOAD)


def test_filter_input_fields_operators_and_or() -> None:
    assert from_filter_input({"rating": {"ge": 2, "le": 3}, "title": {"beginsWith": "He"}}).matches(PAYLOAD)
    assert not from_filter_input({"rating": {"ge": 2, "le": 2}}).matches(PAYLOAD)
    either = {"or": [{"rating": {"eq": 9}}, {"title": {"contains": "world"}}]}
    assert from_filter_input(either).matches(PAYLOAD)
    both = {"and": [{"rating": {"eq": 9}}, {"title": {"contains": "world"}}]}
    assert not from_filter_input(both).matches(PAYLOAD)
    nested = {"or": [{"and": [{"rating": {"eq": 3}}, {"published": {"eq": True}}]}, {"id": {"eq": "zzz"}}]}
    assert from_filter_input(nested).matches(PAYLOAD)
    assert from_filter_input({}).matches(PAYLOAD)
    assert from_filter_input({"title": None, "or": None}).matches(PAYLOAD)  # null entries are absent


@pytest.mark.parametrize(
    "filter_input,message",
    [
        ({"not": {"rating": {"eq": 1}}}, "'not' is not supported"),
        ({"or": {"rating": {"eq": 1}}}, "needs a list"),
        ({"rating": 3}, "Expected an object"),
        ({"rating": {"in": list(range(6))}}, "at most 5 values"),
    ],
)
def test_bad_filter_input(filter_input: dict[str, Any], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        from_filter_input(filter_input)


def test_filter_json_is_or_of_and() -> None:
    group = {
        "filterGroup": [
            {"filters": [{"fieldName": "rating", "operator": "eq", "value": 9}]},
            {"filters": [
                {"fieldName": "groups", "operator": "in", "value": ["x"]},
                {"fieldName": "author.name", "operator": "eq", "value": "Ann"},
            ]},
            {"filters": [
                {"fieldName": "author.address.city", "operator": "eq", "value": "Oslo"},
                {"fieldName": "rating", "operator": "between", "value": [1, 5]},
            ]},
        ]
    }
    assert from_filter_json(group).matches(PAYLOAD)
    group["filterGroup"].pop()
    assert not from_filter_json(group).matches(PAYLOAD)
    with pytest.raises(FilterError):
        from_filter_json({"filters": []})
    with pytest.raises(FilterError):
        from_filter_json({"filterGroup": [{"filters": [{"fieldName": "x"}]}]})


def test_combining() -> None:
    assert all_of() is None and all_of(None, None) is None
    single = from_arguments({"id": "p1"})
    assert all_of(None, single) is single
    combined = all_of(single, from_filter_input({"rating": {"gt": 5}}))
    assert isinstance(combined, AllOf) and not combined.matches(PAYLOAD)
    assert MATCH_ALL.matches({}) and AnyOf(()).matches({})
