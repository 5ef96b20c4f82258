"""A project's own resolvers running DataStore's ``Sync`` over the wire: a VTL and an APPSYNC_JS
resolver on a versioned model's data source answer what the generated ``syncNotes`` answers (base
table with tombstones, then only the changes since ``lastSync``, ``startedAt``, pages), and a Sync
on a data source that is not versioned fails with a ``MappingTemplate`` error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator

API_KEY = "da2-datastoresyncresolvers00000"
SCHEMA = """
type Note @model @auth(rules: [{allow: public}]) {
  id: ID!
  title: String!
}

type NoteChanges {
  items: [Note]
  nextToken: String
  startedAt: AWSTimestamp
}

type Query {
  notesSince(lastSync: AWSTimestamp, limit: Int, nextToken: String): NoteChanges
  notesSinceJs(lastSync: AWSTimestamp, limit: Int, nextToken: String): NoteChanges
  ledgerSince(lastSync: AWSTimestamp): NoteChanges
}
"""
SYNC_VTL = """{
  "version": "2018-05-29",
  "operation": "Sync",
  "limit": $util.defaultIfNull($ctx.args.limit, 100),
  "lastSync": $util.toJson($util.defaultIfNull($ctx.args.lastSync, null)),
  "nextToken": $util.toJson($util.defaultIfNull($ctx.args.nextToken, null)),
  "filter": {"expression": "#t <> :hidden", "expressionNames": {"#t": "title"},
             "expressionValues": {":hidden": $util.dynamodb.toDynamoDBJson("hidden")}}
}
"""
RESPONSE_VTL = """#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
$util.toJson($ctx.result)
"""
SYNC_JS = """import { util } from '@aws-appsync/utils';

export function request(ctx) {
  return { operation: 'Sync', limit: ctx.args.limit || 100, lastSync: ctx.args.lastSync, nextToken: ctx.args.nextToken };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
"""
PAGE = "items { id title _version _deleted } nextToken startedAt"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("datastore-sync-resolvers")
    (folder / "schema.graphql").write_text(SCHEMA)
    for name, text in {"sync.req.vtl": SYNC_VTL, "sync.res.vtl": RESPONSE_VTL, "sync.js": SYNC_JS}.items():
        (folder / name).write_text(text)
    config = f"""
[auth.api_key]
keys = ["{API_KEY}"]

[datastore]
conflict_handler = "AUTOMERGE"

[data_sources.Ledger]
type = "AMAZON_DYNAMODB"
table = "ledger"
partition_key = "id"

[resolvers."Query.notesSince"]
data_source = "NoteTable"
request = "{folder / 'sync.req.vtl'}"
response = "{folder / 'sync.res.vtl'}"

[resolvers."Query.notesSinceJs"]
data_source = "NoteTable"
code = "{folder / 'sync.js'}"

[resolvers."Query.ledgerSince"]
data_source = "Ledger"
code = "{folder / 'sync.js'}"
"""
    return emulator_server(folder / "schema.graphql", config)


def call(server: RunningEmulator, query: str, **variables: Any) -> dict[str, Any]:
    return server.graphql(query, variables).json()


def page(server: RunningEmulator, field: str, **variables: Any) -> dict[str, Any]:
    query = f"query($l: AWSTimestamp, $n: Int, $t: String) {{ {field}(lastSync: $l, limit: $n, nextToken: $t) {{ {PAGE} }} }}"
    answer = call(server, query, l=variables.get("lastSync"), n=variables.get("limit"), t=variables.get("nextToken"))
    assert "errors" not in answer, answer
    return answer["data"][field]


def write(server: RunningEmulator, operation: str, **values: Any) -> None:
    name = f"{operation}Note"
    answer = call(server, f"mutation($i: {operation.title()}NoteInput!) {{ {name}(input: $i) {{ id }} }}", i=values)
    assert "errors" not in answer, answer


def test_vtl_and_js_syncs_read_the_base_table_then_the_changes_since_last_sync(server: RunningEmulator) -> None:
    write(server, "create", id="a", title="first")
    write(server, "create", id="b", title="hidden")
    write(server, "create", id="c", title="third")
    write(server, "delete", id="c", _version=1)
    base = page(server, "notesSince")
    assert sorted((i["id"], i["_version"], i["_deleted"]) for i in base["items"] if i["id"] in {"a", "b", "c"}) == [
        ("a", 1, None), ("c", 2, True)]  # the filter hides b; the tombstone is there for clients to drop
    assert base["nextToken"] is None and base["startedAt"] > 0

    write(server, "update", id="a", title="edited", _version=1)
    delta = page(server, "notesSince", lastSync=base["startedAt"])
    assert [(i["id"], i["title"], i["_version"]) for i in delta["items"]] == [("a", "edited", 2)]
    generated = call(server, f"query($l: AWSTimestamp) {{ syncNotes(lastSync: $l) {{ {PAGE} }} }}", l=base["startedAt"])
    assert [i["id"] for i in generated["data"]["syncNotes"]["items"]] == ["a"]  # the same changes

    js = page(server, "notesSinceJs", lastSync=base["startedAt"])
    assert [(i["id"], i["title"], i["_version"]) for i in js["items"]] == [("a", "edited", 2)]


def test_pages_share_the_first_pages_started_at(server: RunningEmulator) -> None:
    for n in range(3):
        write(server, "create", id=f"p{n}", title=f"page {n}")
    first = page(server, "notesSinceJs", limit=2)
    seen, token = [i["id"] for i in first["items"]], first["nextToken"]
    assert token
    while token:
        next_page = page(server, "notesSinceJs", limit=2, nextToken=token)
        assert next_page["startedAt"] == first["startedAt"]
        seen, token = seen + [i["id"] for i in next_page["items"]], next_page["nextToken"]
    assert {"p0", "p1", "p2"} <= set(seen)


def test_a_sync_on_a_data_source_that_is_not_versioned_fails(server: RunningEmulator) -> None:
    answer = call(server, "{ ledgerSince { items { id } } }")
    assert answer["data"] == {"ledgerSince": None}
    [error] = answer["errors"]
    assert error["errorType"] == "MappingTemplate"
    assert "Sync requests can only be made to versioned DynamoDB data sources" in error["message"]
