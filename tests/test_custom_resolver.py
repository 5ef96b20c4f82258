"""The custom-resolver executor (``emulator.resolvers.custom``) on a real engine: unit and pipeline
resolvers in VTL and APPSYNC_JS (mixed), the stash and ``prev.result``, early return, the
``2017-02-28``/``2018-05-29`` data-source error rules, errors in AppSync's shapes, direct Lambda."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from emulator.auth.identity import AuthMode, Identity
from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.custom import CustomResolver
from emulator.resolvers.datasources import LambdaSource, NoneSource
from emulator.resolvers.loader import remember_siblings
from tests.custom_run_support import call_of, js, pipeline, unit, vtl
from tests.datasources_support import dynamodb_source
from tests.resolvers_engine import Harness, v2_api

NONE = NoneSource("NONE_DS")
ECHO_PAYLOAD = '{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}'
RESULT = "$util.toJson($ctx.result)"


@pytest.fixture(scope="module")
def harness(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


@pytest.fixture
def ctx(harness: Harness) -> ResolverContext:
    return harness.ctx()


def run(ctx: ResolverContext, resolver: Any, arguments: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return resolver.resolve(call_of(ctx, resolver, arguments, **kwargs))


class Invoker:
    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.payloads: list[Any] = []

    def invoke(self, function_name: str, payload: Any, *, invocation_type: str) -> Any:
        self.payloads.append(payload)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


# ---------------------------------------------------------------------------------------------
# Unit resolvers


def test_vtl_unit_resolver_writes_and_reads_a_model_table(ctx: ResolverContext, harness: Harness) -> None:
    posts = dynamodb_source(harness, "Post")
    put = unit(vtl('{"version": "2018-05-29", "operation": "PutItem", "key": {"id": {"S": "$ctx.args.id"}},'
                   ' "attributeValues": $util.dynamodb.toMapValuesJson({"title": $ctx.args.title})}', RESULT), posts)
    assert run(ctx, put, {"id": "u1", "title": "Hello"}) == {"id": "u1", "title": "Hello"}
    get = unit(vtl('{"version": "2018-05-29", "operation": "GetItem", "key": {"id": $util.dynamodb.toDynamoDBJson($ctx.args.id)}}',
                   RESULT), posts)
    assert run(ctx, get, {"id": "u1"})["title"] == "Hello"
    assert run(ctx, get, {"id": "missing"}) is None  # 2018-05-29: the response template runs for null


def test_js_unit_resolver_with_the_dynamodb_helpers(ctx: ResolverContext, harness: Harness) -> None:
    posts = dynamodb_source(harness, "Post")
    code = js("""
