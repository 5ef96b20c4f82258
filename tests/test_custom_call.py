"""``ctx`` of a custom resolver call (``emulator.resolvers.custom.call``): ``info`` from the GraphQL
field as AppSync fills it, and one context for VTL and JS."""

from __future__ import annotations

from typing import Any

from graphql import build_schema, graphql_sync

from emulator.auth.identity import AuthMode, Identity
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.custom import ResolverCall, info_document
from tests.resolvers_engine import v2_api

SCHEMA = build_schema("""
type Author { name: String, email: String }
type Post { id: ID, title: String, author: Author }
type Query { post(id: ID): Post }
""")


def info_of(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def resolve(source: Any, info: Any, **args: Any) -> Any:
        seen.update(info_document(info))
        return None

    SCHEMA.query_type.fields["post"].resolve = resolve  # type: ignore[union-attr]
    graphql_sync(SCHEMA, query, variable_values=variables)
    return seen


def test_selection_set_list_by_field_name_with_fragments_expanded() -> None:
    info = info_of("""
query Q($id: ID) { post(id: $id) { renamed: title __typename author { name } ...More ... on Post { id } } }
fragment More on Post { author { email name } }
""", {"id": "p1"})
    assert info["selectionSetList"] == ["title", "author", "author/name", "author/email", "id"]
    assert (info["fieldName"], info["parentTypeName"], info["variables"]) == ("post", "Query", {"id": "p1"})
    assert info["selectionSetGraphQL"].startswith("{\n  renamed: title") and "...More" in info["selectionSetGraphQL"]


def test_one_context_for_both_languages() -> None:
    identity = Identity(mode=AuthMode.AMAZON_COGNITO_USER_POOLS, sub="s-1", username="alice", claims={"sub": "s-1"})
    context = ResolverContext(api=v2_api(), dynamodb=None, table_name=str, identity=identity,
                              request_headers={"x-trace": "t"})
    call = ResolverCall.of(context, "Post", "summary", {"n": 1}, source={"id": "p1"})
    js = call.js_context(result={"r": 1}, prev_result=None)
    vtl = call.vtl_context(result={"r": 1}, prev_result=None).ctx()
    for ctx in (js, vtl):
        assert ctx["arguments"] is call.arguments and ctx["stash"] is call.stash
        assert ctx["identity"]["username"] == "alice" and ctx["source"] == {"id": "p1"}
        assert ctx["request"] == {"headers": {"x-trace": "t"}, "domainName": None}
        assert ctx["prev"] == {"result": None} and ctx["result"] == {"r": 1}
    assert call.util.auth_type == "User Pool Authorization"
    assert "prev" not in call.js_context()  # outside a pipeline
    assert set(call.direct_lambda_payload()) == {"arguments", "identity", "source", "stash", "info", "request", "prev"}
