"""Running APPSYNC_JS handlers: the context, util/runtime/extensions, errors as AppSync reports
them, limits, and isolation (a fresh QuickJS context per run, nothing of the host reachable)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from emulator.resolvers.appsync_js import EarlyReturn, JsCodeLoader, JsLimits, evaluate
from emulator.resolvers.appsync_util import UtilRequest
from tests.appsync_js_support import RESPONSE, loaded, request_only, run


@pytest.fixture(scope="module")
def loader() -> JsCodeLoader:
    return JsCodeLoader()


def field_request(**fields: object) -> UtilRequest:
    return UtilRequest(field_name="getPost", parent_type_name="Query", **fields)  # type: ignore[arg-type]


# --- the context ------------------------------------------------------------------------------


def test_the_handler_sees_appsyncs_context(loader: JsCodeLoader) -> None:
    context = {
        "arguments": {"id": "p1"},
        "identity": {"sub": "u1", "username": "alice", "claims": {"email": "a@x"}},
        "source": {"blogId": "b1"},
        "result": {"items": [1]},
        "prev": {"result": {"from": "fn1"}},
        "error": {"message": "boom", "type": "DynamoDB:ConditionalCheckFailedException"},
        "info": {
            "fieldName": "getPost", "parentTypeName": "Query", "variables": {"id": "p1"},
            "selectionSetList": ["id", "title"], "selectionSetGraphQL": "{ id title }",
        },
        "request": {"headers": {"x-trace": "t1"}, "domainName": None},
        "env": {"STAGE": "local"},
    }
    body = (
        "  return { args: ctx.args.id, sameObject: ctx.args === ctx.arguments, sub: ctx.identity.sub,\n"
        "    email: ctx.identity.claims.email, source: ctx.source.blogId, result: ctx.result.items,\n"
        "    prev: ctx.prev.result.from, error: [ctx.error.message, ctx.error.type], info: ctx.info,\n"
        "    header: ctx.request.headers['x-trace'], domain: ctx.request.domainName, env: ctx.env.STAGE };"
    )
    outcome = run(loader, request_only(body), **context)
    assert outcome.error is None
    assert outcome.value == {
        "args": "p1", "sameObject": True, "sub": "u1", "email": "a@x", "source": "b1", "result": [1],
        "prev": "fn1", "error": ["boom", "DynamoDB:ConditionalCheckFailedException"], "info": context["info"],
        "header": "t1", "domain": None, "env": "local",
    }


def test_the_stash_comes_back_for_the_next_handler_and_env_is_read_only(loader: JsCodeLoader) -> None:
    outcome = run(loader, request_only("  ctx.stash.count = (ctx.stash.count ?? 0) + 1;\n  ctx.stash.list = [ctx.args.id];\n  return {};"),
                  arguments={"id": "a"}, stash={"count": 1, "kept": True})
    assert outcome.stash == {"count": 2, "kept": True, "list": ["a"]}
    frozen = run(loader, request_only("  ctx.env.STAGE = 'prod';\n  return {};"), env={"STAGE": "local"})
    assert frozen.error is not None and frozen.error.error_type == "Code"
    assert frozen.error.message.startswith("code.js:2:")


def test_returned_values_cross_as_json(loader: JsCodeLoader) -> None:
    assert run(loader, request_only("  return;")).value is None
    assert run(loader, request_only("  return [1, 1.5, 'x', true, null, { a: undefined, b: 2 }];")).value == [1, 1.5, "x", True, None, {"b": 2}]
    assert run(loader, request_only("  return ctx.args.n + 1;"), arguments={"n": Decimal("41")}).value == 42
    cyclic = run(loader, request_only("  const a = {};\n  a.self = a;\n  return a;"))
    assert cyclic.error is not None and "not JSON" in cyclic.error.message


# --- util, runtime, extensions -----------------------------------------------------------------


def test_util_error_ends_the_handler_with_its_message_type_data_and_info(loader: JsCodeLoader) -> None:
    body = "  ctx.stash.before = 1;\n  util.error('Post not found', 'NotFound', { id: 'p1' }, { hint: 'x' });\n  ctx.stash.after = 1;\n  return {};"
    outcome = run(loader, request_only(body))
    assert outcome.value is None
    assert (outcome.error.message, outcome.error.error_type, outcome.error.data, outcome.error.error_info) == (
        "Post not found", "NotFound", {"id": "p1"}, {"hint": "x"}
    )
    assert outcome.stash == {"before": 1}


def test_append_error_collects_and_the_handler_goes_on(loader: JsCodeLoader) -> None:
    request = field_request()
    source = "import { util } from '@aws-appsync/utils';\n" + request_only("  util.appendError('first', 'Warn');\n  util.appendError('second');\n  return { ok: true };")
    first = run(loader, source, util_request=request)
    second = run(loader, source, util_request=request)
    assert first.value == {"ok": True} and first.error is None
    assert [(error.message, error.error_type) for error in first.errors] == [("first", "Warn"), ("second", None)]
    assert len(second.errors) == 2 and len(request.appended_errors) == 4  # each outcome lists its own run


def test_unauthorized_names_the_field(loader: JsCodeLoader) -> None:
    outcome = run(loader, request_only("  util.unauthorized();"), util_request=field_request())
    assert (outcome.error.message, outcome.error.error_type) == ("Not Authorized to access getPost on type Query", "Unauthorized")


@pytest.mark.parametrize(
    ("call", "value", "skip_to"),
    [("runtime.earlyReturn({ hello: 'world' })", {"hello": "world"}, None),
     ("runtime.earlyReturn(ctx.args, { skipTo: 'END' })", {"id": "1"}, "END"),
     ("runtime.earlyReturn(null, { skipTo: 'NEXT' })", None, "NEXT"),
     ("runtime.earlyReturn()", None, None)],
)
def test_early_return_ends_the_handler_with_its_value(loader: JsCodeLoader, call: str, value: object, skip_to: str | None) -> None:
    # The documentation's example: code after earlyReturn does not run.
    source = f"import {{ runtime }} from '@aws-appsync/utils';\nexport function request(ctx) {{\n  ctx.stash.seen = true;\n  {call};\n  return ctx.args;\n}}" + RESPONSE
    outcome = run(loader, source, arguments={"id": "1"})
    assert outcome.early_return == EarlyReturn(skip_to)
    assert outcome.value == value and outcome.error is None and outcome.stash == {"seen": True}


def test_early_return_refuses_an_unknown_skip_to(loader: JsCodeLoader) -> None:
    outcome = run(loader, request_only("  runtime.earlyReturn({}, { skipTo: 'LATER' });"))
    assert outcome.early_return is None
    assert outcome.error.message == "code.js:2:11: Error: runtime.earlyReturn: skipTo must be 'END' or 'NEXT', got \"LATER\""


def test_util_extensions_and_runtime_exist_without_import_and_only_javascripts_helpers(loader: JsCodeLoader) -> None:
    body = "  return [typeof util.autoId, typeof util.time.nowISO8601, typeof util.log.info, typeof util.toJson, typeof util.isNull, typeof util.str.toUpper, typeof extensions.setSubscriptionFilter, typeof runtime.earlyReturn];"
    assert run(loader, request_only(body)).value == ["function", "function", "function", "undefined", "undefined", "undefined", "function", "function"]


def test_util_helpers_use_the_requests_clock_and_random_source(loader: JsCodeLoader) -> None:
    request = field_request(clock=lambda: 1_700_000_000_123, random_bytes=lambda count: bytes(range(count)))
    body = "  return [util.autoId(), util.time.nowISO8601(), util.time.nowEpochSeconds(), util.dynamodb.toMapValues({ id: 'x', n: 2 }), JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { contains: 'a' } })).expressionNames, util.authType()];"
    assert run(loader, request_only(body), util_request=request).value == [
        "00010203-0405-4607-8809-0a0b0c0d0e0f", "2023-11-14T22:13:20.123Z", 1_700_000_000,
        {"id": {"S": "x"}, "n": {"N": 2}}, {"#title": "title"}, "API Key Authorization",
    ]


def test_a_helper_misused_fails_at_the_callers_position(loader: JsCodeLoader) -> None:
    wrong_count = run(loader, request_only("  const id = util.autoId(1);\n  return id;"))
    assert wrong_count.error.message == "code.js:2:19: Error: util.autoId: wrong number of arguments (1)"
    bad_value = run(loader, request_only("  return util.matches(null, 'x');"))
    assert bad_value.error.message.startswith("code.js:2:")  # QuickJS places a call at its name or its arguments
    assert bad_value.error.message.endswith(": Error: util.matches needs a pattern and a string")
    assert bad_value.error.error_type == "Code"


def test_logs_go_to_the_outcome_and_the_emulators_log(loader: JsCodeLoader, caplog: pytest.LogCaptureFixture) -> None:
    body = "  console.log('saving', ctx.args.id, { n: 1 });\n  console.error('bad', [1]);\n  util.log.info('user {} did {}', 'alice', 'x');\n  return {};"
    with caplog.at_level(logging.INFO, logger="emulator.resolvers"):
        outcome = run(loader, request_only(body), util_request=field_request(), arguments={"id": "p1"})
    assert outcome.logs == ['saving p1 {"n":1}', "bad [1]", "user alice did x"]
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("INFO", 'Query.getPost: saving p1 {"n":1}'), ("ERROR", "Query.getPost: bad [1]"), ("INFO", "Query.getPost: user alice did x"),
    ]


def test_extensions_and_response_headers_are_recorded(loader: JsCodeLoader) -> None:
    body = (
        "  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: ctx.identity.sub } }));\n"
        "  extensions.invalidateSubscriptions({ subscriptionField: 'onPostDeleted', payload: { id: ctx.args.id } });\n"
        "  extensions.evictFromApiCache('Query', 'getPost', { 'context.arguments.id': ctx.args.id });\n"
        "  util.http.addResponseHeader('x-custom', 'yes');\n"
        "  return null;"
    )
    outcome = run(loader, request_only(body), arguments={"id": "p1"}, identity={"sub": "u1"})
    assert outcome.extensions.subscription_filters == [
        {"filterGroup": [{"filters": [{"fieldName": "owner", "operator": "eq", "value": "u1"}]}]}
    ]
    assert outcome.extensions.invalidations == [{"subscriptionField": "onPostDeleted", "payload": {"id": "p1"}}]
    assert outcome.extensions.cache_evictions == [{"typeName": "Query", "fieldName": "getPost", "keys": {"context.arguments.id": "p1"}}]
    assert outcome.response_headers == {"x-custom": "yes"}


# --- errors as AppSync reports them ------------------------------------------------------------


def test_an_exception_names_the_users_own_line_and_column(loader: JsCodeLoader) -> None:
    # Line 1 carries the import bindings and every body a CPU tick: positions are still the user's.
    source = (
        "import { util } from '@aws-appsync/utils'; export function request(ctx) { return ctx.args.a.b; }\n"
        "export function response(ctx) {\n"
        "  for (const item of ctx.result.items) { item.x.y; }\n"
        "  return null;\n"
        "}\n"
    )
    first = run(loader, source, arguments={})
    assert (first.error.message, first.error.error_type) == ("code.js:1:82: TypeError: cannot read property 'b' of undefined", "Code")
    second = run(loader, source, "response", result={"items": [{}]})
    assert second.error.message == "code.js:3:42: TypeError: cannot read property 'y' of undefined"


def test_an_exception_in_top_level_code_is_reported_too(loader: JsCodeLoader) -> None:
    outcome = run(loader, "const config = JSON.parse('{');\n" + request_only("  return config;"))
    assert outcome.error.error_type == "Code"
    assert outcome.error.message.startswith("code.js:1:") and "SyntaxError" in outcome.error.message


def test_a_handler_using_too_much_cpu_is_stopped(loader: JsCodeLoader) -> None:
    nested = request_only("  const list = Array(400).fill(0);\n  let n = 0;\n  for (const a of list) { for (const b of list) { for (const c of list) { n = n + 1; } } }\n  return n;")
    endless = (
        "const step = { done: false, value: 1 };\nconst forever = { [Symbol.iterator]: () => ({ next: () => step }) };\n"
        + request_only("  let n = 0;\n  for (const x of forever) { n = n + x; }\n  return n;")
    )
    for source in (nested, endless):
        outcome = evaluate(loaded(loader, source), "request", {"arguments": {}}, limits=JsLimits(cpu_seconds=0.05))
        assert outcome.value is None
        assert (outcome.error.message, outcome.error.error_type) == (
            "code.js: Execution timed out: the handler used more than 50 ms of CPU time.", "Code"
        )


def test_memory_and_stack_are_limited(loader: JsCodeLoader) -> None:
    hungry = request_only("  const parts = [];\n  for (const i of Array(1e7).fill(0)) { parts.push('x' + i); }\n  return parts.length;")
    outcome = evaluate(loaded(loader, hungry), "request", {"arguments": {}}, limits=JsLimits(memory_bytes=8 * 1024 * 1024))
    assert outcome.error.error_type == "Code" and "out of memory (the emulator's limit is 8 MB)" in outcome.error.message
    deep = "const walker = { down(n) { return walker.down(n + 1); } };\n" + request_only("  return walker.down(0);")
    outcome = run(loader, deep)
    assert outcome.error.error_type == "Code" and "stack" in outcome.error.message


# --- isolation ---------------------------------------------------------------------------------


def test_module_state_is_fresh_for_every_request(loader: JsCodeLoader) -> None:
    source = "let calls = 0;\n" + request_only("  calls = calls + 1;\n  return calls;")
    assert [run(loader, source).value for _ in range(3)] == [1, 1, 1]


def test_nothing_of_the_host_is_reachable(loader: JsCodeLoader) -> None:
    body = (
        "  return [typeof eval, typeof Function, typeof (function () {}).constructor, typeof globalThis.__appsync_host,\n"
        "    typeof require, typeof process, typeof std, typeof os, typeof setTimeout, typeof fetch, typeof XMLHttpRequest];"
    )
    assert run(loader, request_only(body)).value == ["undefined"] * 11


def test_runs_on_several_threads_at_once_stay_apart(loader: JsCodeLoader) -> None:
    code = loaded(loader, request_only("  return ctx.args.n * 2;"))

    def one(n: int) -> object:
        return evaluate(code, "request", {"arguments": {"n": n}}).value

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(one, range(40))) == [n * 2 for n in range(40)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # a loader works from any thread too
        assert pool.submit(lambda: loader.load(request_only("  return 7;"), "other.js").name).result() == "other.js"


def test_only_request_and_response_can_be_run(loader: JsCodeLoader) -> None:
    with pytest.raises(ValueError):
        evaluate(loaded(loader, request_only("  return 1;")), "handler", {})  # type: ignore[arg-type]
