"""Custom resolvers declared in the config file (a project without Amplify) over the wire: errors in
AppSync's response shape (``util.error`` with type, data and info; ``appendError`` next to data;
``unauthorized``; a template that is not JSON; a JavaScript exception), ``ctx.info``,
``ctx.identity`` and ``ctx.request.headers`` as AppSync fills them, a resolver on a model type's
field, a mixed VTL/JS pipeline, and code AppSync would not deploy refused at start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import EmulatorStartError, RunningEmulator, start_emulator

SCHEMA = """
type Note @model @auth(rules: [{ allow: public }, { allow: private }]) {
  id: ID!
  text: String
  wordCount: Int
  letters: Int @auth(rules: [{ allow: private }])
}

type Caller @aws_api_key @aws_cognito_user_pools { mode: String, sub: String, username: String, trace: String, fields: [String], graphql: String }

type Query {
  failWith(kind: String!): String
  partial: [String]
  whoAmI: Caller @aws_api_key @aws_cognito_user_pools
  steps(start: Int!): [String]
}
"""

CONFIG = """
schema = "schema.graphql"

[auth]
default = "API_KEY"
additional = ["AMAZON_COGNITO_USER_POOLS"]

[resolvers."Query.failWith"]
data_source = "NONE_DS"
code = "resolvers/failWith.js"

[resolvers."Query.partial"]
data_source = "NONE_DS"
request = "resolvers/partial.req.vtl"
response = "resolvers/partial.res.vtl"

[resolvers."Query.whoAmI"]
data_source = "NONE_DS"
code = "resolvers/whoAmI.js"

[resolvers."Note.wordCount"]
data_source = "NONE_DS"
request = "resolvers/wordCount.req.vtl"
response = "resolvers/result.vtl"

[resolvers."Note.letters"]
data_source = "NONE_DS"
code = "resolvers/letters.js"

[resolvers."Query.steps"]
pipeline = ["vtlStep", "jsStep"]
code = "resolvers/stepsPipeline.js"

[pipeline_functions.vtlStep]
data_source = "NONE_DS"
request = "resolvers/vtlStep.req.vtl"
response = "resolvers/result.vtl"

[pipeline_functions.jsStep]
data_source = "NONE_DS"
code = "resolvers/jsStep.js"
"""

FILES = {
    "failWith.js": """
import { util } from '@aws-appsync/utils';
export function request(ctx) { return { payload: ctx.args.kind }; }
export function response(ctx) {
  if (ctx.result === 'error') { util.error('Custom failure', 'MyError', { code: 42 }, { hint: 'retry' }); }
  if (ctx.result === 'unauthorized') { util.unauthorized(); }
  if (ctx.result === 'exception') { return ctx.args.missing.length; }
  return 'fine';
}
""",
    "partial.req.vtl": '{"version": "2018-05-29", "payload": ["a", "b"]}',
    "partial.res.vtl": '$util.appendError("b is stale", "Stale", {"item": "b"})\n$util.toJson($ctx.result)',
    "whoAmI.js": """
import { util } from '@aws-appsync/utils';
export function request(ctx) { return {}; }
export function response(ctx) {
  return { mode: util.authType(), sub: ctx.identity ? ctx.identity.sub : null,
           username: ctx.identity ? ctx.identity.username : null, trace: ctx.request.headers['x-trace'],
           fields: ctx.info.selectionSetList, graphql: ctx.info.selectionSetGraphQL };
}
""",
    "wordCount.req.vtl": '{"version": "2018-05-29", "payload": $ctx.source.text.split(" ").size()}',
    "result.vtl": "$util.toJson($ctx.result)",
    "letters.js": "export const request = (ctx) => ({ payload: ctx.source.text.length });\n"
                  "export const response = (ctx) => ctx.result;\n",
    "stepsPipeline.js": """
export function request(ctx) { ctx.stash.trail = ['before']; return { start: ctx.args.start }; }
export function response(ctx) { return [...ctx.stash.trail, `result ${ctx.prev.result}`]; }
""",
    "vtlStep.req.vtl": '$util.qr($ctx.stash.trail.add("vtl"))\n{"version": "2018-05-29", "payload": $ctx.prev.result.start}',
    "jsStep.js": """
