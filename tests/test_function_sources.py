"""Finding the API's functions (``emulator.function_sources``): readers, start errors, the Lambda
authorizer as a function, and what every function shares."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from emulator.function_sources import (
    AUTHORIZER_FUNCTION,
    FunctionsError,
    authorizer_function,
    find_functions,
    function_environment,
)
from emulator.settings import IamCredential, LambdaSettings, Settings, load_config
from emulator.transform import transform
from tests.functions_support import FUNCTIONS
from tests.paths import ROOT

SCHEMA = 'type Post @model { id: ID! }\ntype Query { echo: String @function(name: "echo-${env}") }\n'


def config(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "appsync-emulator.toml"
    path.write_text(text)
    return replace(load_config(path), data_dir=tmp_path / "data")


def test_the_config_names_functions_for_any_project(tmp_path: Path) -> None:
    settings = config(tmp_path, f'[functions.echo]\nhandler = "{FUNCTIONS / "echo.mjs"}"\ntimeout = 9\n'
                                f'triggers = ["Post"]\nbatch_size = 5\nenvironment = {{ A = "1", B = true }}\n')
    catalog = find_functions(settings, transform(SCHEMA))
    echo = catalog.lookup("echo-local")
    assert (echo.export, echo.runtime, echo.timeout_seconds, dict(echo.environment)) == (
        "handler", "node", 9.0, {"A": "1", "B": "true"})
    assert [(t.model, t.batch_size) for t in echo.triggers] == [("Post", 5)]
    assert echo.origin.startswith("[functions.echo] in ")


def test_an_unknown_function_is_a_start_error_listing_what_was_found(tmp_path: Path) -> None:
    settings = config(tmp_path, f'[functions.other]\nhandler = "{FUNCTIONS / "echo.mjs"}:handler"\n')
    with pytest.raises(FunctionsError) as failed:
        find_functions(settings, transform(SCHEMA))
    assert str(failed.value) == (f'@function(name: "echo-${{env}}") on Query.echo: no function named \'echo-${{env}}\' '
                                 f"(looked in [functions] of {tmp_path / 'appsync-emulator.toml'}); "
                                 "functions found: other")


def test_a_trigger_on_a_model_the_schema_lacks_is_a_start_error(tmp_path: Path) -> None:
    settings = config(tmp_path, f'[functions.echo]\nhandler = "{FUNCTIONS / "echo.mjs"}"\ntriggers = ["Comment"]\n')
    with pytest.raises(FunctionsError, match="triggered by the table of model 'Comment', which the schema does not have"):
        find_functions(settings, transform(SCHEMA))


def test_the_config_replaces_a_project_function_of_the_same_name(tmp_path: Path) -> None:
    project = ROOT / "tests" / "fixtures" / "amplify-functions"
    settings = config(tmp_path, f'[functions.echofn]\nhandler = "{FUNCTIONS / "echo.mjs"}"\n')
    settings = replace(settings, extra={"amplify": {"api": "fnapi", "project_root": str(project)}})
    catalog = find_functions(settings, transform(SCHEMA.replace("echo-${env}", "echofn-${env}")
                                                 + "type Todo @model { id: ID! }\ntype Audit @model { id: ID! }\n"))
    assert catalog.lookup("echofn").handler_file == FUNCTIONS / "echo.mjs"
    assert catalog.lookup("todoaudit").runtime == "python"


def test_the_lambda_authorizer_may_be_a_handler_file_a_function_or_in_process(tmp_path: Path) -> None:
    api = transform("type Query { a: String }")
    lambda_mode = f'[auth]\ndefault = "AWS_LAMBDA"\n[functions.auth-fn]\nhandler = "{FUNCTIONS / "authorizer.py"}"\n'
    by_file = config(tmp_path, lambda_mode + f'[auth.lambda]\nhandler = "{FUNCTIONS / "authorizer.ts"}:handler"\n')
    spec = authorizer_function(by_file, find_functions(by_file, api))
    assert spec is not None and (spec.name, spec.handler_file.name) == (AUTHORIZER_FUNCTION, "authorizer.ts")
    by_name = config(tmp_path, lambda_mode + '[auth.lambda]\nhandler = "auth-fn"\n')
    assert authorizer_function(by_name, find_functions(by_name, api)).name == "auth-fn"  # type: ignore[union-attr]
    in_process = config(tmp_path, lambda_mode + '[auth.lambda]\nhandler = "authorizers:check"\n')
    assert authorizer_function(in_process, find_functions(in_process, api)) is None
    unknown = replace(by_name, auth=replace(by_name.auth, lambda_=LambdaSettings("nope", tmp_path)))
    with pytest.raises(FunctionsError, match="auth.lambda.handler 'nope': no function named 'nope'"):
        authorizer_function(unknown, find_functions(unknown, api))


def test_functions_get_the_first_configured_key_pair_else_the_generated_one(tmp_path: Path) -> None:
    api = transform(SCHEMA.replace('@function(name: "echo-${env}")', ""))
    settings = Settings(data_dir=tmp_path)
    generated = function_environment(settings, api)
    assert generated.credentials.access_key_id.startswith("AKIA")
    assert generated.tables == {"Post": "Post-emulator-local"} and generated.api_name == "emulator"
    configured = replace(settings, auth=replace(settings.auth, iam=replace(
        settings.auth.iam, credentials=(IamCredential("AKIDFIRST", "s1", "arn"), IamCredential("AKIDSECOND", "s2", "arn")))))
    assert function_environment(configured, api).credentials.access_key_id == "AKIDFIRST"
