"""The DynamoDB engine behind the API: embedded moto, or any DynamoDB endpoint.

Everything talks to the engine through the DynamoDB HTTP API with boto3, so "embedded" versus
"external" is only an endpoint URL. The embedded engine is moto's ``ThreadedMotoServer`` on a
loopback port of its own, not ``mock_aws``: the latter patches botocore for the whole process
and would swallow a user's real AWS calls made from the same process.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from emulator.apimodel import ApiModel, KeySpec, ModelSpec
from emulator.settings import Settings

log = logging.getLogger("appsync_emulator.engine")

# Any well-formed credentials work on embedded engines; real AWS uses the standard chain.
_LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}


class EngineError(Exception):
    """The engine could not be started or reached; worded for the user."""


@dataclass
class Engine:
    """A reachable DynamoDB endpoint and a shared, thread-safe boto3 client for it."""

    endpoint_url: str | None
    region: str
    embedded: bool
    _server: Any = None
    _client: Any = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)
    _streams: Any = field(default=None, repr=False)

    def client(self) -> Any:
        """The low-level DynamoDB client (boto3 clients are thread-safe; one is shared).

        On the embedded engine its requests go to the engine's WSGI app in process
        (``emulator.wsgi_transport``) rather than over the loopback port: same bytes, half the cost.
        """
        if self._client is None:
            self._client = make_client(self.endpoint_url, self.region, local=self.embedded or bool(self.endpoint_url))
            if self._server is not None:
                from emulator.wsgi_transport import WsgiSession  # embedded engine only, as its server

                self._session = WsgiSession(self._server.app)
                self._client._endpoint.http_session = self._session  # botocore has no public hook for this
        return self._client

    def streams_client(self) -> Any:
        """The DynamoDB Streams client of the same engine (shared; in process on the embedded one)."""
        if self._streams is None:
            self.client()
            self._streams = make_client(self.endpoint_url, self.region, local=self.embedded or bool(self.endpoint_url),
                                        service="dynamodbstreams")
            if self._session is not None:
                self._streams._endpoint.http_session = self._session
        return self._streams

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self._server is not None:
            self._server.stop()
            self._server = None


def make_client(endpoint_url: str | None, region: str, *, local: bool, service: str = "dynamodb") -> Any:
    """A DynamoDB (or DynamoDB Streams) client tuned for a local engine: no retries hiding errors,
    a pool for threads."""
    config = Config(
        retries={"max_attempts": 2, "mode": "standard"},
        max_pool_connections=32,
        connect_timeout=5,
        read_timeout=30,
    )
    credentials = _LOCAL_CREDENTIALS if local else {}
    return boto3.session.Session().client(
        service, endpoint_url=endpoint_url, region_name=region, config=config, **credentials
    )


def start_engine(endpoint_url: str | None, region: str, *, data_dir: Path | None = None) -> Engine:
    """Start the embedded engine, or check that the external endpoint answers.

    ``data_dir``: the embedded engine's tables are restored from and persisted there (see
    ``emulator.persistence``); None keeps them in memory. An external engine persists on its own.
    """
    if endpoint_url:
        engine = Engine(endpoint_url=endpoint_url, region=region, embedded=False)
        try:
            engine.client().list_tables(Limit=1)
        except ValueError as exc:  # botocore: "Invalid endpoint"
            raise EngineError(f"--dynamodb-endpoint {endpoint_url!r} is not a valid endpoint URL: {exc}") from exc
        except (BotoCoreError, ClientError) as exc:
            raise EngineError(f"DynamoDB endpoint {endpoint_url} did not answer ListTables: {exc}") from exc
        return engine
    from emulator.persistence import PersistenceError, start_embedded  # only the embedded engine needs moto

    try:
        server = start_embedded(data_dir)
    except PersistenceError as exc:
        raise EngineError(str(exc)) from exc
    return Engine(endpoint_url=server.url, region=region, embedded=True, _server=server)


def start_configured_engine(settings: Settings) -> Engine:
    """The engine the settings ask for; embedded tables live in the data dir unless ``in_memory``."""
    data_dir = None if settings.in_memory else settings.data_dir
    engine = start_engine(settings.dynamodb_endpoint, settings.dynamodb_region, data_dir=data_dir)
    if not engine.embedded and not supports_transactions(engine.client()):
        message = (
            f"note: the DynamoDB engine at {engine.endpoint_url} does not support transactions "
            "(TransactWriteItems/TransactGetItems); resolvers that need them will fail with a clear error"
        )
        print(message, file=sys.stderr, flush=True)
        log.warning("%s", message)
    return engine


def supports_transactions(client: Any) -> bool:
    """Probe with a TransactGetItems on a table that does not exist: engines that implement it
    answer ResourceNotFound (or a validation error about the table); dynalite and Alternator answer
    UnknownOperation."""
    try:
        client.transact_get_items(
            TransactItems=[{"Get": {"TableName": "appsync-emulator-probe-missing", "Key": {"id": {"S": "x"}}}}]
        )
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        message = str(exc.response.get("Error", {}).get("Message", "")).lower()
        return "unknownoperation" not in code.lower() and "not supported" not in message
    except BotoCoreError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Tables


def table_definition(model: ModelSpec, table_name: str) -> dict[str, Any]:
    """CreateTable arguments for a model, as Amplify's tables.json describes it."""
    attributes: dict[str, str] = {}

    def key_schema(key: KeySpec) -> list[dict[str, str]]:
        schema = [{"AttributeName": key.partition, "KeyType": "HASH"}]
        attributes[key.partition] = model.key_types.get(key.partition, "S")
        if key.sort_attribute:
            schema.append({"AttributeName": key.sort_attribute, "KeyType": "RANGE"})
            attributes[key.sort_attribute] = "S" if key.is_composite else model.key_types.get(key.sort_attribute, "S")
        return schema

    definition: dict[str, Any] = {
        "TableName": table_name,
        "KeySchema": key_schema(model.primary_key),
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }
    indexes = [
        {"IndexName": index.name, "KeySchema": key_schema(index.key), "Projection": {"ProjectionType": "ALL"}}
        for index in model.indexes
    ]
    if indexes:
        definition["GlobalSecondaryIndexes"] = indexes
    definition["AttributeDefinitions"] = [
        {"AttributeName": name, "AttributeType": kind} for name, kind in sorted(attributes.items())
    ]
    return definition


