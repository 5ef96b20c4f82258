"""``@aws-appsync/utils/dynamodb``: builders of AppSync's DynamoDB request documents.

Each builder is a pure function from the payload the module's types describe to the request
document a DynamoDB data source takes (``{"operation": "GetItem", "key": {...}, ...}``), so the
same data-source layer serves JavaScript and VTL. Filters and conditions use the same walker as
``util.transform.toDynamoDBFilterExpression``. Written in Python (not in JavaScript inside the
runtime) so the request documents are built and tested where the data-source layer lives; the
runtime reaches them as host calls like every ``util`` helper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.resolvers.appsync_js.dynamodb_update import OPERATIONS, update_expression
from emulator.resolvers.appsync_js.dynamodb_values import (
    Placeholders,
    attribute,
    attributes,
    copy_fields,
    number_text,
    projection,
    required,
)
from emulator.resolvers.appsync_util import HelperFailure, Namespace
from emulator.resolvers.appsync_util.namespace import Helper
from emulator.resolvers.appsync_util.transform_helpers import dynamodb_expression
from emulator.resolvers.appsync_util.values import is_list, is_map, java_string

KEY_OPERATORS = {"eq": "=", "le": "<=", "lt": "<", "ge": ">=", "gt": ">"}
VERSIONED_FIELDS = ("customPartitionKey", "populateIndexFields", "_version")


def condition_expression(condition: Any, what: str = "condition") -> dict[str, Any] | None:
    """A filter object as ``{expression, expressionNames, expressionValues}`` (None when absent
    or empty)."""
    if condition is None:
        return None
    expression = dynamodb_expression(condition)
    if expression is None:
        raise HelperFailure(f"Could not build a DynamoDB {what} expression from {java_string(condition)}")
    if not expression["expression"]:
        return None
    return {name: value for name, value in expression.items() if value}


def with_condition(request: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    condition = condition_expression(payload.get("condition"))
    if condition is not None:
        request["condition"] = condition
    return copy_fields(request, payload, *VERSIONED_FIELDS)


def with_projection(request: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    expression = projection(payload.get("projection"))
    if expression is not None:
        request["projection"] = expression
    return request


def get(payload: Any) -> dict[str, Any]:
    request = {"operation": "GetItem", "key": attributes(required(payload, "key", "get"), "key")}
    return with_projection(copy_fields(request, payload, "consistentRead"), payload)


def put(payload: Any) -> dict[str, Any]:
    request = {
        "operation": "PutItem",
        "key": attributes(required(payload, "key", "put"), "key"),
        "attributeValues": attributes(payload.get("item") or {}, "item"),
    }
    return with_condition(request, payload)


def remove(payload: Any) -> dict[str, Any]:
    request = {"operation": "DeleteItem", "key": attributes(required(payload, "key", "remove"), "key")}
    return with_condition(request, payload)


def update(payload: Any) -> dict[str, Any]:
    request = {
        "operation": "UpdateItem",
        "key": attributes(required(payload, "key", "update"), "key"),
        "update": update_expression(required(payload, "update", "update")),
    }
    return with_condition(request, payload)


def key_condition(query: Any, taken: Mapping[str, Any]) -> dict[str, Any]:
    """``{id: {eq: 1}, sk: {beginsWith: 'a'}}`` as a key condition expression."""
    if not is_map(query) or not query:
        raise HelperFailure(f"query needs a key condition object, got {java_string(query)}")
    placeholders = Placeholders(taken)
    clauses = []
    for name, condition in query.items():
        if not is_map(condition) or not condition:
            raise HelperFailure(f"The key condition of '{name}' must be an object such as {{ eq: value }}")
        target = placeholders.name(java_string(name))
        for operator, operand in condition.items():
            hint = f"{name}_{operator}"
            if operator in KEY_OPERATORS:
                clauses.append(f"{target} {KEY_OPERATORS[operator]} {placeholders.value(hint, operand)}")
            elif operator == "between" and is_list(operand) and len(operand) == 2:
                low, high = (placeholders.value(f"{hint}_{index}", bound) for index, bound in enumerate(operand))
                clauses.append(f"{target} BETWEEN {low} AND {high}")
            elif operator == "beginsWith":
                clauses.append(f"begins_with({target}, {placeholders.value(hint, operand)})")
            else:
                raise HelperFailure(f"Unsupported key condition '{operator}' on '{name}'")
    return placeholders.expression(" AND ".join(clauses))


def read_request(operation: str, payload: Any, builder: str) -> dict[str, Any]:
    if not is_map(payload):
        raise HelperFailure(f"{builder} expects an object, got {java_string(payload)}")
    request: dict[str, Any] = {"operation": operation}
    filter_expression = condition_expression(payload.get("filter"), "filter")
    if filter_expression is not None:
        request["filter"] = filter_expression
    copy_fields(request, payload, "index", "limit", "nextToken", "consistentRead", "select", "scanIndexForward")
    return with_projection(request, payload)


def query(payload: Any) -> dict[str, Any]:
    request = read_request("Query", payload, "query")
    taken = request.get("filter", {}).get("expressionValues", {})
    request["query"] = key_condition(required(payload, "query", "query"), taken)
    return request


def scan(payload: Any = None) -> dict[str, Any]:
    request = read_request("Scan", payload if payload is not None else {}, "scan")
    return copy_fields(request, payload or {}, "segment", "totalSegments")


def sync(payload: Any = None) -> dict[str, Any]:
    payload = payload if payload is not None else {}
    request = read_request("Sync", payload, "sync")
    return copy_fields(request, payload, "basePartitionKey", "deltaIndexName", "lastSync")


def tables(payload: Any, builder: str) -> Mapping[str, Any]:
    found = required(payload, "tables", builder)
    if not is_map(found) or not found:
        raise HelperFailure(f"{builder} needs 'tables', an object keyed by table name")
    return found


def batch_get(payload: Any) -> dict[str, Any]:
    requested = {}
    for table, spec in tables(payload, "batchGet").items():
        keys = required(spec, "keys", f"batchGet table '{table}'")
        entry = copy_fields({"keys": [attributes(key, "key") for key in keys]}, spec, "consistentRead")
        requested[table] = with_projection(entry, spec)
    return {"operation": "BatchGetItem", "tables": requested}


def batch_put(payload: Any) -> dict[str, Any]:
    written = {table: [attributes(item) for item in _items(items, table)] for table, items in tables(payload, "batchPut").items()}
    return {"operation": "BatchPutItem", "tables": written}


def batch_delete(payload: Any) -> dict[str, Any]:
    removed = {table: [attributes(key, "key") for key in _items(keys, table)] for table, keys in tables(payload, "batchDelete").items()}
    return {"operation": "BatchDeleteItem", "tables": removed}


def _items(values: Any, table: str) -> list[Any]:
    if not is_list(values):
        raise HelperFailure(f"Table '{table}' needs a list, got {java_string(values)}")
    return list(values)


def transact_get(payload: Any) -> dict[str, Any]:
    items = []
    for item in _items(required(payload, "items", "transactGet"), "items"):
        entry = {"table": required(item, "table", "transactGet item"), "key": attributes(required(item, "key", "transactGet item"), "key")}
        items.append(with_projection(entry, item))
    return {"operation": "TransactGetItems", "transactItems": items}


WRITE_KINDS = {"putItem": "PutItem", "updateItem": "UpdateItem", "deleteItem": "DeleteItem", "conditionCheck": "ConditionCheck"}


def transact_write(payload: Any) -> dict[str, Any]:
    items = []
    for item in _items(required(payload, "items", "transactWrite"), "items"):
        kinds = [kind for kind in WRITE_KINDS if is_map(item) and kind in item]
        if len(kinds) != 1:
            raise HelperFailure(f"A transactWrite item holds one of {', '.join(WRITE_KINDS)}, got {java_string(item)}")
        spec = item[kinds[0]]
        entry: dict[str, Any] = {
            "table": required(spec, "table", kinds[0]),
            "operation": WRITE_KINDS[kinds[0]],
            "key": attributes(required(spec, "key", kinds[0]), "key"),
        }
        if kinds[0] == "putItem":
            entry["attributeValues"] = attributes(spec.get("item") or {}, "item")
        elif kinds[0] == "updateItem":
            entry["update"] = update_expression(required(spec, "update", kinds[0]))
        elif kinds[0] == "conditionCheck":
            required(spec, "condition", kinds[0])
        items.append(with_condition(entry, spec))
    return {"operation": "TransactWriteItems", "transactItems": items}


def to_string_set(values: Any) -> dict[str, Any]:
    return {"SS": [java_string(value) for value in _items(values, "toStringSet")]}


def to_number_set(values: Any) -> dict[str, Any]:
    return {"NS": [number_text(value) for value in _items(values, "toNumberSet")]}


def to_binary_set(values: Any) -> dict[str, Any]:
    return {"BS": [java_string(value) for value in _items(values, "toBinarySet")]}


DYNAMODB_MODULE = Namespace(
    "dynamodb",
    {
        "get": Helper(get),
        "put": Helper(put),
        "remove": Helper(remove),
        "update": Helper(update),
        "query": Helper(query),
        "scan": Helper(scan),
        "sync": Helper(sync),
        "batchGet": Helper(batch_get),
        "batchPut": Helper(batch_put),
        "batchDelete": Helper(batch_delete),
        "transactGet": Helper(transact_get),
        "transactWrite": Helper(transact_write),
        "toStringSet": Helper(to_string_set),
        "toNumberSet": Helper(to_number_set),
        "toBinarySet": Helper(to_binary_set),
        "operations": OPERATIONS,
    },
)

__all__ = ["DYNAMODB_MODULE", "attribute"]
