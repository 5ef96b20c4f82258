"""Real Python AppSync clients, unmodified, against the emulator.

- ``gql`` 4.4: ``AIOHTTPTransport`` with ``AppSyncApiKeyAuthentication`` / ``AppSyncJWTAuthentication``
  / ``AppSyncIAMAuthentication`` for mutations and queries, and ``AppSyncWebsocketsTransport`` with
  the same classes for a subscription that receives the event of a mutation. gql has no Lambda
  class; its JWT class sends the same ``Authorization`` header a Lambda-authorized app sends.
- ``examples/iam-lambda/call_api.py``: a Lambda-style caller signing with botocore's ``SigV4Auth``,
  accepted with its role's keys and refused with a wrong secret.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.credentials import Credentials
from gql import Client, GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import (
    AppSyncApiKeyAuthentication,
    AppSyncAuthentication,
    AppSyncIAMAuthentication,
    AppSyncJWTAuthentication,
)
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportQueryError, TransportServerError

from emulator.testing import RunningEmulator
from tests.fixtures.clients import (
    API_KEY,
    GUEST_KEYS,
    LAMBDA_TOKEN,
    REGION,
    SIGNED_IN_KEYS,
    KeyPair,
    oidc_token,
    start_clients_emulator,
    user_pool_token,
)
from tests.paths import ROOT

STEP_TIMEOUT_S = 20

ON_CREATE = """subscription OnCreateMessage {
  onCreateMessage { id roomId content }
}"""
CREATE = """mutation CreateMessage($input: CreateMessageInput!) {
  createMessage(input: $input) { id roomId content }
}"""
GET = """query GetMessage($id: ID!) {
  getMessage(id: $id) { id roomId content }
}"""


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return start_clients_emulator(emulator_server, tmp_path_factory.mktemp("real-clients-py"))


def iam_auth(server: RunningEmulator, keys: KeyPair) -> AppSyncIAMAuthentication:
    credentials = Credentials(keys.access_key_id, keys.secret_access_key)
    return AppSyncIAMAuthentication(host=server.host, region_name=REGION, credentials=credentials)


def jwt_auth(server: RunningEmulator, token: str) -> AppSyncJWTAuthentication:
    return AppSyncJWTAuthentication(host=server.host, jwt=token)


def new_user() -> str:
    return f"gql-{uuid.uuid4().hex[:8]}"


# mode -> how a gql user builds the auth object for it; "host" is the GraphQL endpoint's host:port.
AUTHS: dict[str, Callable[[RunningEmulator], AppSyncAuthentication]] = {
    "api_key": lambda s: AppSyncApiKeyAuthentication(host=s.host, api_key=API_KEY),
    "user_pool_id_token": lambda s: jwt_auth(s, user_pool_token(s, new_user(), "id")),
    "user_pool_access_token": lambda s: jwt_auth(s, user_pool_token(s, new_user(), "access")),
    "oidc": lambda s: jwt_auth(s, oidc_token(s, new_user())),
    "lambda": lambda s: jwt_auth(s, LAMBDA_TOKEN),
    "iam_signed_in": lambda s: iam_auth(s, SIGNED_IN_KEYS),
    "iam_guest": lambda s: iam_auth(s, GUEST_KEYS),
}
MODES = list(AUTHS)


def http_client(server: RunningEmulator, auth: AppSyncAuthentication) -> Client:
    transport = AIOHTTPTransport(url=server.graphql_url, auth=auth, timeout=STEP_TIMEOUT_S)
    return Client(transport=transport, execute_timeout=STEP_TIMEOUT_S)


def new_message() -> dict[str, str]:
    room = f"gql-{uuid.uuid4().hex[:10]}"
    return {"roomId": room, "content": f"hello from gql in {room}"}


async def create_message(
    server: RunningEmulator, auth: AppSyncAuthentication, message: dict[str, str]
) -> dict[str, Any]:
    async with http_client(server, auth) as session:
        result = await session.execute(GraphQLRequest(CREATE, variable_values={"input": message}))
    return result["createMessage"]


@pytest.mark.parametrize("mode", MODES)
async def test_gql_http_mutation_then_query(server: RunningEmulator, mode: str) -> None:
    auth = AUTHS[mode](server)
    message = new_message()
    async with http_client(server, auth) as session:
        created_result = await session.execute(GraphQLRequest(CREATE, variable_values={"input": message}))
        created = created_result["createMessage"]
        fetched_result = await session.execute(GraphQLRequest(GET, variable_values={"id": created["id"]}))
        fetched = fetched_result["getMessage"]
    uuid.UUID(created["id"])
    assert created == {"id": created["id"], **message}
    assert fetched == created


class AckSignallingTransport(AppSyncWebsocketsTransport):
    """gql's AppSync WebSocket transport, unchanged on the wire, that also reports ``start_ack``.

    gql reads and then ignores ``start_ack``; a test must know the subscription is registered
    before it sends the mutation, or the event could be published before anyone listens.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acknowledged = asyncio.Event()

    def _parse_answer(self, answer: str) -> Any:
        parsed = super()._parse_answer(answer)
        if parsed[0] == "start_ack":
            self.acknowledged.set()
        return parsed


