"""Config file loading: values land in Settings; mistakes name the file, the key and the expectation."""

from pathlib import Path

import pytest

from emulator.function_config import FunctionSettings
from emulator.settings import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "appsync-emulator.toml"
    path.write_text(text)
    return path


def test_full_config_is_read(tmp_path: Path) -> None:
    (tmp_path / "schema.graphql").write_text("type Post @model { id: ID! }")
    (tmp_path / "authorizers.py").write_text("def check(event):\n    return {'isAuthorized': True}\n")
    settings = load_config(
        write(
            tmp_path,
            """
schema = "schema.graphql"
api_id = "abc"
env = "dev"
transformer = "v1"
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
additional = ["API_KEY", "AWS_IAM", "AWS_LAMBDA"]
[auth.api_key]
keys = ["da2-one", { key = "da2-old", expires = "2020-01-01T00:00:00Z" }]
[auth.user_pools]
user_pool_id = "eu-west-1_Pool"
region = "eu-west-1"
[auth.iam]
admin_role_names = ["admin"]
[[auth.iam.credentials]]
access_key_id = "AKID"
secret_access_key = "secret"
role_arn = "arn:aws:iam::123456789012:role/r"
[auth.lambda]
handler = "authorizers:check"
[dynamodb]
region = "eu-west-1"
""",
        )
    )
    assert settings.schema == (tmp_path / "schema.graphql").resolve()
    assert settings.table_name("Post") == "Post-abc-dev"
    assert settings.transformer == "v1"
    assert settings.auth.modes == ("AMAZON_COGNITO_USER_POOLS", "API_KEY", "AWS_IAM", "AWS_LAMBDA")
    assert [k.key for k in settings.auth.api_keys] == ["da2-one", "da2-old"]
    assert settings.auth.api_keys[1].expires is not None and settings.auth.api_keys[1].expires.year == 2020
    assert settings.auth.user_pools.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool"
    assert settings.auth.iam.credentials[0].access_key_id == "AKID"
    assert settings.auth.iam.admin_role_names == ("admin",)
    assert settings.auth.lambda_.search_path == tmp_path.resolve()
    assert settings.dynamodb_region == "eu-west-1"


def test_auth_without_additional_means_none(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, '[auth]\ndefault = "API_KEY"\n'))
    assert settings.auth.modes == ("API_KEY",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('shema = "x"', "unknown key 'shema'"),
        ('api_id = 5', "key 'api_id' must be a string, got 5"),
        ('transformer = "v3"', "key 'transformer' must be one of v1, v2"),
        ('schema = "missing.graphql"', "key 'schema' names 'missing.graphql'"),
        ('[auth]\ndefault = "PASSWORD"', "key 'auth.default' must be one of"),
        ('[auth]\nadditional = ["NOPE"]', "'auth.additional' has 'NOPE'"),
        ('[auth.api_key]\nkeys = [5]', "key 'auth.api_key.keys'"),
        ('[auth.api_key]\nkeys = [{ key = "k", expires = "soon" }]', "must be an ISO 8601 date-time"),
        ('[auth.iam]\nregoin = "x"', "unknown key 'auth.iam.regoin'"),
        ('[[auth.iam.credentials]]\naccess_key_id = "A"', "access_key_id and secret_access_key are required"),
        ('[auth]\ndefault = "AWS_LAMBDA"', "key 'auth.lambda.handler' is required: a Python 'module:function'"),
        ('[functions.echo]\nhandler = "missing.mjs:handler"', "key 'functions.echo.handler' names 'missing.mjs'"),
        ('[functions.echo]\ntimeout = 3', "key 'functions.echo.handler' is required"),
        ('[functions.echo]\nhandlr = "x.mjs"', "unknown key 'functions.echo.handlr'"),
        ('functions = 3', "key 'functions' must hold one table per function"),
        ("this is = = not toml", "not valid TOML"),
        ('[dynamodb]\nendpoint = "localhost:8000"', "'dynamodb.endpoint' must be an http:// or https:// URL"),
    ],
)
def test_config_mistakes_are_named(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_a_folder_as_config_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_a_functions_table_describes_a_function(tmp_path: Path) -> None:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "resize.py").write_text("def main(event, context):\n    return 1\n")
    settings = load_config(write(tmp_path, '[functions.resize]\nhandler = "fn/resize.py:main"\ntimeout = 12.5\n'
                                           'python = "/opt/venv/bin/python"\nmax_instances = 2\n'
                                           'environment = { BUCKET = "b", RETRIES = 3 }\ntriggers = ["Photo"]\n'))
    [function] = settings.functions
    assert function == FunctionSettings(name="resize", handler_file=(tmp_path / "fn" / "resize.py").resolve(),
                                        export="main", timeout_seconds=12.5, environment={"BUCKET": "b", "RETRIES": "3"},
                                        python="/opt/venv/bin/python", max_instances=2, triggers=("Photo",))
