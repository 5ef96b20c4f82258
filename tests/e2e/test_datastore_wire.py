"""DataStore over the wire (issue 16): the example project (examples/datastore, conflict detection
in its transform.conf.json: Note AUTOMERGE, Task OPTIMISTIC_CONCURRENCY) served as AppSync serves it.

Versioned writes and their errors as a client sees them, soft deletes, base and delta ``syncX``,
the delta sync table and TTL through the DynamoDB API, and subscriptions carrying the new fields.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from emulator.testing import RunningEmulator
from tests.paths import ROOT

EXAMPLE = ROOT / "examples" / "datastore"
FIELDS = "id title content tags _version _deleted _lastChangedAt"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    config = (EXAMPLE / "appsync-emulator.toml").read_text()
    return emulator_server(EXAMPLE, config, data_dir=tmp_path_factory.mktemp("datastore"))


def call(server: RunningEmulator, query: str, **variables: Any) -> dict[str, Any]:
    return server.graphql(query, variables).json()


def create_note(server: RunningEmulator, **values: Any) -> dict[str, Any]:
    query = f"mutation($i: CreateNoteInput!) {{ createNote(input: $i) {{ {FIELDS} }} }}"
    return call(server, query, i={"title": "t", **values})["data"]["createNote"]


def update_note(server: RunningEmulator, **values: Any) -> dict[str, Any]:
    return call(server, f"mutation($i: UpdateNoteInput!) {{ updateNote(input: $i) {{ {FIELDS} }} }}", i=values)


def test_start_names_the_handlers_and_the_delta_table(server: RunningEmulator) -> None:
    output = "\n".join(server.output)
    assert "DataStore conflict detection on 2 models (Note: AUTOMERGE, Task: OPTIMISTIC_CONCURRENCY)" in output
    assert "AmplifyDataStore-emulator-local" in output


def test_writes_keep_versions_and_automerge_resolves_a_stale_update(server: RunningEmulator) -> None:
    before = int(time.time() * 1000)
    note = create_note(server, title="server", tags=["a"])
    assert note["_version"] == 1 and note["_deleted"] is None and note["_lastChangedAt"] >= before
    current = update_note(server, id=note["id"], _version=1, content="v2")["data"]["updateNote"]
    assert current["_version"] == 2
    merged = update_note(server, id=note["id"], _version=1, title="client", tags=["b"])
    assert "errors" not in merged
    assert merged["data"]["updateNote"] | {"_lastChangedAt": 0} == {
        "id": note["id"], "title": "server", "content": "v2", "tags": ["a", "b"], "_version": 3, "_deleted": None,
        "_lastChangedAt": 0}


def test_optimistic_concurrency_answers_conflict_unhandled_with_the_server_item(server: RunningEmulator) -> None:
    task = call(server, 'mutation { createTask(input: {name: "write"}) { id _version } }')["data"]["createTask"]
    call(server, "mutation($i: UpdateTaskInput!) { updateTask(input: $i) { id } }",
         i={"id": task["id"], "_version": 1, "done": True})
    answer = call(server, "mutation($i: UpdateTaskInput!) { updateTask(input: $i) { id label: name ...F } } "
                          "fragment F on Task { done _version }", i={"id": task["id"], "_version": 1, "name": "stale"})
    assert answer["data"] == {"updateTask": None}
    [error] = answer["errors"]
    assert error["errorType"] == "ConflictUnhandled"
    assert error["message"] == "Conflict resolver rejects mutation."
    assert error["path"] == ["updateTask"] and error["errorInfo"] is None
    # the server's item, cut to the mutation's selection set as AppSync cuts an error's data
    assert error["data"] == {"id": task["id"], "label": "write", "done": True, "_version": 2}


def test_deletes_are_soft_and_reads_still_return_them(server: RunningEmulator) -> None:
    note = create_note(server, title="to delete")
    stale = call(server, 'mutation($i: DeleteNoteInput!) { deleteNote(input: $i) { id } }', i={"id": note["id"]})
    assert stale["errors"][0]["errorType"] == "ConflictUnhandled"  # no _version: version 0
    deleted = call(server, f"mutation($i: DeleteNoteInput!) {{ deleteNote(input: $i) {{ {FIELDS} }} }}",
                   i={"id": note["id"], "_version": 1})["data"]["deleteNote"]
    assert (deleted["_deleted"], deleted["_version"]) == (True, 2)
    got = call(server, f'{{ getNote(id: "{note["id"]}") {{ {FIELDS} }} }}')["data"]["getNote"]
    assert got["_deleted"] is True
    listed = call(server, "{ listNotes(filter: {_deleted: {eq: true}}) { items { id } } }")["data"]["listNotes"]
    assert note["id"] in [i["id"] for i in listed["items"]]
    raw = server.dynamodb().get_item(TableName="Note-emulator-local", Key={"id": {"S": note["id"]}})["Item"]
    assert int(raw["_ttl"]["N"]) > time.time() + 29 * 24 * 3600  # BaseTableTTL: 30 days


def test_base_then_delta_sync(server: RunningEmulator) -> None:
    kept = create_note(server, title="kept")
    base = call(server, f"{{ syncNotes(limit: 1000) {{ items {{ {FIELDS} }} nextToken startedAt }} }}")["data"]["syncNotes"]
    assert kept["id"] in [i["id"] for i in base["items"]]
    assert any(i["_deleted"] for i in base["items"])  # tombstones reach clients so they drop the items
    last_sync = base["startedAt"]
    time.sleep(0.01)
    changed = update_note(server, id=kept["id"], _version=1, content="changed")["data"]["updateNote"]
    delta = call(server, f"query($l: AWSTimestamp) {{ syncNotes(lastSync: $l) {{ items {{ {FIELDS} }} startedAt }} }}",
                 l=last_sync)["data"]["syncNotes"]
    assert [(i["id"], i["_version"], i["content"]) for i in delta["items"]] == [(kept["id"], 2, "changed")]
    assert delta["startedAt"] >= changed["_lastChangedAt"]


def test_the_delta_sync_table_and_ttl_through_the_dynamodb_api(server: RunningEmulator) -> None:
    client = server.dynamodb()
    table = client.describe_table(TableName="AmplifyDataStore-emulator-local")["Table"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["ds_pk", "ds_sk"]
    for name in ("AmplifyDataStore-emulator-local", "Note-emulator-local", "Task-emulator-local"):
        assert client.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "_ttl"}
    records = client.scan(TableName="AmplifyDataStore-emulator-local")["Items"]
    assert records and all(r["ds_pk"]["S"].startswith(("Note-emulator-local:", "Task-emulator-local:")) for r in records)


def delete_note(server: RunningEmulator, item_id: str, version: int) -> dict[str, Any]:
    query = f"mutation($i: DeleteNoteInput!) {{ deleteNote(input: $i) {{ {FIELDS} }} }}"
    return call(server, query, i={"id": item_id, "_version": version})["data"]["deleteNote"]


async def test_subscriptions_carry_the_datastore_fields(server: RunningEmulator) -> None:
    title = f"watched-{uuid.uuid4().hex[:8]}"
    auth = AppSyncApiKeyAuthentication(host=server.host, api_key=server.api_key or "")
    transport = AppSyncWebsocketsTransport(url=f"ws://{server.host}/graphql", auth=auth, ack_timeout=10)
    subscription = GraphQLRequest(
        "subscription($f: ModelSubscriptionNoteFilterInput) { onDeleteNote(filter: $f) { id title _version "
        "_deleted _lastChangedAt } }", variable_values={"f": {"title": {"eq": title}}})
    async with Client(transport=transport) as session:

        async def first() -> Any:
            async for result in session.subscribe(subscription):
                return result

        task = asyncio.create_task(first())
        deleted: dict[str, dict[str, Any]] = {}
        for _ in range(100):  # gql ignores start_ack: delete until the event arrives
            note = await asyncio.to_thread(create_note, server, title=title)
            deleted[note["id"]] = await asyncio.to_thread(delete_note, server, note["id"], 1)
            done, _ = await asyncio.wait({task}, timeout=0.1)
            if done:
                break
    event = task.result()["onDeleteNote"]
    expected = deleted[event["id"]]
    assert event == {"id": expected["id"], "title": title, "_version": 2, "_deleted": True,
                     "_lastChangedAt": expected["_lastChangedAt"]}


OWNED = """
type Diary @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  text: String
}
"""

OWNED_CONFIG = """
[auth]
default = "AMAZON_COGNITO_USER_POOLS"

