"""Lambda (through a fake invoker), HTTP (against a loopback server), NONE and unsupported data
sources, and building data sources from specs (issue 13, point 1)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolver_specs import CustomResolvers, DataSourceSpec, TableSpec
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources import (
    DynamoDBSource,
    HttpSource,
    LambdaSource,
    NoneSource,
    UnsupportedSource,
    build_data_sources,
    execute,
    execute_batch,
    table_names,
)
from emulator.resolvers.datasources.http_source import endpoint_allowed
from tests.resolvers_engine import v2_api


@pytest.fixture
def ctx() -> ResolverContext:
    return ResolverContext(api=v2_api(), dynamodb=None, table_name=lambda model: f"{model}-emulator-local")


class FakeInvoker:
    """Records calls; answers by function name."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, Any, str]] = []

    def invoke(self, function_name: str, payload: Any, *, invocation_type: str) -> Any:
        self.calls.append((function_name, payload, invocation_type))
        answer = self.answers[function_name]
        if isinstance(answer, Exception):
            raise answer
        return answer(payload) if callable(answer) else answer


def test_invoke_sends_the_payload_and_returns_the_result(ctx: ResolverContext) -> None:
    invoker = FakeInvoker({"echo": lambda event: {"echoed": event["arguments"]["msg"]}})
    source = LambdaSource("EchoLambda", "echo", invoker)
    outcome = execute(source, {"version": "2018-05-29", "operation": "Invoke",
                               "payload": {"arguments": {"msg": "hi"}}}, ctx)
    assert outcome.result == {"echoed": "hi"} and outcome.error is None
    fired = execute(source, {"operation": "Invoke", "payload": {"arguments": {"msg": "x"}}, "invocationType": "Event"}, ctx)
    assert fired.ok and fired.result is None
    assert invoker.calls[-1] == ("echo", {"arguments": {"msg": "x"}}, "Event")


def test_a_failing_function_is_lambda_unhandled(ctx: ResolverContext) -> None:
    invoker = FakeInvoker({"boom": AppSyncError("echo failed on purpose", "Lambda:Unhandled"),
                           "crash": RuntimeError("runner died")})
    outcome = execute(LambdaSource("Boom", "boom", invoker), {"operation": "Invoke", "payload": {}}, ctx)
    assert outcome.context_error() == {"message": "echo failed on purpose", "type": "Lambda:Unhandled"}
    crashed = execute(LambdaSource("Crash", "crash", invoker), {"operation": "Invoke"}, ctx)
    assert crashed.context_error() == {"message": "runner died", "type": "Lambda:Unhandled"}
    nowhere = execute(LambdaSource("Nowhere", "nowhere", None), {"operation": "Invoke"}, ctx)
    assert nowhere.error is not None and nowhere.error.error_type == "Lambda:ResourceNotFoundException"
    with pytest.raises(AppSyncError, match="invocationType"):
        execute(LambdaSource("Boom", "boom", invoker), {"operation": "Invoke", "invocationType": "Later"}, ctx)


def test_batch_invoke_sends_one_list_and_hands_each_resolver_its_element(ctx: ResolverContext) -> None:
    invoker = FakeInvoker({"authors": lambda events: [{"name": f"author of {e['source']['id']}"} for e in events]})
    source = LambdaSource("Authors", "authors", invoker)
    documents = [{"operation": "BatchInvoke", "payload": {"source": {"id": f"p{i}"}}} for i in range(3)]
    outcomes = execute_batch(source, documents, ctx)
    assert [o.result for o in outcomes] == [{"name": "author of p0"}, {"name": "author of p1"}, {"name": "author of p2"}]
    assert len(invoker.calls) == 1 and len(invoker.calls[0][1]) == 3
    single = execute(source, documents[0], ctx)  # a lone BatchInvoke is a batch of one
    assert single.result == {"name": "author of p0"} and invoker.calls[-1][1] == [documents[0]["payload"]]
    short = LambdaSource("Short", "short", FakeInvoker({"short": [1]}))
    assert all(o.error is not None and "one result per payload" in o.error.message
               for o in execute_batch(short, documents, ctx))


def test_none_returns_the_payload_untouched(ctx: ResolverContext) -> None:
    payload = {"nested": [1, {"a": None}], "text": "x"}
    assert execute(NoneSource("NONE_DS"), {"version": "2017-02-28", "payload": payload}, ctx).result == payload
    assert execute(NoneSource("NONE_DS"), {}, ctx).result is None
    with pytest.raises(AppSyncError, match=r"Unsupported element '\$\[operation\]'"):
        execute(NoneSource("NONE_DS"), {"operation": "Invoke"}, ctx)


def test_an_unsupported_kind_fails_per_call_with_its_name(ctx: ResolverContext) -> None:
    outcome = execute(UnsupportedSource("Search", "AMAZON_OPENSEARCH_SERVICE"), {"operation": "x"}, ctx)
    assert outcome.error is not None and "AMAZON_OPENSEARCH_SERVICE" in outcome.error.message