import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ddb.put({ key: { id: ctx.args.id }, item: { title: ctx.args.title, rating: 3 } }); }
export function response(ctx) { if (ctx.error) { util.error(ctx.error.message, ctx.error.type); } return ctx.result; }
""")
    assert run(ctx, unit(code, posts), {"id": "j1", "title": "From JS"}) == {"id": "j1", "title": "From JS", "rating": 3}


def test_vtl_return_in_the_request_template_skips_the_data_source_and_the_response() -> None:
    invoker = Invoker({"never": True})
    resolver = unit(vtl('#return({"early": $ctx.args.n})\n{"operation": "Invoke"}', '$util.error("not run")'),
                    LambdaSource("Fn", "fn", invoker))
    ctx = ResolverContext(api=v2_api(), dynamodb=None, table_name=str)
    assert run(ctx, resolver, {"n": 2}) == {"early": 2}
    assert invoker.payloads == []


def test_js_early_return_in_a_unit_request_handler() -> None:
    resolver = unit(js("""
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { runtime.earlyReturn({ hello: ctx.args.name }); return {}; }
export function response(ctx) { return 'not called'; }
"""), NONE)
    ctx = ResolverContext(api=v2_api(), dynamodb=None, table_name=str)
    assert run(ctx, resolver, {"name": "world"}) == {"hello": "world"}


def test_direct_lambda_resolver_gets_the_whole_context_and_answers_its_result() -> None:
    invoker = Invoker({"answer": 42})
    resolver = unit(vtl(None, None), LambdaSource("Fn", "fn", invoker), field="Post.score")
    ctx = ResolverContext(api=v2_api(), dynamodb=None, table_name=str)
    identity = Identity(mode=AuthMode.AMAZON_COGNITO_USER_POOLS, sub="s1", username="alice")
    assert run(ctx, resolver, {"x": 1}, source={"id": "p1"}, identity=identity) == {"answer": 42}
    event = invoker.payloads[0]
    assert event["arguments"] == {"x": 1} and event["source"] == {"id": "p1"} and event["stash"] == {}
    assert event["identity"]["username"] == "alice" and event["info"]["parentTypeName"] == "Post"
    failing = unit(vtl(None, None), LambdaSource("Fn", "fn", Invoker(AppSyncError("it broke", "Lambda:Unhandled"))))
    with pytest.raises(AppSyncError, match="it broke") as raised:
        run(ctx, failing)
    assert raised.value.error_type == "Lambda:Unhandled"


# ---------------------------------------------------------------------------------------------
# Data-source errors by template version


def failing_put(version: str | None, response: str, harness: Harness) -> Any:
    version_field = f'"version": "{version}", ' if version else ""
    request = (f'{{{version_field}"operation": "PutItem", "key": {{"id": {{"S": "dup"}}}}, '
               '"condition": {"expression": "attribute_not_exists(id)"}}')
    return unit(vtl(request, response), dynamodb_source(harness, "Post"))


def test_2018_05_29_hands_the_error_to_the_response_template(ctx: ResolverContext, harness: Harness) -> None:
    ctx.dynamodb.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "dup"}, "title": {"S": "x"}})
    ignored = failing_put("2018-05-29", '{"handled": "$ctx.error.type"}', harness)
    assert run(ctx, ignored) == {"handled": "DynamoDB:ConditionalCheckFailedException"}
    raised = failing_put("2018-05-29", "$util.error($ctx.error.message, $ctx.error.type)", harness)
    with pytest.raises(AppSyncError) as error:
        run(ctx, raised)
    assert error.value.error_type == "DynamoDB:ConditionalCheckFailedException"
    assert "conditional request failed" in error.value.message


def test_2017_02_28_fails_the_field_with_the_rendered_response_as_data(ctx: ResolverContext, harness: Harness) -> None:
    ctx.dynamodb.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "dup"}, "title": {"S": "x"}})
    for version in ("2017-02-28", None):
        with pytest.raises(AppSyncError) as error:
            run(ctx, failing_put(version, '{"seen": "$ctx.error.type"}', harness))
        assert error.value.error_type == "DynamoDB:ConditionalCheckFailedException"
        assert error.value.data == {"seen": "DynamoDB:ConditionalCheckFailedException"}


def test_2017_02_28_skips_the_response_template_for_a_null_result(ctx: ResolverContext, harness: Harness) -> None:
    get = unit(vtl('{"version": "2017-02-28", "operation": "GetItem", "key": {"id": {"S": "nothing"}}}',
                   '$util.error("the response template ran")'), dynamodb_source(harness, "Post"))
    assert run(ctx, get) is None


# ---------------------------------------------------------------------------------------------
# Errors in AppSync's shape


def test_util_error_with_type_data_and_info(ctx: ResolverContext) -> None:
    resolver = unit(vtl(ECHO_PAYLOAD, '$util.error("Nope", "Custom", {"a": 1}, {"why": "test"})'), NONE)
    with pytest.raises(AppSyncError) as error:
        run(ctx, resolver)
    assert (error.value.message, error.value.error_type, error.value.data, error.value.error_info) == (
        "Nope", "Custom", {"a": 1}, {"why": "test"})


def test_append_error_keeps_the_value_and_collects_the_errors(ctx: ResolverContext) -> None:
    resolver = unit(vtl(ECHO_PAYLOAD, '$util.appendError("first", "A")\n$util.toJson($ctx.result)'), NONE)
    call = call_of(ctx, resolver, {"x": 1})
    assert resolver.resolve(call) == {"x": 1}
    assert [(e.message, e.error_type) for e in call.util.appended_errors] == [("first", "A")]


def test_unauthorized_names_the_field(ctx: ResolverContext) -> None:
    resolver = unit(js("""