[datastore]
conflict_handler = "OPTIMISTIC_CONCURRENCY"
"""


@pytest.fixture(scope="module")
def owned(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("owned")
    (folder / "schema.graphql").write_text(OWNED)
    return emulator_server(folder / "schema.graphql", OWNED_CONFIG, data_dir=folder / "data")


def test_config_file_datastore_and_owner_rules_on_sync(owned: RunningEmulator) -> None:
    alice, bob = owned.token("alice"), owned.token("bob")
    for token, text in ((alice, "mine"), (bob, "bob's")):
        created = owned.graphql('mutation($t: String) { createDiary(input: {text: $t}) { id _version } }',
                                {"t": text}, token=token).json()
        assert created["data"]["createDiary"]["_version"] == 1
    synced = owned.graphql("{ syncDiaries { items { text owner _version } startedAt } }", token=alice).json()
    assert [(i["text"], i["owner"]) for i in synced["data"]["syncDiaries"]["items"]] == [("mine", "alice")]
    entry = synced["data"]["syncDiaries"]["items"][0]
    assert entry["_version"] == 1
    delta = owned.graphql("query($l: AWSTimestamp) { syncDiaries(lastSync: $l) { items { text } } }",
                          {"l": synced["data"]["syncDiaries"]["startedAt"] - 60_000}, token=bob).json()
    assert [i["text"] for i in delta["data"]["syncDiaries"]["items"]] == ["bob's"]  # the delta table, filtered too