class EchoHandler(BaseHTTPRequestHandler):
    """Answers with what it received; ``/status/<code>`` answers that status."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        status = int(self.path.split("/status/")[1].split("?")[0]) if "/status/" in self.path else 200
        answer = json.dumps({"method": self.command, "path": self.path, "body": body,
                             "token": self.headers.get("x-token")}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("x-served-by", "echo")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_request_document_reaches_the_endpoint(ctx: ResolverContext, echo_server: str) -> None:
    source = HttpSource("Echo", echo_server + "/api/")
    outcome = execute(source, {"version": "2018-05-29", "method": "POST", "resourcePath": "/items",
                               "params": {"query": {"q": "a b", "tag": ["x", "y"]},
                                          "headers": {"x-token": "t1"}, "body": "{\"n\":1}"}}, ctx)
    assert outcome.ok and outcome.result["statusCode"] == 200
    assert outcome.result["headers"]["x-served-by"] == "echo"
    assert json.loads(outcome.result["body"]) == {
        "method": "POST", "path": "/api/items?q=a+b&tag=x&tag=y", "body": "{\"n\":1}", "token": "t1"}
    not_found = execute(source, {"method": "GET", "resourcePath": "/status/404"}, ctx)
    assert not_found.ok and not_found.result["statusCode"] == 404  # a status is a result, not an error
    with pytest.raises(AppSyncError, match=r"Value for field '\$\[resourcePath\]' not found"):
        execute(source, {"method": "GET"}, ctx)


def test_http_refuses_other_hosts_unless_allowed_and_reports_unreachable_ones(ctx: ResolverContext) -> None:
    outside = execute(HttpSource("Weather", "https://api.weather.example"), {"method": "GET", "resourcePath": "/"}, ctx)
    assert outside.error is not None and outside.error.error_type == "HTTP:EndpointNotAllowed"
    assert "[data_sources.Weather] allow_external = true" in outside.error.message
    assert endpoint_allowed("https://api.weather.example", allow_external=True)
    assert all(endpoint_allowed(url, allow_external=False)
               for url in ("http://localhost:1", "http://127.0.0.2:8080", "http://[::1]:9000"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    refused = execute(HttpSource("Down", f"http://127.0.0.1:{closed_port}"), {"method": "GET", "resourcePath": "/"}, ctx)
    assert refused.error is not None and refused.error.error_type == "HTTP:RequestFailed"


def test_data_sources_are_built_from_specs_and_table_names_resolve(ctx: ResolverContext) -> None:
    api = v2_api()
    custom = CustomResolvers(
        data_sources={
            "PostTable": DataSourceSpec("PostTable", "AMAZON_DYNAMODB", "implicit", table="Post-emulator-local", model="Post"),
            "Ledger": DataSourceSpec("Ledger", "AMAZON_DYNAMODB", "stack", table="ledger-local"),
            "Echo": DataSourceSpec("Echo", "AWS_LAMBDA", "stack", function_name="echo"),
            "Web": DataSourceSpec("Web", "HTTP", "stack", endpoint="http://127.0.0.1:1", allow_external=True),
            "NONE_DS": DataSourceSpec("NONE_DS", "NONE", "implicit"),
            "Search": DataSourceSpec("Search", "AMAZON_OPENSEARCH_SERVICE", "stack"),
        },
        tables=(TableSpec("ledger-local", {"TableName": "ledger-local"}, "stack"),),
    )
    tables = table_names(api, lambda model: f"{model}-emulator-local", custom)
    invoker = FakeInvoker({})
    sources = build_data_sources(custom.data_sources, tables, invoker=invoker)
    assert sources["PostTable"] == DynamoDBSource("PostTable", "Post-emulator-local", tables)
    assert sources["Ledger"].table == "ledger-local"
    assert sources["Echo"] == LambdaSource("Echo", "echo", invoker)
    assert isinstance(sources["Web"], HttpSource) and sources["Web"].allow_external
    assert isinstance(sources["NONE_DS"], NoneSource) and isinstance(sources["Search"], UnsupportedSource)
    assert [tables.resolve(name) for name in ("BlogTable", "Blog-abc123xyz-dev", "Blog-emulator-local", "Ledger",
                                             "ledger-local", "Elsewhere")] == [
        "Blog-emulator-local", "Blog-emulator-local", "Blog-emulator-local", "ledger-local", "ledger-local", "Elsewhere"]


def test_the_function_runners_errors_keep_their_type(ctx: ResolverContext) -> None:
    from emulator.resolvers.functions import FunctionError, UnknownFunction

    invoker = FakeInvoker({"boom": FunctionError("handler threw"), "gone": UnknownFunction("no function named gone")})
    thrown = execute(LambdaSource("Boom", "boom", invoker), {"operation": "Invoke", "payload": {}}, ctx)
    assert thrown.context_error() == {"message": "handler threw", "type": "Lambda:Unhandled"}
    missing = execute(LambdaSource("Gone", "gone", invoker), {"operation": "Invoke", "payload": {}}, ctx)
    assert missing.context_error() == {"message": "no function named gone", "type": "Lambda:ResourceNotFoundException"}
