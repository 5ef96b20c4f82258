"""A Gen 2 project as settings: which folder is the project, what is refused, the generated SDL, the
config file on top, the client config and the paths hot reload watches (no Node needed here)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from emulator.client_config import client_api, update_amplify_outputs
from emulator.gen2.merge import apply_gen2, gen2_project, gen2_root_for, refuse_unserved
from emulator.gen2.model import FunctionAccess, Gen2Function
from emulator.gen2.project import Gen2ProjectError
from emulator.reload import watched_paths
from emulator.settings import ConfigError, Settings, load_config
from tests.gen2_support import SDL, make_project


def test_the_project_folder_its_amplify_folder_or_the_resource_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "app").root
    for given in (root, root / "amplify", root / "amplify/data", root / "amplify/data/resource.ts"):
        assert gen2_root_for(given, schema_configured=False) == root
    (root / "src").mkdir()
    (root / "schema.graphql").write_text(SDL)
    assert gen2_root_for(root / "schema.graphql", schema_configured=False) is None
    assert gen2_root_for(tmp_path, schema_configured=False) is None
    monkeypatch.chdir(root / "src")  # from inside the project, no PATH
    assert gen2_root_for(None, schema_configured=False) == root
    assert gen2_root_for(None, schema_configured=True) is None


@pytest.mark.parametrize(
    "sdl,engines,message",
    [
        ("type Query { chat: String @conversation(aiModel: \"x\") }", ("dynamodb",), "@conversation is not served"),
        ("type Query { recipe: String @generation(aiModel: \"x\") }", ("dynamodb",), "@generation is not served"),
        ("type Query { q: String @sql(statement: \"SELECT 1\") }", ("dynamodb",), "@sql is not served"),
        (SDL, ("postgresql",), r"a.sql schemas \(postgresql\) are not served"),
    ],
)
def test_ai_routes_and_sql_are_refused_with_the_reason(tmp_path: Path, sdl: str, engines: tuple[str, ...], message: str) -> None:
    with pytest.raises(Gen2ProjectError, match=message):
        refuse_unserved(make_project(tmp_path, sdl=sdl, database_engines=engines))


def test_the_sdl_is_written_to_the_data_dir_and_only_rewritten_on_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "app")
    data_dir = tmp_path / "data"
    settings = apply_gen2(Settings(), project, data_dir)
    assert settings.schema == data_dir / "gen2/schema.graphql"
    assert settings.schema.read_text() == SDL + "\n" and settings.transformer == "v2"
    assert json.loads((data_dir / "gen2/model-introspection.json").read_text())["models"] == {"Todo": {"name": "Todo"}}
    before = settings.schema.stat().st_mtime_ns
    apply_gen2(Settings(), project, data_dir)
    assert settings.schema.stat().st_mtime_ns == before
    assert gen2_project(settings) == project
    assert (settings.auth.default, settings.auth.additional) == ("API_KEY", ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM"))
    generated = json.loads((data_dir / "auth/generated-credentials.json").read_text())["api_key"]
    assert [k.key for k in settings.auth.api_keys] == [generated]


def test_the_config_file_wins_key_by_key(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth]\ndefault = "AMAZON_COGNITO_USER_POOLS"\nadditional = ["API_KEY"]\n'
                      '[auth.api_key]\nkeys = ["da2-fromtheconfig"]\n')
    settings = apply_gen2(load_config(config), make_project(tmp_path / "app"), tmp_path / "data")
    assert (settings.auth.default, settings.auth.additional) == ("AMAZON_COGNITO_USER_POOLS", ("API_KEY",))
    assert [k.key for k in settings.auth.api_keys] == ["da2-fromtheconfig"]


def test_the_lambda_authorizer_is_the_projects_function_unless_the_config_names_one(tmp_path: Path) -> None:
    authorizer = Gen2Function("authorizer", tmp_path / "app/amplify/functions/authorizer/handler.ts", 3)
    modes = {"defaultAuthorizationMode": "userPool", "lambdaAuthorizationMode": {"function": "authorizer"}}
    project = make_project(tmp_path / "app", functions={"authorizer": authorizer}, authorization_modes=modes)
    assert apply_gen2(Settings(), project, tmp_path / "data").auth.lambda_.handler == "authorizer"  # run by its runner
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth.lambda]\nhandler = "authorizers:check"\n')
    assert apply_gen2(load_config(config), project, tmp_path / "data").auth.lambda_.handler == "authorizers:check"
    without = make_project(tmp_path / "other", functions={}, authorization_modes=modes)
    with pytest.raises(Gen2ProjectError, match=r"lambdaAuthorizationMode uses function 'authorizer', which the project "
                                               r"does not define; add \[auth.lambda\] handler"):
        apply_gen2(Settings(), without, tmp_path / "data")


def test_each_function_gets_its_own_key_pair_granting_its_schema_access(tmp_path: Path) -> None:
    functions = {name: Gen2Function(name, tmp_path / f"app/amplify/functions/{name}/handler.ts", 3)
                 for name in ("reporter", "other")}
    project = replace(make_project(tmp_path / "app", functions=functions),
                      function_access=(FunctionAccess("reporter", ("query", "listen")),))
    iam = apply_gen2(Settings(), project, tmp_path / "data").auth.iam
    reporter, other = iam.function_credentials
    assert (reporter.function, reporter.root_types) == ("reporter", ("Query", "Subscription"))
    assert (other.function, other.root_types) == ("other", ())
    assert reporter.role_arn == "arn:aws:iam::123456789012:role/amplify-reporter-lambda"
    assert reporter.access_key_id != other.access_key_id and reporter.access_key_id.startswith("AKIA")
    again = apply_gen2(Settings(), project, tmp_path / "data").auth.iam.function_credentials
    assert again == iam.function_credentials  # stable across restarts (derived from the data dir)
    assert set(iam.accepted_credentials) == set(iam.credentials) | {reporter, other}


def test_amplify_outputs_carry_the_served_model_introspection(tmp_path: Path) -> None:
    settings = apply_gen2(Settings(port=4000), make_project(tmp_path / "app"), tmp_path / "data")
    api = client_api(settings)
    assert api.name == "amplifyData"
    outputs = update_amplify_outputs({"auth": {"user_pool_id": "kept"}, "data": {"model_introspection": {"old": 1}}}, api)
    assert outputs["auth"] == {"user_pool_id": "kept"}
    assert outputs["data"]["model_introspection"] == {"version": 1, "models": {"Todo": {"name": "Todo"}}}
    assert outputs["data"]["url"] == "http://127.0.0.1:4000/graphql"
    assert outputs["data"]["default_authorization_type"] == "API_KEY"


def test_hot_reload_watches_the_amplify_folder_not_the_generated_schema(tmp_path: Path) -> None:
    settings = apply_gen2(Settings(), make_project(tmp_path / "app"), tmp_path / "data")
    assert watched_paths(settings) == [(tmp_path / "app/amplify").resolve()]


def test_the_loader_is_a_config_key(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[gen2]\nloader = "real"\n')
    assert load_config(config).gen2_loader == "real"
    assert Settings().gen2_loader == "fast"
    config.write_text('[gen2]\nloader = "quick"\n')
    with pytest.raises(ConfigError, match=r"key 'gen2.loader' must be one of fast, real"):
        load_config(config)
