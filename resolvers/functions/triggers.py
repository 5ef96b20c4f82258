"""Table triggers: functions fed with the stream records of model tables, as Lambda feeds them.

A function with ``StreamTrigger``s (a Gen 1 ``AWS::Lambda::EventSourceMapping`` on a model
table's stream, or ``triggers = ["Post"]`` in the config) receives ``{"Records": [...]}``
batches of that table's stream: ``eventName`` (``INSERT``/``MODIFY``/``REMOVE``),
``dynamodb.Keys``/``NewImage``/``OldImage`` in DynamoDB JSON, ``eventSourceARN`` …, after every
write to the table, whoever made it: the API, or a client on the DynamoDB endpoint.

The streams are read only through the DynamoDB Streams API (``DescribeStream``,
``GetShardIterator``, ``GetRecords``) on the same engine, so any engine with streams works. Like
Lambda's poller, each shard is read up to four times a second (once a second while quiet),
batches of up to ``batch_size`` records go to the function one at a time and in order, and a
failed batch is retried (with a growing pause, logged each time) until it succeeds, so a failing
function holds its shard back but never blocks a write.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio.to_thread
from botocore.exceptions import BotoCoreError, ClientError

from emulator.resolvers.functions.catalog import FunctionCatalog
from emulator.resolvers.functions.errors import FunctionError
from emulator.resolvers.functions.spec import FunctionSpec, StreamTrigger

log = logging.getLogger("appsync_emulator.functions")

POLL_SECONDS = 0.25  # Lambda polls a stream shard about four times a second
IDLE_POLL_SECONDS = 1.0  # while nothing is written
DISCOVER_EVERY = 40  # rounds between looks for new streams and shards (a table recreated, a shard split)
FIRST_RETRY_SECONDS = 0.5
LONGEST_RETRY_SECONDS = 30.0

Call = Callable[[FunctionSpec, Any], Any]


@dataclass
class ShardReader:
    """One function's position in one shard of one table's stream, and its pending batch."""

    spec: FunctionSpec
    trigger: StreamTrigger
    table: str
    stream_arn: str
    shard_id: str
    iterator: str | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)  # a batch that failed, to retry
    next_iterator: str | None = None
    failures: int = 0
    retry_at: float = 0.0


def _plain(value: Any) -> Any:
    """A stream record as Lambda's JSON event: binary as base64, times as epoch seconds."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return int(value.timestamp())
    return value


def lambda_record(record: Mapping[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    plain = _plain(record)
    plain.update({"eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": region,
                  "eventSourceARN": stream_arn})
    return plain


class TableTriggers:
    """Reads the streams of the tables that trigger functions and calls them with the records."""

    def __init__(self, dynamodb: Any, streams: Any, call: Call, region: str) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self._call = call
        self._region = region
        self._wanted: list[tuple[FunctionSpec, StreamTrigger, str]] = []
        self._readers: dict[tuple[str, str, str], ShardReader] = {}  # (function, table, shard)
        self._warned: set[str] = set()
        self._rounds = 0

    def configure(self, catalog: FunctionCatalog, table_name: Callable[[str], str]) -> None:
        """Serve the triggers of ``catalog`` (called at start and on every reload)."""
        self._wanted = [(spec, trigger, table_name(trigger.model)) for spec in catalog for trigger in spec.triggers]
        wanted = {(spec.name, table) for spec, _, table in self._wanted}
        specs = {spec.name: spec for spec, _, _ in self._wanted}
        for key, reader in list(self._readers.items()):
            if (key[0], key[1]) not in wanted:
                del self._readers[key]
            else:
                reader.spec = specs[key[0]]

    @property
    def active(self) -> bool:
        return bool(self._wanted)

    def poll(self) -> int:
        """One round: find new shards, read each, deliver; returns the records delivered."""
        delivered = 0
        self._rounds += 1
        known = {(key[0], key[1]) for key in self._readers}
        for spec, trigger, table in list(self._wanted):
            if (spec.name, table) in known and self._rounds % DISCOVER_EVERY:
                continue
            try:
                self._discover(spec, trigger, table)
            except (ClientError, BotoCoreError) as exc:
                self._warn_once(table, f"cannot read the stream of table {table} for function {spec.name}: {exc}")
        for reader in list(self._readers.values()):
            delivered += self._read(reader)
        return delivered

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set (a background task of the app): every ``POLL_SECONDS`` while
        records flow, slowing down to ``IDLE_POLL_SECONDS`` while the streams are quiet (each
        GetRecords costs the engine a new shard iterator)."""
        pause = POLL_SECONDS
        while not stop.is_set():
            delivered = 0
            if self._wanted:
                try:
                    delivered = await anyio.to_thread.run_sync(self.poll)
                except Exception:  # a poller must outlive any single failure
                    log.exception("table triggers: polling failed")
            pause = POLL_SECONDS if delivered or self._pending() else min(IDLE_POLL_SECONDS, pause * 2)
            try:
                await asyncio.wait_for(stop.wait(), pause)
            except TimeoutError:
                pass

    def _pending(self) -> bool:
        return any(reader.pending for reader in list(self._readers.values()))

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)

    def _discover(self, spec: FunctionSpec, trigger: StreamTrigger, table: str) -> None:
        description = self._dynamodb.describe_table(TableName=table)["Table"]
        stream_arn = description.get("LatestStreamArn")
        if not stream_arn:
            self._warn_once(table, f"table {table} has no stream: function {spec.name} is not triggered by it")
            return
        stream = self._streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
        for shard in stream.get("Shards", []):
            key = (spec.name, table, shard["ShardId"])
            known = self._readers.get(key)
            if known is not None and known.stream_arn == stream_arn:
                continue
            reader = ShardReader(spec, trigger, table, stream_arn, shard["ShardId"])
            reader.iterator = self._iterator(reader, trigger.starting_position)
            self._readers[key] = reader

    def _iterator(self, reader: ShardReader, position: str) -> str:
        return self._streams.get_shard_iterator(StreamArn=reader.stream_arn, ShardId=reader.shard_id,
                                                ShardIteratorType=position)["ShardIterator"]

    def _read(self, reader: ShardReader) -> int:
        if not reader.pending:
            if reader.iterator is None:
                return 0
            try:
                page = self._streams.get_records(ShardIterator=reader.iterator, Limit=reader.trigger.batch_size)
            except (ClientError, BotoCoreError) as exc:
                log.info("stream of %s: %s; reading from the oldest record still kept", reader.table, exc)
                try:
                    reader.iterator = self._iterator(reader, "TRIM_HORIZON")
                except (ClientError, BotoCoreError):
                    self._readers.pop((reader.spec.name, reader.table, reader.shard_id), None)
                return 0
            reader.pending = [lambda_record(r, reader.stream_arn, self._region) for r in page.get("Records", [])]
            reader.next_iterator = page.get("NextShardIterator")
            if not reader.pending:
                reader.iterator = reader.next_iterator
                return 0
        if time.monotonic() < reader.retry_at:
            return 0
        try:
            self._call(reader.spec, {"Records": reader.pending})
        except FunctionError as error:
            reader.failures += 1
            pause = min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (reader.failures - 1))
            reader.retry_at = time.monotonic() + pause
            log.warning("function %s failed on a batch of %d records of %s (attempt %d, retried in %.1fs): %s",
                        reader.spec.name, len(reader.pending), reader.table, reader.failures, pause, error.message)
            return 0
        count = len(reader.pending)
        reader.pending, reader.failures, reader.retry_at = [], 0, 0.0
        reader.iterator = reader.next_iterator
        return count
