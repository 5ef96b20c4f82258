"""The GraphQL request inside an HTTP body or query string, or AppSync's 400 for a bad one.

AppSync answers an empty body with ``Request body is empty.`` and anything that is not a JSON
object with a ``query`` string with ``Unable to parse GraphQL query.``, both as HTTP 400
``MalformedHttpRequestException``. Client variants (``variables: null``, variables as a JSON
string, Apollo's extra ``extensions``) are accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from emulator.errors import RequestError


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def malformed(message: str) -> RequestError:
    return RequestError(400, "MalformedHttpRequestException", message)


def parse_body(body: bytes) -> GraphQLRequest:
    """The GraphQL request in a POST body, or AppSync's 400 errors."""
    if not body.strip():
        raise malformed("Request body is empty.")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested past Python's stack
        raise malformed("Unable to parse GraphQL query.") from exc
    return graphql_request(payload)


def graphql_request(payload: Any) -> GraphQLRequest:
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str) or not payload["query"].strip():
        raise malformed("Unable to parse GraphQL query.")
    variables = payload.get("variables")
    if isinstance(variables, str) and variables.strip():
        try:
            variables = json.loads(variables)
        except (ValueError, RecursionError) as exc:
            raise malformed("Unable to parse GraphQL query.") from exc
    if variables in ("", None):
        variables = None
    if variables is not None and not isinstance(variables, dict):
        raise malformed("Unable to parse GraphQL query.")
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise malformed("Unable to parse GraphQL query.")
    return GraphQLRequest(payload["query"], variables, operation_name or None)


