"""``@function`` fields over the wire, with real handler files in Node (JavaScript and
TypeScript) and Python run by the emulator's long-lived runners.

One server for the module (``[functions.<name>]`` in the config): every handler style and file
kind, the event Amplify sends, pipelines through ``prev.result``, a model field, Event
invocation, errors, timeouts and crashes (``Lambda:Unhandled``), output kept off the protocol,
the environment (never the developer's AWS credentials), 8 concurrent clients, the IAM
call-back, unions resolved by ``__typename``, and table triggers through the API and straight
through the DynamoDB endpoint.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.waiting import eventually
from tests.functions_support import handler, require_node

API_KEY = "da2-functionstests00000000000"
ROLE_ARN = "arn:aws:iam::123456789012:role/functions-backend-role"

SCHEMA = """
type Post @model @auth(rules: [{allow: public}]) {
  id: ID!
  title: String!
  shout: String @function(name: "shout-${env}")
}

type Audit @model @auth(rules: [{allow: public}]) {
  id: ID!
  postId: String!
  eventName: String!
  title: String
  batch: Int
}

type Note {
  text: String
}

union SearchResult = Post | Note

type EventInvocationResponse {
  success: Boolean!
}

type Echo @aws_api_key @aws_iam {
  typeName: String
  fieldName: String
  arguments: AWSJSON
  identity: AWSJSON
  source: AWSJSON
  prev: AWSJSON
  request: AWSJSON
  keys: [String]
  functionName: String
  requestId: String
  remainingMs: Int
}

type Query {
  echo(msg: String, n: Int): Echo @function(name: "echo") @aws_api_key @aws_iam
  promised(msg: String): String @function(name: "promised")
  called(msg: String): String @function(name: "called")
  typed(name: String!): String @function(name: "typed")
  chain(n: Int!): Int @function(name: "add1") @function(name: "add1") @function(name: "double")
  behave(action: String!, arg: String): AWSJSON @function(name: "behave-js")
  behavePy(action: String!, arg: String): AWSJSON @function(name: "behave-py-${env}")
  slow(action: String!, arg: String): AWSJSON @function(name: "slow")
  badDate(action: String!, arg: String): AWSDateTime @function(name: "behave-js")
  search(kind: String!): [SearchResult] @function(name: "search")
  callBack: AWSJSON @function(name: "call-api")
}

type Mutation {
  fire(msg: String!): EventInvocationResponse @function(name: "record-event", invocationType: Event)
}
"""


def config(state_dir: Path) -> str:
    return f"""
schema = "schema.graphql"
env = "test"

[auth]
default = "API_KEY"
additional = ["AWS_IAM"]

[auth.api_key]
keys = ["{API_KEY}"]

[[auth.iam.credentials]]
access_key_id = "AKIDFUNCTIONSTESTS"
secret_access_key = "functions-tests-secret"
role_arn = "{ROLE_ARN}"