export function request(ctx) { ctx.stash.trail.push('js'); return { payload: ctx.prev.result * 10 }; }
export function response(ctx) { return ctx.result + 1; }
""",
}


def write_project(root: Path, files: dict[str, str] = FILES) -> Path:
    (root / "resolvers").mkdir(parents=True, exist_ok=True)
    (root / "schema.graphql").write_text(SCHEMA)
    for name, text in files.items():
        (root / "resolvers" / name).write_text(text)
    config = root / "appsync-emulator.toml"
    config.write_text(CONFIG)
    return config


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    root = tmp_path_factory.mktemp("config-project")
    config = write_project(root)
    running = start_emulator(root / "schema.graphql", data_dir=root / "data", extra_args=["--config", str(config)])
    yield running
    running.stop()


def ask(server: RunningEmulator, query: str, **kwargs: Any) -> dict[str, Any]:
    return server.graphql(query, **kwargs).json()


def test_util_error_reaches_the_client_with_type_data_and_info(server: RunningEmulator) -> None:
    answer = ask(server, '{ failWith(kind: "error") }')
    assert answer["data"] == {"failWith": None}
    (error,) = answer["errors"]
    assert (error["message"], error["errorType"], error["data"], error["errorInfo"], error["path"]) == (
        "Custom failure", "MyError", {"code": 42}, {"hint": "retry"}, ["failWith"])


def test_unauthorized_and_a_javascript_exception(server: RunningEmulator) -> None:
    denied = ask(server, '{ failWith(kind: "unauthorized") }')["errors"][0]
    assert (denied["errorType"], denied["message"]) == ("Unauthorized", "Not Authorized to access failWith on type Query")
    thrown = ask(server, '{ failWith(kind: "exception") }')["errors"][0]
    assert thrown["errorType"] == "Code" and thrown["message"].startswith("code.js:7:")
    assert "TypeError" in thrown["message"]


def test_append_error_keeps_the_data(server: RunningEmulator) -> None:
    answer = ask(server, "{ partial }")
    assert answer["data"] == {"partial": ["a", "b"]}
    assert answer["errors"] == [{"path": ["partial"], "data": {"item": "b"}, "errorType": "Stale", "errorInfo": None,
                                 "locations": [{"line": 1, "column": 3, "sourceName": None}], "message": "b is stale"}]


def test_context_identity_headers_and_info(server: RunningEmulator) -> None:
    by_key = ask(server, "{ whoAmI { mode sub trace fields } }", headers={"x-trace": "t-7"})["data"]["whoAmI"]
    assert by_key == {"mode": "API Key Authorization", "sub": None, "trace": "t-7",
                      "fields": ["mode", "sub", "trace", "fields"]}
    by_user = ask(server, "query { whoAmI { username ... on Caller { graphql } } }", token=server.token("alice"))
    caller = by_user["data"]["whoAmI"]
    assert caller["username"] == "alice"
    assert "username" in caller["graphql"] and "... on Caller" in caller["graphql"]


def test_resolver_on_a_model_types_field(server: RunningEmulator) -> None:
    created = ask(server, 'mutation { createNote(input: {text: "three little words"}) { id wordCount } }')
    assert created["data"]["createNote"]["wordCount"] == 3
    listed = ask(server, "{ listNotes { items { wordCount } } }")["data"]["listNotes"]["items"]
    assert {"wordCount": 3} in listed
    note = created["data"]["createNote"]["id"]
    query = f'{{ getNote(id: "{note}") {{ text letters }} }}'
    assert ask(server, query, token=server.token("bob"))["data"]["getNote"]["letters"] == 18
    by_key = ask(server, query)  # the field's own @auth comes before its resolver
    assert by_key["data"]["getNote"] == {"text": "three little words", "letters": None}
    assert by_key["errors"][0]["errorType"] == "Unauthorized"


def test_mixed_pipeline_declared_in_the_config(server: RunningEmulator) -> None:
    assert ask(server, "{ steps(start: 4) }") == {"data": {"steps": ["before", "vtl", "js", "result 41"]}}


def test_code_appsync_would_refuse_stops_the_start_with_the_reason(tmp_path: Path) -> None:
    broken = dict(FILES, **{"jsStep.js": "export function request(ctx) {\n  let i = 0;\n  i++;\n  return {};\n}\n"
                                          "export function response(ctx) { return ctx.result; }\n"})
    config = write_project(tmp_path, broken)
    with pytest.raises(EmulatorStartError) as refused:
        start_emulator(tmp_path / "schema.graphql", data_dir=tmp_path / "data", extra_args=["--config", str(config)])
    assert "jsStep.js: The code contains one or more errors." in str(refused.value)
    assert "jsStep.js:3:3: The operator ++ is not supported" in str(refused.value)

    bad_vtl = dict(FILES, **{"partial.res.vtl": "#if($ctx.result\n$util.toJson($ctx.result)"})
    config = write_project(tmp_path, bad_vtl)
    with pytest.raises(EmulatorStartError, match=r"partial\.res\.vtl\[line \d+, column \d+\]"):
        start_emulator(tmp_path / "schema.graphql", data_dir=tmp_path / "data2", extra_args=["--config", str(config)])
