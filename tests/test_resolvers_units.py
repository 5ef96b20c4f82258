"""Engine-free units: values, placeholders and filters, keys, tokens, hints, error mapping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from emulator.apimodel import KeySpec
from emulator.errors import AppSyncError
from emulator.resolvers.dynamo_errors import appsync_error, call
from emulator.resolvers.expressions import Placeholders, update_expression
from emulator.resolvers.filters import combine_and, compile_filter
from emulator.resolvers.keys import composite_value, sort_argument_name
from emulator.resolvers.limit_hint import equality_fields, filter_fields, short_page_hint
from emulator.resolvers.tokens import decode_token, encode_token
from emulator.resolvers.values import (
    UnsupportedValue,
    canonical_number,
    from_attribute,
    from_item,
    normalize,
    to_attribute,
    to_item,
)
from tests.resolvers_engine import Harness, v1_api, v2_api


@pytest.mark.parametrize(
    ("number", "text"),
    [(1.5, "1.5"), (Decimal("1.50"), "1.5"), (Decimal("1E+2"), "100"), (-0.0, "0"), (12, "12"), (0.1, "0.1"),
     (Decimal("0012"), "12"), (3.0, "3")],
)
def test_numbers_are_written_canonically(number: Any, text: str) -> None:
    assert canonical_number(number) == text


def test_values_round_trip_in_graphql_form() -> None:
    item = {"s": "x", "i": 3, "f": 2.5, "b": False, "n": None, "l": [1, "a", {"m": True}], "m": {"k": [0.5]}}
    assert from_item(to_item(item)) == item
    assert from_attribute({"N": "3"}) == 3 and isinstance(from_attribute({"N": "3"}), int)
    assert from_attribute({"SS": ["b", "a"]}) == ["a", "b"]
    assert from_attribute({"NS": ["2", "1.5"]}) == [1.5, 2]
    assert from_attribute({"B": b"\x00\x01"}) == "AAE="
    assert to_attribute({"a", "b"}) == {"SS": ["a", "b"]}
    assert normalize({"f": 2.0}) == {"f": 2}
    for bad in (float("nan"), float("inf"), set(), object()):
        with pytest.raises(UnsupportedValue):
            to_attribute(bad)


def test_filter_compiles_to_placeholders_only() -> None:
    placeholders = Placeholders()
    spec = {"title": {"eq": "a'); DROP", "beginsWith": "x"}, "or": [{"n": {"lt": 1}}, {"not": {"n": {"gt": 5}}}]}
    expression = compile_filter(spec, placeholders)
    assert expression == (
        "((#n0 = :v0) AND (begins_with(#n0,:v1))) AND ((#n1 < :v2) OR (NOT (#n1 > :v3)))"
    )
    assert placeholders.names == {"#n0": "title", "#n1": "n"}
    assert placeholders.values[":v0"] == {"S": "a'); DROP"}
    assert compile_filter({}, Placeholders()) is None
    assert compile_filter({"and": [], "title": None}, Placeholders()) is None
    assert compile_filter({"x": {"in": [1, 2]}, "y": {"notIn": ["a"]}}, Placeholders()) == (
        "(#n0 IN (:v0, :v1)) AND (NOT (#n1 IN (:v2)))"
    )
    assert combine_and(None, {"a": 1}) == {"a": 1}
    assert combine_and({"a": 1}, {"b": 2}) == {"and": [{"a": 1}, {"b": 2}]}
    assert combine_and(None, {}) is None


def test_bad_filter_error_text() -> None:
    with pytest.raises(AppSyncError) as caught:
        compile_filter({"f": {"eq": object()}}, Placeholders())
    assert (caught.value.message, caught.value.error_type) == (
        "Unable to process the filter expression", "Unrecognized Filter")


def test_update_expression_sets_and_removes() -> None:
    placeholders = Placeholders()
    assert update_expression({"a": 1, "b": None, "c": "x"}, placeholders) == "SET #n0 = :v0, #n1 = :v1 REMOVE #n2"
    assert update_expression({}, Placeholders()) is None


def test_key_names() -> None:
    assert sort_argument_name(KeySpec("region", ("country", "city"))) == "countryCity"
    assert sort_argument_name(KeySpec("id")) is None
    assert sort_argument_name(KeySpec("a", ("b",))) == "b"
    assert composite_value(["US", None, True, 3]) == "US##true#3"


def test_tokens_are_opaque_scoped_and_checked() -> None:
    key = {"id": {"S": "x"}, "blob": {"B": b"\x01"}}
    token = encode_token(key, "T", None)
    assert token is not None and token.startswith("eyJ2ZXJzaW9uIjo")  # base64 of {"version":…, like AppSync's
    assert decode_token(token, "T", None) == key
    assert encode_token(None, "T", None) is None and decode_token(None, "T", None) is None
    for table, index in (("Other", None), ("T", "byX")):
        with pytest.raises(AppSyncError):
            decode_token(token, table, index)


def test_filter_field_extraction_for_hints() -> None:
    spec = {"and": [{"title": {"eq": "x"}}, {"rating": {"gt": 1}}], "or": [{"owner": {"eq": "me"}}]}
    assert filter_fields(spec) == ["title", "rating", "owner"]
    assert equality_fields(spec) == ["title"]
    assert equality_fields(None) == []


def client_error(code: str, message: str, status: int = 400) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "RID"}},
        "PutItem",
    )


def test_client_errors_are_worded_as_appsync_does() -> None:
    error = appsync_error(client_error("ConditionalCheckFailedException", "The conditional request failed"))
    assert error.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert error.message == "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: RID)"
    html = appsync_error(client_error("500", "<!doctype html><title>500</title>", 500))
    assert html.error_type == "DynamoDB:InternalServerError"
    ns = appsync_error(client_error("com.amazonaws.dynamodb.v20120810#ValidationException", "bad"))
    assert ns.error_type == "DynamoDB:ValidationException"


class RaisingClient:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def put_item(self, **_: Any) -> Any:
        raise self.exc


def test_call_counts_and_maps_every_failure() -> None:
    ctx = Harness(v2_api(), RaisingClient(ParamValidationError(report="Invalid value for parameter Limit"))).ctx()
    with pytest.raises(AppSyncError) as caught:
        call(ctx, "put_item", TableName="t")
    assert caught.value.error_type == "DynamoDB:ValidationException" and ctx.dynamodb_calls == 1


def test_hint_suggests_the_directive_of_the_schema_version() -> None:
    v1 = Harness(v1_api(), None)
    model = v1.api.models["Blog"]
    hint = short_page_hint(v1.ctx(), "listBlogs", model, 10, 0, {"name": {"eq": "x"}}, None, has_next=True)
    assert hint == (
        'listBlogs read 10 items, kept 0 (filter on name); a @key(name: "byName", fields: ["name"], '
        'queryField: "blogsByName") on Blog would let a Query serve this'
    )
    v2 = Harness(v2_api(), None)
    hint = short_page_hint(v2.ctx(), "listPosts", v2.api.models["Post"], 100, 1, {"rating": {"gt": 1}}, None, has_next=True)
    assert hint.endswith("(filter on rating); no key can serve this filter; keep paging with nextToken until it is null")
    hint = short_page_hint(v2.ctx(), "listPosts", v2.api.models["Post"], 100, 1, None, {"blogPostsId": {"eq": "b"}},
                           has_next=True)
    assert "(auth filter on blogPostsId); index gsi-Blog.posts is keyed on Post.blogPostsId" in hint


def test_hint_on_the_last_page_does_not_ask_for_more_pages() -> None:
    """A short page without a nextToken is the whole answer: no "keep paging until it is null"."""
    v2 = Harness(v2_api(), None)
    hint = short_page_hint(v2.ctx(), "listPosts", v2.api.models["Post"], 10, 3, {"rating": {"gt": 1}}, None, has_next=False)
    assert hint == ("listPosts read 10 items, kept 3 (filter on rating); no key can serve this filter; "
                    "nextToken is null, so this page is the whole answer")
