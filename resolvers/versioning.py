"""Writes to a versioned data source, as AppSync performs them for DataStore.

A model with conflict detection (``ModelSpec.sync``) lives in a versioned data source. AppSync then
keeps ``_version`` (1 on create, +1 on every write), ``_lastChangedAt`` (epoch milliseconds) and
``_deleted`` on its items, and:

* compares an update's or delete's ``_version`` with the stored one; on a mismatch the model's
  conflict handler decides (``emulator.resolvers.conflicts``);
* deletes softly: the item stays with ``_deleted: true`` and a ``_ttl`` of now + ``BaseTableTTL``
  (``BaseTableTTL`` 0 removes it at once);
* logs every write in the delta sync table: the new item with ``ds_pk`` = ``<table>:<yyyy-MM-dd>``,
  ``ds_sk`` = ``<HH:mm:ss.SSS>:<key>:<version>`` and ``_ttl`` = now + ``DeltaSyncTableTTL``.

Each write is guarded by the version it read, so a write that lands in between makes this one
read again and decide again (at most ``MAX_ATTEMPTS`` times, then ``MaxConflicts``). A failed
condition answers ``ConditionalCheckFailedException``, the type AppSync gives it on a versioned
data source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from emulator.apimodel import ModelSpec
from emulator.errors import AppSyncError
from emulator.resolvers.conflicts import Conflict, Resolution, resolve
from emulator.resolvers.context import FilterInput, Item, ResolverContext
from emulator.resolvers.dynamo_errors import call
from emulator.resolvers.expressions import Placeholders
from emulator.resolvers.filters import combine_and, compile_filter
from emulator.resolvers.keys import key_attributes
from emulator.resolvers.values import AttributeValue, from_attribute, from_item, to_attribute, to_item

DELTA_SYNC_TABLE = "AmplifyDataStore"
METADATA = ("_version", "_deleted", "_lastChangedAt", "_ttl")
MAX_ATTEMPTS = 10

Raw = dict[str, AttributeValue]


@dataclass(frozen=True)
class VersionedSource:
    """A versioned DynamoDB data source: its table, the delta sync table, TTLs (minutes), handler."""

    table: str
    delta_table: str
    key: tuple[str, ...]  # the table's key attributes
    type_name: str
    conflict_handler: str
    lambda_function: str | None = None
    delta_sync_table_ttl: int = 30
    base_table_ttl: int = 43200

    @classmethod
    def of(cls, ctx: ResolverContext, model: ModelSpec) -> VersionedSource:
        assert model.sync is not None
        return cls(ctx.table_name(model.name), ctx.table_name(DELTA_SYNC_TABLE), key_attributes(model.primary_key),
                   model.name, model.sync.conflict_handler, model.sync.lambda_function,
                   model.sync.delta_sync_table_ttl, model.sync.base_table_ttl)


@dataclass(frozen=True)
class Mutation:
    """The mutation asking for the write (what a Lambda conflict handler is told)."""

    field_name: str
    arguments: Mapping[str, Any]


class _ConditionFailed(Exception):
    """The write's condition failed: the caller tells a lost race from a failed condition."""


def conditional_check_failed() -> AppSyncError:
    return AppSyncError("The conditional request failed (Service: DynamoDb, Status Code: 400)",
                        "ConditionalCheckFailedException")


def put(ctx: ResolverContext, source: VersionedSource, values: Item, condition: FilterInput | None) -> Item:
    """A create: the item at version 1, guarded by ``condition``, then logged."""
    attributes = {name: to_attribute(value) for name, value in values.items() if name not in METADATA}
    attributes.update(_stamp(ctx, 1))
    placeholders = Placeholders()
    params: dict[str, Any] = {"TableName": source.table, "Item": attributes}
    expression = compile_filter(condition, placeholders)
    if expression:
        params["ConditionExpression"] = expression
    params.update(placeholders.request_fields())
    try:
        _conditional(ctx, "put_item", params)
    except _ConditionFailed:
        raise conditional_check_failed() from None
    _log_change(ctx, source, attributes)
    return _plain(attributes)


def write_existing(ctx: ResolverContext, model: ModelSpec, operation: Literal["update", "delete"], key: Item,
                   user_input: Item, condition: FilterInput | None, changes: Item | None) -> Item | None:
    """A model's ``updateX``/``deleteX`` on its versioned source, with the input's ``_version`` (0 when absent,
    as Amplify's templates send it)."""
    source = VersionedSource.of(ctx, model)
    version = user_input.get("_version") or 0
    name = model.operations.update if operation == "update" else model.operations.delete
    mutation = Mutation(name or f"{operation}{model.name}", {"input": user_input})
    try:
        if operation == "update":
            return update(ctx, source, key, changes or {}, version, condition, mutation)
        return delete(ctx, source, key, version, condition, mutation)
    except AppSyncError as error:
        if ctx.api.version == "v2" and isinstance(error.data, dict):
            # v2's response template marks $ctx.result before $util.error hands it over as data
            error.data = {**error.data, "__operation": "Mutation"}
        raise


