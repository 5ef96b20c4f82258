"""Auth over the real wire: the negative matrix and real clients against a running emulator.

The server runs with all five modes enabled (tests/auth_matrix_cases.py's config and Lambda
authorizer) and a model every mode may read, so a request that passes auth answers 200 and one
that fails gets AppSync's 401/403 with ``x-amzn-ErrorType``. Credentials come from the same
builders as the unit matrix, signed for the server's real host and port.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import jwt
import pytest
from botocore.credentials import Credentials

from emulator.auth.identity import AuthMode, AuthRequest
from emulator.settings import load_config
from emulator.testing import RunningEmulator
from tests.auth_matrix_cases import CASES, GOOD_KEY, LONG_TERM, POSITIVE, TEMPORARY, Case, World, write_config

SCHEMA = """
type Note @model @auth(rules: [
  { allow: public },
  { allow: private },
  { allow: private, provider: iam },
  { allow: public, provider: iam },
  { allow: private, provider: oidc },
  { allow: custom }
]) {
  id: ID!
  text: String
}
"""
QUERY = "query { listNotes { items { id } } }"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("auth-wire")
    config = write_config(folder)
    schema = folder / "schema.graphql"
    schema.write_text(SCHEMA)
    return emulator_server(schema, config.read_text(), data_dir=folder)


@pytest.fixture(scope="module")
def world(server: RunningEmulator) -> World:
    assert server.config_path is not None
    return World(load_config(server.config_path).auth, server.data_dir, server.host)


def send(server: RunningEmulator, request: AuthRequest) -> httpx.Response:
    return httpx.post(f"{server.base_url}{request.path}", content=request.body, headers=dict(request.headers), timeout=30)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_forged_credential_is_refused_over_http(case: Case, server: RunningEmulator, world: World) -> None:
    response = send(server, case.build(world))
    assert response.status_code == case.status, response.text
    assert response.headers["x-amzn-errortype"] == case.error_type
    (error,) = response.json()["errors"]
    assert error["errorType"] == case.error_type
    assert error["message"].startswith(case.message), error["message"]


@pytest.mark.parametrize(("name", "build", "mode"), POSITIVE, ids=[p[0] for p in POSITIVE])
def test_unforged_credential_passes_over_http(
    name: str, build: Callable[[World], AuthRequest], mode: AuthMode, server: RunningEmulator, world: World
) -> None:
    response = send(server, build(world))
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"listNotes": {"items": []}}}


def test_jwks_endpoint_publishes_the_key_tokens_are_signed_with(server: RunningEmulator) -> None:
    token = server.token("alice")
    keys = httpx.get(f"{server.base_url}/.well-known/jwks.json", timeout=10).json()["keys"]
    assert jwt.get_unverified_header(token)["kid"] in {k["kid"] for k in keys}


def test_token_command_tokens_are_accepted_and_expired_ones_refused(server: RunningEmulator) -> None:
    assert server.graphql(QUERY, token=server.token("alice", groups=("admin",))).status_code == 200
    assert server.graphql(QUERY, token=server.token("bob", extra=["--token-use", "access"])).status_code == 200
    assert server.graphql(QUERY, token=server.token("carol", extra=["--oidc"])).status_code == 200
    expired = server.graphql(QUERY, token=server.token("dave", extra=["--expires-in=-60"]))
    assert expired.status_code == 401
    assert expired.json()["errors"][0]["message"] == "Token has expired."


# --- gql, the Python AppSync client, over HTTP ---------------------------------------------------

gql = pytest.importorskip("gql")
appsync_auth = pytest.importorskip("gql.transport.appsync_auth")
aiohttp_transport = pytest.importorskip("gql.transport.aiohttp")
exceptions = pytest.importorskip("gql.transport.exceptions")


async def gql_execute(server: RunningEmulator, auth: object) -> dict:
    transport = aiohttp_transport.AIOHTTPTransport(url=server.graphql_url, auth=auth)
    async with gql.Client(transport=transport, fetch_schema_from_transport=False) as session:
        return await session.execute(gql.gql(QUERY))


@pytest.mark.parametrize("credentials", [LONG_TERM, TEMPORARY], ids=["long-term", "session"])
async def test_gql_iam_authentication(credentials: Credentials, server: RunningEmulator) -> None:
    auth = appsync_auth.AppSyncIAMAuthentication(host=server.host, region_name="us-east-1", credentials=credentials)
    assert await gql_execute(server, auth) == {"listNotes": {"items": []}}


async def test_gql_iam_with_a_wrong_secret_is_refused(server: RunningEmulator) -> None:
    wrong = Credentials(LONG_TERM.access_key, "not-the-secret")
    auth = appsync_auth.AppSyncIAMAuthentication(host=server.host, region_name="us-east-1", credentials=wrong)
    with pytest.raises(exceptions.TransportError) as refused:
        await gql_execute(server, auth)
    assert "InvalidSignatureException" in str(refused.value) or "403" in str(refused.value)


async def test_gql_jwt_and_api_key_authentication(server: RunningEmulator) -> None:
    token = server.token("erin")
    jwt_auth = appsync_auth.AppSyncJWTAuthentication(host=server.host, jwt=token)
    assert (await gql_execute(server, jwt_auth))["listNotes"] == {"items": []}
    api_key = appsync_auth.AppSyncApiKeyAuthentication(host=server.host, api_key=GOOD_KEY)
    assert json.dumps(await gql_execute(server, api_key)) == '{"listNotes": {"items": []}}'


# --- gql over the real-time WebSocket: the connection and each start are signed separately ------

websockets_transport = pytest.importorskip("gql.transport.appsync_websockets")


async def first_event(server: RunningEmulator, auth: object) -> dict:
    """Subscribe with ``auth`` and create notes (API key, over HTTP) until the subscription sees one."""
    transport = websockets_transport.AppSyncWebsocketsTransport(url=server.realtime_url, auth=auth)
    subscription = gql.gql("subscription { onCreateNote { id text } }")

    async def listen() -> dict:
        async with gql.Client(transport=transport, fetch_schema_from_transport=False) as session:
            async for event in session.subscribe(subscription):
                return event
        raise AssertionError("subscription ended without an event")

    listener = asyncio.create_task(listen())
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(50):
            done, _ = await asyncio.wait({listener}, timeout=0.2)
            if done:
                return listener.result()
            mutation = {"query": 'mutation { createNote(input: {text: "hi"}) { id text } }'}
            await client.post(server.graphql_url, json=mutation, headers={"x-api-key": GOOD_KEY})
    listener.cancel()
    raise AssertionError("no subscription event within 10 s")


async def test_gql_realtime_with_iam_signatures(server: RunningEmulator) -> None:
    auth = appsync_auth.AppSyncIAMAuthentication(host=server.host, region_name="us-east-1", credentials=TEMPORARY)
    event = await first_event(server, auth)
    assert event["onCreateNote"]["text"] == "hi"


async def test_gql_realtime_connection_with_a_wrong_secret_is_refused(server: RunningEmulator) -> None:
    wrong = Credentials(TEMPORARY.access_key, "not-the-secret", TEMPORARY.token)
    auth = appsync_auth.AppSyncIAMAuthentication(host=server.host, region_name="us-east-1", credentials=wrong)
    with pytest.raises(exceptions.TransportError):
        await asyncio.wait_for(first_event(server, auth), timeout=20)
