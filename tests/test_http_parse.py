"""Request bodies: AppSync's 400s for empty or unparsable bodies, tolerant of client variants."""

import pytest

from emulator.errors import RequestError
from emulator.graphql_request import parse_body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Request body is empty."),
        (b"   \n", "Request body is empty."),
        (b"meow", "Unable to parse GraphQL query."),
        (b"{}", "Unable to parse GraphQL query."),
        (b"{}}", "Unable to parse GraphQL query."),
        (b"[]", "Unable to parse GraphQL query."),
        (b'{"query": 5}', "Unable to parse GraphQL query."),
        (b'{"query": "{ a }", "variables": [1]}', "Unable to parse GraphQL query."),
        (b"\xff\xfe\x00", "Unable to parse GraphQL query."),
    ],
)
def test_malformed_bodies_are_400(body: bytes, message: str) -> None:
    with pytest.raises(RequestError) as error:
        parse_body(body)
    assert error.value.status == 400
    assert error.value.body() == {"errors": [{"errorType": "MalformedHttpRequestException", "message": message}]}


def test_client_variants_are_accepted() -> None:
    amplify = parse_body(b'{"query":"query Q { a }","variables":null}')
    assert amplify.variables is None and amplify.query == "query Q { a }"
    apollo = parse_body(b'{"operationName":"Q","variables":{"x":1},"extensions":{"clientLibrary":{}},"query":"query Q { a }"}')
    assert apollo.operation_name == "Q" and apollo.variables == {"x": 1}
    as_string = parse_body(b'{"query":"{ a }","variables":"{\\"x\\": 2}"}')
    assert as_string.variables == {"x": 2}