[functions.echo]
handler = "{handler('echo.mjs')}"
[functions.promised]
handler = "{handler('promised.cjs')}"
[functions.called]
handler = "{handler('called.js')}"
[functions.typed]
handler = "{handler('typed.ts')}"
[functions.add1]
handler = "{handler('chain.mjs', 'add1')}"
[functions.double]
handler = "{handler('chain.mjs', 'double')}"
[functions.behave-js]
handler = "{handler('behave.mjs')}"
environment = {{ FROM_CONFIG = "configured", AWS_ACCESS_KEY_ID = "not-this-one" }}
[functions.behave-py]
handler = "{handler('behave.py')}"
[functions.slow]
handler = "{handler('behave.mjs')}"
timeout = 1
[functions.shout]
handler = "{handler('shout.py')}"
[functions.search]
handler = "{handler('search.mjs')}"
[functions.record-event]
handler = "{handler('record_event.py')}"
timeout = 60
environment = {{ FUNCTION_STATE_DIR = "{state_dir}" }}
[functions.call-api]
handler = "{handler('call_api.py')}"
[functions.audit]
handler = "{handler('audit_trigger.py')}"
triggers = ["Post"]
batch_size = 10
"""


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    require_node()
    folder = tmp_path_factory.mktemp("functions-wire")
    (folder / "schema.graphql").write_text(SCHEMA)
    state = folder / "state"
    state.mkdir()
    text = config(state).replace('schema = "schema.graphql"', f'schema = "{folder / "schema.graphql"}"')
    developer = {"AWS_ACCESS_KEY_ID": "AKIADEVELOPEROWNKEY", "AWS_SECRET_ACCESS_KEY": "developer-own-secret",
                 "AWS_SESSION_TOKEN": "developer-own-session"}  # the developer's own, in the emulator's environment
    running = emulator_server(folder / "schema.graphql", text, env=developer)
    running.state_dir = state  # type: ignore[attr-defined]
    return running


def data(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = server.graphql(query, variables).json()
    assert "errors" not in body, body
    return body["data"]


def errors(server: RunningEmulator, query: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    body = server.graphql(query).json()
    return body["data"], body["errors"]


# --- handler styles and file kinds --------------------------------------------------------------


def test_async_promise_callback_and_legacy_context_handlers_in_every_file_kind(server: RunningEmulator) -> None:
    assert data(server, '{ promised(msg: "p") }') == {"promised": "promised p"}  # .cjs, promise
    assert data(server, '{ called(msg: "c") }') == {"called": "called back c"}  # .js, callback
    assert data(server, '{ called(msg: "legacy") }') == {"called": "succeeded legacy"}  # context.succeed
    assert data(server, '{ typed(name: "ts") }') == {"typed": "hello ts from TypeScript"}  # .ts through tsx
    assert data(server, '{ behavePy(action: "context") }')["behavePy"].startswith('{"functionName":"behave-py"')


def test_the_event_is_amplifys_and_the_context_lambdas(server: RunningEmulator) -> None:
    echo = data(server, '{ echo(msg: "hi", n: 2) { typeName fieldName arguments identity source prev request '
                        'keys functionName requestId remainingMs } }')["echo"]
    assert echo["keys"] == ["arguments", "fieldName", "identity", "prev", "request", "source", "typeName"]
    assert (echo["typeName"], echo["fieldName"]) == ("Query", "echo")
    assert json.loads(echo["arguments"]) == {"msg": "hi", "n": 2}
    assert echo["identity"] is None  # API key callers have no identity
    assert echo["source"] is None
    assert json.loads(echo["prev"]) == {"result": {}}  # the pipeline's "before" result
    request = json.loads(echo["request"])
    assert request["headers"]["x-api-key"] == API_KEY and request["domainName"] is None
    assert echo["functionName"] == "echo" and len(echo["requestId"]) == 36
    assert 0 < echo["remainingMs"] <= 3000  # Lambda's default timeout


def test_functions_chain_through_prev_result(server: RunningEmulator) -> None:
    assert data(server, "{ chain(n: 4) }") == {"chain": 12}  # (4 + 1 + 1) * 2


def test_a_function_on_a_model_field_gets_the_item_as_source(server: RunningEmulator) -> None:
    created = data(server, 'mutation { createPost(input: {title: "quiet please"}) { id title shout } }')["createPost"]
    assert created["shout"] == "QUIET PLEASE!"
    listed = data(server, "{ listPosts { items { id shout } } }")["listPosts"]["items"]
    assert {"id": created["id"], "shout": "QUIET PLEASE!"} in listed


def test_event_invocation_answers_at_once_and_runs_in_the_background(server: RunningEmulator) -> None:
    state = server.state_dir  # type: ignore[attr-defined]
    assert data(server, 'mutation { fire(msg: "later") { success } }') == {"fire": {"success": True}}
    written = state / "event-later.json"
    assert not written.exists()  # answered while the function still waits for its release
    (state / "later.release").touch()
    eventually(written.exists)
    event = json.loads(written.read_text())
    assert (event["typeName"], event["fieldName"], event["arguments"]) == ("Mutation", "fire", {"msg": "later"})


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "message"), [
    ('behave(action: "throw", arg: "js")', "failed on purpose: js"),
    ('behave(action: "reject-string")', "a plain string rejection"),
    ('behavePy(action: "throw", arg: "py")', "python failed on purpose: py"),
])
def test_a_thrown_error_is_lambda_unhandled_with_the_functions_message(server: RunningEmulator, field: str,
                                                                       message: str) -> None:
    name = field.split("(")[0]
    got, failures = errors(server, f"{{ {field} }}")
    assert got == {name: None}
    assert failures == [{"path": [name], "data": None, "errorType": "Lambda:Unhandled", "errorInfo": None,
                         "locations": [{"line": 1, "column": 3, "sourceName": None}], "message": message}]


def test_a_timeout_kills_the_instance_and_the_next_call_gets_a_fresh_one(server: RunningEmulator) -> None:
    got, failures = errors(server, '{ slow(action: "sleep", arg: "5000") }')
    assert got == {"slow": None}
    assert failures[0]["errorType"] == "Lambda:Unhandled"
    assert failures[0]["message"].endswith("Task timed out after 1.00 seconds")
    assert json.loads(data(server, '{ slow(action: "sleep", arg: "10") }')["slow"]) == {"slept": 10}


@pytest.mark.parametrize(("field", "status"), [("behave", 3), ("behavePy", 4)])
def test_a_crash_is_reported_and_the_function_restarts(server: RunningEmulator, field: str, status: int) -> None:
    got, failures = errors(server, f'{{ {field}(action: "crash") }}')
    assert got == {field: None}
    assert failures[0]["errorType"] == "Lambda:Unhandled"
    assert f"Runtime exited with error: exit status {status}" in failures[0]["message"]
    for call in range(3):  # served again (by the instances left, or a fresh one)
        assert json.loads(data(server, f'{{ {field}(action: "identify", arg: "{call}") }}')[field])["arg"] == str(call)


def test_results_pass_through_the_return_type_as_appsync_checks_it(server: RunningEmulator) -> None:
    assert data(server, '{ badDate(action: "date", arg: "2024-05-01T10:00:00Z") }') == {
        "badDate": "2024-05-01T10:00:00Z"}
    got, failures = errors(server, '{ badDate(action: "date", arg: "yesterday") }')
    assert got == {"badDate": None}
    assert "yesterday" in failures[0]["message"]


def test_what_a_handler_prints_goes_to_the_log_not_the_answer(server: RunningEmulator) -> None:
    assert json.loads(data(server, '{ behave(action: "print", arg: "js-out") }')["behave"]) == {"printed": "js-out"}
    printed = json.loads(data(server, '{ behavePy(action: "print", arg: "py-out") }')["behavePy"])
    assert printed == {"printed": "py-out", "remaining": True}
    eventually(lambda: any("behave-js: console.log line js-out" in line for line in server.output)
               and any("behave-py: print line py-out" in line for line in server.output)
               and any("behave-py: an fd 1 write" in line for line in server.output))


# --- environment and IAM ------------------------------------------------------------------------


def test_the_environment_points_at_the_emulator_and_never_at_the_developers_credentials(
        server: RunningEmulator) -> None:
    names = ("AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_REGION,AWS_LAMBDA_FUNCTION_NAME,ENV,REGION,"
             "AWS_ENDPOINT_URL_DYNAMODB,API_EMULATOR_GRAPHQLAPIENDPOINTOUTPUT,API_EMULATOR_GRAPHQLAPIIDOUTPUT,"
             "API_EMULATOR_GRAPHQLAPIKEYOUTPUT,API_EMULATOR_POSTTABLE_NAME,FROM_CONFIG,_HANDLER")
    env = json.loads(data(server, f'{{ behave(action: "env", arg: "{names}") }}')["behave"])
    assert env == {
        "AWS_ACCESS_KEY_ID": "AKIDFUNCTIONSTESTS",  # the emulator's key pair, not the config's override
        "AWS_SECRET_ACCESS_KEY": "functions-tests-secret",
        "AWS_SESSION_TOKEN": None,
        "AWS_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "behave-js",
        "ENV": "test",
        "REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": server.base_url,
        "API_EMULATOR_GRAPHQLAPIENDPOINTOUTPUT": server.graphql_url,
        "API_EMULATOR_GRAPHQLAPIIDOUTPUT": "emulator",
        "API_EMULATOR_GRAPHQLAPIKEYOUTPUT": API_KEY,
        "API_EMULATOR_POSTTABLE_NAME": "Post-emulator-test",
        "FROM_CONFIG": "configured",
        "_HANDLER": "behave.handler",
    }


def test_a_function_signing_a_call_back_with_its_credentials_is_an_iam_caller(server: RunningEmulator) -> None:
    answer = json.loads(data(server, "{ callBack }")["callBack"])
    assert "errors" not in answer, answer
    identity = json.loads(answer["data"]["echo"]["identity"])
    assert identity["userArn"].startswith("arn:aws:sts::123456789012:assumed-role/functions-backend-role/")
    assert identity["accountId"] == "123456789012"
    assert json.loads(answer["data"]["echo"]["arguments"]) == {"msg": "from a function"}


# --- unions -------------------------------------------------------------------------------------


def test_a_union_result_is_typed_by_its_typename(server: RunningEmulator) -> None:
    query = '{ search(kind: "%s") { __typename ... on Note { text } ... on Post { id title } } }'
    assert data(server, query % "typed") == {"search": [{"__typename": "Note", "text": "a note"},
                                                        {"__typename": "Post", "id": "p-1", "title": "a post"}]}
    untyped = server.graphql(query % "untyped")
    assert untyped.status_code == 400
    assert untyped.json() == {"errors": [{"errorType": "BadRequestException", "message":
                                          "Could not determine the exact type of SearchResult. "
                                          "Missing __typename key on value.'"}]}


# --- concurrency --------------------------------------------------------------------------------


def test_eight_clients_at_once_lose_and_mix_up_nothing(server: RunningEmulator) -> None:
    def client(number: int) -> list[tuple[str, str, int]]:
        answers = []
        for call in range(15):
            arg = f"client{number}-call{call}"
            body = server.graphql(f'{{ behave(action: "identify", arg: "{arg}") }}').json()
            answers.append((arg, json.loads(body["data"]["behave"])["arg"], json.loads(body["data"]["behave"])["pid"]))
        return answers

    with ThreadPoolExecutor(8) as pool:
        results = [answer for answers in pool.map(client, range(8)) for answer in answers]
    assert len(results) == 120
    assert all(sent == received for sent, received, _ in results)
    pids = {pid for _, _, pid in results}
    assert 1 < len(pids) <= 4  # calls overlapped on several instances, at most the pool's size


# --- table triggers -----------------------------------------------------------------------------


def audits(server: RunningEmulator, post_id: str) -> list[dict[str, Any]]:
    items = data(server, "{ listAudits(limit: 1000) { items { postId eventName title batch } } }")["listAudits"]["items"]
    return [item for item in items if item["postId"] == post_id]


def test_a_trigger_gets_the_stream_records_of_writes_through_the_api(server: RunningEmulator) -> None:
    post = data(server, 'mutation { createPost(input: {title: "first"}) { id } }')["createPost"]
    data(server, 'mutation U($id: ID!) { updatePost(input: {id: $id, title: "second"}) { id } }', {"id": post["id"]})
    data(server, 'mutation D($id: ID!) { deletePost(input: {id: $id}) { id } }', {"id": post["id"]})
    eventually(lambda: len(audits(server, post["id"])) == 3)
    assert sorted((a["eventName"], a["title"]) for a in audits(server, post["id"])) == [
        ("INSERT", "first"), ("MODIFY", "second"), ("REMOVE", "second")]


def test_a_trigger_gets_writes_made_straight_through_the_dynamodb_endpoint(server: RunningEmulator) -> None:
    dynamodb = server.dynamodb()
    for number in range(3):
        dynamodb.put_item(TableName="Post-emulator-test", Item={"id": {"S": f"direct-{number}"},
                                                                "title": {"S": f"direct {number}"}})
    eventually(lambda: all(audits(server, f"direct-{n}") for n in range(3)))
    assert [a["eventName"] for n in range(3) for a in audits(server, f"direct-{n}")] == ["INSERT"] * 3


def test_a_failed_batch_is_retried_and_never_blocks_the_write(server: RunningEmulator) -> None:
    post = data(server, 'mutation { createPost(input: {title: "fail-once please"}) { id } }')["createPost"]
    eventually(lambda: len(audits(server, post["id"])) == 1)
    eventually(lambda: any("failed on a batch" in line and "failing this batch once" in line for line in server.output))
