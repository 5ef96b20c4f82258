"""DataStore's tables: the delta sync table and TTL on versioned tables, made at start.

With conflict detection on, Amplify's stack adds one table per API, ``AmplifyDataStore-<api id>-<env>``
(partition ``ds_pk``, sort ``ds_sk``, both strings; TTL on ``_ttl``; v2 adds a NEW_AND_OLD_IMAGES stream)
where AppSync logs every versioned write, and turns TTL on (``_ttl``) on each versioned model's
table, where deleted items stay as tombstones. Both go through the DynamoDB API like the model
tables (``emulator.engine.ensure_tables``); existing tables and their data are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from emulator.apimodel import ApiModel, TransformerVersion
from emulator.engine import list_table_names

log = logging.getLogger("appsync_emulator.datastore")

DELTA_SYNC_TABLE = "AmplifyDataStore"  # named like a model table: AmplifyDataStore-<api id>-<env>
TTL_ATTRIBUTE = "_ttl"


def delta_sync_table_name(table_name: Callable[[str], str]) -> str:
    return table_name(DELTA_SYNC_TABLE)


def delta_sync_table_definition(name: str, version: TransformerVersion = "v2") -> dict[str, Any]:
    """CreateTable arguments of the delta sync table, as Amplify declares it (v2 with a stream, v1 without)."""
    definition: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "ds_pk", "KeyType": "HASH"}, {"AttributeName": "ds_sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "ds_pk", "AttributeType": "S"},
                                 {"AttributeName": "ds_sk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if version == "v2":
        definition["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    return definition


def ensure_datastore_tables(client: Any, api: ApiModel, table_name: Callable[[str], str]) -> list[str]:
    """Create the delta sync table when missing and turn TTL on where Amplify does; the tables created."""
    if not api.uses_datastore:
        return []
    delta = delta_sync_table_name(table_name)
    created = []
    if delta not in set(list_table_names(client)):
        client.create_table(**delta_sync_table_definition(delta, api.version))
        created.append(delta)
    for name in [delta, *(table_name(m.name) for m in api.models.values() if m.sync is not None)]:
        _enable_ttl(client, name)
    return created


def _enable_ttl(client: Any, table: str) -> None:
    """``TimeToLiveSpecification: {AttributeName: _ttl, Enabled: true}`` (an engine without TTL is told, once)."""
    try:
        described = client.describe_time_to_live(TableName=table).get("TimeToLiveDescription", {})
        if described.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return
        client.update_time_to_live(TableName=table,
                                   TimeToLiveSpecification={"AttributeName": TTL_ATTRIBUTE, "Enabled": True})
    except ClientError as exc:
        log.warning("could not turn on TTL (%s) on table %s: %s", TTL_ATTRIBUTE, table, exc)


def start_message(api: ApiModel, table_name: Callable[[str], str]) -> str | None:
    """What the start log says about DataStore: the handler of each versioned model and the delta table."""
    versioned = {name: model.sync for name, model in api.models.items() if model.sync is not None}
    if not versioned:
        return None
    handlers = ", ".join(f"{name}: {sync.conflict_handler}" + (f" ({sync.lambda_function})" if sync.lambda_function else "")
                         for name, sync in versioned.items())
    first = next(iter(versioned.values()))
    return (f"DataStore conflict detection on {len(versioned)} model{'s' if len(versioned) != 1 else ''} ({handlers}); "
            f"delta sync table {delta_sync_table_name(table_name)} keeps changes {first.delta_sync_table_ttl} min, "
            f"deleted items stay {first.base_table_ttl} min")
