"""The list trap made visible: a log line and, on request only, the figures in ``extensions``.

``limit`` counts items read before the filter, so a filtered page comes back short. The emulator
keeps that (it is what the cloud does) and tells the user: one log line with the items read and
kept and the ``@index`` that would serve the query; the same figures in the response's
``extensions`` when the request carries ``x-appsync-emulator-trace: 1``.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from emulator.testing import RunningEmulator
from tests.e2e.graphql_answers import data

KEY = "da2-listtraplocalkey0000000000"
CONFIG = f'[auth]\ndefault = "API_KEY"\n[auth.api_key]\nkeys = ["{KEY}"]\n'
SCHEMA = """
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Task @model {
  id: ID!
  title: String!
  status: String @index(name: "byStatus")
}
"""
QUERY = '{ listTasks(filter: {status: {eq: "urgent"}}, limit: 5) { items { id } nextToken } }'


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("list-trap")
    (folder / "schema.graphql").write_text(SCHEMA)
    running = emulator_server(folder / "schema.graphql", CONFIG, data_dir=folder)
    for n in range(20):
        status = "urgent" if n == 7 else "later"
        data(running.graphql(
            "mutation($t: String!, $s: String) { createTask(input: {title: $t, status: $s}) { id } }",
            {"t": f"task {n}", "s": status},
        ))
    return running


def test_default_wire_has_no_extensions(server: RunningEmulator) -> None:
    body = server.graphql(QUERY).json()
    assert set(body) == {"data"}
    assert len(body["data"]["listTasks"]["items"]) <= 1
    assert body["data"]["listTasks"]["nextToken"] is not None  # 5 of 20 read: more to scan


def test_trace_header_reports_items_read_and_kept(server: RunningEmulator) -> None:
    body = server.graphql(QUERY, headers={"x-appsync-emulator-trace": "1", "x-api-key": KEY}).json()
    (call,) = body["extensions"]["appsyncEmulator"]["listCalls"]
    assert call["field"] == "listTasks" and call["limit"] == 5
    assert call["scannedCount"] == 5
    assert call["returnedCount"] == len(body["data"]["listTasks"]["items"])
    assert call["nextToken"] is True


def test_short_page_logs_one_line_with_the_index_to_use(server: RunningEmulator) -> None:
    before = len(server.output)
    server.graphql(QUERY)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        hints = [line for line in server.output[before:] if "listTasks read 5 items" in line]
        if hints:
            break
        time.sleep(0.1)
    assert len(hints) == 1, server.output[before:]
    assert "byStatus" in hints[0] or "tasksByStatus" in hints[0]


def test_the_index_query_serves_it_in_one_page(server: RunningEmulator) -> None:
    body = httpx.post(
        server.graphql_url,
        json={"query": '{ tasksByStatus(status: "urgent") { items { title } nextToken } }'},
        headers={"x-api-key": KEY},
    ).json()
    assert body == {"data": {"tasksByStatus": {"items": [{"title": "task 7"}], "nextToken": None}}}
