"""A Gen 2 project's ``defineFunction``s as the runners get them: handler, aliases, environment
(``$amplify/env`` shim, secrets, the data client's variables) and each function's own key pair."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from emulator.apimodel import ApiModel
from emulator.function_sources import find_functions, function_environment
from emulator.gen2.functions import ENV_SHIM_DIR, data_environment, gen2_functions, screaming_snake
from emulator.gen2.introspection import INTROSPECTION_BUCKET, INTROSPECTION_KEY
from emulator.gen2.merge import apply_gen2
from emulator.gen2.model import FunctionAccess, Gen2Function
from emulator.gen2.secrets import SECRETS_FILE
from emulator.resolvers.functions.environment import BASE_URL_TOKEN, GRAPHQL_ENDPOINT_TOKEN
from emulator.settings import Settings, load_config
from emulator.transform import transform
from tests.gen2_support import make_project

SDL = """
type Todo @model @auth(rules: [{allow: public, provider: apiKey}]) { content: String }
type Query {
  echo(content: String): String @function(name: "FnEcho") @auth(rules: [{allow: public, provider: apiKey}])
  echoLater(content: String): String @function(name: "FnEchoLater") @auth(rules: [{allow: public, provider: apiKey}])
}
"""


def served(tmp_path: Path, config: str = "") -> tuple[Settings, ApiModel]:
    root = tmp_path / "app"
    handlers = {}
    for name in ("echo", "reporter"):
        entry = root / f"amplify/functions/{name}/handler.ts"
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text("export const handler = async () => 'ok';\n")
        handlers[name] = entry
    functions = {
        "echo": Gen2Function("echo", handlers["echo"], 10, environment={"GREETING": "hello"},
                             secrets={"API_TOKEN": "API_TOKEN", "SIGNING_KEY": "SIGNING_KEY"}),
        "reporter": Gen2Function("reporter", handlers["reporter"], None),
        "legacy": Gen2Function("legacy", None, None, provided=True),
    }
    project = replace(make_project(root, sdl=SDL), functions=functions,
                      lambda_functions={"FnEcho": "echo", "FnEchoLater": "echo"},
                      function_access=(FunctionAccess("reporter", ("query", "mutate")),))
    (root / SECRETS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / SECRETS_FILE).write_text("API_TOKEN=from-file\n")
    path = tmp_path / "appsync-emulator.toml"
    path.write_text(config)
    settings = apply_gen2(load_config(path), project, tmp_path / "data")
    return settings, transform(SDL)


def test_each_function_runs_its_entry_and_answers_to_its_handler_names(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    settings, api = served(tmp_path)
    with caplog.at_level(logging.WARNING, logger="emulator.gen2"):
        specs = {spec.name: spec for spec in gen2_functions(settings, api)}
    assert set(specs) == {"echo", "reporter"}  # defineFunction((scope) => ...) cannot run from the project
    assert "function legacy: defineFunction((scope) => ...) builds its own CDK function" in caplog.text
    echo = specs["echo"]
    assert (echo.handler_file.name, echo.export, echo.runtime, echo.timeout_seconds) == ("handler.ts", "handler", "node", 10.0)
    assert echo.task_root == echo.handler_file.parent and echo.aliases == ("FnEcho", "FnEchoLater")
    assert specs["reporter"].timeout_seconds == 3.0 and specs["reporter"].runtime_name == "nodejs22.x"
    catalog = find_functions(settings, api)  # every @function of the SDL names one of them
    assert catalog.lookup("FnEchoLater") is catalog.lookup("echo") is catalog.get("FnEcho")


def test_the_env_shim_is_written_once_and_ampx_own_file_is_kept(tmp_path: Path) -> None:
    settings, api = served(tmp_path)
    gen2_functions(settings, api)
    root = tmp_path / "app"
    shim = root / ENV_SHIM_DIR / "echo.ts"
    assert shim.read_text().splitlines()[-1] == "export const env = process.env as any;"
    typed = "export const env = process.env as unknown as LambdaProvidedEnvVars & AmplifyBackendEnvVars;\n"
    shim.write_text(typed)
    gen2_functions(settings, api)
    assert shim.read_text() == typed


def test_environment_secrets_and_the_data_clients_variables(tmp_path: Path) -> None:
    settings, api = served(tmp_path, '[gen2.secrets]\nSIGNING_KEY = "from-config"\n')
    specs = {spec.name: spec for spec in gen2_functions(settings, api)}
    assert specs["echo"].environment == {"GREETING": "hello", "API_TOKEN": "from-file", "SIGNING_KEY": "from-config"}
    assert specs["reporter"].environment == {
        "AMPLIFY_DATA_GRAPHQL_ENDPOINT": GRAPHQL_ENDPOINT_TOKEN,
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME": INTROSPECTION_BUCKET,
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY": INTROSPECTION_KEY,
        "AMPLIFY_DATA_DEFAULT_NAME": "amplifyData",
        "AWS_ENDPOINT_URL_S3": BASE_URL_TOKEN,
    }
    variables = function_environment(settings, api).variables(specs["reporter"], "http://127.0.0.1:4000")
    assert variables["AMPLIFY_DATA_GRAPHQL_ENDPOINT"] == "http://127.0.0.1:4000/graphql"
    assert variables["AWS_ENDPOINT_URL_S3"] == "http://127.0.0.1:4000"


def test_each_function_signs_with_its_own_key_pair(tmp_path: Path) -> None:
    settings, api = served(tmp_path)
    environment = function_environment(settings, api)
    keys = {spec.name: environment.variables(spec, "http://x")["AWS_ACCESS_KEY_ID"] for spec in gen2_functions(settings, api)}
    credentials = {c.function: c for c in settings.auth.iam.function_credentials}
    assert keys == {"echo": credentials["echo"].access_key_id, "reporter": credentials["reporter"].access_key_id}
    assert credentials["reporter"].root_types == ("Query", "Mutation") and credentials["echo"].root_types == ()


@pytest.mark.parametrize(("name", "expected"), [
    ("amplifyData", "AMPLIFY_DATA"), ("amplifyDatamyApi", "AMPLIFY_DATAMY_API"), ("myAPIName", "MY_API_NAME"),
    ("chat-api", "CHAT_API"), ("api2Data", "API_2_DATA"),
])
def test_data_names_as_amplify_writes_them(name: str, expected: str) -> None:
    assert screaming_snake(name) == expected


def test_a_named_data_api_keeps_amplifys_older_endpoint_name_too() -> None:
    variables = data_environment("notesApi")
    assert variables["AMPLIFY_DATA_DEFAULT_NAME"] == "amplifyDatanotesApi"
    assert variables["AMPLIFY_DATANOTES_API_GRAPHQL_ENDPOINT"] == variables["NOTES_API_GRAPHQL_ENDPOINT"]
