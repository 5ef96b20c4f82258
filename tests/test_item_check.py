"""Plain data-file items checked as ``createX`` checks its input (``emulator.item_check``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emulator.apimodel import ApiModel
from emulator.data_files import complete_item
from emulator.item_check import ItemChecks, ItemError
from emulator.transform import TransformOptions, transform

SCHEMA = """
enum Status { DRAFT LIVE }
type Address { street: String! zip: String }
type Item @model {
  id: ID!
  name: String!
  count: Int
  price: Float
  done: Boolean
  status: Status
  day: AWSDate
  email: AWSEmail
  meta: AWSJSON
  tags: [String!]
  address: Address
  priority: Int @default(value: "3")
  kind: String @index(name: "byKind", sortKeyFields: ["day", "count"])
  parts: [Part] @hasMany
}
type Part @model {
  id: ID!
  label: String
}
"""
NOW = "2026-01-02T03:04:05.678Z"


@pytest.fixture(scope="module")
def api() -> ApiModel:
    return transform(SCHEMA, TransformOptions())


def check(api: ApiModel, item: dict[str, Any]) -> None:
    model = api.models["Item"]
    ItemChecks(api).check(model, complete_item(model, item, NOW))


def refusal(api: ApiModel, item: dict[str, Any]) -> str:
    with pytest.raises(ItemError) as refused:
        check(api, item)
    return str(refused.value)


def test_what_a_create_accepts_passes(api: ApiModel) -> None:
    check(api, {"id": 5, "name": "n", "count": 2, "price": 1, "done": False, "status": "LIVE", "day": "2026-01-31",
                "email": "a@example.com", "meta": '{"a": 1}', "tags": ["x"], "address": {"street": "Main"},
                "kind": "k"})
    check(api, {"name": "only the required field"})


def test_an_exported_item_imports_back(api: ApiModel) -> None:
    """What export writes: timestamps, __typename, the composite index attribute, AWSJSON parsed,
    numbers with a fraction as Decimal."""
    check(api, {"id": "i1", "name": "n", "__typename": "Item", "createdAt": NOW, "updatedAt": NOW, "kind": "k",
                "day": "2026-01-31", "count": 2, "day#count": "2026-01-31#2", "meta": {"nested": [1, 2]},
                "price": Decimal("2.5"), "priority": 3})


@pytest.mark.parametrize(("item", "message"), [
    ({"id": 5, "name": 7}, "field 'name': String cannot represent a non string value: 7"),
    ({"id": "b3"}, "field 'name' (String!) is required, and the item has none"),
    ({"name": None}, "field 'name' (String!) cannot be null"),
    ({"name": "n", "count": "2"}, "field 'count': Int cannot represent non-integer value: '2'"),
    ({"name": "n", "count": Decimal("2.5")}, "field 'count': Int cannot represent non-integer value: 2.5"),
    ({"name": "n", "done": "yes"}, "field 'done': Boolean cannot represent a non boolean value: 'yes'"),
    ({"name": "n", "status": "ARCHIVED"}, "field 'status': Value 'ARCHIVED' does not exist in 'Status' enum."),
    ({"name": "n", "day": "31/01/2026"}, "field 'day': Unable to parse `31/01/2026` as a valid Date Object."),
    ({"name": "n", "email": "nobody"}, "field 'email': Unable to parse `nobody` as a valid email address."),
    ({"name": "n", "meta": "{not json"}, "field 'meta': Unable to parse {not json as valid JSON."),
    ({"name": "n", "tags": "x"}, "field 'tags' ([String!]) must be a list, got \"x\""),
    ({"name": "n", "tags": ["x", None]}, "field 'tags[1]' (String!) cannot be null"),
    ({"name": "n", "address": {"zip": "1"}}, "field 'address.street' (String!) is required, and the item has none"),
    ({"name": "n", "address": {"street": "s", "city": "c"}}, "field 'address.city' is not a field of AddressInput"),
    ({"name": "n", "nmae": "typo"}, "field 'nmae' is not a field of Item (its fields: address, count, createdAt,"),
    ({"name": "n", "parts": []}, "field 'parts' is a relation of Item, which items do not store"),
    ({"name": "n", "__typename": "Part"}, "field '__typename' must be 'Item', got 'Part'"),
], ids=["string", "required-missing", "required-null", "int", "int-fraction", "boolean", "enum", "aws-date",
        "aws-email", "aws-json-text", "list", "list-element", "nested-required", "nested-unknown", "unknown",
        "relation", "typename"])
def test_what_a_create_refuses_is_refused_naming_the_field(api: ApiModel, item: dict[str, Any], message: str) -> None:
    assert refusal(api, item).startswith(message)