import { util } from '@aws-appsync/utils';
export function request(ctx) { return {}; }
export function response(ctx) { util.unauthorized(); }
"""), NONE, field="Mutation.likePost")
    with pytest.raises(AppSyncError, match="Not Authorized to access likePost on type Mutation") as error:
        run(ctx, resolver)
    assert error.value.error_type == "Unauthorized"


def test_a_template_that_is_not_json_is_a_mapping_template_error(ctx: ResolverContext) -> None:
    not_json = unit(vtl('{"version": "2018-05-29", "payload": oops}', RESULT), NONE)
    with pytest.raises(AppSyncError) as error:
        run(ctx, not_json)
    assert error.value.error_type == "MappingTemplate"
    empty = unit(vtl(ECHO_PAYLOAD, "$util.qr($ctx.stash.put('a', 1))"), NONE)
    with pytest.raises(AppSyncError, match="empty response") as error:
        run(ctx, empty)
    assert error.value.error_type == "MappingTemplate"


def test_a_js_exception_is_a_code_error_at_the_users_line(ctx: ResolverContext) -> None:
    resolver = unit(js("export function request(ctx) {\n  return {};\n}\nexport function response(ctx) {\n"
                       "  return ctx.result.missing.deeper;\n}\n", "boom.js"), NONE)
    with pytest.raises(AppSyncError) as error:
        run(ctx, resolver)
    assert error.value.error_type == "Code" and error.value.message.startswith("code.js:5:")  # AppSync names the file code.js


def test_logs_go_to_the_emulators_log(ctx: ResolverContext, caplog: pytest.LogCaptureFixture) -> None:
    resolver = unit(js("""
import { util } from '@aws-appsync/utils';
export function request(ctx) { util.log.info(`asked for ${ctx.args.id}`); console.log('from console'); return {}; }
export function response(ctx) { return 'ok'; }
"""), NONE, field="Query.logged")
    with caplog.at_level(logging.INFO):
        assert run(ctx, resolver, {"id": "p9"}) == "ok"
    assert "Query.logged: asked for p9" in caplog.text and "Query.logged: from console" in caplog.text


# ---------------------------------------------------------------------------------------------
# Pipelines


def test_vtl_pipeline_with_stash_and_prev_result(ctx: ResolverContext) -> None:
    before = vtl('$util.qr($ctx.stash.put("seen", ["before"]))\n{"start": 1}', '$util.toJson({"last": $ctx.prev.result, "stash": $ctx.stash})')
    first = vtl('$util.qr($ctx.stash.seen.add("first"))\n{"version": "2018-05-29", "payload": {"n": $ctx.prev.result.start}}',
                '$util.toJson({"n": $ctx.result.n + 1})')
    second = vtl('{"version": "2018-05-29", "payload": {}}',
                 '$util.qr($ctx.stash.seen.add("second"))\n$util.toJson({"n": $ctx.prev.result.n * 10})')
    resolver = pipeline(before, (first, NONE), (second, NONE))
    assert run(ctx, resolver) == {"last": {"n": 20}, "stash": {"seen": ["before", "first", "second"]}}


def test_mixed_vtl_and_js_pipeline_shares_stash_and_arguments(ctx: ResolverContext, harness: Harness) -> None:
    before = js("""
export function request(ctx) { ctx.stash.calls = ['js before']; return { begin: true }; }
export function response(ctx) { return { result: ctx.prev.result, calls: ctx.stash.calls }; }
""")
    load = vtl('$util.qr($ctx.stash.calls.add("vtl load"))\n'
               '{"version": "2018-05-29", "operation": "GetItem", "key": {"id": {"S": "$ctx.args.id"}}}', RESULT)
    shape = js("""
export function request(ctx) { ctx.stash.calls.push('js shape'); return { payload: ctx.prev.result }; }
export function response(ctx) { return { title: ctx.result.title.toUpperCase(), begun: ctx.stash.calls.length }; }
""")
    harness.client.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "m1"}, "title": {"S": "mixed"}})
    resolver = pipeline(before, (load, dynamodb_source(harness, "Post")), (shape, NONE))
    assert run(ctx, resolver, {"id": "m1"}) == {
        "result": {"title": "MIXED", "begun": 3}, "calls": ["js before", "vtl load", "js shape"]}


def test_vtl_return_in_a_function_skips_its_data_source_and_continues(ctx: ResolverContext) -> None:
    invoker = Invoker("never")
    skip = vtl('#return({"skipped": true})', '$util.error("not run")')
    after = vtl("{}", "$util.toJson($ctx.prev.result)")
    resolver = pipeline(after, (skip, LambdaSource("Fn", "fn", invoker)),
                        (vtl('{"version": "2018-05-29", "payload": $util.toJson($ctx.prev.result)}', RESULT), NONE))
    assert run(ctx, resolver) == {"skipped": True}
    assert invoker.payloads == []


def test_vtl_return_in_the_before_template_returns_from_the_resolver(ctx: ResolverContext) -> None:
    resolver = pipeline(vtl('#return("from before")', '$util.error("after not run")'),
                        (vtl('$util.error("function not run")', RESULT), NONE))
    assert run(ctx, resolver) == "from before"


def test_js_early_return_skip_to_end_and_from_the_before_handler(ctx: ResolverContext) -> None:
    after = js("""
