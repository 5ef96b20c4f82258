"""A Gen 1 project's functions, served as the project is (``tests/fixtures/amplify-functions``):
a ``@function`` query whose environment comes from its CloudFormation template, ``.env`` and
team-provider-info, a Python trigger wired by an ``EventSourceMapping``, and the Lambda
authorizer ``cli-inputs.json`` names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.waiting import eventually
from tests.functions_support import require_node
from tests.paths import ROOT

PROJECT = ROOT / "tests" / "fixtures" / "amplify-functions"
API_KEY = "da2-gen1functions0000000000"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    copy = tmp_path_factory.mktemp("gen1-functions") / "app"
    shutil.copytree(PROJECT, copy)
    return copy.resolve()


@pytest.fixture(scope="module")
def server(emulator_server, project: Path) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(project, f'[auth.api_key]\nkeys = ["{API_KEY}"]\n')


def echo(server: RunningEmulator, **credentials: Any) -> dict[str, Any]:
    body = server.graphql('{ echo(msg: "gen1") }', **credentials).json()
    assert "errors" not in body, body
    return json.loads(body["data"]["echo"])


def test_the_function_runs_with_its_templates_environment_resolved_locally(server: RunningEmulator,
                                                                          project: Path) -> None:
    answer = echo(server)
    assert answer["msg"] == "gen1"
    assert answer["env"] == {
        "ENV": "local",
        "REGION": "us-east-1",
        "GREETING": "hello from team-provider-info",
        "API_FNAPI_GRAPHQLAPIIDOUTPUT": "emulator",
        "API_FNAPI_GRAPHQLAPIENDPOINTOUTPUT": server.graphql_url,
        "API_FNAPI_GRAPHQLAPIKEYOUTPUT": API_KEY,
        "API_FNAPI_TODOTABLE_NAME": "Todo-emulator-local",
        "API_FNAPI_TODOTABLE_ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Todo-emulator-local",
        "ROLE_ARN": "arn:aws:iam::123456789012:role/LambdaExecutionRole",
        "FROM_SSM": None,  # another stack's output has no local value: left out, and said at start
        "DOTENV_VALUE": "from the function's .env",
        "AWS_LAMBDA_FUNCTION_NAME": "echofn",
        "_HANDLER": "index.handler",
        "LAMBDA_TASK_ROOT": str(project / "amplify/backend/function/echofn/src"),
    }
    assert 0 < answer["timeoutMs"] <= 7000  # the template's Timeout
    assert any("environment variable FROM_SSM left out" in line for line in server.output)


def test_the_python_trigger_gets_the_todo_tables_stream(server: RunningEmulator) -> None:
    created = server.graphql('mutation { createTodo(input: {name: "write tests"}) { id } }').json()
    todo_id = created["data"]["createTodo"]["id"]

    def audited() -> list[dict[str, Any]]:
        items = server.graphql("{ listAudits(limit: 1000) { items { todoId eventName name } } }").json()
        return [item for item in items["data"]["listAudits"]["items"] if item["todoId"] == todo_id]

    eventually(lambda: audited() == [{"todoId": todo_id, "eventName": "INSERT", "name": "write tests"}])
    assert any("todoaudit: received 1 records" in line for line in server.output)
    assert any("function todoaudit: the emulator's Python" in line and "no virtualenv found" in line
               for line in server.output)


def test_the_projects_lambda_authorizer_runs_as_a_function(server: RunningEmulator) -> None:
    answer = echo(server, token="gen1-allow")
    assert answer["identity"] == {"resolverContext": {"by": "fnapiAuthorizer", "env": "local"}}
    assert server.graphql('{ echo(msg: "x") }', token="not-allowed").status_code == 401


def test_a_layer_folder_is_not_a_function(server: RunningEmulator) -> None:
    assert not any("function sharedlayer" in line for line in server.output)