def update(ctx: ResolverContext, source: VersionedSource, key: Item, changes: Item, version: Any,
           condition: FilterInput | None, mutation: Mutation) -> Item:
    """An update carrying ``version``: applied when it is the stored one, else the conflict handler decides."""
    incoming = {name: None if value is None else to_attribute(value) for name, value in changes.items()
                if name not in METADATA and name not in source.key}
    for _ in range(MAX_ATTEMPTS):
        existing = _read(ctx, source, key)
        if existing is None or _version(existing) == version:
            written = _write(ctx, source, key, incoming, existing, condition)
        else:
            resolution = resolve(ctx, source.conflict_handler, source.lambda_function,
                                 _conflict("update", existing, incoming, source, mutation))
            written = _carry_out(ctx, source, key, resolution, existing, condition)
        if written is not None:
            return written
    raise _max_conflicts()


def delete(ctx: ResolverContext, source: VersionedSource, key: Item, version: Any,
           condition: FilterInput | None, mutation: Mutation) -> Item | None:
    """A soft delete carrying ``version``; a conflicting one goes to the conflict handler."""
    for _ in range(MAX_ATTEMPTS):
        existing = _read(ctx, source, key)
        if existing is None:
            _check_missing(ctx, source, key, condition)
            return None
        if _version(existing) == version:
            written = _remove(ctx, source, key, existing, condition)
        else:
            resolution = resolve(ctx, source.conflict_handler, source.lambda_function,
                                 _conflict("delete", existing, {}, source, mutation))
            written = _carry_out(ctx, source, key, resolution, existing, condition)
        if written is not None:
            return written
    raise _max_conflicts()


# ---------------------------------------------------------------------------------------------
# Writes guarded by the version read


def _carry_out(ctx: ResolverContext, source: VersionedSource, key: Item, resolution: Resolution,
               existing: Raw, condition: FilterInput | None) -> Item | None:
    if resolution.action == "remove":
        return _remove(ctx, source, key, existing, condition)
    changes = {name: value for name, value in (resolution.changes or {}).items()
               if name not in METADATA and name not in source.key}
    if resolution.replace:  # the handler's item is the new item: what it leaves out goes
        changes.update({name: None for name in existing if name not in changes
                        and name not in METADATA and name not in source.key})
    return _write(ctx, source, key, changes, existing, condition)


def _write(ctx: ResolverContext, source: VersionedSource, key: Item, changes: Mapping[str, AttributeValue | None],
           existing: Raw | None, condition: FilterInput | None) -> Item | None:
    """UpdateItem of ``changes`` (None removes) at the next version; None when another write got in first."""
    placeholders = Placeholders()
    stamp = _stamp(ctx, _version(existing) + 1 if existing is not None else 1)
    sets = [f"{placeholders.name(n)} = {placeholders.attribute_value(v)}"
            for n, v in {**changes, **stamp}.items() if v is not None]
    removals = [placeholders.name(n) for n, v in changes.items() if v is None]
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removals) if removals else "")
    return _guarded(ctx, source, key, existing, condition, placeholders, "update_item",
                    {"UpdateExpression": expression, "ReturnValues": "ALL_NEW"})


