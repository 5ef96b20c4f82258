"""BatchGetItem, BatchPutItem and BatchDeleteItem request documents.

Each is one DynamoDB call, as on AppSync, which does not retry what DynamoDB leaves unprocessed
but hands it back (``unprocessedKeys`` / ``unprocessedItems``) for the template to deal with;
that is why these do not go through ``resolvers.batch``, whose helpers split and retry for the
model resolvers. Results are keyed by the table names the document used, each list in the order
of the request: BatchGetItem has ``null`` where no item was found or the key was not processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.datasources.documents import Document, mapping_error
from emulator.resolvers.datasources.dynamodb.expressions import expression_block
from emulator.resolvers.datasources.result import DataSourceResult
from emulator.resolvers.datasources.sources import DynamoDBSource
from emulator.resolvers.datasources.typed_values import attribute_map
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.values import AttributeValue, from_item

MAX_GET_KEYS = 100
MAX_WRITE_ITEMS = 25
DynamoItem = dict[str, AttributeValue]


def batch_get_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    document.only({"version", "operation", "tables"})
    request: dict[str, Any] = {}
    wanted: dict[str, tuple[str, list[DynamoItem]]] = {}  # name in the document -> (table, keys)
    for name, table_document in _tables(source, document).items():
        table, spec = table_document
        spec.only({"keys", "consistentRead", "projection"})
        keys = [attribute_map(key, f"{spec.at('keys')}[{n}]") for n, key in enumerate(spec.array("keys", required=True))]
        entry: dict[str, Any] = {"Keys": keys}
        if spec.boolean("consistentRead", False):
            entry["ConsistentRead"] = True
        placeholders = Placeholders()
        projection = expression_block(spec, "projection", placeholders, values=False)
        if projection is not None:
            entry["ProjectionExpression"] = projection.expression
            entry.update(placeholders.request_fields())
        request[table] = entry
        wanted[name] = (table, keys)
    _check_total(sum(len(keys) for _, keys in wanted.values()), MAX_GET_KEYS, "BatchGetItem")
    response = call(ctx, "batch_get_item", RequestItems=request)
    found = {table: items for table, items in (response.get("Responses") or {}).items()}
    unprocessed = {table: entry.get("Keys", []) for table, entry in (response.get("UnprocessedKeys") or {}).items()}
    data: dict[str, list[Any]] = {}
    leftover: dict[str, list[Any]] = {}
    for name, (table, keys) in wanted.items():
        names = sorted({attribute for key in keys for attribute in key})
        by_key = {_fingerprint(item, names): item for item in found.get(table, [])}
        held = {_fingerprint(key, names) for key in unprocessed.get(table, [])}
        fingerprints = [_fingerprint(key, names) for key in keys]
        data[name] = [None if print_ in held else from_item(by_key.get(print_)) for print_ in fingerprints]
        leftover[name] = [from_item(key) for key, print_ in zip(keys, fingerprints, strict=True) if print_ in held]
    return DataSourceResult(result={"data": data, "unprocessedKeys": leftover})


def batch_put_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    return _batch_write(source, document, ctx, "PutRequest", "Item", "unprocessedItems")


def batch_delete_item(source: DynamoDBSource, document: Document, ctx: ResolverContext) -> DataSourceResult:
    return _batch_write(source, document, ctx, "DeleteRequest", "Key", "unprocessedKeys")


def _batch_write(
    source: DynamoDBSource, document: Document, ctx: ResolverContext, kind: str, member: str, leftover_name: str
) -> DataSourceResult:
    document.only({"version", "operation", "tables"})
    request: dict[str, list[dict[str, Any]]] = {}
    wanted: dict[str, tuple[str, list[DynamoItem]]] = {}
    tables = document.mapping("tables", required=True)
    assert tables is not None
    for name, table in _table_names(source, tables).items():
        entries = tables.array(name, required=True)
        values = [attribute_map(entry, f"{tables.at(name)}[{n}]") for n, entry in enumerate(entries)]
        request[table] = [{kind: {member: value}} for value in values]
        wanted[name] = (table, values)
    _check_total(sum(len(values) for _, values in wanted.values()), MAX_WRITE_ITEMS, "BatchWriteItem")
    response = call(ctx, "batch_write_item", RequestItems=request)
    unprocessed = {
        table: {_fingerprint(entry[kind][member]) for entry in entries if kind in entry}
        for table, entries in (response.get("UnprocessedItems") or {}).items()
    }
    data: dict[str, list[Any]] = {}
    leftover: dict[str, list[Any]] = {}
    for name, (table, values) in wanted.items():
        held = unprocessed.get(table, set())
        data[name] = [None if _fingerprint(value) in held else from_item(value) for value in values]
        leftover[name] = [from_item(value) for value in values if _fingerprint(value) in held]
    return DataSourceResult(result={"data": data, leftover_name: leftover})


def _tables(source: DynamoDBSource, document: Document) -> dict[str, tuple[str, Document]]:
    """BatchGetItem's ``tables``: name in the document -> (emulator table, its request object)."""
    tables = document.mapping("tables", required=True)
    assert tables is not None
    return {name: (table, _required_mapping(tables, name)) for name, table in _table_names(source, tables).items()}


def _required_mapping(parent: Document, name: str) -> Document:
    found = parent.mapping(name, required=True)
    assert found is not None
    return found


def _table_names(source: DynamoDBSource, tables: Document) -> dict[str, str]:
    """Each table name of the document and the emulator table it means (each table once)."""
    if not tables.value:
        raise mapping_error(f"'{tables.path}' must name at least one table.")
    resolved: dict[str, str] = {}
    for name in tables.value:
        table = source.tables.resolve(str(name))
        if table in resolved.values():
            first = next(given for given, other in resolved.items() if other == table)
            raise mapping_error(f"'{tables.at(name)}' and '{tables.at(first)}' name the same table ({table}).")
        resolved[str(name)] = table
    return resolved


def _check_total(count: int, limit: int, operation: str) -> None:
    if count > limit:
        raise AppSyncError(
            f"Too many items requested for the {operation} call ({count}; at most {limit}) "
            "(Service: DynamoDb, Status Code: 400)",
            "DynamoDB:ValidationException",
        )


def _fingerprint(item: Mapping[str, AttributeValue], names: Iterable[str] | None = None) -> str:
    """The values of the ``names`` attributes (all by default) of ``item``, comparable across
    DynamoDB's spellings of the same value."""
    chosen = item if names is None else {name: item[name] for name in names if name in item}
    plain = from_item(chosen) or {}
    return json.dumps(plain, sort_keys=True, default=str)
