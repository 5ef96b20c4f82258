"""Custom resolvers of an Amplify Gen 1 project (tests/fixtures/amplify-v2-custom-resolvers) served
over the wire: a VTL query on a model's GSI, a VTL pipeline with a stash, NONE resolvers, APPSYNC_JS
resolvers on a table the project's stack declares (and a subscription to that custom mutation), an
HTTP data source, a v2 slot, a replaced generated slot, a replaced response template, and hot
reload of a changed template.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.realtime_client import Subscription
from tests.e2e.waiting import eventually
from tests.paths import ROOT

PROJECT = ROOT / "tests" / "fixtures" / "amplify-v2-custom-resolvers"
RESOLVERS = Path("amplify/backend/api/shopapi/resolvers")


class Weather(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"summary": f"sunny ({self.path})"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def weather() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Weather)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, weather: str) -> Path:
    root = tmp_path_factory.mktemp("shop") / "shop"
    shutil.copytree(PROJECT, root)
    (root / "appsync-emulator.toml").write_text(f'[data_sources.WeatherService]\nendpoint = "{weather}"\n')
    return root


@pytest.fixture(scope="module")
def shop(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    server = start_emulator(project, data_dir=tmp_path_factory.mktemp("shop-data"),
                            extra_args=["--config", str(project / "appsync-emulator.toml")])
    yield server
    server.stop()


def ask(server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return server.graphql(query, variables).json()


def test_the_start_lists_no_served_field_as_unresolved(shop: RunningEmulator) -> None:
    output = "\n".join(shop.output)
    assert "productsInCategory" not in output and "Query.quote" not in output
    assert "Query.legacySearch.req.vtl: not used" in output  # a file nothing uses is named


def test_vtl_query_on_a_models_gsi_pages_with_next_token(shop: RunningEmulator) -> None:
    for n in range(3):
        ask(shop, 'mutation($i: CreateProductInput!) { createProduct(input: $i) { id } }',
            {"i": {"id": f"gsi-{n}", "name": f"Pen {n}", "category": "gsi-office", "price": 1.5}})
    query = "query($t: String) { productsInCategory(category: \"gsi-office\", limit: 2, nextToken: $t) { items { id } nextToken } }"
    first = ask(shop, query)["data"]["productsInCategory"]
    assert len(first["items"]) == 2 and first["nextToken"]
    second = ask(shop, query, {"t": first["nextToken"]})["data"]["productsInCategory"]
    assert {item["id"] for item in first["items"] + second["items"]} == {"gsi-0", "gsi-1", "gsi-2"}


def test_vtl_pipeline_passes_the_stash_and_fails_with_the_templates_error(shop: RunningEmulator) -> None:
    ask(shop, 'mutation { createProduct(input: {id: "q1", name: "Desk", category: "furniture", price: 120.5}) { id } }')
    assert ask(shop, '{ quote(productId: "q1", quantity: 2) { productId total } }') == {
        "data": {"quote": {"productId": "q1", "total": 241.0}}}
    missing = ask(shop, '{ quote(productId: "nope", quantity: 1) { total } }')
    assert missing["data"] == {"quote": None}
    assert (missing["errors"][0]["errorType"], missing["errors"][0]["message"]) == ("NotFound", "No product nope")
    assert missing["errors"][0]["path"] == ["quote"]


def test_none_data_source_with_a_2017_02_28_template(shop: RunningEmulator) -> None:
    assert ask(shop, "{ serverTime }")["data"]["serverTime"].endswith("Z")


def test_js_resolvers_on_a_stack_table_and_a_subscription_to_the_custom_mutation(shop: RunningEmulator) -> None:
    async def scenario() -> dict[str, Any]:
        async with Subscription(shop, 'subscription { onAudit(day: "2026-12-01") { day message } }') as subscription:
            other = ask(shop, 'mutation { recordAudit(day: "2026-12-02", message: "elsewhere") { day } }')
            assert other["data"]["recordAudit"]["day"] == "2026-12-02"
            recorded = ask(shop, 'mutation { recordAudit(day: "2026-12-01", message: "hello") { day at message } }')
            assert recorded["data"]["recordAudit"]["message"] == "hello"
            return await subscription.next_event()

    event = asyncio.run(scenario())
    assert event["payload"]["data"]["onAudit"] == {"day": "2026-12-01", "message": "hello"}  # the other day is filtered
    ask(shop, 'mutation { recordAudit(day: "2026-12-01", message: "later") { at } }')
    entries = ask(shop, '{ auditLog(day: "2026-12-01") { message } }')["data"]["auditLog"]
    assert [entry["message"] for entry in entries] == ["later", "hello"]  # scanIndexForward: false
    table = "AuditTable-emulator-local"
    assert shop.dynamodb().query(TableName=table, KeyConditionExpression="#d = :d",
                                 ExpressionAttributeNames={"#d": "day"},
                                 ExpressionAttributeValues={":d": {"S": "2026-12-01"}})["Count"] == 2


def test_http_data_source(shop: RunningEmulator) -> None:
    assert ask(shop, '{ weather(city: "Perth") }') == {"data": {"weather": "sunny (/v1/current?city=Perth)"}}


def test_slot_validates_and_sets_default_values(shop: RunningEmulator) -> None:
    refused = ask(shop, 'mutation { createOrder(input: {productId: "q1", quantity: 0}) { id } }')
    assert refused["data"] == {"createOrder": None}
    assert (refused["errors"][0]["errorType"], refused["errors"][0]["message"]) == (
        "ValidationError", "quantity must be at least 1")
    created = ask(shop, 'mutation { createOrder(input: {productId: "q1", quantity: 2}) { id status quantity createdAt } }')
    order = created["data"]["createOrder"]
    assert order["status"] == "NEW" and order["quantity"] == 2 and order["createdAt"]
    explicit = ask(shop, 'mutation { createOrder(input: {productId: "q1", quantity: 1, status: "RUSH"}) { status } }')
    assert explicit["data"]["createOrder"]["status"] == "RUSH"  # the input wins over defaultValues


def test_replaced_generated_slot_and_response_template(shop: RunningEmulator) -> None:
    ask(shop, 'mutation { createProduct(input: {id: "r1", name: "Lamp", category: "light"}) { id } }')
    assert ask(shop, '{ getProduct(id: "r1") { name } }') == {"data": {"getProduct": {"name": "Lamp"}}}
    listed = ask(shop, "{ listOrders(limit: 100) { items { productId } } }")["data"]["listOrders"]["items"]
    assert {"productId": "q1"} in listed


def test_a_changed_template_is_served_after_the_reload(shop: RunningEmulator, project: Path) -> None:
    template = project / RESOLVERS / "Query.weather.res.vtl"
    template.write_text('$util.toJson("reloaded: " + $util.parseJson($ctx.result.body).summary)\n')
    eventually(lambda: ask(shop, '{ weather(city: "Oslo") }')["data"]["weather"].startswith("reloaded: "), timeout=30)



def test_lambda_data_source_runs_the_projects_function(shop: RunningEmulator) -> None:
    assert ask(shop, '{ echo(message: "hi") }') == {"data": {"echo": "echo: hi"}}
