"""DataStore's tables and data-source settings against what Amplify's transformer deploys.

``tests/fixtures/conformance/expected/<case>.resources.json`` holds the DynamoDB tables, AppSync
data sources and conflict-handling config of each DataStore conformance case, as Amplify's own
v1/v2 transformers synthesize them (``scripts/conformance.py``). The emulator's versioned models,
their TTLs and handlers, and the delta sync table it creates must say the same; on a real engine
the tables are created with their keys and TTL, once.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from emulator.apimodel import ApiModel
from emulator.datastore_settings import ConflictSettings, DataStoreSettings
from emulator.datastore_tables import (
    delta_sync_table_definition,
    delta_sync_table_name,
    ensure_datastore_tables,
    start_message,
)
from emulator.transform import TransformOptions, transform
from tests.conformance_cases import FIXTURES, load_cases, options_for_case

CASES = [case for case in load_cases() if case.get("artifacts")]


def _resources(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return json.loads((FIXTURES / "expected" / f"{case['name']}.resources.json").read_text())


def _api(case: dict[str, Any]) -> ApiModel:
    return transform((FIXTURES / case["schema"]).read_text(), options_for_case(case))


def _of_type(resources: dict[str, dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources.values() if r["Type"] == kind]


def _table_prefix(properties: dict[str, Any]) -> str:
    """``Post`` from ``{"Fn::Join": ["", ["Post-", ...]]}`` (v2) or ``Fn::If``/``Fn::Join("-")`` (v1)."""
    text = json.dumps(properties["TableName"])
    match = re.search(r'"([A-Za-z0-9_]+)-?"', text.split("Fn::Join", 1)[1])
    assert match, text
    return match.group(1).rstrip("-")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ttl_is_on_where_amplify_turns_it_on(case: dict[str, Any]) -> None:
    api = _api(case)
    tables = {_table_prefix(t): t for t in _of_type(_resources(case), "AWS::DynamoDB::Table")}
    with_ttl = {name for name, table in tables.items() if table.get("TimeToLiveSpecification")}
    versioned = {name for name, model in api.models.items() if model.sync is not None}
    assert with_ttl == versioned | {"AmplifyDataStore"}
    for name in with_ttl:
        assert tables[name]["TimeToLiveSpecification"] == {"AttributeName": "_ttl", "Enabled": True}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_delta_sync_table_keys_and_stream(case: dict[str, Any]) -> None:
    amplify = {_table_prefix(t): t for t in _of_type(_resources(case), "AWS::DynamoDB::Table")}["AmplifyDataStore"]
    ours = delta_sync_table_definition("AmplifyDataStore-x-NONE", case["version"])
    assert ours["KeySchema"] == amplify["KeySchema"]
    assert ours["AttributeDefinitions"] == amplify["AttributeDefinitions"]
    assert ("StreamSpecification" in ours) == ("StreamSpecification" in amplify)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_versioned_data_sources_and_ttls(case: dict[str, Any]) -> None:
    api = _api(case)
    sources = {s["Name"]: s for s in _of_type(_resources(case), "AWS::AppSync::DataSource") if s["Name"] != "NONE_DS"}
    for name, model in api.models.items():
        delta = sources[f"{name}Table"]["DynamoDBConfig"].get("DeltaSyncConfig")
        if model.sync is None:
            assert delta is None
            continue
        assert int(delta["DeltaSyncTableTTL"]) == model.sync.delta_sync_table_ttl
        assert int(delta["BaseTableTTL"]) == model.sync.base_table_ttl
        assert "AmplifyDataStore" in json.dumps(delta["DeltaSyncTableName"])


def _sync_configs(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each model's SyncConfig on its update mutation (v2 pipeline function, v1 resolver)."""
    found = {}
    for resource in _resources(case).values():
        properties = resource["Properties"]
        name = properties.get("Name", "") + properties.get("FieldName", "")
        match = re.fullmatch(r"(?:MutationUpdate(\w+)DataResolverFn|update(\w+))", name)
        if match and "SyncConfig" in properties:
            found[match.group(1) or match.group(2)] = properties["SyncConfig"]
    return found


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conflict_handlers_per_model(case: dict[str, Any]) -> None:
    api = _api(case)
    configs = _sync_configs(case)
    versioned = {name: model.sync for name, model in api.models.items() if model.sync is not None}
    assert set(configs) == set(versioned)
    for name, sync in versioned.items():
        assert configs[name]["ConflictDetection"] == "VERSION"
        assert configs[name]["ConflictHandler"] == sync.conflict_handler  # type: ignore[union-attr]
        arn = configs[name].get("LambdaConflictHandlerConfig", {}).get("LambdaConflictHandlerArn", "")
        assert (sync.lambda_function is not None) == bool(arn)  # type: ignore[union-attr]
        if arn:
            assert arn.endswith(f":function:{sync.lambda_function}")  # type: ignore[union-attr]


SCHEMA = """
type Todo @model { id: ID! name: String }
type Project @model { id: ID! title: String }
"""


def test_tables_are_created_with_keys_and_ttl_once(dynamodb_client: Any) -> None:
    suffix = uuid.uuid4().hex[:8]

    def table_name(model: str) -> str:
        return f"{model}-{suffix}-local"

    api = transform(SCHEMA, TransformOptions(version="v1", datastore=DataStoreSettings(
        models=(("Todo", ConflictSettings("AUTOMERGE")),))))
    for model in api.models:
        dynamodb_client.create_table(TableName=table_name(model), BillingMode="PAY_PER_REQUEST",
                                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    assert ensure_datastore_tables(dynamodb_client, api, table_name) == [f"AmplifyDataStore-{suffix}-local"]
    assert ensure_datastore_tables(dynamodb_client, api, table_name) == []  # kept, not created again
    delta = dynamodb_client.describe_table(TableName=delta_sync_table_name(table_name))["Table"]
    assert delta["KeySchema"] == [{"AttributeName": "ds_pk", "KeyType": "HASH"},
                                  {"AttributeName": "ds_sk", "KeyType": "RANGE"}]

    def ttl(table: str) -> dict[str, Any]:
        return dynamodb_client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]

    assert ttl(delta["TableName"]) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "_ttl"}
    assert ttl(table_name("Todo")) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "_ttl"}
    assert ttl(table_name("Project"))["TimeToLiveStatus"] == "DISABLED"


def test_no_datastore_no_tables(dynamodb_client: Any) -> None:
    api = transform(SCHEMA, TransformOptions(version="v2"))
    assert ensure_datastore_tables(dynamodb_client, api, lambda m: f"{m}-none-{uuid.uuid4().hex[:6]}") == []
    assert start_message(api, lambda m: m) is None


def test_start_message_names_each_handler_and_the_delta_table() -> None:
    api = transform(SCHEMA, TransformOptions(version="v2", datastore=DataStoreSettings(
        ConflictSettings("AUTOMERGE"), (("Todo", ConflictSettings("LAMBDA", "resolver")),), delta_sync_table_ttl=5)))
    assert start_message(api, lambda m: f"{m}-emulator-local") == (
        "DataStore conflict detection on 2 models (Todo: LAMBDA (resolver), Project: AUTOMERGE); delta sync table "
        "AmplifyDataStore-emulator-local keeps changes 5 min, deleted items stay 43200 min")
