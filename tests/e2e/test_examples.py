"""The runnable examples under examples/ do what their READMEs say, over the real wire."""

from __future__ import annotations

import json

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.testing import RunningEmulator
from tests.paths import ROOT

USER_OWNER = ROOT / "examples" / "user-owner"
API_KEY = "da2-userownerexamplekey0000000"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    config = (USER_OWNER / "appsync-emulator.toml").read_text().replace(
        'schema = "schema.graphql"', f'schema = "{(USER_OWNER / "schema.graphql").as_posix()}"'
    )
    return emulator_server(USER_OWNER / "schema.graphql", config, data_dir=tmp_path_factory.mktemp("user-owner"))


def iam_post(server: RunningEmulator, query: str, variables: dict) -> httpx.Response:
    body = json.dumps({"query": query, "variables": variables})
    request = AWSRequest(method="POST", url=server.graphql_url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDUSEROWNERBACKEND", "user-owner-backend-secret"), "appsync", "us-east-1").add_auth(request)
    return httpx.post(server.graphql_url, content=body, headers=dict(request.headers))


def test_owner_full_access_others_read_only_iam_writes_api_key_denied(server: RunningEmulator) -> None:
    alice, bob = server.token("alice"), server.token("bob")
    created = server.graphql('mutation { createUser(input: {id: "u1", name: "Alice"}) { id name owner } }', token=alice)
    assert created.json() == {"data": {"createUser": {"id": "u1", "name": "Alice", "owner": "alice"}}}

    read = server.graphql('{ getUser(id: "u1") { id name } }', token=bob).json()
    assert read == {"data": {"getUser": {"id": "u1", "name": "Alice"}}}

    denied = server.graphql('mutation { updateUser(input: {id: "u1", name: "Bob"}) { id } }', token=bob).json()
    assert denied["data"] == {"updateUser": None}
    assert denied["errors"][0]["message"] == "Not Authorized to access updateUser on type Mutation"

    owner_update = server.graphql('mutation { updateUser(input: {id: "u1", name: "Al"}) { name } }', token=alice).json()
    assert owner_update == {"data": {"updateUser": {"name": "Al"}}}

    by_iam = iam_post(server, "mutation($i: CreateUserInput!) { createUser(input: $i) { id name } }",
                      {"i": {"id": "u2", "name": "From backend"}})
    assert by_iam.status_code == 200 and by_iam.json() == {"data": {"createUser": {"id": "u2", "name": "From backend"}}}
    iam_update = iam_post(server, 'mutation { updateUser(input: {id: "u1", name: "Renamed"}) { name } }', {})
    assert iam_update.json() == {"data": {"updateUser": {"name": "Renamed"}}}
    iam_delete = iam_post(server, 'mutation { deleteUser(input: {id: "u1"}) { id } }', {}).json()
    assert iam_delete["data"] == {"deleteUser": None} and iam_delete["errors"][0]["errorType"] == "Unauthorized"

    by_key = server.graphql("{ listUsers { items { id } } }", api_key=API_KEY).json()
    assert by_key["data"] == {"listUsers": None}
    assert by_key["errors"][0]["message"] == "Not Authorized to access listUsers on type Query"
