"""Table data as JSON files: ``appsync-emulator export``, ``import`` and ``serve --seed``.

The format is the one people write fixtures in: one JSON object mapping a model name (``Post``,
stored in table ``Post-<api_id>-<env>``) or a table name to a list of items in plain JSON, as
GraphQL shows them::

    {"Blog": [{"id": "b1", "name": "Local"}],
     "Post": [{"id": "p1", "title": "Hello", "blogPostsId": "b1"}]}

Plain items under a model name are completed as a create mutation would complete them, so a
fixture holds only what matters to it: ``__typename``, ``createdAt``/``updatedAt`` (now),
``@default`` values, composite key attributes (``status#rating``), DataStore's ``_version`` 1 and
``_lastChangedAt`` on a versioned model and, when missing, an ``id``.
That ``id`` is derived from the item's content, so seeding the same file at every start replaces
the same items instead of piling up copies. Items are written as PutItem writes them: an item with
the same key is replaced, every other item is kept. The whole file is checked before the first
write, so a bad file changes nothing.

Also accepted on import, item by item: DynamoDB JSON (``{"id": {"S": "b1"}}``, as ``aws dynamodb
scan`` prints it) and ``batch-write-item`` requests (``{"PutRequest": {"Item": …}}``); those are
written exactly as given. ``export`` writes plain JSON (sets as lists, binary as base64 text), or
with ``dynamodb_json`` DynamoDB JSON, which keeps every type exactly (``emulator.data_export``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from emulator.apimodel import ApiModel, ModelSpec
from emulator.engine import Engine, EngineError, ensure_tables, list_table_names, start_configured_engine
from emulator.item_check import ItemChecks
from emulator.persistence import DataDirInUse, tables_dir
from emulator.resolvers.keys import composite_value, key_attributes, typed
from emulator.resolvers.values import UnsupportedValue, to_item
from emulator.resolvers.writes import iso8601
from emulator.settings import Settings

log = logging.getLogger("appsync_emulator.data_files")

DataFile = dict[str, list[dict[str, Any]]]

_DESCRIPTORS = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})
_STABLE_IDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/appsync-emulator/seed-ids")
_BATCH = 25  # BatchWriteItem's limit
_RETRIES = 5


class DataFileError(Exception):
    """A data file cannot be read or written; the message names the file, table and item."""


# ---------------------------------------------------------------------------------------------
# Reading a file


def read_data_file(path: Path) -> DataFile:
    """Parse and shape-check a data file; items stay as written (plain or DynamoDB JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if not isinstance(data, dict):
        raise DataFileError(
            f'{path}: expected one JSON object like {{"Post": [{{"id": "p1", ...}}]}}, got a {type(data).__name__}'
        )
    result: DataFile = {}
    for name, items in data.items():
        if not isinstance(items, list):
            raise DataFileError(f"{path}: {name!r} must be a list of items, got a {type(items).__name__}")
        result[name] = [_unwrapped(path, name, index, item) for index, item in enumerate(items)]
    return result


def _unwrapped(path: Path, name: str, index: int, item: Any) -> dict[str, Any]:
    """The item itself, out of a ``{"PutRequest": {"Item": …}}`` wrapper when it has one.

    A wrapped item is DynamoDB JSON by definition: one that is not (a typo'd type such as
    ``{"Q": "x"}``) is refused here rather than stored as a plain map under that attribute."""
    wrapped = isinstance(item, dict) and set(item) == {"PutRequest"} and isinstance(item["PutRequest"], dict)
    if wrapped:
        item = item["PutRequest"].get("Item")
    if not isinstance(item, dict) or not item:
        raise DataFileError(f"{path}: {name!r} item {index}: expected a non-empty JSON object, got {item!r:.80}")
    if wrapped and not is_dynamodb_json(item):
        raise DataFileError(f"{path}: {name!r} item {index}: a PutRequest Item must be DynamoDB JSON "
                            f'(every attribute like {{"S": "text"}}, types {", ".join(sorted(_DESCRIPTORS))})')
    return item


def is_dynamodb_json(item: dict[str, Any]) -> bool:
    """Every attribute is a one-key object naming a DynamoDB type (``{"S": …}``, ``{"N": …}``)."""
    return all(isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _DESCRIPTORS
               for value in item.values())


# ---------------------------------------------------------------------------------------------
# Items as they are written


def complete_item(model: ModelSpec, item: dict[str, Any], now: str) -> dict[str, Any]:
    """A plain fixture item with what a create mutation adds (see the module docstring)."""
    values = dict(item)
    for name, default in model.defaults.items():
        if values.get(name) is None:
            values[name] = default
    for timestamp in (model.created_at, model.updated_at):
        if timestamp:
            values.setdefault(timestamp, now)
    values.setdefault("__typename", model.name)
    if model.sync is not None:  # DataStore: version 1, as a create writes it
        values.setdefault("_version", 1)
        values.setdefault("_lastChangedAt", int(datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp() * 1000))
    if "id" in model.fields and "id" not in values:
        values["id"] = stable_id(model.name, item)
    for key in (model.primary_key, *(index.key for index in model.indexes)):
        attribute = key.sort_attribute
        if key.is_composite and attribute and attribute not in values and all(p in values for p in key.sort):
            values[attribute] = composite_value([values[part] for part in key.sort])
        for name in key_attributes(key):
            if name in values:
                values[name] = typed(model, name, values[name])
    index_keys = {name for index in model.indexes for name in key_attributes(index.key)}
    return {name: value for name, value in values.items() if not (name in index_keys and value is None)}


def stable_id(model: str, item: dict[str, Any]) -> str:
    """An id that depends only on the item's content: re-seeding replaces instead of duplicating."""
    content = json.dumps([model, item], sort_keys=True, default=str)
    return str(uuid.uuid5(_STABLE_IDS, content))


def _from_json_binary(value: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB JSON from a file (binary as base64 text) as boto3 takes it (binary as bytes)."""
    (kind, raw), = value.items()
    if kind == "B":
        return {"B": base64.b64decode(raw)}
    if kind == "BS":
        return {"BS": [base64.b64decode(part) for part in raw]}
    if kind == "M":
        return {"M": {name: _from_json_binary(part) for name, part in raw.items()}}
    if kind == "L":
        return {"L": [_from_json_binary(part) for part in raw]}
    return value


@dataclass
class _TableWrite:
    """Items ready for one table, each with a label naming it in the file for error messages."""

    table: str
    key_names: tuple[str, ...]
    key_types: dict[str, str]  # every key attribute of the table and its indexes: "S", "N" or "B"
    rows: list[tuple[str, dict[str, Any]]]


# ---------------------------------------------------------------------------------------------
# Import and seed


def import_data(client: Any, data: DataFile, source: Path, settings: Settings, api: ApiModel | None) -> dict[str, int]:
    """Write a parsed data file; every item is checked first. Returns items written per table."""
    existing = set(list_table_names(client))
    models = {settings.table_name(name): model for name, model in (api.models if api else {}).items()}
    checks = ItemChecks(api) if api else None
    now = iso8601(datetime.now(UTC))
    writes: dict[str, _TableWrite] = {}
    for name, items in data.items():
        table = _table_for(name, source, settings, api, existing)
        write = writes.get(table) or _TableWrite(table, table_key_names(client, table), _key_types(client, table), [])
        writes[table] = write
        model = models.get(table)
        for index, item in enumerate(items):
            label = f"{source}: {name!r} item {index}"
            prepared = _prepared(item, model, checks, now, write.key_names, label)
            _check_key_types(prepared, write.key_types, label)
            write.rows.append((label, prepared))
    for write in writes.values():
        _write_rows(client, write)
    return {write.table: len(write.rows) for write in writes.values()}


def import_file(client: Any, path: Path, settings: Settings, api: ApiModel | None) -> dict[str, int]:
    """``appsync-emulator import FILE`` and ``serve --seed FILE``."""
    counts = import_data(client, read_data_file(path), path, settings, api)
    log.info("loaded %d items from %s", sum(counts.values()), path)
    return counts


def seed_from_settings(client: Any, settings: Settings, api: ApiModel) -> None:
    """Load the ``--seed`` file, when one was given, into the tables that now exist."""
    seed = settings.extra.get("seed")
    if seed is not None:
        import_file(client, Path(seed), settings, api)


def _table_for(name: str, source: Path, settings: Settings, api: ApiModel | None, existing: set[str]) -> str:
    if api is not None and name in api.models:
        return settings.table_name(name)
    if name in existing:
        return name
    if settings.table_name(name) in existing:
        return settings.table_name(name)
    known = ", ".join(sorted(existing)) or "none yet"
    raise DataFileError(f"{source}: {name!r} is neither a model of the schema nor a table (tables: {known})")


def table_key_names(client: Any, table: str) -> tuple[str, ...]:
    described = client.describe_table(TableName=table)["Table"]
    return tuple(part["AttributeName"] for part in described["KeySchema"])


def _key_types(client: Any, table: str) -> dict[str, str]:
    """The declared type of each key attribute (table and index keys are the only ones declared)."""
    described = client.describe_table(TableName=table)["Table"]
    return {part["AttributeName"]: part["AttributeType"] for part in described.get("AttributeDefinitions", [])}


_TYPE_NAMES = {"S": "a string", "N": "a number", "B": "binary"}


def _check_key_types(item: dict[str, Any], key_types: dict[str, str], label: str) -> None:
    """What DynamoDB refuses in a key, refused before the first write so a bad file changes nothing:
    a key or index-key attribute of another type (NULL included) or an empty string/binary."""
    for name, expected in key_types.items():
        value = item.get(name)
        if value is None:
            continue
        (kind, raw), = value.items()
        if kind != expected:
            raise DataFileError(f"{label}: {name!r} is a key attribute of the table or an index and must be "
                                f"{_TYPE_NAMES.get(expected, expected)}, got {kind} {raw!r:.40}")
        if kind in ("S", "B") and not raw:
            raise DataFileError(f"{label}: {name!r} is a key attribute and cannot be empty")


def _prepared(
    item: dict[str, Any], model: ModelSpec | None, checks: ItemChecks | None, now: str, key_names: tuple[str, ...],
    label: str,
) -> dict[str, Any]:
    """The item in boto3's DynamoDB JSON; a plain item of a model completed and checked as ``createX``
    would (``emulator.item_check``), every item checked for its key attributes."""
    try:
        if is_dynamodb_json(item):
            prepared = {name: _from_json_binary(value) for name, value in item.items()}
        else:
            completed = complete_item(model, item, now) if model else item
            if model and checks:
                checks.check(model, completed)
            prepared = to_item(completed)
    except (UnsupportedValue, ValueError, TypeError, AttributeError) as exc:
        raise DataFileError(f"{label}: {exc}") from exc
    missing = [name for name in key_names if name not in prepared]
    if missing:
        raise DataFileError(f"{label}: missing key attribute {missing[0]!r}")
    return prepared


def _write_rows(client: Any, write: _TableWrite) -> None:
    for batch in _batches(write):
        try:
            _batch_write(client, write.table, [item for _, item in batch])
        except (ClientError, BotoCoreError):
            _put_one_by_one(client, write.table, batch)  # names the item the engine refuses


def _batches(write: _TableWrite) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Chunks of at most 25 items, no key twice in a chunk (later items win, as in the file)."""
    batch: dict[str, tuple[str, dict[str, Any]]] = {}
    for label, item in write.rows:
        key = json.dumps([item[name] for name in write.key_names], sort_keys=True, default=str)
        if key in batch or len(batch) == _BATCH:
            yield list(batch.values())
            batch = {}
        batch[key] = (label, item)
    if batch:
        yield list(batch.values())


def _batch_write(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    requests = {table: [{"PutRequest": {"Item": item}} for item in items]}
    for _ in range(_RETRIES):
        requests = client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
        if not requests:
            return
    raise DataFileError(f"{table}: the engine kept leaving items unprocessed")


def _put_one_by_one(client: Any, table: str, batch: list[tuple[str, dict[str, Any]]]) -> None:
    for label, item in batch:
        try:
            client.put_item(TableName=table, Item=item)
        except ClientError as exc:
            raise DataFileError(f"{label}: table {table} refused it: {exc.response['Error'].get('Message')}") from exc
        except BotoCoreError as exc:
            raise DataFileError(f"{label}: {exc}") from exc


# ---------------------------------------------------------------------------------------------
# The engine for export and import (export itself: ``emulator.data_export``)


@contextlib.contextmanager
def engine_for_data(settings: Settings, *, must_exist: bool) -> Iterator[Engine]:
    """The engine holding the configured tables, started in process when they are embedded.

    With the embedded engine this opens the data dir's tables (and takes its lock: a server
    running on the same data dir makes this fail with its pid); ``--dynamodb-endpoint`` reaches
    any endpoint instead, a running emulator's port included.
    """
    embedded = not settings.dynamodb_endpoint
    if embedded and must_exist and not tables_dir(settings.data_dir).is_dir():
        raise DataFileError(f"{settings.data_dir}: no stored tables here (check --data-dir)")
    try:
        engine = start_configured_engine(settings)
    except EngineError as exc:
        if isinstance(exc.__cause__, DataDirInUse):  # a server is running on this data dir: go through it
            raise DataFileError(
                f"{exc.__cause__.folder} is in use by another appsync-emulator process (pid {exc.__cause__.holder}); "
                "go through that server instead with --dynamodb-endpoint http://127.0.0.1:20002 (the "
                "'DynamoDB endpoint:' line it printed), or stop it first") from exc
        raise
    try:
        yield engine
    finally:
        engine.close()


def import_tables(settings: Settings, path: Path, api: ApiModel | None) -> dict[str, int]:
    """``appsync-emulator import FILE``: the schema's tables are created first when it is known."""
    with engine_for_data(settings, must_exist=False) as engine:
        if api is not None:
            ensure_tables(engine.client(), api, settings.table_name)
        return import_file(engine.client(), path, settings, api)
