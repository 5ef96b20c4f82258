"""The real aws-amplify v6 DataStore client against the emulator (issue 16 point 6).

Two DataStore clients (Node, IndexedDB in memory) on examples/datastore, whose transform.conf.json
turns conflict detection on: Note with AUTOMERGE (the project's handler), Task with
OPTIMISTIC_CONCURRENCY. A client syncs existing items down, saves its changes up, sees the other
client's changes through subscriptions, keeps working offline and catches up with a delta sync
when back online; and when both changed the same item, the conflict is resolved as each handler
says. The LAMBDA handler needs the Lambda function runners, which this server does not have yet
(see README "DataStore"); it is tested at the resolver level (tests/test_resolvers_versioning.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.datastore_clients import CLIENT_DIR, DataStoreClient
from tests.e2e.waiting import eventually
from tests.node_projects import node_with_installed
from tests.paths import ROOT

EXAMPLE = ROOT / "examples" / "datastore"


@pytest.fixture(scope="module")
def node() -> str:
    return node_with_installed(CLIENT_DIR, "the DataStore client tests")


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    config = (EXAMPLE / "appsync-emulator.toml").read_text()
    return emulator_server(EXAMPLE, config, data_dir=tmp_path_factory.mktemp("datastore-clients"))


@pytest.fixture
def clients(node: str, server: RunningEmulator) -> Iterator[Any]:
    started: list[DataStoreClient] = []

    def start(name: str, conflict: str = "merge") -> DataStoreClient:
        client = DataStoreClient(node, server.graphql_url, server.api_key or "", name)
        started.append(client)
        client.do("configure", conflict=conflict)
        client.do("start")
        return client

    yield start
    for client in started:
        client.close()


def server_item(server: RunningEmulator, model: str, item_id: str) -> dict[str, Any] | None:
    fields = "id title content tags" if model == "Note" else "id name done"
    query = f'{{ get{model}(id: "{item_id}") {{ {fields} _version _deleted }} }}'
    return server.graphql(query).json()["data"][f"get{model}"]


def create_on_server(server: RunningEmulator, model: str, **values: Any) -> dict[str, Any]:
    mutation = f"mutation($i: Create{model}Input!) {{ create{model}(input: $i) {{ id _version }} }}"
    return server.graphql(mutation, {"i": values}).json()["data"][f"create{model}"]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_syncs_down_then_saves_up(server: RunningEmulator, clients: Any) -> None:
    seeded = create_on_server(server, "Note", id=unique("seed"), title="from the server", tags=["s"])
    client = clients("a")
    local = client.do("get", model="Note", id=seeded["id"])
    assert (local["title"], local["tags"], local["_version"]) == ("from the server", ["s"], 1)

    saved = client.do("save", model="Note", values={"title": "from the client", "tags": ["c"]})
    eventually(lambda: (server_item(server, "Note", saved["id"]) or {}).get("_version") == 1)
    client.do("update", model="Note", id=saved["id"], values={"content": "edited"})
    eventually(lambda: (server_item(server, "Note", saved["id"]) or {}).get("content") == "edited")
    assert server_item(server, "Note", saved["id"])["_version"] == 2  # type: ignore[index]
    client.do("waitFor", model="Note", id=saved["id"], match={"content": "edited", "_version": 2})
    assert client.do("report")["errors"] == []


def test_a_second_client_sees_the_changes(server: RunningEmulator, clients: Any) -> None:
    first, second = clients("first"), clients("second")
    note = first.do("save", model="Note", values={"title": unique("shared")})
    second.do("waitFor", model="Note", id=note["id"], match={"title": note["title"], "_version": 1})
    first.do("update", model="Note", id=note["id"], values={"title": "renamed"})
    second.do("waitFor", model="Note", id=note["id"], match={"title": "renamed", "_version": 2})
    first.do("delete", model="Note", id=note["id"])
    second.do("waitFor", model="Note", id=note["id"], match=None)  # the delete reached it: gone locally
    assert server_item(server, "Note", note["id"])["_deleted"] is True  # type: ignore[index]


def test_offline_changes_go_up_and_a_delta_sync_catches_up(server: RunningEmulator, clients: Any) -> None:
    client = clients("roaming")
    client.do("offline")
    written_meanwhile = create_on_server(server, "Note", id=unique("meanwhile"), title="written while away")
    offline = client.do("save", model="Note", values={"title": unique("offline")})
    assert server_item(server, "Note", offline["id"]) is None  # nothing leaves while offline
    client.do("online")
    eventually(lambda: server_item(server, "Note", offline["id"]) is not None, timeout=30)
    client.do("waitFor", model="Note", id=written_meanwhile["id"], match={"title": "written while away"})
    last_syncs = [request.get("lastSync") for request in client.do("report")["syncRequests"]]
    assert last_syncs[0] == 0 and any(last_sync and last_sync > 0 for last_sync in last_syncs[1:])


def conflicting_edits(server: RunningEmulator, clients: Any, model: str, values: dict[str, Any],
                      theirs: dict[str, Any], mine: dict[str, Any], conflict: str = "merge") -> tuple[Any, Any, str]:
    """Both clients know the item at version 1; ``them`` changes it while ``me`` is offline and
    changes it too; ``me`` comes back online with its change made on version 1."""
    them, me = clients(unique("them")), clients(unique("me"), conflict)
    item = them.do("save", model=model, values=values)
    eventually(lambda: server_item(server, model, item["id"]) is not None, timeout=30)
    me.do("waitFor", model=model, id=item["id"], match={"_version": 1}, timeoutMs=30000)
    me.do("offline")
    them.do("update", model=model, id=item["id"], values=theirs)
    eventually(lambda: (server_item(server, model, item["id"]) or {}).get("_version") == 2)
    me.do("update", model=model, id=item["id"], values=mine)
    me.do("online")
    return them, me, item["id"]


def test_automerge_merges_both_clients_changes(server: RunningEmulator, clients: Any) -> None:
    them, me, note_id = conflicting_edits(server, clients, "Note", {"title": "start", "tags": ["x"]},
                                          theirs={"title": "theirs", "tags": ["x", "t"]},
                                          mine={"content": "mine", "tags": ["x", "m"]})
    merged = {"title": "theirs", "content": "mine", "tags": ["x", "t", "x", "m"], "_version": 3}
    eventually(lambda: (server_item(server, "Note", note_id) or {}).get("_version") == 3, timeout=30)
    assert {k: server_item(server, "Note", note_id)[k] for k in merged} == merged  # type: ignore[index]
    me.do("waitFor", model="Note", id=note_id, match=merged)
    them.do("waitFor", model="Note", id=note_id, match=merged)
    assert me.do("report")["conflicts"] == []  # the server resolved it: the client never saw a conflict


def test_optimistic_concurrency_hands_the_conflict_to_the_client(server: RunningEmulator, clients: Any) -> None:
    them, me, task_id = conflicting_edits(server, clients, "Task", {"name": "start"},
                                          theirs={"name": "theirs"}, mine={"done": True})
    # the app handler puts my change on the server item and DataStore retries it: both changes survive
    eventually(lambda: (server_item(server, "Task", task_id) or {}).get("_version") == 3, timeout=30)
    assert server_item(server, "Task", task_id) == {"id": task_id, "name": "theirs", "done": True,
                                                    "_version": 3, "_deleted": None}
    [conflict] = me.do("report")["conflicts"]
    assert conflict["operation"] == "UPDATE" and conflict["remote"]["_version"] == 2
    assert conflict["remote"]["name"] == "theirs"  # the server's item, from the error's data
    them.do("waitFor", model="Task", id=task_id, match={"name": "theirs", "done": True, "_version": 3})


def test_a_client_may_discard_its_change_and_take_the_servers(server: RunningEmulator, clients: Any) -> None:
    them, me, task_id = conflicting_edits(server, clients, "Task", {"name": "start"},
                                          theirs={"name": "theirs"}, mine={"name": "mine"}, conflict="discard")
    me.do("waitFor", model="Task", id=task_id, match={"name": "theirs", "_version": 2})
    assert len(me.do("report")["conflicts"]) == 1
    assert server_item(server, "Task", task_id) == {"id": task_id, "name": "theirs", "done": None,
                                                    "_version": 2, "_deleted": None}
