"""AppSync's ``@aws_*`` directive check, on the golden generated schemas and small hand-written ones."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType, GraphQLSchema

from emulator.auth.directives import DirectiveTable, check_field, directive_guard
from emulator.auth.identity import AuthMode
from emulator.sdl import build_appsync_schema
from tests.auth_rules_support import api_key, iam, lambda_, oidc, user
from tests.paths import GOLDEN

POOLS = AuthMode.AMAZON_COGNITO_USER_POOLS


def golden_schema(folder: str) -> GraphQLSchema:
    return build_appsync_schema((GOLDEN / "v2" / folder / "schema.graphql").read_text())


@pytest.fixture(scope="module")
def matrix() -> DirectiveTable:
    return DirectiveTable.for_schema(golden_schema("auth-matrix-all-providers"), POOLS)


@pytest.fixture(scope="module")
def seed() -> DirectiveTable:
    return DirectiveTable.for_schema(golden_schema("seed-userpools-iam-apikey"), POOLS)


def test_fields_without_directives_take_the_default_mode(matrix: DirectiveTable) -> None:
    assert matrix.allows("Query", "listOwnerDefaults", user())
    for caller in (api_key(), iam(), oidc(), lambda_()):
        assert not matrix.allows("Query", "listOwnerDefaults", caller)


def test_field_directives(matrix: DirectiveTable) -> None:
    assert matrix.allows("Query", "getFineGrained", api_key())
    assert matrix.allows("Query", "getFineGrained", user())
    assert not matrix.allows("Query", "listFineGraineds", api_key())
    assert matrix.allows("Query", "getPublicIam", iam())
    assert not matrix.allows("Query", "getPublicIam", user())  # an explicit directive shuts the default out
    assert matrix.allows("Query", "echo", api_key())
    assert matrix.allows("Subscription", "onCreateCustomLambda", lambda_())
    assert not matrix.allows("Subscription", "onCreateOwnerDefault", api_key())


def test_type_directives_cover_the_types_fields(matrix: DirectiveTable) -> None:
    assert matrix.allows("FineGrained", "content", api_key())
    assert not matrix.allows("ModelFineGrainedConnection", "items", api_key())
    assert matrix.allows("ModelFieldLevelConnection", "items", api_key())
    assert matrix.allows("PrivateOidc", "content", oidc())
    assert not matrix.allows("PrivateOidc", "content", user())
    assert matrix.allows("OwnerDefault", "owner", user())


def test_seed_schema(seed: DirectiveTable) -> None:
    assert seed.allows("Mutation", "createUser", iam())
    assert seed.allows("Mutation", "updateUser", iam())
    assert not seed.allows("Mutation", "deleteUser", iam())
    assert not seed.allows("Query", "getUser", iam())
    assert seed.allows("User", "name", iam())
    for field in ("createUser", "deleteUser"):
        assert not seed.allows("Mutation", field, api_key())
    assert seed.allows("Query", "getPost", user())
    assert not seed.allows("Query", "getPost", api_key())


SDL = """
type Query @aws_api_key {
  open: String
  admins: String @aws_cognito_user_pools(cognito_groups: ["Admin", "Ops"])
  legacy: String @aws_auth(cognito_groups: ["Admin"])
  mixed: String @aws_cognito_user_pools @aws_auth(cognito_groups: ["Admin"])
  iamOnly: Thing @aws_iam
}
type Thing { name: String  secret: String @aws_lambda @aws_iam }
extend type Thing @aws_iam
"""


@pytest.fixture(scope="module")
def small() -> GraphQLSchema:
    return build_appsync_schema(SDL)


def test_cognito_groups(small: GraphQLSchema) -> None:
    table = DirectiveTable.build(small, POOLS)
    assert table.allows("Query", "admins", user(groups=("Ops",)))
    assert not table.allows("Query", "admins", user(groups=("Viewers",)))
    assert not table.allows("Query", "admins", api_key())
    assert table.allows("Query", "legacy", user(groups=("Admin",)))
    assert not table.allows("Query", "legacy", user())
    assert table.allows("Query", "mixed", user())  # a plain @aws_cognito_user_pools admits every user


def test_field_wins_over_type_and_extensions_count(small: GraphQLSchema) -> None:
    table = DirectiveTable.build(small, AuthMode.API_KEY)
    assert table.allows("Query", "open", api_key())
    assert not table.allows("Query", "open", user())
    assert table.allows("Query", "iamOnly", iam())
    assert not table.allows("Query", "iamOnly", api_key())
    assert table.allows("Thing", "name", iam())  # from `extend type Thing @aws_iam`
    assert not table.allows("Thing", "name", api_key())
    assert table.allows("Thing", "secret", lambda_())


def test_lambda_denied_fields(small: GraphQLSchema) -> None:
    table = DirectiveTable.build(small, AuthMode.AWS_LAMBDA)
    assert table.allows("Thing", "secret", lambda_())
    assert not table.allows("Thing", "secret", lambda_(frozenset({"Thing.secret"})))
    arn = "arn:aws:appsync:us-east-1:123456789012:apis/emulator/types/Thing/fields/secret"
    assert not table.allows("Thing", "secret", lambda_(frozenset({arn})))


def test_check_field_agrees_with_the_table(small: GraphQLSchema) -> None:
    table = DirectiveTable.build(small, POOLS)
    callers = (user(), user(groups=("Admin",)), api_key(), iam(), oidc(), lambda_(frozenset({"Query.open"})))
    for type_name in ("Query", "Thing"):
        gql_type = small.get_type(type_name)
        assert isinstance(gql_type, GraphQLObjectType)
        for name, gql_field in gql_type.fields.items():
            for caller in callers:
                assert check_field(gql_field, gql_type, POOLS, caller) == table.allows(type_name, name, caller)


def test_no_caller_and_unknown_fields(small: GraphQLSchema) -> None:
    table = DirectiveTable.build(small, POOLS)
    assert not table.allows("Query", "open", None)
    assert table.allows("__Schema", "types", user())


def test_the_table_is_built_once_per_schema_and_mode(small: GraphQLSchema) -> None:
    first = DirectiveTable.for_schema(small, "API_KEY")
    assert DirectiveTable.for_schema(small, AuthMode.API_KEY) is first
    assert DirectiveTable.for_schema(small, POOLS) is not first
    guard = directive_guard(small, "API_KEY")
    assert guard("Query", "open", api_key()) and not guard("Query", "open", user())


def test_an_iam_policy_on_some_root_types_denies_the_top_level_fields_of_the_others() -> None:
    """A Gen 2 function given ``allow.resource(fn).to(['query'])`` may query, not mutate."""
    from dataclasses import replace

    schema = build_appsync_schema("""
        type Note @aws_iam { id: ID! title: String }
        type Query { getNote(id: ID!): Note @aws_iam }
        type Mutation { createNote(title: String): Note @aws_iam }
    """)
    table = DirectiveTable.for_schema(schema, AuthMode.API_KEY)
    querier = replace(iam(), iam_root_types=frozenset({"Query"}))
    assert table.allows("Query", "getNote", querier) and table.allows("Note", "title", querier)
    assert not table.allows("Mutation", "createNote", querier)
    assert table.allows("Mutation", "createNote", iam())  # no policy restriction: every root type
    assert not table.allows("Query", "getNote", replace(iam(), iam_root_types=frozenset()))
