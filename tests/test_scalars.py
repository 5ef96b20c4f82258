"""AWS scalars: AppSync's validation, AWSJSON parsing/rendering, and the AppSync error texts."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError, graphql_sync, parse_value

from emulator.scalars import (
    SCALARS,
    ScalarError,
    appsync_variable_message,
    bind_scalars,
    is_date,
    is_datetime,
    is_email,
    is_ip_address,
    is_phone,
    is_time,
    is_url,
    scalar_type,
    wrong_type_message,
)
from emulator.sdl import build_appsync_schema

SDL = """
type Thing { id: ID! when: AWSDateTime day: AWSDate at: AWSTime ts: AWSTimestamp email: AWSEmail
             meta: AWSJSON site: AWSURL phone: AWSPhone ip: AWSIPAddress }
input ThingInput { when: AWSDateTime day: AWSDate at: AWSTime ts: AWSTimestamp email: AWSEmail
                   meta: AWSJSON site: AWSURL phone: AWSPhone ip: AWSIPAddress }
type Query { echo(input: ThingInput): Thing stored: Thing }
"""


@pytest.fixture(scope="module")
def schema() -> Any:
    built = build_appsync_schema(SDL)
    bind_scalars(built)
    return built


def echo(schema: Any, variables: dict[str, Any], selection: str = "when day at ts email meta site phone ip") -> Any:
    return graphql_sync(
        schema,
        f"query Q($input: ThingInput) {{ echo(input: $input) {{ {selection} }} }}",
        root_value={"echo": lambda info, input: dict(input)},  # noqa: A002
        variable_values={"input": variables},
    )


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (is_date, ["1970-01-01", "1970-01-01Z", "1970-01-01-07:00", "2024-02-29+05:30:15", "-2017-01-01"],
         ["2023-02-29", "1970-13-01", "1970-1-01", "19700101", "1970-01-01T00:00Z", "1970-01-01+25:00"]),
        (is_time, ["12:30", "12:30Z", "12:30:24-07:00", "12:30:24.500+05:30", "12:00:00.123456789", "23:59:59"],
         ["24:00", "12:60", "12:30:61", "12:30:24.1234567890", "1230", "12:30:24.5 "]),
        (is_datetime, ["1970-01-01T12:00:00.2Z", "-2017-01-01T00:00Z", "2026-11-29T12:30:45.123Z",
                       "1970-01-01T12:00:00+05:30:10"],
         ["1970-01-01T12:00:00", "2020-05-23T06:4:37.000Z", "2019", "1970-01-01 12:00Z", "2021-04-31T00:00Z"]),
        (is_email, ["a@b", "jeff@amazon.com", "first.last+tag@sub.example.co"],
         ["plain", "a@", "@b", "a b@c.d", "a@-b.c"]),
        (is_url, ["https://www.amazon.com/dp/B000NZW3KC/", "mailto:example@example.com", "http://localhost:3000/x?q=1"],
         ["www.amazon.com", "https://host//double", "http://", "not a url", "https:// spaces"]),
        (is_phone, ["5089180293", "508-918-0293", "(508) 918 0293", "+1 508 918 0293", "+44 20 7946 0958"],
         ["1110004444", "12345", "+0 123", "phone", "508-918-029a"]),
        (is_ip_address, ["123.12.34.56", "1a2b:3c4b::1234:4567", "123.45.67.89/16", "::1"],
         ["256.1.1.1", "1.2.3", "[::1]", "1.2.3.4/33", "host"]),
    ],
)
def test_checks(check: Any, valid: list[str], invalid: list[str]) -> None:
    assert [v for v in valid if not check(v)] == []
    assert [v for v in invalid if check(v)] == []


def test_valid_variables_pass_and_awsjson_round_trips(schema: Any) -> None:
    result = echo(schema, {
        "when": "2026-11-29T12:30:45.123Z", "day": "2026-11-29", "at": "12:30", "ts": 1764419445,
        "email": "a@b.c", "meta": '{"upvotes": 10, "tags": ["x"]}', "site": "https://example.com",
        "phone": "+1 508 918 0293", "ip": "10.0.0.1",
    })
    assert result.errors is None
    assert result.data["echo"]["meta"] == '{"upvotes":10,"tags":["x"]}'
    assert result.data["echo"]["ts"] == 1764419445


def test_awsjson_is_parsed_for_resolvers() -> None:
    assert SCALARS["AWSJSON"].coerce_input_value('{"a": [1, 2.5, null, true]}') == {"a": [1, 2.5, None, True]}
    assert SCALARS["AWSJSON"].coerce_input_value('"text"') == "text"
    assert SCALARS["AWSJSON"].coerce_output_value({"a": 1}) == '{"a":1}'
    assert SCALARS["AWSJSON"].coerce_output_value('{"kept": "as is"}') == '{"kept": "as is"}'


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"phone": "1110004444"},
         "Variable 'phone' has an invalid value. Unable to parse `1110004444` as a valid phone number."),
        ({"when": "2019"}, "Variable 'when' has an invalid value. Unable to parse `2019` as a valid DateTime Object."),
        ({"meta": {"key1": "hi", "key2": 3, "weirdKey:hello": {"nested": True}}},
         "Variable 'meta' has an invalid value. "
         "Unable to parse {key1=hi, key2=3, weirdKey:hello={nested=true}} as valid JSON."),
        ({"meta": []}, "Variable 'meta' has an invalid value. Unable to parse [] as valid JSON."),
        ({"meta": "{not json"}, "Variable 'meta' has an invalid value. Unable to parse {not json as valid JSON."),
        ({"email": "nope"}, "Variable 'email' has an invalid value. Unable to parse `nope` as a valid email address."),
        ({"ts": "soon"}, "Variable 'ts' has an invalid value. Unable to parse `soon` as a valid timestamp."),
    ],
)
def test_invalid_variables_give_appsync_messages(schema: Any, variables: dict[str, Any], message: str) -> None:
    result = echo(schema, variables)
    assert result.data is None and result.errors
    assert [appsync_variable_message(error) for error in result.errors] == [message]


def test_invalid_literal_is_a_wrongtype_validation_error(schema: Any) -> None:
    result = graphql_sync(schema, '{ echo(input: {email: "bad"}) { email } }', root_value={"echo": lambda i, input: input})
    [error] = result.errors or []
    cause = error if isinstance(error, ScalarError) else error.original_error
    assert isinstance(cause, ScalarError)
    assert wrong_type_message("input.email", cause.literal, cause.scalar, "echo") == (
        "Validation error of type WrongType: argument 'input.email' with value 'StringValue{value='bad'}'"
        " is not a valid 'AWSEmail' @ 'echo'"
    )
    assert error.locations


def test_json_literal_must_be_a_string(schema: Any) -> None:
    result = graphql_sync(schema, '{ echo(input: {meta: {upvotes: 10}}) { meta } }', root_value={"echo": lambda i, input: input})
    [error] = result.errors or []
    assert isinstance(error, ScalarError) or isinstance(error.original_error, ScalarError)
    ok = graphql_sync(schema, '{ echo(input: {meta: "{\\"upvotes\\": 10}"}) { meta } }',
                      root_value={"echo": lambda i, input: input})
    assert ok.errors is None and ok.data == {"echo": {"meta": '{"upvotes":10}'}}


def test_malformed_stored_values_fail_to_serialize(schema: Any) -> None:
    result = graphql_sync(schema, "{ stored { when ts } }",
                          root_value={"stored": {"when": "2020-05-23T06:4:37.000Z", "ts": 12}})
    [error] = result.errors or []
    assert error.path == ["stored", "when"]
    assert "Unable to serialize `2020-05-23T06:4:37.000Z` as a valid DateTime Object." in error.message
    assert result.data == {"stored": {"when": None, "ts": 12}}


def test_standalone_types_and_unrelated_errors() -> None:
    date = scalar_type("AWSDate")
    assert date.coerce_input_literal(parse_value('"2024-01-01"')) == "2024-01-01"
    with pytest.raises(ScalarError):
        date.coerce_input_literal(parse_value("20240101"))
    assert scalar_type("AWSTimestamp").coerce_input_literal(parse_value("42")) == 42
    assert appsync_variable_message(GraphQLError("something else")) is None


def test_bind_scalars_ignores_schemas_without_aws_scalars() -> None:
    plain = build_appsync_schema("type Query { hello: String }")
    bind_scalars(plain)
    assert plain.type_map["AWSDate"].coerce_input_value("2024-01-01") == "2024-01-01"
