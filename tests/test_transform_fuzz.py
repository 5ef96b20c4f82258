"""Property (issue 11 point 2): the transform never crashes. Whatever Amplify-looking schema it gets,
it returns an API whose schema builds, or raises a ``SchemaError`` with a line and column.

Schemas are composed from the pieces real projects use (models, non-model types, enums, unions,
lists, keys, indexes, relations, auth rules, ``@model`` arguments, user types named like
generated ones), in both transformer versions. A few dozen examples keep it quick in CI.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.sdl import build_appsync_schema
from emulator.transform import SchemaError, TransformOptions, transform

MODELS = ["Post", "Comment", "Tag", "Item"]
SCALARS = ["ID", "String", "Int", "Float", "Boolean", "AWSDateTime", "AWSJSON", "Status"]
OTHERS = ["Point", "Task", "Node", "Missing", *MODELS]
AUTH_RULES = [
    "{allow: public}", "{allow: owner}", "{allow: private}", "{allow: groups, groups: [\"Admin\"]}",
    "{allow: owner, ownerField: \"editors\"}", "{allow: public, operations: [read]}",
    "{allow: groups, groupsField: \"teams\"}", "{allow: owner, ownerField: \"id\"}",
]
V2_FIELD_DIRECTIVES = ["", "", "", "@primaryKey", "@primaryKey(sortKeyFields: [\"f1\"])", "@index(name: \"byX\")",
                       "@index(sortKeyFields: [\"f0\"])", "@hasMany", "@hasOne", "@belongsTo", "@default(value: \"1\")",
                       "@auth(rules: [{allow: owner}])", "@function(name: \"fn\")",
                       "@manyToMany(relationName: \"Links\")"]
V1_FIELD_DIRECTIVES = ["", "", "", "@connection", "@connection(name: \"Rel\")", "@connection(fields: [\"f0\"])",
                       "@auth(rules: [{allow: owner}])", "@function(name: \"fn\")"]
MODEL_ARGS = ["", "", "(subscriptions: null)", "(queries: {get: \"one\"})", "(timestamps: null)",
              "(subscriptions: {level: public})", "(mutations: null)"]
EXTRAS = [
    "type Point { lat: Float lng: Float }", "input PointInput { lat: Float }", "enum Status { ON OFF }",
    "type Quiz { q: String }", "union Task = Quiz | Point", "enum ModelSortDirection { ASC DESC }",
    "input CreatePostInput { id: ID }", "type Query { hello(x: Int): String }",
    "type Mutation { act(input: PointInput): Point }", "type ModelPostConnection { items: [Post] }",
    "interface Node { id: ID! }", "type Subscription { onAct: Point @aws_subscribe(mutations: [\"act\"]) }",
    "input ModelStringInput { eq: String }", "type Tag { label: String }",
]


@st.composite
def field_type(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(SCALARS + OTHERS))
    kind = draw(st.sampled_from(["{}", "{}!", "[{}]", "[{}!]!"]))
    return kind.format(name)


@st.composite
def model(draw: st.DrawFn, name: str, version: str) -> str:
    directives = V2_FIELD_DIRECTIVES if version == "v2" else V1_FIELD_DIRECTIVES
    lines = [] if draw(st.booleans()) else ["  id: ID!"]
    for index in range(draw(st.integers(1, 4))):
        lines.append(f"  f{index}: {draw(field_type())} {draw(st.sampled_from(directives))}")
    rules = draw(st.lists(st.sampled_from(AUTH_RULES), max_size=2, unique=True))
    auth = f" @auth(rules: [{', '.join(rules)}])" if rules else ""
    keys = ""
    if version == "v1" and draw(st.booleans()):
        keys = ' @key(fields: ["f0"])' if draw(st.booleans()) else ' @key(name: "byF", fields: ["f0"], queryField: "q")'
    body = "\n".join(lines)
    return f"type {name} @model{draw(st.sampled_from(MODEL_ARGS))}{keys}{auth} {{\n{body}\n}}"


@st.composite
def amplify_schema(draw: st.DrawFn) -> tuple[str, str]:
    version = draw(st.sampled_from(["v1", "v2"]))
    names = draw(st.lists(st.sampled_from(MODELS), min_size=1, max_size=3, unique=True))
    parts = [draw(model(name, version)) for name in names]
    parts += draw(st.lists(st.sampled_from(EXTRAS), max_size=4, unique=True))
    return version, "\n\n".join(parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amplify_schema())
def test_transform_returns_a_servable_schema_or_a_located_schema_error(case: tuple[str, str]) -> None:
    version, sdl = case
    options = TransformOptions(version=version, default_auth="AMAZON_COGNITO_USER_POOLS",  # type: ignore[arg-type]
                               additional_auth=("API_KEY", "AWS_IAM"))
    try:
        api = transform(sdl, options)
    except SchemaError as error:
        assert error.line is not None and error.column is not None, f"{error} has no location\n{sdl}"
        return
    build_appsync_schema(api.sdl)
