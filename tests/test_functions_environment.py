"""A function's environment: Lambda's variables, Amplify's API outputs, this emulator's endpoints
and key pair, the function's own variables, and never the developer's AWS settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.resolvers.functions import FunctionCredentials, FunctionEnvironment, FunctionSpec
from emulator.resolvers.functions.environment import BASE_URL_TOKEN, GRAPHQL_ENDPOINT_TOKEN

ENVIRONMENT = FunctionEnvironment(
    api_name="my-api", api_id="abc123", env="dev", region="eu-west-1",
    credentials=FunctionCredentials("AKIDEMULATOR", "emulator-secret"), api_key="da2-key",
    tables={"Post": "Post-abc123-dev"},
)


def spec(**options: object) -> FunctionSpec:
    values: dict[str, object] = {"name": "fn", "handler_file": Path("/code/src/index.js"), "export": "handler",
                                 "runtime": "node", "origin": "test", "task_root": Path("/code/src"),
                                 "runtime_name": "nodejs20.x", **options}
    return FunctionSpec(**values)  # type: ignore[arg-type]


def test_the_contracts_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIADEVELOPER")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "developer-session")
    monkeypatch.setenv("AWS_PROFILE", "developer")
    monkeypatch.setenv("HOME_FOLDER_THING", "kept")
    variables = ENVIRONMENT.variables(spec(), "http://127.0.0.1:4000")
    assert {k: variables[k] for k in (
        "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "ENV", "REGION", "API_MYAPI_GRAPHQLAPIENDPOINTOUTPUT",
        "API_MYAPI_GRAPHQLAPIIDOUTPUT", "API_MYAPI_GRAPHQLAPIKEYOUTPUT", "API_MYAPI_POSTTABLE_NAME",
        "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "_HANDLER", "LAMBDA_TASK_ROOT",
        "AWS_EXECUTION_ENV", "TZ")} == {
        "AWS_REGION": "eu-west-1", "AWS_LAMBDA_FUNCTION_NAME": "fn", "ENV": "dev", "REGION": "eu-west-1",
        "API_MYAPI_GRAPHQLAPIENDPOINTOUTPUT": "http://127.0.0.1:4000/graphql", "API_MYAPI_GRAPHQLAPIIDOUTPUT": "abc123",
        "API_MYAPI_GRAPHQLAPIKEYOUTPUT": "da2-key", "API_MYAPI_POSTTABLE_NAME": "Post-abc123-dev",
        "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:4000", "AWS_ACCESS_KEY_ID": "AKIDEMULATOR",
        "AWS_SECRET_ACCESS_KEY": "emulator-secret", "_HANDLER": "index.handler", "LAMBDA_TASK_ROOT": "/code/src",
        "AWS_EXECUTION_ENV": "AWS_Lambda_nodejs20.x", "TZ": "UTC",
    }
    assert "AWS_PROFILE" not in variables and "AWS_SESSION_TOKEN" not in variables
    assert variables["AWS_SHARED_CREDENTIALS_FILE"] == variables["AWS_CONFIG_FILE"] != ""
    assert variables["HOME_FOLDER_THING"] == "kept"


def test_the_functions_own_variables_win_except_lambdas_reserved_ones() -> None:
    own = {"ENV": "mine", "AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:8000", "AWS_REGION": "us-west-2",
           "AWS_ACCESS_KEY_ID": "AKIAREAL", "URL": f"{GRAPHQL_ENDPOINT_TOKEN}?x", "BASE": BASE_URL_TOKEN}
    variables = ENVIRONMENT.variables(spec(environment=own), "http://h:1")
    assert variables["ENV"] == "mine" and variables["AWS_ENDPOINT_URL_DYNAMODB"] == "http://localhost:8000"
    assert variables["AWS_REGION"] == "eu-west-1" and variables["AWS_ACCESS_KEY_ID"] == "AKIDEMULATOR"
    assert (variables["URL"], variables["BASE"]) == ("http://h:1/graphql?x", "http://h:1")


def test_an_external_engine_and_a_session_token() -> None:
    environment = FunctionEnvironment("a", "a", "e", "us-east-1", FunctionCredentials("K", "S", "T"),
                                      dynamodb_endpoint="http://dynamodb-local:8000")
    variables = environment.variables(spec(), "http://h:1")
    assert variables["AWS_ENDPOINT_URL_DYNAMODB"] == "http://dynamodb-local:8000"
    assert variables["AWS_SESSION_TOKEN"] == "T" and "API_A_GRAPHQLAPIKEYOUTPUT" not in variables
