"""``util`` general helpers, ids, errors and the registry both runtimes call."""

from __future__ import annotations

import re
import uuid

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util import AUTH_TYPES, HelperArgumentError, HelperFailure, UtilRequest
from tests.appsync_util_support import at, call, helper


def test_json_is_written_as_jackson_writes_it() -> None:
    value = {"b": 1, "a": [1.0, 2.5, 1e10, None, True], "é": "x\"y\n", "n": 1.5e-4}
    assert call("toJson", value) == '{"b":1,"a":[1.0,2.5,1.0E10,null,true],"é":"x\\"y\\n","n":1.5E-4}'
    assert call("parseJson", '{"z": 1, "a": [1.5, "x"]}') == {"z": 1, "a": [1.5, "x"]}
    assert list(call("parseJson", '{"z": 1, "a": 2}')) == ["z", "a"]  # order kept, like LinkedHashMap
    with pytest.raises(HelperFailure, match="Unable to parse JSON"):
        call("parseJson", "{not json")


def test_encodings() -> None:
    assert call("escapeJavaScript", "it's \"q\" / \\ é\n") == "it\\'s \\\"q\\\" \\/ \\\\ \\u00E9\\n"
    assert call("urlEncode", "a b&c=d*~é") == "a+b%26c%3Dd*%7E%C3%A9"
    assert call("urlDecode", "a+b%26c%3Dd%C3%A9") == "a b&c=dé"
    assert call("base64Encode", "hello é") == "aGVsbG8gw6k="
    assert call("base64Decode", "aGVsbG8gw6k=") == "hello é"


def test_null_and_emptiness() -> None:
    assert call("isNull", None) and not call("isNull", "")
    assert [call("isNullOrEmpty", value) for value in (None, "", [], {}, " ", "x", 0, False)] == [
        True, True, True, True, False, False, False, False]
    assert [call("isNullOrBlank", value) for value in (None, "", "  \t", "x", {})] == [True, True, True, False, True]
    assert call("defaultIfNull", None, "d") == "d" and call("defaultIfNull", "", "d") == ""
    assert call("defaultIfNullOrEmpty", "", "d") == "d" and call("defaultIfNullOrEmpty", " ", "d") == " "
    assert call("defaultIfNullOrBlank", " ", "d") == "d" and call("defaultIfNullOrBlank", "x", "d") == "x"


def test_types_and_patterns() -> None:
    assert [call("typeOf", value) for value in (None, 1, 1.5, "s", {}, [], True, object())] == [
        "Null", "Number", "Number", "String", "Map", "List", "Boolean", "Object"]
    assert call("isNumber", 1) and not call("isNumber", True) and call("isBoolean", False)
    assert call("isString", "x") and call("isList", []) and call("isMap", {}) and not call("isMap", [])
    assert call("matches", "a*b", "aaaaab") and not call("matches", "a*b", "aaaaabc")  # the whole text
    assert call("matches", "\\p{Upper}\\d{2}", "A12") and call("matches", "(?<id>\\w+)-\\1", "ab-ab")
    assert call("matches", "\\Qa.b\\E", "a.b") and not call("matches", "\\Qa.b\\E", "axb")


def test_auth_type_per_mode() -> None:
    assert {mode: call("authType", request=UtilRequest(auth_mode=mode)) for mode in AUTH_TYPES} == {
        "API_KEY": "API Key Authorization",
        "AWS_IAM": "IAM Authorization",
        "AMAZON_COGNITO_USER_POOLS": "User Pool Authorization",
        "OPENID_CONNECT": "Open ID Connect Authorization",
        "AWS_LAMBDA": "Lambda Authorization",
    }


def test_errors_raise_or_collect() -> None:
    request = UtilRequest(field_name="getPost", parent_type_name="Query")
    with pytest.raises(AppSyncError) as raised:
        call("error", "boom", "Custom", {"a": 1}, {"why": "x"}, request=request)
    assert (raised.value.message, raised.value.error_type, raised.value.data, raised.value.error_info) == (
        "boom", "Custom", {"a": 1}, {"why": "x"})
    call("appendError", "first", "T1", request=request)
    call("appendError", "second", request=request)
    assert [(error.message, error.error_type) for error in request.appended_errors] == [("first", "T1"), ("second", None)]
    with pytest.raises(AppSyncError) as denied:
        call("unauthorized", request=request)
    assert (denied.value.message, denied.value.error_type) == ("Not Authorized to access getPost on type Query", "Unauthorized")
    assert call("validate", True, "fine", request=request) is None
    with pytest.raises(AppSyncError) as invalid:
        call("validate", False, "bad input", request=request)
    assert (invalid.value.message, invalid.value.error_type) == ("bad input", "CustomTemplateException")


def test_ids_from_the_request_clock_and_randomness() -> None:
    assert uuid.UUID(call("autoId")).version == 4
    assert call("autoId") != call("autoId")
    fixed = at(1517943695749, random_bytes=lambda size: bytes(size))
    ulid = call("autoUlid", request=fixed)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", ulid) and ulid.endswith("0" * 16)
    assert _crockford(ulid[:10]) == 1517943695749  # the first 48 bits are the milliseconds
    ksuid = call("autoKsuid", request=fixed)
    assert len(ksuid) == 27 and _base62(ksuid) >> 128 == 1517943695 - 1_400_000_000


def _crockford(text: str) -> int:
    return sum("0123456789ABCDEFGHJKMNPQRSTVWXYZ".index(c) * 32 ** (len(text) - 1 - i) for i, c in enumerate(text))


def _base62(text: str) -> int:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return sum(alphabet.index(c) * 62 ** (len(text) - 1 - i) for i, c in enumerate(text))


def test_helpers_check_their_arity() -> None:
    assert helper("time.nowFormatted").accepts(1) and helper("time.nowFormatted").accepts(2)
    assert not helper("time.nowFormatted").accepts(3)
    with pytest.raises(HelperArgumentError):
        call("isNull")
    assert helper("qr").void and helper("appendError").void and not helper("toJson").void


def test_log_lines_go_to_the_request_and_the_emulator_log(caplog: pytest.LogCaptureFixture) -> None:
    request = UtilRequest(field_name="getPost", parent_type_name="Query")
    with caplog.at_level("INFO", logger="emulator.resolvers"):
        call("log.info", "user {} read {}", "u1", {"id": 1}, request=request)
        call("log.error", "plain", request=request)
    assert request.logs == ["user u1 read {id=1}", "plain"]
    assert "Query.getPost: user u1 read {id=1}" in caplog.text
