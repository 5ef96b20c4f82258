"""``TableTriggers`` on a real engine's streams (moto's server, read only through the DynamoDB
Streams API): records in order and in batches, Lambda's record shape, retries, starting positions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from emulator.resolvers.functions import FunctionCatalog, FunctionError, FunctionSpec, StreamTrigger
from emulator.resolvers.functions import triggers as triggers_module
from emulator.resolvers.functions.triggers import TableTriggers


class Recorder:
    """Stands in for the runners: records each batch, fails when told to."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.failures_left = 0

    def __call__(self, spec: FunctionSpec, event: Any) -> Any:
        if self.failures_left:
            self.failures_left -= 1
            raise FunctionError("not now")
        self.batches.append(event["Records"])
        return None


@pytest.fixture
def table(dynamodb_client: Any) -> str:
    name = f"Post-{uuid.uuid4().hex[:8]}"
    dynamodb_client.create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    return name


def poller(dynamodb_client: Any, table: str, recorder: Recorder, **trigger: Any) -> TableTriggers:
    streams = boto3.session.Session().client(
        "dynamodbstreams", endpoint_url=dynamodb_client.meta.endpoint_url, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local")
    spec = FunctionSpec(name="audit", handler_file=Path("/x/a.py"), export="handler", runtime="python", origin="test",
                        task_root=Path("/x"), triggers=(StreamTrigger("Post", **trigger),))
    triggers = TableTriggers(dynamodb_client, streams, recorder, "us-east-1")
    triggers.configure(FunctionCatalog([spec]), lambda model: table)
    return triggers


def put(client: Any, table: str, item_id: str, title: str) -> None:
    client.put_item(TableName=table, Item={"id": {"S": item_id}, "title": {"S": title}})


def test_records_arrive_in_order_in_lambdas_shape(dynamodb_client: Any, table: str) -> None:
    recorder = Recorder()
    triggers = poller(dynamodb_client, table, recorder)
    assert triggers.poll() == 0  # LATEST: reading starts now
    put(dynamodb_client, table, "a", "one")
    put(dynamodb_client, table, "a", "two")
    dynamodb_client.delete_item(TableName=table, Key={"id": {"S": "a"}})
    assert triggers.poll() == 3
    [batch] = recorder.batches
    assert [r["eventName"] for r in batch] == ["INSERT", "MODIFY", "REMOVE"]
    first = batch[0]
    assert first["eventSource"] == "aws:dynamodb" and first["eventVersion"] == "1.1"
    assert first["awsRegion"] == "us-east-1" and f"table/{table}/stream/" in first["eventSourceARN"]
    assert first["dynamodb"]["Keys"] == {"id": {"S": "a"}}
    assert first["dynamodb"]["NewImage"] == {"id": {"S": "a"}, "title": {"S": "one"}}
    assert isinstance(first["dynamodb"]["ApproximateCreationDateTime"], int)
    assert batch[1]["dynamodb"]["OldImage"]["title"] == {"S": "one"}
    assert "NewImage" not in batch[2]["dynamodb"]
    assert triggers.poll() == 0  # nothing twice


def test_batches_hold_at_most_batch_size_records(dynamodb_client: Any, table: str) -> None:
    recorder = Recorder()
    triggers = poller(dynamodb_client, table, recorder, batch_size=2)
    triggers.poll()
    for number in range(5):
        put(dynamodb_client, table, f"i{number}", "x")
    while triggers.poll():
        pass
    assert [len(batch) for batch in recorder.batches] == [2, 2, 1]


def test_a_failed_batch_is_retried_until_it_succeeds(dynamodb_client: Any, table: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triggers_module, "FIRST_RETRY_SECONDS", 0.0)
    recorder = Recorder()
    triggers = poller(dynamodb_client, table, recorder)
    triggers.poll()
    put(dynamodb_client, table, "r", "retry me")
    recorder.failures_left = 2
    assert [triggers.poll() for _ in range(3)] == [0, 0, 1]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in recorder.batches[0]] == ["r"]


def test_trim_horizon_delivers_what_was_written_before(dynamodb_client: Any, table: str) -> None:
    put(dynamodb_client, table, "early", "before the trigger")
    recorder = Recorder()
    triggers = poller(dynamodb_client, table, recorder, starting_position="TRIM_HORIZON")
    assert triggers.poll() == 1


def test_a_table_without_a_stream_is_said_once_and_skipped(dynamodb_client: Any,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    name = f"Plain-{uuid.uuid4().hex[:8]}"
    dynamodb_client.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                 BillingMode="PAY_PER_REQUEST")
    triggers = poller(dynamodb_client, name, Recorder())
    assert triggers.poll() == triggers.poll() == 0
    assert caplog.text.count(f"table {name} has no stream") == 1


def test_reconfiguring_without_the_trigger_stops_reading(dynamodb_client: Any, table: str) -> None:
    recorder = Recorder()
    triggers = poller(dynamodb_client, table, recorder)
    triggers.poll()
    triggers.configure(FunctionCatalog(), lambda model: table)
    put(dynamodb_client, table, "z", "unheard")
    assert triggers.poll() == 0 and not triggers.active
