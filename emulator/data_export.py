"""``appsync-emulator export``: the tables' items as a data file (the format: ``emulator.data_files``).

Plain JSON by default (sets as lists, binary as base64 text), keyed by model name where the table
follows ``<Model>-<api_id>-<env>``, items in key order so exports diff well; with ``dynamodb_json``
DynamoDB JSON, which keeps every type exactly.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from emulator.data_files import DataFile, engine_for_data, table_key_names
from emulator.engine import list_table_names
from emulator.resolvers.values import from_item
from emulator.settings import Settings


def export_data(client: Any, settings: Settings, *, dynamodb_json: bool = False) -> DataFile:
    """Every table's items, keyed by model name where the table follows ``<Model>-<api_id>-<env>``."""
    result: DataFile = {}
    for table in sorted(list_table_names(client)):
        key_names = table_key_names(client, table)
        items = sorted(_scan(client, table), key=lambda item: tuple(_sortable(item.get(k)) for k in key_names))
        name = export_name(table, settings)
        result[table if name in result else name] = [
            _to_json_binary({"M": item})["M"] if dynamodb_json else from_item(item) for item in items
        ]
    return result


def export_name(table: str, settings: Settings) -> str:
    """``Post`` for ``Post-<api_id>-<env>``; other tables keep their name."""
    suffix = settings.table_name("")
    return table[: -len(suffix)] if table.endswith(suffix) and len(table) > len(suffix) else table


def dump_data(data: DataFile) -> str:
    """The file text: stable (sorted keys, items in key order) so exports diff well."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _scan(client: Any, table: str) -> Iterator[dict[str, Any]]:
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = client.scan(**kwargs)
        yield from page.get("Items", [])
        if not page.get("LastEvaluatedKey"):
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _sortable(value: dict[str, Any] | None) -> Any:
    if not value:
        return ""
    (kind, raw), = value.items()
    return Decimal(raw) if kind == "N" else raw


def _to_json_binary(value: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB JSON as a file holds it (binary as base64 text; ``data_files`` reads it back)."""
    (kind, raw), = value.items()
    if kind == "B":
        return {"B": base64.b64encode(raw).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(part).decode("ascii") for part in raw]}
    if kind == "M":
        return {"M": {name: _to_json_binary(part) for name, part in raw.items()}}
    if kind == "L":
        return {"L": [_to_json_binary(part) for part in raw]}
    return value


def export_tables(settings: Settings, *, dynamodb_json: bool = False) -> str:
    """``appsync-emulator export``: the configured tables as data-file text."""
    with engine_for_data(settings, must_exist=True) as engine:
        return dump_data(export_data(engine.client(), settings, dynamodb_json=dynamodb_json))
