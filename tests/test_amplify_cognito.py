"""A Gen1 project's Cognito user pool (pool id, web client id, region), from the files the CLI writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from emulator.amplify.files import AmplifyProjectError
from emulator.amplify.merge import apply_project
from emulator.amplify.project import load_amplify_api
from emulator.client_config import render_aws_exports
from emulator.settings import UserPoolSettings, load_config

V2 = Path(__file__).parent / "fixtures" / "amplify-v2-multiauth"

# The shape `amplify push` writes to amplify/backend/amplify-meta.json (ids made up).
AMPLIFY_META = {
    "providers": {"awscloudformation": {"Region": "eu-west-1", "StackName": "amplify-blog-dev-12345"}},
    "auth": {
        "userPoolGroups": {"service": "Cognito-UserPool-Groups", "providerPlugin": "awscloudformation"},
        "blog1a2b3c4d": {
            "service": "Cognito",
            "providerPlugin": "awscloudformation",
            "output": {
                "UserPoolId": "eu-west-1_MetaPool1",
                "AppClientIDWeb": "metawebclient000000000000",
                "AppClientID": "metanativeclient000000000",
                "IdentityPoolId": "eu-west-1:00000000-0000-0000-0000-000000000000",
            },
        },
    },
}
AWS_EXPORTS = {
    "aws_project_region": "ap-southeast-2",
    "aws_cognito_region": "ap-southeast-2",
    "aws_user_pools_id": "ap-southeast-2_ExportsPl",
    "aws_user_pools_web_client_id": "exportswebclient000000000",
}
NATIVE_CONFIGURATION = {
    "auth": {"plugins": {"awsCognitoAuthPlugin": {"CognitoUserPool": {"Default": {
        "PoolId": "us-west-2_NativePool", "AppClientId": "nativeclient0000000000000", "Region": "us-west-2"}}}}},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(V2, root)
    return root


def user_pool(root: Path) -> UserPoolSettings:
    return load_amplify_api(root).auth.user_pools


def test_without_a_pool_the_emulators_own_stays(project: Path) -> None:
    assert user_pool(project) == UserPoolSettings()
    assert load_amplify_api(project).user_pool_source is None


def test_amplify_meta_gives_the_pool_web_client_and_region(project: Path) -> None:
    (project / "amplify/backend/amplify-meta.json").write_text(json.dumps(AMPLIFY_META))
    (project / "src").mkdir()
    (project / "src/aws-exports.js").write_text(render_aws_exports(AWS_EXPORTS))  # amplify-meta.json wins
    pool = user_pool(project)
    assert (pool.user_pool_id, pool.app_client_id, pool.region) == ("eu-west-1_MetaPool1", "metawebclient000000000000", "eu-west-1")
    assert pool.fetched_jwks_url == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_MetaPool1/.well-known/jwks.json"
    assert load_amplify_api(project).user_pool_source == project / "amplify/backend/amplify-meta.json"


def test_aws_exports_in_the_source_folder_of_project_config(project: Path) -> None:
    (project / "amplify/.config/project-config.json").write_text(
        json.dumps({"frontend": "javascript", "javascript": {"config": {"SourceDir": "web/src"}}})
    )
    (project / "web/src").mkdir(parents=True)
    (project / "web/src/aws-exports.js").write_text(render_aws_exports(AWS_EXPORTS))
    pool = user_pool(project)
    assert (pool.user_pool_id, pool.app_client_id, pool.region) == (
        "ap-southeast-2_ExportsPl", "exportswebclient000000000", "ap-southeast-2")


def test_native_amplifyconfiguration_json(project: Path) -> None:
    (project / "amplifyconfiguration.json").write_text(json.dumps(NATIVE_CONFIGURATION))
    pool = user_pool(project)
    assert (pool.user_pool_id, pool.app_client_id, pool.region) == ("us-west-2_NativePool", "nativeclient0000000000000", "us-west-2")


def test_the_config_file_still_wins_key_by_key(project: Path) -> None:
    (project / "amplify/backend/amplify-meta.json").write_text(json.dumps(AMPLIFY_META))
    config = project / "appsync-emulator.toml"
    config.write_text('[auth.user_pools]\njwks_url = "http://127.0.0.1:9/jwks.json"\napp_client_id = "other"\n')
    pool = apply_project(load_config(config), load_amplify_api(project)).auth.user_pools
    assert (pool.user_pool_id, pool.app_client_id, pool.jwks_url) == ("eu-west-1_MetaPool1", "other", "http://127.0.0.1:9/jwks.json")


@pytest.mark.parametrize(
    ("relative", "text", "message"),
    [
        ("amplify/backend/amplify-meta.json", "{not json", "amplify-meta.json"),
        ("src/aws-exports.js", "module.exports = load();", "aws-exports.js"),
    ],
)
def test_an_unreadable_file_is_named(project: Path, relative: str, text: str, message: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    with pytest.raises(AmplifyProjectError, match=message):
        load_amplify_api(project)


def test_odd_shapes_are_ignored_not_crashed_on(project: Path) -> None:
    (project / "amplify/backend/amplify-meta.json").write_text(
        json.dumps({"providers": [], "auth": {"x": "y", "z": {"service": "Cognito", "output": []}}})
    )
    assert user_pool(project) == UserPoolSettings()
