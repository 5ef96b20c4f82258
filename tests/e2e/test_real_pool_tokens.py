"""Tokens from the user's real Cognito pool, over HTTP: keys fetched from the pool's JWKS URL at start.

The pool is a stand-in (tests/cognito_pool.py): an RSA key signing Cognito-shaped tokens and its
JWKS served by a local HTTP server, so nothing here reaches the internet. The emulator is pointed
at it with ``[auth.user_pools] jwks_url``, directly or on top of a Gen1 project whose
``amplify-meta.json`` names the pool.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.cognito_pool import FakePool, JwksServer, serve_pool
from tests.paths import ROOT

SCHEMA = """type Note @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  content: String!
}
"""
CREATE = 'mutation { createNote(input: {content: "from my real pool"}) { content owner } }'
V2_PROJECT = ROOT / "tests" / "fixtures" / "amplify-v2-multiauth"


@pytest.fixture(scope="module")
def pool() -> FakePool:
    return FakePool()


@pytest.fixture
def jwks(pool: FakePool) -> Iterator[JwksServer]:
    server = serve_pool(pool)
    yield server
    server.stop()


def config(pool: FakePool, jwks_url: str) -> str:
    return '[auth]\ndefault = "AMAZON_COGNITO_USER_POOLS"\n' + pool.config(jwks_url)


def start(tmp_path: Path, pool: FakePool, jwks_url: str, data_dir: Path) -> RunningEmulator:
    schema = tmp_path / "schema.graphql"
    schema.write_text(SCHEMA)
    return start_emulator(schema, config(pool, jwks_url), data_dir=data_dir)


def created(server: RunningEmulator, token: str) -> dict:
    answer = server.graphql(CREATE, token=token)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_real_pool_tokens_are_accepted_and_keep_working_offline(
    tmp_path: Path, pool: FakePool, jwks: JwksServer
) -> None:
    data_dir = tmp_path / "data"
    url = jwks.url(pool.jwks_path)
    server = start(tmp_path, pool, url, data_dir)
    try:
        assert jwks.requests == [pool.jwks_path]
        assert created(server, pool.token("alice")) == {"data": {"createNote": {"content": "from my real pool", "owner": "alice"}}}
        access = created(server, pool.token("bob", token_use="access"))  # what Amplify v6 sends
        assert access["data"]["createNote"]["owner"] == "bob"
        assert created(server, server.token("carol"))["data"]["createNote"]["owner"] == "carol"  # ours still work

        impostor = FakePool(pool.user_pool_id, pool.app_client_id, pool.region, kid=pool.kid)  # same kid, other key
        refused = server.graphql(CREATE, token=impostor.token("mallory"))
        assert refused.status_code == 401 and refused.json()["errors"][0]["errorType"] == "UnauthorizedException"
    finally:
        server.stop()

    jwks.stop()  # offline from now on: the copy cached in the data dir is used
    again = start(tmp_path, pool, url, data_dir)
    try:
        assert created(again, pool.token("dave"))["data"]["createNote"]["owner"] == "dave"
        assert any("using the copy fetched at" in line for line in again.output), again.output
    finally:
        again.stop()


def test_a_pool_whose_keys_cannot_be_fetched_starts_with_a_warning(tmp_path: Path, pool: FakePool) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}{pool.jwks_path}"  # nothing listens there
    server = start(tmp_path, pool, url, tmp_path / "data")
    try:
        warning = [line for line in server.output if "could not fetch the user pool's keys" in line]
        assert warning and url in warning[0] and "WARNING" in warning[0], server.output
        refused = server.graphql(CREATE, token=pool.token("erin"))
        assert refused.status_code == 401
        assert created(server, server.token("frank"))["data"]["createNote"]["owner"] == "frank"
    finally:
        server.stop()


def test_a_gen1_project_names_its_pool_in_amplify_meta(tmp_path: Path, pool: FakePool, jwks: JwksServer) -> None:
    project = tmp_path / "app"
    shutil.copytree(V2_PROJECT, project)
    meta = {
        "providers": {"awscloudformation": {"Region": pool.region}},
        "auth": {"app1234": {"service": "Cognito", "output": {
            "UserPoolId": pool.user_pool_id, "AppClientIDWeb": pool.app_client_id, "AppClientID": "nativeclient"}}},
    }
    (project / "amplify/backend/amplify-meta.json").write_text(json.dumps(meta))
    # Only the URL is configured: pool id, app client and region come from the project.
    url_only = f'[auth.user_pools]\njwks_url = "{jwks.url(pool.jwks_path)}"\n'
    server = start_emulator(project, url_only, data_dir=tmp_path / "data")
    try:
        answer = server.graphql('mutation { createPost(input: {title: "Mine"}) { title owner } }', token=pool.token("gina"))
        assert answer.json() == {"data": {"createPost": {"title": "Mine", "owner": "gina"}}}
    finally:
        server.stop()
