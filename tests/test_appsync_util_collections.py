"""``util.str``, ``util.math``, ``util.list``, ``util.map``, ``util.xml``, ``util.http`` and
``extensions``."""

from __future__ import annotations

import json

import pytest

from emulator.resolvers.appsync_util import EXTENSIONS, HelperFailure, UtilRequest
from tests.appsync_util_support import call


def test_strings() -> None:
    assert call("str.toUpper", "abc") == "ABC" and call("str.toLower", "AbC") == "abc"
    assert call("str.toReplace", "hello world", "hello", "mellow") == "mellow world"
    assert call("str.toReplace", "a.b.c", ".", "-") == "a-b-c"  # plain text, not a pattern
    assert call("str.normalize", "e\u0301", "nfc") == "\u00e9" and call("str.normalize", "\u00e9", "NFD") == "e\u0301"
    with pytest.raises(HelperFailure):
        call("str.normalize", "x", "nfx")


def test_math() -> None:
    assert [call("math.roundNum", value) for value in (1.4, 1.5, -1.5, 2)] == [1, 2, -1, 2]
    assert call("math.minVal", 3, 1.5) == 1.5 and call("math.maxVal", 3, 1.5) == 3.0
    request = UtilRequest(random_bytes=lambda size: b"\xff" * size)
    assert 0 <= call("math.randomDouble", request=request) < 1
    assert call("math.randomWithinRange", 5, 10, request=request) == 9
    assert call("math.randomWithinRange", 5, 10, request=UtilRequest(random_bytes=lambda size: bytes(size))) == 5


def test_lists_and_maps() -> None:
    assert call("list.copyAndRetainAll", [1, "a", 2, True], [1, True]) == [1, True]
    assert call("list.copyAndRemoveAll", ["id", "title", "owner"], ["id"]) == ["title", "owner"]
    assert call("list.copyAndRemoveAll", [1, 1.0, True], [1]) == [1.0, True]  # Java equals: 1 is not 1.0
    people = [{"description": "youngest", "age": 5}, {"description": "middle", "age": 45}, {"description": "oldest", "age": 85}]
    assert [p["description"] for p in call("list.sortList", people, False, "description")] == ["middle", "oldest", "youngest"]
    assert [p["age"] for p in call("list.sortList", people, True, "age")] == [85, 45, 5]
    assert call("list.sortList", [3, 1, 2], False, "any") == [1, 2, 3]
    assert call("list.sortList", [3, "a"], False, "any") == [3, "a"]  # mixed: unchanged
    source = {"id": 1, "title": "t", "owner": "o"}
    assert call("map.copyAndRetainAllKeys", source, ["title", "id"]) == {"id": 1, "title": "t"}
    assert call("map.copyAndRemoveAllKeys", source, ["owner"]) == {"id": 1, "title": "t"}
    assert source == {"id": 1, "title": "t", "owner": "o"}  # copies


def test_xml_as_maps() -> None:
    one = '<?xml version="1.0" encoding="UTF-8"?><posts><post><id>1</id><title>Getting started with GraphQL</title></post></posts>'
    assert call("xml.toMap", one) == {"posts": {"post": {"id": 1, "title": "Getting started with GraphQL"}}}
    two = "<posts><post><id>1</id></post><post><id>2</id><ok>true</ok></post></posts>"
    assert call("xml.toMap", two) == {"posts": {"post": [{"id": 1}, {"id": 2, "ok": True}]}}
    assert json.loads(call("xml.toJsonString", '<a x="1.5">text</a>')) == {"a": {"x": 1.5, "content": "text"}}
    with pytest.raises(HelperFailure, match="Unable to parse the XML"):
        call("xml.toMap", "<open>")


def test_http_headers() -> None:
    headers = {"Authorization": "x", "Host": "h", "Content-Length": "3", "x-custom": "y", "Connection": "keep-alive"}
    assert call("http.copyHeaders", headers) == {"Authorization": "x", "x-custom": "y"}
    request = UtilRequest()
    call("http.addResponseHeader", "itemsCount", 7, request=request)
    call("http.addResponseHeaders", {"headerObject": {"field1": 7}, "Content-Type": "text/plain", "x-amz-id": "1"}, request=request)
    call("http.addResponseHeader", "empty", None, request=request)
    assert request.response_headers == {"itemsCount": "7", "headerObject": '{"field1":7}'}
    assert [error.error_type for error in request.appended_errors] == ["ResponseHeaderError"] * 3


def test_extensions_are_recorded() -> None:
    request = UtilRequest()
    group = {"filterGroup": [{"filters": [{"fieldName": "title", "operator": "eq", "value": "x"}]}]}
    EXTENSIONS.member("setSubscriptionFilter").call(request, [group])  # type: ignore[union-attr]
    EXTENSIONS.member("invalidateSubscriptions").call(request, [{"subscriptionField": "onDelete", "payload": {"id": 1}}])  # type: ignore[union-attr]
    EXTENSIONS.member("evictFromApiCache").call(request, ["Query", "getPost", {"context.arguments.id": "1"}])  # type: ignore[union-attr]
    assert request.extensions.subscription_filters == [group]
    assert request.extensions.invalidations == [{"subscriptionField": "onDelete", "payload": {"id": 1}}]
    assert request.extensions.cache_evictions == [{"typeName": "Query", "fieldName": "getPost", "keys": {"context.arguments.id": "1"}}]
    with pytest.raises(HelperFailure, match="Unsupported operator 'like'"):
        EXTENSIONS.member("setSubscriptionFilter").call(  # type: ignore[union-attr]
            request, [{"filterGroup": [{"filters": [{"fieldName": "t", "operator": "like", "value": 1}]}]}])
