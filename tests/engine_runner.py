"""Runs the differential workload's steps (``tests/engine_workload.py``) on one engine.

``Runner`` executes a step and returns what a client sees: the answer or the error (code and
message), a Query/Scan followed page by page to its end, stream records read with the runner's own
iterators. ``normalise`` removes what legitimately differs between two engines (see its docstring).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tests.engine_workload import TABLES, Step

MAX_PAGES = 400


class Runner:
    """Runs steps on one engine and returns what its client saw.

    Streams are read as a trigger reads them: one iterator from the start, then each
    NextShardIterator. With ``fresh_iterators`` every read starts a new iterator after the last
    record seen instead: stock moto needs that, since a cancelled transaction swaps a table for its
    copy and leaves earlier iterators reading the old table's shard (and the cancelled writes).
    """

    def __init__(self, dynamodb: Any, streams: Any, *, fresh_iterators: bool = False) -> None:
        self.dynamodb = dynamodb
        self.streams = streams
        self.fresh_iterators = fresh_iterators
        self.iterators: dict[str, str] = {}
        self.last_seen: dict[str, str] = {}

    def run(self, step: Step) -> Any:
        if step.kind == "streams":
            return self.read_streams()
        if step.kind == "pages":
            return self.pages(step.operation, step.params)
        return _answer(lambda: getattr(self.dynamodb, step.operation)(**step.params))

    def pages(self, operation: str, params: dict[str, Any]) -> Any:
        pages = []
        request = dict(params)
        for _ in range(MAX_PAGES):
            page = _answer(lambda: getattr(self.dynamodb, operation)(**request))
            pages.append(page)
            if "error" in page or "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return pages

    def read_streams(self) -> Any:
        records: dict[str, list[Any]] = {}
        for table in sorted(TABLES):
            if "StreamSpecification" not in TABLES[table]:
                continue
            iterator = self.iterators.get(table)
            if iterator is None or self.fresh_iterators:
                iterator = self._new_iterator(table)
            got: list[Any] = []
            while True:
                page = self.streams.get_records(ShardIterator=iterator, Limit=100)
                got.extend(page["Records"])
                iterator = page["NextShardIterator"]
                if not page["Records"]:
                    break
            self.iterators[table] = iterator
            if got:
                self.last_seen[table] = got[-1]["dynamodb"]["SequenceNumber"]
            records[table] = [_stream_record(record) for record in got]
        return records


    def _new_iterator(self, table: str) -> str:
        arn = self.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        position: dict[str, str] = {"ShardIteratorType": "LATEST"}
        if table in self.last_seen:
            position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.last_seen[table]}
        elif table in self.iterators:  # read before, nothing written yet: from the first record
            position = {"ShardIteratorType": "TRIM_HORIZON"}
        return self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, **position)["ShardIterator"]


def _answer(call: Any) -> Any:
    try:
        response = call()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        answer = {"error": error.get("Code"), "message": error.get("Message")}
        if "CancellationReasons" in exc.response:
            answer["reasons"] = exc.response["CancellationReasons"]
        if "Item" in exc.response:
            answer["item"] = exc.response["Item"]
        return answer
    response.pop("ResponseMetadata", None)
    response.pop("ConsumedCapacity", None)
    if "TableDescription" in response:  # timestamps and ARNs; the data plane is what is compared
        description = response["TableDescription"]
        return {"table": description["TableName"], "indexes": sorted(
            i["IndexName"] for i in description.get("GlobalSecondaryIndexes", []))}
    return response


def _stream_record(record: dict[str, Any]) -> dict[str, Any]:
    data = record["dynamodb"]
    return {"eventName": record["eventName"], "Keys": data.get("Keys"), "NewImage": data.get("NewImage"),
            "OldImage": data.get("OldImage"), "SequenceNumber": data.get("SequenceNumber")}


def normalise(step: Step, answer: Any) -> Any:
    """What the two engines may answer differently by design, made equal.

    A read that ends on a page with nothing read (ScannedCount 0, no LastEvaluatedKey) after a
    page with a LastEvaluatedKey is the same read without that last page: DynamoDB returns a
    LastEvaluatedKey whenever Limit ends a page, moto only when another item follows; and moto may
    return one when an item beyond the key condition would cross 1 MB, where DynamoDB (and this
    engine) stop at the end of the key condition.
    """
    if step.kind != "pages":
        return answer
    pages = [dict(page) for page in answer]
    if len(pages) > 1 and pages[-1].get("ScannedCount") == 0 and "LastEvaluatedKey" not in pages[-1] \
            and "error" not in pages[-1]:
        pages.pop()
        pages[-1].pop("LastEvaluatedKey", None)
    return pages
