"""DataStore's LAMBDA conflict handler over the wire: a real Python function, run by the
emulator's function runners, settles conflicting updates and deletes as AppSync's versioned data
source asks it to (RESOLVE writes its item, REJECT answers ConflictUnhandled, REMOVE deletes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulator.testing import EmulatorStartError, RunningEmulator, start_emulator
from tests.paths import ROOT

API_KEY = "da2-datastorelambdatests000000"
HANDLER = ROOT / "tests" / "fixtures" / "datastore" / "resolve_conflict.py"
SCHEMA = """
type Post @model @auth(rules: [{allow: public}]) {
  id: ID!
  title: String!
  content: String
}
"""
FIELDS = "id title content _version _deleted"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("datastore-lambda")
    (folder / "schema.graphql").write_text(SCHEMA)
    config = f"""
[auth.api_key]
keys = ["{API_KEY}"]

[datastore]
conflict_handler = "LAMBDA"
lambda_function = "resolveConflict"

[functions.resolveConflict]
handler = "{HANDLER}:handler"
"""
    return emulator_server(folder / "schema.graphql", config)


def call(server: RunningEmulator, query: str, **variables: Any) -> dict[str, Any]:
    return server.graphql(query, variables).json()


def create(server: RunningEmulator, title: str) -> dict[str, Any]:
    post = call(server, f"mutation($i: CreatePostInput!) {{ createPost(input: $i) {{ {FIELDS} }} }}",
                i={"title": title})["data"]["createPost"]
    bumped = update(server, id=post["id"], _version=1, title=title)
    assert bumped["data"]["updatePost"]["_version"] == 2
    return post


def update(server: RunningEmulator, **values: Any) -> dict[str, Any]:
    return call(server, f"mutation($i: UpdatePostInput!) {{ updatePost(input: $i) {{ {FIELDS} }} }}", i=values)


def test_start_names_the_lambda_handler(server: RunningEmulator) -> None:
    assert "DataStore conflict detection on 1 model (Post: LAMBDA (resolveConflict))" in "\n".join(server.output)


def test_resolve_writes_the_functions_item_as_the_next_version(server: RunningEmulator) -> None:
    post = create(server, "first")
    answer = update(server, id=post["id"], _version=1, title="stale edit")
    assert "errors" not in answer, answer
    assert answer["data"]["updatePost"] == {"id": post["id"], "title": "stale edit",
                                            "content": "resolved by updatePost", "_version": 3, "_deleted": None}
    stored = call(server, f"query($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}", id=post["id"])
    assert stored["data"]["getPost"]["_version"] == 3


def test_reject_answers_conflict_unhandled_with_the_server_item(server: RunningEmulator) -> None:
    post = create(server, "kept")
    answer = update(server, id=post["id"], _version=1, title="reject")
    assert answer["data"] == {"updatePost": None}
    [error] = answer["errors"]
    assert error["errorType"] == "ConflictUnhandled"
    assert error["data"]["title"] == "kept" and error["data"]["_version"] == 2


def test_remove_deletes_the_item(server: RunningEmulator) -> None:
    post = create(server, "doomed")
    answer = update(server, id=post["id"], _version=1, title="remove")
    assert "errors" not in answer, answer
    stored = call(server, f"query($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}", id=post["id"])
    assert stored["data"]["getPost"] is None or stored["data"]["getPost"]["_deleted"] is True


def test_a_stale_delete_goes_to_the_function_too(server: RunningEmulator) -> None:
    post = create(server, "old")
    answer = call(server, f"mutation($i: DeletePostInput!) {{ deletePost(input: $i) {{ {FIELDS} }} }}",
                  i={"id": post["id"], "_version": 1})
    assert "errors" not in answer, answer
    stored = call(server, f"query($id: ID!) {{ getPost(id: $id) {{ {FIELDS} }} }}", id=post["id"])
    assert stored["data"]["getPost"] is None or stored["data"]["getPost"]["_deleted"] is True


def test_a_handler_naming_no_function_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "schema.graphql").write_text(SCHEMA)
    config = '[datastore]\nconflict_handler = "LAMBDA"\nlambda_function = "missing"\n'
    with pytest.raises(EmulatorStartError, match="the LAMBDA conflict handler of Post: no function named 'missing'"):
        start_emulator(tmp_path / "schema.graphql", config, data_dir=tmp_path / "data")
