"""DataStore resolver tests on a real engine: a versioned API's tables, its delta sync table, calls.

``datastore_harness`` transforms a schema with conflict detection on, creates its model tables and
delta sync table (as the server does at start) on the ``dynamodb_client`` engine under a unique
suffix, and gives the ``Harness`` of ``tests/resolvers_engine`` plus helpers to run root fields
and read the delta sync log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.datastore_settings import ConflictSettings, DataStoreSettings
from emulator.datastore_tables import ensure_datastore_tables
from emulator.resolvers import resolve_root
from emulator.resolvers.context import ResolverContext
from emulator.resolvers.values import from_item
from emulator.transform import TransformOptions, transform
from tests.resolvers_engine import Harness


@dataclass
class DataStoreHarness:
    harness: Harness

    def ctx(self, **overrides: Any) -> ResolverContext:
        ctx = self.harness.ctx()
        for name, value in overrides.items():
            setattr(ctx, name, value)
        return ctx

    def run(self, parent: str, name: str, args: dict[str, Any], ctx: ResolverContext | None = None) -> Any:
        return resolve_root(ctx or self.ctx(), self.harness.root(parent, name), args)

    def stored(self, model: str, item_id: str) -> dict[str, Any] | None:
        response = self.harness.client.get_item(TableName=self.harness.table_name(model), Key={"id": {"S": item_id}})
        return from_item(response.get("Item"))

    def raw(self, model: str, item_id: str) -> dict[str, Any]:
        return self.harness.client.get_item(TableName=self.harness.table_name(model), Key={"id": {"S": item_id}})["Item"]

    def delta(self) -> list[dict[str, Any]]:
        """The delta sync log, oldest first."""
        items = self.harness.client.scan(TableName=self.harness.table_name("AmplifyDataStore"))["Items"]
        return sorted((from_item(item) or {} for item in items), key=lambda r: (r["ds_pk"], r["ds_sk"]))

    def set_time(self, moment: Any) -> None:
        self.harness.now = moment

    @property
    def now_ms(self) -> int:
        return int(self.harness.now.timestamp() * 1000)


def datastore_harness(client: Any, schema: str, handler: str = "AUTOMERGE", version: str = "v2",
                      lambda_function: str | None = None, base_table_ttl: int = 43200) -> DataStoreHarness:
    datastore = DataStoreSettings(ConflictSettings(handler, lambda_function), base_table_ttl=base_table_ttl)
    api = transform(schema, TransformOptions(version=version, datastore=datastore))  # type: ignore[arg-type]
    harness = Harness(api, client).create_tables()
    ensure_datastore_tables(client, api, harness.table_name)
    return DataStoreHarness(harness)
