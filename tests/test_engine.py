"""The embedded engine and table creation: keys and GSIs as Amplify's tables, data kept on restart."""

from collections.abc import Iterator

import pytest

from emulator.apimodel import ApiModel, IndexSpec, KeySpec, ModelSpec
from emulator.engine import Engine, ensure_tables, start_engine, table_definition


def model(indexes: tuple[IndexSpec, ...] = ()) -> ModelSpec:
    return ModelSpec(
        name="Inventory",
        primary_key=KeySpec("productId", ("warehouseId",)),
        fields={},
        indexes=indexes,
        key_types={"productId": "S", "warehouseId": "S", "region": "S"},
    )


REGION_INDEX = IndexSpec("byRegionCountryCity", KeySpec("region", ("country", "city")), "inventoryByRegion")


def api_of(*models: ModelSpec) -> ApiModel:
    return ApiModel(version="v2", sdl="", models={m.name: m for m in models}, root_fields={})


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    started = start_engine(None, "us-east-1")
    yield started
    started.close()


def test_table_definition_matches_amplify_tables() -> None:
    definition = table_definition(model((REGION_INDEX,)), "Inventory-emulator-local")
    assert definition["KeySchema"] == [
        {"AttributeName": "productId", "KeyType": "HASH"},
        {"AttributeName": "warehouseId", "KeyType": "RANGE"},
    ]
    gsi = definition["GlobalSecondaryIndexes"][0]
    assert gsi["IndexName"] == "byRegionCountryCity"
    assert gsi["KeySchema"][1] == {"AttributeName": "country#city", "KeyType": "RANGE"}
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert {"AttributeName": "country#city", "AttributeType": "S"} in definition["AttributeDefinitions"]
    assert definition["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_tables_are_created_once_and_data_is_kept(engine: Engine) -> None:
    client = engine.client()
    name = "Inventory-t1-local"
    created = ensure_tables(client, api_of(model()), lambda m: f"{m}-t1-local")
    assert created == [name]
    client.put_item(TableName=name, Item={"productId": {"S": "p"}, "warehouseId": {"S": "w"}})
    # Second start with an extra index: no new table, the index is added, the item survives.
    assert ensure_tables(client, api_of(model((REGION_INDEX,))), lambda m: f"{m}-t1-local") == []
    described = client.describe_table(TableName=name)["Table"]
    assert [i["IndexName"] for i in described["GlobalSecondaryIndexes"]] == ["byRegionCountryCity"]
    assert client.get_item(TableName=name, Key={"productId": {"S": "p"}, "warehouseId": {"S": "w"}})["Item"]


def test_unreachable_external_endpoint_is_a_clear_error() -> None:
    from emulator.engine import EngineError

    with pytest.raises(EngineError, match="did not answer ListTables"):
        start_engine("http://127.0.0.1:9", "us-east-1")


def test_transaction_support_is_probed(engine: Engine) -> None:
    from botocore.exceptions import ClientError

    from emulator.engine import supports_transactions

    assert supports_transactions(engine.client()) is True

    class NoTransactions:  # what dynalite and Alternator answer
        def transact_get_items(self, **_: object) -> None:
            raise ClientError({"Error": {"Code": "UnknownOperationException", "Message": ""}}, "TransactGetItems")

    assert supports_transactions(NoTransactions()) is False


def test_a_transaction_on_an_engine_without_them_says_so() -> None:
    from botocore.exceptions import ClientError

    from emulator.errors import AppSyncError
    from emulator.resolvers.context import ResolverContext
    from emulator.resolvers.transactions import TransactAction, transact_write

    class NoTransactions:
        def transact_write_items(self, **_: object) -> None:
            raise ClientError({"Error": {"Code": "UnknownOperationException", "Message": ""}}, "TransactWriteItems")

    ctx = ResolverContext(api=api_of(), dynamodb=NoTransactions(), table_name=lambda m: m)
    with pytest.raises(AppSyncError, match="does not support transactions"):
        transact_write(ctx, [TransactAction(kind="Put", table="T", key={"id": "1"}, values={"id": "1"})])