def realtime_transport(server: RunningEmulator, auth: AppSyncAuthentication) -> AckSignallingTransport:
    """gql needs a ``ws://`` URL; it keeps the path (``/graphql``) and adds ``?header=…&payload=e30=``."""
    return AckSignallingTransport(
        url=f"ws://{server.host}/graphql",
        auth=auth,
        connect_timeout=STEP_TIMEOUT_S,
        ack_timeout=STEP_TIMEOUT_S,
        close_timeout=5,
    )


@dataclass
class Listener:
    """A running subscription: its events, and the task that reads them (for its errors)."""

    events: asyncio.Queue[dict[str, Any]]
    task: asyncio.Task[None]

    async def event_for_room(self, room: str) -> dict[str, Any]:
        """The first event of ``room``; the subscription's own error if it ends first."""

        async def wait() -> dict[str, Any]:
            while True:
                event = await self.events.get()
                if event.get("roomId") == room:
                    return event

        return await first_of(wait(), self.task, "the subscription event")


async def first_of(awaitable: Any, task: asyncio.Task[None], what: str) -> Any:
    """Await ``awaitable`` within the step timeout; if ``task`` ends first, raise its error."""
    waiter = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({waiter, task}, timeout=STEP_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        return waiter.result()
    waiter.cancel()
    if task in done:
        task.result()  # raises the subscription's error
        raise AssertionError(f"the subscription ended before {what}")
    raise AssertionError(f"timed out after {STEP_TIMEOUT_S}s waiting for {what}")


@asynccontextmanager
async def subscribed(server: RunningEmulator, auth: AppSyncAuthentication) -> AsyncIterator[Listener]:
    """An ``onCreateMessage`` subscription acknowledged by the server (``start_ack`` received)."""
    transport = realtime_transport(server, auth)
    async with Client(transport=transport) as session:
        events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def read() -> None:
            async for result in session.subscribe(GraphQLRequest(ON_CREATE)):
                await events.put(result["onCreateMessage"])

        listener = Listener(events, asyncio.create_task(read()))
        try:
            await first_of(transport.acknowledged.wait(), listener.task, "start_ack")
            yield listener
        finally:
            listener.task.cancel()
            with suppress(asyncio.CancelledError, TransportQueryError, TransportServerError):
                await listener.task


@pytest.mark.parametrize("mode", MODES)
async def test_gql_subscription_receives_the_mutation_event(server: RunningEmulator, mode: str) -> None:
    message = new_message()
    async with subscribed(server, AUTHS[mode](server)) as listener:
        created = await create_message(server, AUTHS[mode](server), message)
        event = await listener.event_for_room(message["roomId"])
    assert event == created == {"id": created["id"], **message}


async def test_gql_subscription_sees_mutations_made_in_other_modes(server: RunningEmulator) -> None:
    """Subscribers get events whatever mode the writer used (all rules here are static)."""
    message = new_message()
    async with subscribed(server, AUTHS["iam_signed_in"](server)) as listener:
        created = await create_message(server, AUTHS["api_key"](server), message)
        event = await listener.event_for_room(message["roomId"])
    assert event == created


async def test_gql_http_wrong_api_key_is_unauthorized(server: RunningEmulator) -> None:
    auth = AppSyncApiKeyAuthentication(host=server.host, api_key="da2-notarealkey0000000000000000")
    with pytest.raises(TransportQueryError) as raised:
        await create_message(server, auth, new_message())
    assert raised.value.errors and raised.value.errors[0].get("errorType") == "UnauthorizedException"


async def test_gql_realtime_wrong_api_key_is_refused_at_connection(server: RunningEmulator) -> None:
    auth = AppSyncApiKeyAuthentication(host=server.host, api_key="da2-notarealkey0000000000000000")
    with pytest.raises(TransportServerError, match="UnauthorizedException"):
        async with subscribed(server, auth):
            pass


# --- the Lambda-style IAM caller (examples/iam-lambda) -----------------------------------------

LAMBDA_EXAMPLE = ROOT / "examples" / "iam-lambda"
FUNCTION_KEYS = KeyPair("AKIDNOTESFUNCTION", "notes-function-local-secret")


@pytest.fixture(scope="module")
def notes_server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    """The example's own schema and config, as its README serves them."""
    schema = LAMBDA_EXAMPLE / "schema.graphql"
    config = (LAMBDA_EXAMPLE / "appsync-emulator.toml").read_text(encoding="utf-8")
    config = config.replace('schema = "schema.graphql"', f'schema = "{schema.as_posix()}"')
    return emulator_server(schema, config, data_dir=tmp_path_factory.mktemp("iam-lambda"))


def call_api(server: RunningEmulator, keys: KeyPair, content: str) -> tuple[int, dict[str, Any], str]:
    """Run call_api.py as a Lambda would run it: credentials and endpoint from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "APPSYNC_URL": server.graphql_url,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [sys.executable, str(LAMBDA_EXAMPLE / "call_api.py"), content],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"call_api.py printed nothing; stderr:\n{done.stderr}"
    return done.returncode, json.loads(lines[-1]), done.stderr


def test_lambda_caller_signed_with_its_role_is_accepted(notes_server: RunningEmulator) -> None:
    status, result, stderr = call_api(notes_server, FUNCTION_KEYS, "Buy milk")
    assert status == 0 and result["status"] == 200, (result, stderr, notes_server.output[-30:])
    assert "errors" not in result["body"], result
    note = result["body"]["data"]["createNote"]
    assert note["content"] == "Buy milk"
    uuid.UUID(note["id"])


def test_lambda_caller_with_a_wrong_secret_is_rejected(notes_server: RunningEmulator) -> None:
    """AppSync refuses a signature made with the wrong secret: HTTP 403 InvalidSignatureException."""
    wrong = KeyPair(FUNCTION_KEYS.access_key_id, "not-the-secret")
    status, result, _ = call_api(notes_server, wrong, "never stored")
    assert status == 1
    assert result["status"] == 403, result
    assert result["errorType"] == "InvalidSignatureException", result
    errors = result["body"]["errors"]
    assert errors[0]["errorType"] == "InvalidSignatureException"
    assert "signature we calculated does not match" in errors[0]["message"]
    assert "data" not in result["body"] or result["body"]["data"] is None


def test_lambda_caller_with_an_unknown_access_key_is_rejected(notes_server: RunningEmulator) -> None:
    status, result, _ = call_api(notes_server, KeyPair("AKIDNOBODYKNOWS", "whatever"), "never stored")
    assert status == 1
    assert result["status"] in (401, 403), result
    assert result["body"]["errors"][0]["errorType"] in (
        "UnauthorizedException",
        "UnrecognizedClientException",
    ), result
