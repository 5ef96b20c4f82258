"""Amplify Gen1 project detection: schema, auth modes, transformer flags, admin roles, merging."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from emulator.amplify.files import AmplifyProjectError
from emulator.amplify.merge import apply_project
from emulator.amplify.project import find_project_root, graphql_api_names, load_amplify_api
from emulator.datastore_settings import ConflictSettings
from emulator.settings import Settings, load_config

FIXTURES = Path(__file__).parent / "fixtures"
V2 = FIXTURES / "amplify-v2-multiauth"
V1 = FIXTURES / "amplify-v1-legacy"
TWO = FIXTURES / "amplify-two-apis"


def test_v2_project_reads_schema_modes_flags_and_admin_roles() -> None:
    api = load_amplify_api(V2)
    assert api.name == "blogapi"
    assert api.schema == V2 / "amplify/backend/api/blogapi/schema.graphql"
    assert api.transformer == "v2"
    assert api.auth.default == "AMAZON_COGNITO_USER_POOLS"
    assert api.auth.additional == ("API_KEY", "AWS_IAM", "OPENID_CONNECT")
    assert api.auth.oidc.issuer == "https://example.auth0.test/"
    assert api.auth.oidc.client_id == "oidc-blog-client"
    assert api.auth.oidc.auth_ttl_seconds == 3600  # Amplify writes milliseconds
    assert api.auth.iam.admin_role_names == ("blog-backend-lambda-role", "amplify-d1example-dev-authRole")
    assert api.feature_flags["improvepluralization"] is False
    assert api.warnings == ()


def test_legacy_project_uses_backend_config_and_schema_folder() -> None:
    api = load_amplify_api(V1)
    assert api.schema == V1 / "amplify/backend/api/notesapi/schema"
    assert api.transformer == "v1"
    assert api.auth.default == "API_KEY"
    assert api.auth.additional == ("AMAZON_COGNITO_USER_POOLS",)
    assert api.datastore.project == ConflictSettings("AUTOMERGE")  # transform.conf.json ResolverConfig
    assert api.warnings == ()


def test_api_folder_itself_is_accepted() -> None:
    api = load_amplify_api(V2 / "amplify/backend/api/blogapi")
    assert api.project_root == V2.resolve()
    assert api.name == "blogapi"


def test_deeper_paths_stay_plain_schema_paths() -> None:
    assert find_project_root(V1 / "amplify/backend/api/notesapi/schema") is None
    assert find_project_root(V2 / "amplify/backend/api/blogapi/schema.graphql") is None
    assert find_project_root(FIXTURES) is None


def test_several_apis_need_a_choice() -> None:
    assert graphql_api_names(TWO) == ["adminapi", "shopapi"]  # the REST API is not listed
    with pytest.raises(AmplifyProjectError, match=r"2 GraphQL APIs \(adminapi, shopapi\); choose one with --api NAME"):
        load_amplify_api(TWO)
    assert load_amplify_api(TWO, "shopapi").auth.modes == ("API_KEY",)
    with pytest.raises(AmplifyProjectError, match="no GraphQL API named 'restapi'"):
        load_amplify_api(TWO, "restapi")


def test_lambda_mode_runs_the_project_authorizer_function_unless_the_config_names_one(tmp_path: Path) -> None:
    api = load_amplify_api(TWO, "adminapi")
    assert api.auth.modes == ("AWS_IAM", "AWS_LAMBDA")
    assert apply_project(Settings(), api).auth.lambda_.handler == "adminapiAuthorizer"  # the project's function
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth.lambda]\nhandler = "authorizers:check"\n')
    settings = apply_project(load_config(config), api)
    assert settings.auth.modes == ("AWS_IAM", "AWS_LAMBDA")  # modes still from the project
    assert settings.auth.lambda_.handler == "authorizers:check"
    assert settings.auth.lambda_.search_path == tmp_path.resolve()


def test_config_file_overrides_key_by_key(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text(
        'transformer = "v2"\n'
        '[auth.api_key]\nkeys = ["da2-fromconfig"]\n'
        '[auth.oidc]\nclient_id = "other-client"\n'
        '[auth.iam]\nregion = "eu-west-1"\n'
    )
    settings = apply_project(load_config(config), load_amplify_api(V1))
    assert settings.transformer == "v2"
    assert settings.auth.default == "API_KEY"
    assert [k.key for k in settings.auth.api_keys] == ["da2-fromconfig"]
    assert settings.auth.oidc.client_id == "other-client"
    assert settings.auth.iam.region == "eu-west-1"
    assert settings.extra["amplify"]["api"] == "notesapi"


def test_config_naming_the_default_mode_owns_the_mode_list(tmp_path: Path) -> None:
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[auth]\ndefault = "API_KEY"\n')
    settings = apply_project(load_config(config), load_amplify_api(V2))
    assert settings.auth.modes == ("API_KEY",)
    assert settings.auth.oidc.issuer == "https://example.auth0.test/"  # untouched keys still from the project


def test_broken_files_name_the_file(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(V2, project)
    (project / "amplify/backend/api/blogapi/cli-inputs.json").write_text("{not json")
    with pytest.raises(AmplifyProjectError, match="cli-inputs.json: not valid JSON"):
        load_amplify_api(project)
    inputs = {"version": 1, "serviceConfiguration": {"defaultAuthType": {"mode": "MAGIC"}}}
    (project / "amplify/backend/api/blogapi/cli-inputs.json").write_text(json.dumps(inputs))
    with pytest.raises(AmplifyProjectError, match="unknown auth mode 'MAGIC'"):
        load_amplify_api(project)


def test_custom_transformers_are_reported(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(V2, project)
    api_dir = project / "amplify/backend/api/blogapi"
    (api_dir / "transform.conf.json").write_text(json.dumps({"Version": 5, "transformers": ["my-transformer"]}))
    warnings = load_amplify_api(project).warnings
    assert any("my-transformer" in w for w in warnings)


def test_no_cli_json_leaves_the_version_to_detection(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(V2, project)
    (project / "amplify/cli.json").unlink()
    assert load_amplify_api(project).transformer is None


def test_cli_serves_a_project_root_and_chooses_with_api(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from emulator.cli import build_parser, main, resolve_settings

    monkeypatch.chdir(FIXTURES)  # no appsync-emulator.toml here
    settings = resolve_settings(build_parser().parse_args(["serve", str(TWO), "--api", "shopapi", "--port", "4000"]))
    assert settings.schema == TWO / "amplify/backend/api/shopapi/schema.graphql"
    assert settings.port == 4000
    assert settings.auth.modes == ("API_KEY",)
    assert main(["serve", str(TWO)]) == 2
    assert "choose one with --api NAME" in capsys.readouterr().err
    assert main(["serve", str(V2 / "amplify/backend/api/blogapi/schema.graphql"), "--api", "blogapi"]) == 2
    assert "--api blogapi" in capsys.readouterr().err


def test_cli_uses_the_current_folder_when_it_is_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    from emulator.cli import build_parser, resolve_settings

    monkeypatch.chdir(V1)
    settings = resolve_settings(build_parser().parse_args(["serve"]))
    assert settings.schema == V1 / "amplify/backend/api/notesapi/schema"
    assert settings.transformer == "v1"
    token_settings = resolve_settings(build_parser().parse_args(["token", "--username", "u"]))
    assert token_settings.auth.modes == ("API_KEY", "AMAZON_COGNITO_USER_POOLS")


def test_plain_schema_paths_are_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from emulator.cli import build_parser, resolve_settings

    monkeypatch.chdir(FIXTURES)
    folder = V1 / "amplify/backend/api/notesapi/schema"
    assert resolve_settings(build_parser().parse_args(["serve", str(folder)])).schema == folder