def ensure_tables(
    client: Any, api: ApiModel, table_name: Any, extra: Sequence[Mapping[str, Any]] = ()
) -> list[str]:
    """Create each model's table when missing, and add GSIs missing from existing tables; the
    same for ``extra`` (CreateTable definitions of the tables a project's stacks or config declare).

    Existing tables and their data are kept. Returns the names of the tables created.
    """
    existing = set(list_table_names(client))
    definitions = [table_definition(model, table_name(model.name)) for model in api.models.values()]
    created = []
    for definition in [*definitions, *extra]:
        name = definition["TableName"]
        if name not in existing:
            client.create_table(**definition)
            created.append(name)
            continue
        _add_missing_indexes(client, name, dict(definition))
    return created


def list_table_names(client: Any) -> list[str]:
    """Every table name, across ListTables pages."""
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_tables(**kwargs)
        names.extend(page.get("TableNames", []))
        if not page.get("LastEvaluatedTableName"):
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]


def _add_missing_indexes(client: Any, name: str, definition: dict[str, Any]) -> None:
    described = client.describe_table(TableName=name)["Table"]
    present = {index["IndexName"] for index in described.get("GlobalSecondaryIndexes", [])}
    for index in definition.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in present:
            continue
        used = {part["AttributeName"] for part in index["KeySchema"]}
        attributes = [a for a in definition["AttributeDefinitions"] if a["AttributeName"] in used]
        log.info("adding index %s to existing table %s", index["IndexName"], name)
        client.update_table(
            TableName=name,
            AttributeDefinitions=attributes,
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