export function request(ctx) { return {}; }
export function response(ctx) { return { final: ctx.prev.result }; }
""")
    ending = js("""
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { runtime.earlyReturn('ended', { skipTo: 'END' }); }
export function response(ctx) { return 'not called'; }
""")
    never = vtl('$util.error("not run")', RESULT)
    assert run(ctx, pipeline(after, (ending, NONE), (never, NONE))) == {"final": "ended"}
    early_before = js("""
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { runtime.earlyReturn('from before'); }
export function response(ctx) { return { final: ctx.prev.result }; }
""")
    assert run(ctx, pipeline(early_before, (never, NONE))) == {"final": "from before"}


def test_a_function_error_ends_the_pipeline(ctx: ResolverContext) -> None:
    failing = vtl(ECHO_PAYLOAD, '$util.error("stop here", "Stopped")')
    after = vtl("{}", '$util.error("after not run")')
    with pytest.raises(AppSyncError, match="stop here"):
        run(ctx, pipeline(after, (failing, NONE), (vtl('$util.error("not run")', RESULT), NONE)))


def test_functions_always_get_the_error_in_their_response(ctx: ResolverContext) -> None:
    failing = vtl('{"version": "2017-02-28", "operation": "Invoke", "payload": {}}', '{"kept": "$ctx.error.message"}')
    source = LambdaSource("Fn", "fn", Invoker(AppSyncError("lambda said no", "Lambda:Unhandled")))
    after = vtl("{}", "$util.toJson($ctx.prev.result)")
    assert run(ctx, pipeline(after, (failing, source))) == {"kept": "lambda said no"}


def test_context_of_a_field_resolver_has_source_identity_info_and_headers(ctx: ResolverContext) -> None:
    code = js("""
export function request(ctx) { return { payload: { source: ctx.source, who: ctx.identity.sub, field: ctx.info.fieldName,
  parent: ctx.info.parentTypeName, header: ctx.request.headers['x-trace'] } }; }
export function response(ctx) { return ctx.result; }
""")
    ctx.request_headers = {"x-trace": "t-1"}
    identity = Identity(mode=AuthMode.OPENID_CONNECT, sub="oidc-user", issuer="https://issuer")
    assert run(ctx, unit(code, NONE, field="Post.summary"), source={"id": "p1"}, identity=identity) == {
        "source": {"id": "p1"}, "who": "oidc-user", "field": "summary", "parent": "Post", "header": "t-1"}


# ---------------------------------------------------------------------------------------------
# BatchInvoke


def test_batch_invoke_sends_the_siblings_requests_together(ctx: ResolverContext) -> None:
    class Batching:
        def __init__(self) -> None:
            self.calls: list[Any] = []

        def invoke(self, function_name: str, payload: Any, *, invocation_type: str) -> Any:
            self.calls.append(payload)
            return [{"name": f"author of {event.get('id') or event['source']['id']}"} for event in payload]

    invoker = Batching()
    request = '{"version": "2018-05-29", "operation": "BatchInvoke", "payload": {"id": $util.toJson($ctx.source.id)}}'
    resolver = CustomResolver("Post", "author", "UNIT", vtl(request, '$util.toJson({"shown": $ctx.result.name})'), "test",
                              data_source=LambdaSource("Authors", "authors", invoker), max_batch_size=2)
    posts = [{"id": f"p{i}"} for i in range(3)]
    remember_siblings(ctx, posts)
    values = [resolver.resolve(call_of(ctx, resolver, source=post)) for post in posts]
    assert values == [{"shown": f"author of p{i}"} for i in range(3)]
    assert invoker.calls == [[{"id": "p0"}, {"id": "p1"}], [{"id": "p2"}]]

    direct = CustomResolver("Post", "author", "UNIT", vtl(None, None), "test",
                            data_source=LambdaSource("Authors", "authors", invoker), max_batch_size=5)
    others = [{"id": f"q{i}"} for i in range(2)]
    remember_siblings(ctx, others)
    assert [direct.resolve(call_of(ctx, direct, source=post)) for post in others] == [
        {"name": "author of q0"}, {"name": "author of q1"}]
    assert [event["source"]["id"] for event in invoker.calls[-1]] == ["q0", "q1"]  # the whole context per item