def _remove(ctx: ResolverContext, source: VersionedSource, key: Item, existing: Raw,
            condition: FilterInput | None) -> Item | None:
    """The tombstone (``_deleted``, next version, ``_ttl``), or the item gone when ``BaseTableTTL`` is 0."""
    placeholders = Placeholders()
    if source.base_table_ttl == 0:
        removed = _guarded(ctx, source, key, existing, condition, placeholders, "delete_item",
                           {"ReturnValues": "ALL_OLD"}, log=False)
        if removed is None:
            return None
        tombstone = {**to_item(removed), **_stamp(ctx, _version(existing) + 1), "_deleted": {"BOOL": True}}
        _log_change(ctx, source, tombstone)
        return _plain(tombstone)
    stamp = {**_stamp(ctx, _version(existing) + 1), "_deleted": {"BOOL": True}}
    stamp["_ttl"] = {"N": str(_now_ms(ctx) // 1000 + source.base_table_ttl * 60)}
    sets = ", ".join(f"{placeholders.name(n)} = {placeholders.attribute_value(v)}" for n, v in stamp.items())
    return _guarded(ctx, source, key, existing, condition, placeholders, "update_item",
                    {"UpdateExpression": "SET " + sets, "ReturnValues": "ALL_NEW"})


def _guarded(ctx: ResolverContext, source: VersionedSource, key: Item, existing: Raw | None,
             condition: FilterInput | None, placeholders: Placeholders, operation: str,
             params: dict[str, Any], log: bool = True) -> Item | None:
    """One write under ``condition`` and "the stored version is still the one read"."""
    unchanged = None
    if existing is not None:
        unchanged = ({"_version": {"eq": from_attribute(existing["_version"])}} if "_version" in existing
                     else {"_version": {"attributeExists": False}})
    expression = compile_filter(combine_and(condition, unchanged), placeholders)
    request = {"TableName": source.table, "Key": to_item(key), **params, **placeholders.request_fields()}
    if expression:
        request["ConditionExpression"] = expression
    try:
        response = _conditional(ctx, operation, request)
    except _ConditionFailed:
        if existing is not None and _read(ctx, source, key) != existing:
            return None  # another write got in between: read again and decide again
        raise conditional_check_failed() from None
    attributes = response.get("Attributes") or {}
    if log:
        _log_change(ctx, source, attributes)
    return _plain(attributes)


def _check_missing(ctx: ResolverContext, source: VersionedSource, key: Item, condition: FilterInput | None) -> None:
    """Deleting an item that is not there: its condition (the key's ``attribute_exists``) fails."""
    placeholders = Placeholders()
    expression = compile_filter(condition, placeholders)
    if not expression:
        return
    request = {"TableName": source.table, "Key": to_item(key), "ConditionExpression": expression,
               **placeholders.request_fields()}
    try:
        _conditional(ctx, "delete_item", request)
    except _ConditionFailed:
        raise conditional_check_failed() from None


# ---------------------------------------------------------------------------------------------
# Reads, stamps and the delta sync log


def _read(ctx: ResolverContext, source: VersionedSource, key: Item) -> Raw | None:
    response = call(ctx, "get_item", TableName=source.table, Key=to_item(key), ConsistentRead=True)
    return response.get("Item")


def _conditional(ctx: ResolverContext, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        return call(ctx, operation, **params)
    except AppSyncError as error:
        if error.error_type == "DynamoDB:ConditionalCheckFailedException":
            raise _ConditionFailed() from None
        raise


def _version(item: Raw | None) -> int:
    raw = (item or {}).get("_version", {}).get("N")
    return int(raw) if raw is not None else 0


def _now_ms(ctx: ResolverContext) -> int:
    return int(ctx.now().timestamp() * 1000)


def _stamp(ctx: ResolverContext, version: int) -> Raw:
    return {"_version": {"N": str(version)}, "_lastChangedAt": {"N": str(_now_ms(ctx))}}


def _plain(attributes: Raw) -> Item:
    item = from_item(attributes) or {}
    item.pop("_ttl", None)
    return item


def _log_change(ctx: ResolverContext, source: VersionedSource, attributes: Raw) -> None:
    """The delta sync record of a write: the new item under ``ds_pk``/``ds_sk``, kept ``DeltaSyncTableTTL``."""
    changed = int(attributes["_lastChangedAt"]["N"])
    moment = datetime.fromtimestamp(changed / 1000, UTC)
    key_text = ":".join(str(from_attribute(attributes[name])) for name in source.key if name in attributes)
    record = dict(attributes)
    record.update({
        "ds_pk": {"S": f"{source.table}:{moment:%Y-%m-%d}"},
        "ds_sk": {"S": f"{moment:%H:%M:%S}.{changed % 1000:03d}:{key_text}:{attributes['_version']['N']}"},
        "_ttl": {"N": str(changed // 1000 + source.delta_sync_table_ttl * 60)},
    })
    try:
        call(ctx, "put_item", TableName=source.delta_table, Item=record)
    except AppSyncError as error:
        raise AppSyncError(f"Failed to write the delta sync record: {error.message}", "DeltaSyncWriteError") from None


def _conflict(operation: Literal["update", "delete"], existing: Raw, incoming: Mapping[str, AttributeValue | None],
              source: VersionedSource, mutation: Mutation) -> Conflict:
    return Conflict(operation, existing, dict(incoming), mutation.arguments, mutation.field_name,
                    source.type_name, source.table)


def _max_conflicts() -> AppSyncError:
    return AppSyncError(f"Reached the maximum of {MAX_ATTEMPTS} attempts to resolve the conflict.", "MaxConflicts")
