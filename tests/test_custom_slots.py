"""Amplify v2 slots and template overrides around the native model operations
(``emulator.resolvers.custom.slots``), on a real engine: the stash keys the data step reads back,
slot order and ``prev.result``, replaced generated slots, replaced data templates."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import AppSyncError, unauthorized
from emulator.resolvers.context import AllowAll, ResolverContext
from emulator.resolvers.custom import ResolverCall, SlottedOperation
from emulator.resolvers.custom.slots import DataOverride, SlotFunction
from emulator.resolvers.root import resolve_root
from tests.custom_run_support import vtl
from tests.datasources_support import dynamodb_source
from tests.resolvers_engine import FilterPolicy, Harness, v2_api

EMPTY = "$util.toJson({})"


class DenyAll(AllowAll):
    def read_filter(self, model, operation, identity):  # type: ignore[no-untyped-def]
        raise unauthorized("x", "Query")

    def prepare_create(self, model, identity, values):  # type: ignore[no-untyped-def]
        raise unauthorized("x", "Mutation")


@pytest.fixture(scope="module")
def harness(dynamodb_client: Any) -> Harness:
    return Harness(v2_api(), dynamodb_client).create_tables()


def slot(name: str, request: str = EMPTY, response: str = EMPTY, replaces: bool = False) -> SlotFunction:
    kind, order = name.split(".")
    return SlotFunction(kind, int(order), vtl(request, response), replaces)


def operation(harness: Harness, field: str, *slots: SlotFunction, override: DataOverride | None = None) -> SlottedOperation:
    parent, name = field.split(".")
    root = harness.root(parent, name)
    model = harness.api.models[root.model or ""]
    return SlottedOperation(root, model, resolve_root, slots, override, "emulator", harness.table_name(model.name))


def run(ctx: ResolverContext, op: SlottedOperation, arguments: dict[str, Any]) -> Any:
    return op.resolve(ResolverCall.of(ctx, op.root.parent, op.root.name, arguments))


def test_init_and_pre_update_slots_shape_the_create(harness: Harness) -> None:
    init = slot("init.2", '$util.qr($ctx.stash.defaultValues.put("score", 1.5))\n'
                          '$util.qr($ctx.stash.defaultValues.put("status", "PUBLISHED"))\n' + EMPTY)
    pre = slot("preUpdate.1", '$util.qr($ctx.args.input.put("rating", 5))\n'
                              '#if($ctx.stash.typeName != "Mutation" || $ctx.stash.tableName == "")$util.error("stash")#end\n' + EMPTY)
    created = run(harness.ctx(), operation(harness, "Mutation.createPost", init, pre), {"input": {"title": "Slots"}})
    assert (created["score"], created["rating"], created["title"]) == (1.5, 5, "Slots")
    assert created["status"] == "DRAFT"  # @default is part of the input, which wins over defaultValues
    assert created["id"] and created["createdAt"] == created["updatedAt"]  # Amplify's init.1 defaults


def test_a_condition_added_by_a_slot_guards_the_write(harness: Harness) -> None:
    harness.client.put_item(TableName=harness.table_name("Post"),
                            Item={"id": {"S": "c1"}, "title": {"S": "x"}, "rating": {"N": "1"}})
    guard = slot("preUpdate.1", '$util.qr($ctx.stash.conditions.add({"rating": {"gt": 3}}))\n' + EMPTY)
    with pytest.raises(AppSyncError) as failed:
        run(harness.ctx(), operation(harness, "Mutation.updatePost", guard), {"input": {"id": "c1", "title": "y"}})
    assert failed.value.error_type == "DynamoDB:ConditionalCheckFailedException"


def test_auth_filter_in_the_stash_and_a_post_data_load_slot_deciding_the_value(harness: Harness) -> None:
    for id_, rating in (("f1", 1), ("f2", 9)):
        harness.client.put_item(TableName=harness.table_name("Post"),
                                Item={"id": {"S": id_}, "title": {"S": "f"}, "rating": {"N": str(rating)}})
    tighten = slot("preDataLoad.1", '#if($ctx.stash.authFilter.rating.gt != 0)$util.error("no authFilter")#end\n'
                                    '$util.qr($ctx.stash.put("authFilter", {"rating": {"gt": 5}}))\n' + EMPTY)
    count = slot("postDataLoad.1", "{}", '$util.toJson({"items": $ctx.prev.result.items, "nextToken": null, '
                                         '"seen": $ctx.prev.result.items.size()})')
    ctx = harness.ctx(FilterPolicy({"rating": {"gt": 0}}))
    listed = run(ctx, operation(harness, "Query.listPosts", tighten, count), {"filter": {"title": {"eq": "f"}}})
    assert [item["id"] for item in listed["items"]] == ["f2"] and listed["seen"] == 1


def test_a_post_slot_without_a_response_template_makes_the_value_an_empty_object(harness: Harness) -> None:
    harness.client.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "e1"}, "title": {"S": "e"}})
    assert run(harness.ctx(), operation(harness, "Query.getPost", slot("postDataLoad.1")), {"id": "e1"}) == {}


def test_slots_run_in_order_with_prev_result_and_errors_stop_them(harness: Harness) -> None:
    first = slot("preAuth.1", "#return({\"n\": 1})", '$util.error("skipped by #return")')
    second = slot("postAuth.1", '{"version": "2018-05-29", "payload": {"n": $ctx.prev.result.n}}',
                  '$util.toJson({"n": $ctx.result.n + 1})')
    check = slot("preDataLoad.1", '#if($ctx.prev.result.n != 2)$util.error("wrong prev")#end\n'
                                  '$util.error("stopped", "SlotError")')
    with pytest.raises(AppSyncError, match="stopped") as failed:
        run(harness.ctx(), operation(harness, "Query.getPost", first, second, check), {"id": "e1"})
    assert failed.value.error_type == "SlotError"


def test_replacing_auth_1_replaces_the_native_auth_check(harness: Harness) -> None:
    harness.client.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "a1"}, "title": {"S": "a"}})
    ctx = harness.ctx(DenyAll())
    with pytest.raises(AppSyncError, match="Not Authorized"):
        run(ctx, operation(harness, "Query.getPost"), {"id": "a1"})
    own_auth = slot("auth.1", '$util.qr($ctx.stash.put("authFilter", {"title": {"eq": "a"}}))\n' + EMPTY, replaces=True)
    assert run(ctx, operation(harness, "Query.getPost", own_auth), {"id": "a1"})["title"] == "a"


def test_replacing_init_1_drops_the_generated_default_values(harness: Harness) -> None:
    own_init = slot("init.1", '$util.qr($ctx.stash.put("defaultValues", {"id": "fixed-id", "createdAt": "2020-01-01T00:00:00.000Z", '
                              '"updatedAt": "2020-01-01T00:00:00.000Z"}))\n' + EMPTY, replaces=True)
    created = run(harness.ctx(), operation(harness, "Mutation.createPost", own_init), {"input": {"title": "i"}})
    assert (created["id"], created["createdAt"]) == ("fixed-id", "2020-01-01T00:00:00.000Z")


def test_a_replaced_response_template_gets_the_native_result_and_error(harness: Harness) -> None:
    harness.client.put_item(TableName=harness.table_name("Post"), Item={"id": {"S": "o1"}, "title": {"S": "o"}})
    response = ('#if($ctx.error)$util.toJson({"error": $ctx.error.type})#else'
                '$util.toJson({"title": $ctx.result.title, "marked": $util.isNull($ctx.result.__operation)})#end')
    override = DataOverride(vtl(None, response), dynamodb_source(harness, "Post"))
    assert run(harness.ctx(), operation(harness, "Query.getPost", override=override), {"id": "o1"}) == {"title": "o", "marked": True}
    delete = operation(harness, "Mutation.deletePost", override=override)
    assert run(harness.ctx(), delete, {"input": {"id": "missing"}}) == {"error": "DynamoDB:ConditionalCheckFailedException"}


def test_a_replaced_request_template_runs_on_the_models_table_with_the_stash(harness: Harness) -> None:
    request = ('#set($values = $ctx.stash.defaultValues)\n$util.qr($values.putAll($ctx.args.input))\n'
               '$util.qr($values.put("title", "$ctx.args.input.title (custom)"))\n'
               '{"version": "2018-05-29", "operation": "PutItem", "key": {"id": $util.dynamodb.toDynamoDBJson($values.id)},'
               ' "attributeValues": $util.dynamodb.toMapValuesJson($values)}')
    override = DataOverride(vtl(request, None), dynamodb_source(harness, "Post"))
    created = run(harness.ctx(), operation(harness, "Mutation.createPost", override=override), {"input": {"title": "r"}})
    assert created["title"] == "r (custom)" and created["__operation"] == "Mutation" and created["createdAt"]
    stored = harness.client.get_item(TableName=harness.table_name("Post"), Key={"id": {"S": created["id"]}})["Item"]
    assert stored["title"] == {"S": "r (custom)"}
