"""Issue 11 points 8, 11, 12 over the wire, on one Amplify project served for the module.

The project has ``@http`` fields and a custom field with a VTL template in ``resolvers/`` that no
resolver declares (point 11: named at start, answered with an error naming the reason, not a silent
null), DataStore conflict detection in ``transform.conf.json`` (point 12; served since issue 16: the
start names each model's handler) and ``cli.json`` feature flags that change the schema (point 8).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from emulator.unresolved import ERROR_TYPE

SCHEMA = """
type Order @model @auth(rules: [{ allow: public }]) {
  id: ID!
  total: Float
  invoice: String @http(url: "https://invoices.example.invalid/latest")
  status: String @index(name: "byStatus")
}

type Query {
  quote(item: String!): Float @http(url: "https://quotes.example.invalid/latest") @auth(rules: [{ allow: public }])
  rates: AWSJSON @http(url: "https://rates.example.invalid/latest")
  echo(text: String): String
}
"""


def _project(root: Path) -> Path:
    api_dir = root / "amplify" / "backend" / "api" / "shop"
    (api_dir / "resolvers").mkdir(parents=True)
    (api_dir / "schema.graphql").write_text(SCHEMA)
    (api_dir / "resolvers" / "Query.echo.req.vtl").write_text('{"version": "2018-05-29", "payload": {}}')
    (api_dir / "transform.conf.json").write_text(json.dumps(
        {"Version": 5, "ResolverConfig": {"project": {"ConflictHandler": "AUTOMERGE", "ConflictDetection": "VERSION"}}}))
    (root / "amplify" / "cli.json").write_text(json.dumps({"features": {"graphqltransformer": {
        "transformerversion": 2, "enableautoindexquerynames": False}}}))
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    root = _project(tmp_path_factory.mktemp("project"))
    running = start_emulator(root, data_dir=tmp_path_factory.mktemp("data"))
    yield running
    running.stop()


def _start_output(server: RunningEmulator) -> str:
    return "\n".join(server.output)


def test_start_names_every_field_without_local_resolver_and_why(server: RunningEmulator) -> None:
    output = _start_output(server)
    assert "4 fields of the schema have no resolver in the emulator" in output
    assert "Query.quote: @http(GET https://quotes.example.invalid/latest): HTTP resolvers are not run" in output
    assert "Order.invoice: @http(GET https://invoices.example.invalid/latest)" in output
    assert "Query.rates: @http(GET https://rates.example.invalid/latest)" in output
    assert "Query.echo: its custom resolver Query.echo.req.vtl" in output


def test_such_fields_answer_an_error_naming_the_reason(server: RunningEmulator) -> None:
    answer = server.graphql('{ quote(item: "a") echo(text: "x") }').json()
    assert answer["data"] == {"quote": None, "echo": None}
    errors = {e["path"][0]: e for e in answer["errors"]}
    assert errors["quote"]["errorType"] == ERROR_TYPE
    assert "HTTP resolvers are not run" in errors["quote"]["message"]
    assert "Query.echo.req.vtl" in errors["echo"]["message"]

    created = server.graphql("mutation { createOrder(input: {total: 3}) { id total invoice } }").json()
    assert created["data"]["createOrder"]["total"] == 3  # the rest of the item is served
    assert created["errors"][0]["path"] == ["createOrder", "invoice"]
    assert created["errors"][0]["errorType"] == ERROR_TYPE


def test_start_says_conflict_detection_is_on_and_the_api_has_it(server: RunningEmulator) -> None:
    output = _start_output(server)
    assert "DataStore conflict detection on 1 model (Order: AUTOMERGE)" in output
    synced = server.graphql("{ syncOrders { items { id _version } startedAt } }").json()
    assert isinstance(synced["data"]["syncOrders"]["startedAt"], int)


def test_project_feature_flags_shape_the_schema(server: RunningEmulator) -> None:
    fields = server.graphql('{ __type(name: "Query") { fields { name } } }').json()["data"]["__type"]["fields"]
    names = {f["name"] for f in fields}
    assert "listOrders" in names
    assert "ordersByStatus" not in names  # enableautoindexquerynames: false
