"""``@searchable`` (v1) over the real wire, and the index rebuilt from the table at start (issue 17).

v1's search resolver differs from v2's: one sort field with no tie-break, ``nextToken`` the last
hit's sort value, an exact ``total``, and owner/group rules applied to the page in the response
template (``total`` and ``nextToken`` then describe the page, and vanish when it is empty). The
server keeps its tables on disk; a restart finds every item through the rebuilt index.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data

SCHEMA = """
type Book @model @searchable {
  id: ID!
  title: String
  pages: Int
}

type Note @model @searchable @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admin"] }]) {
  id: ID!
  content: String
}
"""
CONFIG = """
transformer = "v1"
[auth]
default = "AMAZON_COGNITO_USER_POOLS"
"""
BOOKS = [("b1", "Dune", 100), ("b2", "Emma", 200), ("b3", "Ulysses", 200), ("b4", "Walden", 300)]
SEARCH_BOOKS = """
query($sort: SearchableBookSortInput, $limit: Int, $nextToken: String, $filter: SearchableBookFilterInput) {
  searchBooks(sort: $sort, limit: $limit, nextToken: $nextToken, filter: $filter) { items { id } nextToken total }
}
"""
SEARCH_NOTES = """
query($limit: Int) {
  searchNotes(sort: {field: content, direction: asc}, limit: $limit) { items { content } nextToken total }
}
"""


@pytest.fixture(scope="module")
def started(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("search-wire-v1")
    schema = folder / "schema.graphql"
    schema.write_text(SCHEMA)
    server = emulator_server(schema, CONFIG, data_dir=folder, in_memory=False)
    tokens = {name: server.token(name) for name in ("alice", "bob")}
    tokens["admin"] = server.token("admin", groups=("Admin",))
    for book_id, title, pages in BOOKS:
        data(server.graphql("mutation($i: CreateBookInput!) { createBook(input: $i) { id } }",
                            {"i": {"id": book_id, "title": title, "pages": pages}}, token=tokens["alice"]))
    for user, content in [("alice", "a1"), ("alice", "a2"), ("bob", "b1")]:
        data(server.graphql("mutation($i: CreateNoteInput!) { createNote(input: $i) { id } }",
                            {"i": {"content": content}}, token=tokens[user]))
    return {"server": server, "tokens": tokens, "args": (schema, CONFIG), "folder": folder}


def books(started: dict[str, Any], **variables: Any) -> dict[str, Any]:
    server: RunningEmulator = started["server"]
    return data(server.graphql(SEARCH_BOOKS, variables, token=started["tokens"]["bob"]))["searchBooks"]


def test_one_sort_field_and_the_raw_sort_value_as_next_token(started: dict[str, Any]) -> None:
    first = books(started, sort={"field": "pages", "direction": "asc"}, limit=2)
    assert [i["id"] for i in first["items"]] == ["b1", "b2"] and first["total"] == 4
    assert first["nextToken"] == "200"
    # no tie-break in v1: the other 200-page book is after "200" for nobody (as in the cloud)
    second = books(started, sort={"field": "pages", "direction": "asc"}, limit=2, nextToken=first["nextToken"])
    assert [i["id"] for i in second["items"]] == ["b4"]
    assert [i["id"] for i in books(started)["items"]] == ["b4", "b3", "b2", "b1"]  # default: id descending
    assert books(started, filter={"title": {"match": "emma"}})["total"] == 1


def test_owner_rules_filter_the_page_in_the_response(started: dict[str, Any]) -> None:
    server: RunningEmulator = started["server"]
    tokens = started["tokens"]
    bob_first_page = data(server.graphql(SEARCH_NOTES, {"limit": 2}, token=tokens["bob"]))["searchNotes"]
    assert bob_first_page == {"items": [], "nextToken": None, "total": None}  # both hits were alice's
    bob = data(server.graphql(SEARCH_NOTES, {"limit": 3}, token=tokens["bob"]))["searchNotes"]
    assert bob == {"items": [{"content": "b1"}], "nextToken": "b1", "total": 1}
    admin = data(server.graphql(SEARCH_NOTES, {"limit": 3}, token=tokens["admin"]))["searchNotes"]
    assert [i["content"] for i in admin["items"]] == ["a1", "a2", "b1"] and admin["total"] == 3


def test_the_index_is_rebuilt_from_the_table_at_start(emulator_server, started: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    started["server"].stop()
    schema, config = started["args"]
    restarted = emulator_server(schema, config, data_dir=started["folder"], in_memory=False)
    assert restarted is not started["server"]
    started["server"] = restarted
    found = books(started, sort={"field": "title", "direction": "asc"})
    assert [i["id"] for i in found["items"]] == ["b1", "b2", "b3", "b4"] and found["total"] == 4
