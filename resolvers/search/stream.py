"""Following one table's DynamoDB stream: every write, from any client, in order.

In the cloud a Lambda reads the table's stream and indexes each record into OpenSearch, so items
written straight to DynamoDB are searchable too. Here the index reads the same stream through the
DynamoDB Streams API (boto3, on the emulator's engine or any endpoint with streams), which keeps
the engine behind its API and follows writes from GraphQL, the DynamoDB endpoint, ``--seed`` and
``import`` alike.

``TableFeed`` starts at the stream's end (``LATEST``, taken before the table is scanned, so no
write falls between the scan and the feed) and hands out the records written since, a page at a
time. Closed shards are followed into their children. When the stream cannot be followed from
where the feed was (iterator expired, records trimmed, stream gone) it raises ``StreamGone``: the
caller rebuilds from a scan.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

RECORDS_PER_PAGE = 250  # a page is applied under the index's lock: keep it short


class StreamGone(Exception):
    """The feed lost its place in the stream; the index must be rebuilt from the table."""


class TableFeed:
    """The records of one stream since the feed started."""

    def __init__(self, streams: Any, stream_arn: str) -> None:
        self._streams = streams
        self._arn = stream_arn
        self._iterators: dict[str, str] = {}  # open shard id -> next iterator
        self._seen: set[str] = set()
        self._closed_shards = False  # a shard ended: look for the shards that replace it

    def start(self) -> None:
        """Position the feed at the end of every open shard."""
        for shard in self._shards():
            self._seen.add(shard["ShardId"])
            if "EndingSequenceNumber" not in shard.get("SequenceNumberRange", {}):
                self._iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], "LATEST")

    def read_page(self) -> tuple[list[dict[str, Any]], bool]:
        """The next records, in order, and whether more may be waiting."""
        for shard_id in list(self._iterators):
            page = self._call("get_records", ShardIterator=self._iterators[shard_id], Limit=RECORDS_PER_PAGE)
            following = page.get("NextShardIterator")
            if following is None:
                del self._iterators[shard_id]
                self._closed_shards = True
            else:
                self._iterators[shard_id] = following
            records = page.get("Records", [])
            if records:
                return records, True
        if self._closed_shards:
            self._closed_shards = False
            return [], self._follow_children()
        return [], False

    def _follow_children(self) -> bool:
        """Start reading the shards that replaced closed ones; True when there are some."""
        found = False
        for shard in self._shards():
            if shard["ShardId"] not in self._seen and shard.get("ParentShardId") in self._seen:
                self._seen.add(shard["ShardId"])
                self._iterators[shard["ShardId"]] = self._iterator(shard["ShardId"], "TRIM_HORIZON")
                found = True
        return found

    def _shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"StreamArn": self._arn}
        while True:
            description = self._call("describe_stream", **kwargs)["StreamDescription"]
            shards.extend(description.get("Shards", []))
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            kwargs["ExclusiveStartShardId"] = last

    def _iterator(self, shard_id: str, position: str) -> str:
        answer = self._call("get_shard_iterator", StreamArn=self._arn, ShardId=shard_id, ShardIteratorType=position)
        return str(answer["ShardIterator"])

    def _call(self, operation: str, **params: Any) -> Any:
        try:
            return getattr(self._streams, operation)(**params)
        except (ClientError, BotoCoreError) as error:
            raise StreamGone(f"{operation} on {self._arn}: {error}") from error
