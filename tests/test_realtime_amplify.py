"""The endpoint with the real pieces it is wired to in the app: the transform's API model and
schema, ``auth.rules.AmplifyPolicy`` and ``auth.directives``' guard (only authentication is faked).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.auth.directives import directive_guard
from emulator.auth.rules import AmplifyPolicy
from emulator.hub import Hub
from emulator.realtime import RealtimeDeps
from emulator.sdl import build_appsync_schema
from emulator.transform import TransformOptions, transform
from tests.realtime_harness import (
    ALICE_TOKEN,
    BOB_TOKEN,
    FakeAuth,
    Harness,
    nothing_within,
    open_acknowledged,
    receive,
    serve,
    start,
)

SCHEMA = """
type Note @model @auth(rules: [{ allow: owner }, { allow: public, provider: apiKey, operations: [read] }]) {
  id: ID!
  text: String
  secret: String @auth(rules: [{ allow: owner }])
  owner: String
}
"""


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    api = transform(SCHEMA, TransformOptions(version="v2", default_auth="API_KEY", additional_auth=("AMAZON_COGNITO_USER_POOLS",)))
    schema = build_appsync_schema(api.sdl)
    guard = directive_guard(schema, "API_KEY")
    policy = AmplifyPolicy(api)
    deps = RealtimeDeps(
        authenticate=FakeAuth(),
        current_api=lambda: api,
        current_schema=lambda: schema,
        policy=lambda: policy,
        field_allowed=lambda _schema, parent, name, identity: guard(parent, name, identity),
        hub=Hub(),
    )
    with serve(deps) as running:
        yield running


def _user(harness: Harness, token: str) -> dict[str, str]:
    return {"host": harness.host, "Authorization": token}


async def test_owner_gets_own_notes_and_protected_field_is_null(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "a", "subscription { onCreateNote { id text secret owner } }", authorization=_user(harness, ALICE_TOKEN))
    assert answer == {"type": "start_ack", "id": "a"}
    harness.publish("createNote", {"id": "b1", "text": "bob's", "secret": "x", "owner": "bob"})
    harness.publish("createNote", {"id": "a1", "text": "alice's", "secret": "x", "owner": "alice"})
    frame = await receive(ws)
    assert frame["payload"] == {"data": {"onCreateNote": {"id": "a1", "text": "alice's", "secret": None, "owner": "alice"}}}
    assert await nothing_within(ws)
    await ws.close()


async def test_owner_argument_naming_someone_else_is_unauthorized(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "x", 'subscription { onCreateNote(owner: "alice") { id } }', authorization=_user(harness, BOB_TOKEN))
    assert answer == {
        "type": "error",
        "id": "x",
        "payload": {"errors": [{"errorType": "Unauthorized", "message": "Not Authorized to access onCreateNote on type Subscription"}]},
    }
    await ws.close()


async def test_api_key_reader_gets_every_note(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    assert (await start(harness, ws, "k", "subscription { onCreateNote { id } }"))["type"] == "start_ack"
    harness.publish("createNote", {"id": "n1", "owner": "bob"})
    assert (await receive(ws))["payload"] == {"data": {"onCreateNote": {"id": "n1"}}}
    await ws.close()
