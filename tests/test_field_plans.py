"""Which resolver serves each field (``emulator.field_plans``), bound with ariadne's bindables
(``emulator.execution``), and unions/interfaces resolved by ``__typename`` as AppSync does."""

from __future__ import annotations

from typing import Any

import pytest
from ariadne import ObjectType
from graphql import GraphQLObjectType

from emulator.apimodel import ApiModel
from emulator.auth.identity import AuthMode, Identity
from emulator.execution import Executor, build_executable_api, object_bindables
from emulator.field_plans import DEFAULT_PLANNERS, FieldPlan, plan_field
from emulator.resolvers.context import ResolverContext
from emulator.transform import transform

SCHEMA = """
type Post @model { id: ID! title: String blog: Blog @belongsTo shout: String @function(name: "shout") }
type Blog @model { id: ID! name: String posts: [Post] @hasMany }
type Note { text: String }
interface Named { name: String }
type Person implements Named { name: String age: Int }
union Found = Post | Note
type Query {
  echo: String @function(name: "echo")
  guarded: String @auth(rules: [{allow: public}])
  open: String
  found: [Found]
  named: Named
}
"""
API = transform(SCHEMA)


@pytest.mark.parametrize(("parent", "name", "kind"), [
    ("Query", "echo", "function"),
    ("Post", "shout", "function"),  # a model field with @function: the function, not the stored value
    ("Query", "getPost", "model-operation"),
    ("Mutation", "createPost", "model-operation"),
    ("Query", "guarded", "unresolved"),  # a custom field: its resolver lives outside the schema
    ("Post", "blog", "relation"),
    ("Blog", "posts", "relation"),
    ("Post", "title", "model-field"),
    ("Query", "open", "unresolved"),
    ("Note", "text", None),
    ("Subscription", "onCreatePost", None),
])
def test_each_field_gets_its_kind_of_resolver(parent: str, name: str, kind: str | None) -> None:
    plan = plan_field(API, parent, name)
    assert (plan.kind if plan else None) == kind


def context(api: ApiModel) -> ResolverContext:
    return ResolverContext(api=api, dynamodb=None, table_name=lambda model: model,
                           identity=Identity(mode=AuthMode.API_KEY, api_key="k"))


def run(executor: Executor, query: str) -> tuple[dict[str, Any], int]:
    result = executor.run_sync(executor.prepare(query), context(executor.executable.api), None, None)
    return result.body, result.status


def values(answers: dict[tuple[str, str], Any]):  # type: ignore[no-untyped-def]
    """A planner serving fixed values, placed first: how a new resolver kind plugs in."""

    def planner(api: ApiModel, parent: str, name: str) -> FieldPlan | None:
        if (parent, name) in answers:
            return FieldPlan("fixed", lambda source, info, **args: answers[(parent, name)])
        return None

    return (planner, *DEFAULT_PLANNERS)


def test_a_new_planner_plugs_in_before_the_others_and_object_types_are_ariadne_bindables() -> None:
    executable = build_executable_api(API, planners=values({("Query", "echo"): "fixed echo"}))
    body, status = run(Executor(executable), "{ echo open }")
    assert (status, body["data"]) == (200, {"echo": "fixed echo", "open": None})
    assert [error["errorType"] for error in body["errors"]] == ["AppSyncEmulator:NoLocalResolver"]
    query = executable.schema.get_type("Query")
    assert isinstance(query, GraphQLObjectType) and query.fields["getPost"].resolve is not None
    bindables = object_bindables(API, executable.schema, guard=None)
    assert all(isinstance(b, ObjectType) for b in bindables)
    assert {b.name for b in bindables} >= {"Query", "Mutation", "Post", "Blog", "Note", "Person"}


def test_abstract_values_are_typed_by_typename() -> None:
    answers = {("Query", "found"): [{"__typename": "Note", "text": "n"}, {"__typename": "Post", "id": "1"}],
               ("Query", "named"): {"__typename": "Person", "name": "Ann", "age": 3}}
    executor = Executor(build_executable_api(API, planners=values(answers)))
    body, status = run(executor, "{ found { ... on Note { text } ... on Post { id } } named { name ... on Person { age } } }")
    assert status == 200
    assert body == {"data": {"found": [{"text": "n"}, {"id": "1"}], "named": {"name": "Ann", "age": 3}}}


@pytest.mark.parametrize(("value", "message"), [
    ({"text": "no typename"}, "Could not determine the exact type of Found. Missing __typename key on value.'"),
    ("a string", "Could not determine the exact type of Found. Expected MAP/OBJECT type.'"),
])
def test_an_untyped_abstract_value_fails_the_whole_request_as_appsync_does(value: Any, message: str) -> None:
    executor = Executor(build_executable_api(API, planners=values({("Query", "found"): [value]})))
    assert run(executor, "{ found { ... on Note { text } } }") == (
        {"errors": [{"errorType": "BadRequestException", "message": message}]}, 400)


def test_a_typename_outside_the_abstract_type_is_a_field_error() -> None:
    executor = Executor(build_executable_api(API, planners=values({("Query", "named"): {"__typename": "Note"}})))
    body, status = run(executor, "{ named { name } }")
    assert status == 200 and body["data"] == {"named": None}
    assert "Note" in body["errors"][0]["message"]
