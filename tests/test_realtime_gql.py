"""A real AppSync client: gql 4.4's ``AppSyncWebsocketsTransport`` (query-string carrier, ``/graphql``),
with API key, JWT and IAM (SigV4 verified by the emulator's own IAM authenticator)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.credentials import Credentials
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import (
    AppSyncApiKeyAuthentication,
    AppSyncAuthentication,
    AppSyncIAMAuthentication,
    AppSyncJWTAuthentication,
)
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportQueryError, TransportServerError

from emulator.auth.iam import IamAuthenticator
from emulator.auth.identity import AuthMode
from emulator.settings import IamCredential
from tests.realtime_harness import (
    ALICE_TOKEN,
    API_KEY,
    FakeAuth,
    Harness,
    make_deps,
    post,
    serve,
    wait_until_async,
)

ACCESS_KEY, SECRET_KEY, SESSION_TOKEN = "AKIDLOCALTEST", "local-secret-key", "local-session-token"
ROLE_ARN = "arn:aws:iam::123456789012:role/authRole"


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    iam = IamAuthenticator([IamCredential(ACCESS_KEY, SECRET_KEY, ROLE_ARN, SESSION_TOKEN)], "us-east-1")
    with serve(make_deps(auth=FakeAuth(iam=iam.authenticate))) as running:
        yield running


def _transport(harness: Harness, auth: AppSyncAuthentication) -> AppSyncWebsocketsTransport:
    return AppSyncWebsocketsTransport(url=harness.url, auth=auth, ack_timeout=5, close_timeout=5, connect_timeout=5)


async def _first_event(harness: Harness, auth: AppSyncAuthentication, request: GraphQLRequest, payload: dict[str, Any]) -> Any:
    """Subscribe with gql, publish once the subscription is registered, return the first result."""
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)
    async with Client(transport=_transport(harness, auth)) as session:

        async def first() -> Any:
            async for result in session.subscribe(request):
                return result

        task = asyncio.create_task(first())
        await wait_until_async(lambda: harness.hub.subscriber_count() == 1 or task.done())
        harness.publish("createPost", payload)
        result = await asyncio.wait_for(task, 5)
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)  # gql's stop was honoured
    return result


ON_POST = GraphQLRequest(
    "subscription OnPost($id: ID) {\n  onPostChanged(id: $id) {\n    id\n    title\n  }\n}",
    variable_values={"id": "p1"},
)


async def test_api_key(harness: Harness) -> None:
    auth = AppSyncApiKeyAuthentication(host=harness.host, api_key=API_KEY)
    assert await _first_event(harness, auth, ON_POST, post()) == {"onPostChanged": {"id": "p1", "title": "Hello"}}


async def test_jwt_with_owner_filter(harness: Harness) -> None:
    auth = AppSyncJWTAuthentication(host=harness.host, jwt=ALICE_TOKEN)
    request = GraphQLRequest("subscription { onCreatePost { id owner } }")
    assert await _first_event(harness, auth, request, post(owner="alice")) == {"onCreatePost": {"id": "p1", "owner": "alice"}}


async def test_iam_signatures_are_verified_for_connect_and_start(harness: Harness) -> None:
    harness.auth.requests.clear()
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)
    auth = AppSyncIAMAuthentication(host=harness.host, region_name="us-east-1", credentials=credentials)
    assert await _first_event(harness, auth, ON_POST, post()) == {"onPostChanged": {"id": "p1", "title": "Hello"}}
    connect, start = harness.auth.requests[:2]
    assert (connect.path, connect.body, start.path) == ("/graphql/connect", b"{}", "/graphql")
    assert harness.auth.iam is not None
    assert harness.auth.iam(start).mode == AuthMode.AWS_IAM  # the start's own signature checks out


async def test_start_error_reaches_gql_as_a_query_error(harness: Harness) -> None:
    auth = AppSyncApiKeyAuthentication(host=harness.host, api_key=API_KEY)
    async with Client(transport=_transport(harness, auth)) as session:
        with pytest.raises(TransportQueryError) as raised:
            async for _ in session.subscribe(GraphQLRequest("subscription { onCreatePost { id nope } }")):
                pass
    assert raised.value.errors is not None
    assert "Validation error of type FieldUndefined" in raised.value.errors[0]["errors"][0]["message"]


async def test_bad_api_key_is_a_connection_error(harness: Harness) -> None:
    auth = AppSyncApiKeyAuthentication(host=harness.host, api_key="da2-wrong")
    with pytest.raises(TransportServerError, match="UnauthorizedException"):
        async with Client(transport=_transport(harness, auth)):
            pass
