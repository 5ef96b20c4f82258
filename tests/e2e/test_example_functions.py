"""The functions example (``examples/functions``) does what its README says, over the wire."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.testing import RunningEmulator
from tests.e2e.waiting import eventually
from tests.functions_support import require_node
from tests.paths import ROOT

EXAMPLE = ROOT / "examples" / "functions"


@pytest.fixture(scope="module")
def server(emulator_server, tmp_path_factory: pytest.TempPathFactory) -> RunningEmulator:  # type: ignore[no-untyped-def]
    require_node(EXAMPLE)
    config = (EXAMPLE / "appsync-emulator.toml").read_text().replace('"schema.graphql"', f'"{EXAMPLE / "schema.graphql"}"')
    config = config.replace('"functions/', f'"{EXAMPLE}/functions/')
    return emulator_server(EXAMPLE / "schema.graphql", config, data_dir=tmp_path_factory.mktemp("functions-example"))


def data(server: RunningEmulator, query: str) -> dict[str, Any]:
    body = server.graphql(query, api_key="da2-functionsexamplekey0000000").json()
    assert "errors" not in body, body
    return body["data"]


def test_the_readme_tour(server: RunningEmulator) -> None:
    assert data(server, '{ hello(name: "Ada") }') == {"hello": "Hello, Ada!"}
    todo = data(server, 'mutation { createTodo(input: {title: "Write docs"}) { id summary } }')["createTodo"]
    assert todo["summary"] == "… Write docs"
    data(server, 'mutation { createTodo(input: {title: "Ship", done: true}) { id } }')
    assert data(server, "{ openTodos }") == {"openTodos": 1}
    eventually(lambda: {("created", "Write docs"), ("created", "Ship")} <= {
        (a["action"], a["title"]) for a in data(server, "{ listActivities { items { action title } } }")
        ["listActivities"]["items"]})
    assert any("hello: hello called by an API key" in line for line in server.output)
