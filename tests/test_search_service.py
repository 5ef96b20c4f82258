"""The search indexes follow their tables (resolvers/search/service.py, stream.py) on a real engine:
built from a scan, then every write read from the table's DynamoDB stream, whoever wrote it."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from emulator.apimodel import FieldSpec, KeySpec, ModelSpec
from emulator.engine import table_definition
from emulator.resolvers.search.execute import SearchRequest
from emulator.resolvers.search.filters import filter_query
from emulator.resolvers.search.service import SearchService
from emulator.resolvers.search.sorting import SortField
from emulator.resolvers.values import to_item

MODEL = ModelSpec("Note", KeySpec("id"), {"id": FieldSpec("id", "ID"), "text": FieldSpec("text", "String")})
WIDER = ModelSpec("Note", KeySpec("id"), {**MODEL.fields, "stars": FieldSpec("stars", "Int")})


@pytest.fixture
def streams(dynamodb_client: Any) -> Any:
    return boto3.session.Session().client(
        "dynamodbstreams", endpoint_url=dynamodb_client.meta.endpoint_url, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local")


@pytest.fixture
def table(dynamodb_client: Any) -> Iterator[str]:
    name = f"Note-{uuid.uuid4().hex[:8]}-search"
    dynamodb_client.create_table(**table_definition(MODEL, name))
    yield name
    dynamodb_client.delete_table(TableName=name)


def _put(client: Any, table: str, **item: Any) -> None:
    client.put_item(TableName=table, Item=to_item(item))


def _ids(service: SearchService, table: str, text: str, model: ModelSpec = MODEL) -> list[str]:
    request = SearchRequest(filter_query({"text": {"match": text}}), (SortField("id", descending=False, keyword=True),))
    return [hit.source["id"] for hit in service.table(model, table).search(request).hits]


def test_built_from_the_table_then_every_write_followed(dynamodb_client: Any, streams: Any, table: str) -> None:
    _put(dynamodb_client, table, id="a", text="written before the index")
    service = SearchService(dynamodb_client, streams)
    assert _ids(service, table, "before") == ["a"]
    _put(dynamodb_client, table, id="b", text="written after")
    _put(dynamodb_client, table, id="a", text="rewritten after")
    assert _ids(service, table, "after") == ["a", "b"]
    assert _ids(service, table, "before") == []
    dynamodb_client.update_item(TableName=table, Key=to_item({"id": "b"}), UpdateExpression="SET #t = :t",
                                ExpressionAttributeNames={"#t": "text"}, ExpressionAttributeValues=to_item({":t": "x"}))
    dynamodb_client.delete_item(TableName=table, Key=to_item({"id": "a"}))
    assert _ids(service, table, "after") == []
    assert _ids(service, table, "x") == ["b"]


def test_a_lost_stream_position_rebuilds_from_the_table(dynamodb_client: Any, streams: Any, table: str) -> None:
    service = SearchService(dynamodb_client, streams)
    assert _ids(service, table, "one") == []
    search = service.table(MODEL, table)
    feed = search._feed
    assert feed is not None
    feed._iterators = {shard: "expired-iterator" for shard in feed._iterators}  # what an expired iterator looks like
    _put(dynamodb_client, table, id="a", text="one")
    assert _ids(service, table, "one") == ["a"]


def test_a_table_created_again_is_indexed_again(dynamodb_client: Any, streams: Any, table: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("emulator.resolvers.search.service.STREAM_CHECK_S", 0.0)
    _put(dynamodb_client, table, id="a", text="old")
    service = SearchService(dynamodb_client, streams)
    assert _ids(service, table, "old") == ["a"]
    dynamodb_client.delete_table(TableName=table)
    dynamodb_client.create_table(**table_definition(MODEL, table))
    _put(dynamodb_client, table, id="b", text="new")
    assert _ids(service, table, "old") == []
    assert _ids(service, table, "new") == ["b"]


def test_a_table_without_stream_is_scanned_for_every_search(dynamodb_client: Any, streams: Any,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    name = f"Plain-{uuid.uuid4().hex[:8]}"
    definition = table_definition(MODEL, name)
    del definition["StreamSpecification"]
    dynamodb_client.create_table(**definition)
    try:
        service = SearchService(dynamodb_client, streams)
        with caplog.at_level(logging.WARNING, logger="appsync_emulator.search"):
            assert _ids(service, name, "hello") == []
            _put(dynamodb_client, name, id="a", text="hello")
            assert _ids(service, name, "hello") == ["a"]
        assert sum("has no DynamoDB stream" in r.getMessage() for r in caplog.records) == 1
    finally:
        dynamodb_client.delete_table(TableName=name)


def test_a_changed_model_gets_a_fresh_index(dynamodb_client: Any, streams: Any, table: str) -> None:
    _put(dynamodb_client, table, id="a", text="hello", stars=3)
    service = SearchService(dynamodb_client, streams)
    first = service.table(MODEL, table)
    assert service.table(MODEL, table) is first
    wider = service.table(WIDER, table)
    assert wider is not first and "stars" in wider.index.kinds
    assert _ids(service, table, "hello", WIDER) == ["a"]


def test_the_background_thread_builds_and_follows(dynamodb_client: Any, streams: Any, table: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("emulator.resolvers.search.service.FOLLOW_INTERVAL_S", (0.05, 0.2))
    _put(dynamodb_client, table, id="a", text="warm")
    service = SearchService(dynamodb_client, streams)
    service.start([], lambda _model: table)
    assert service._thread is None  # nothing to follow yet
    service.start([MODEL], lambda _model: table)
    search = service.table(MODEL, table)
    try:
        assert _eventually(lambda: len(search.index) == 1)
        _put(dynamodb_client, table, id="b", text="followed")
        assert _eventually(lambda: len(search.index) == 2)  # no search needed to take it in
    finally:
        service.close()


def test_a_search_after_a_bulk_load_answers_within_its_budget(dynamodb_client: Any, streams: Any, table: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("emulator.resolvers.search.stream.RECORDS_PER_PAGE", 5)
    service = SearchService(dynamodb_client, streams)
    search = service.table(MODEL, table)
    assert search.catch_up() is True
    for n in range(20):
        _put(dynamodb_client, table, id=f"bulk{n}", text="bulk")
    request = SearchRequest(filter_query({"text": {"match": "bulk"}}), ())
    assert search.search(request, budget_s=0).total < 20  # answered from the index as far as it got
    assert search.search(request).total == 20


def _eventually(check: Any, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False
