"""The search indexes of the ``@searchable`` tables, kept in step with the tables.

An index is built from a scan of its table the first time it is needed (or by ``warm_up`` in a
background thread at start), then follows the table's stream (``stream.TableFeed``). Before each
search it reads the records written since the last one, so a search sees every write that
finished before it, whoever made it: the cloud's index lags its table by a second or so, this one
by nothing, so tests need no waiting.

An index belongs to a table and the shape of its model (field types and key): a hot reload that
changes either builds a fresh one. A table without a stream (an external engine without streams)
is scanned again before every search: correct, slower, and said once in the log.

The engine is reached only through the DynamoDB and DynamoDB Streams APIs (boto3).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from emulator.apimodel import ModelSpec
from emulator.resolvers.search.execute import SearchRequest, SearchResponse, run_search
from emulator.resolvers.search.fields import field_kinds
from emulator.resolvers.search.index import Key, SearchIndex
from emulator.resolvers.search.stream import StreamGone, TableFeed
from emulator.resolvers.values import from_item

log = logging.getLogger("appsync_emulator.search")


class SearchUnavailable(Exception):
    """The table cannot be read to build its index; the message says why."""


class TableSearch:
    """One table's index and its feed; every method takes the table's lock."""

    def __init__(self, dynamodb: Any, streams: Any, table: str, model: ModelSpec) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self.table = table
        self.signature = _signature(model)
        self.index = SearchIndex(field_kinds(model))
        self._lock = threading.Lock()
        self._feed: TableFeed | None = None
        self._key_names: tuple[str, ...] = ()
        self._built = False
        self._streamless = False

    def search(self, request: SearchRequest) -> SearchResponse:
        """Catch up with the table, then run ``request``."""
        with self._lock:
            self._catch_up()
            return run_search(self.index, request)

    def sync(self) -> None:
        with self._lock:
            self._catch_up()

    def _catch_up(self) -> None:
        if not self._built or self._streamless or self._feed is None:
            self._rebuild()
            return
        try:
            records = self._feed.read()
        except StreamGone as gone:
            log.info("search index of %s: %s; rebuilding it from the table", self.table, gone)
            self._rebuild()
            return
        for record in records:
            self._apply(record)

    def _apply(self, record: dict[str, Any]) -> None:
        change = record.get("dynamodb", {})
        key = self._key(from_item(change.get("Keys")) or {})
        if record.get("eventName") == "REMOVE":
            self.index.remove(key)
            return
        item = from_item(change.get("NewImage"))
        if item is not None:
            self.index.put(key, item)

    def _key(self, item: dict[str, Any]) -> Key:
        return tuple(item.get(name) for name in self._key_names)

    def _rebuild(self) -> None:
        try:
            described = self._dynamodb.describe_table(TableName=self.table)["Table"]
            self._key_names = tuple(part["AttributeName"] for part in described["KeySchema"])
            self._feed = self._start_feed(described.get("LatestStreamArn"))
            self.index.clear()
            for item in self._scan():
                self.index.put(self._key(item), item)
        except (ClientError, BotoCoreError, StreamGone) as error:
            self._built = False
            raise SearchUnavailable(f"the search index of {self.table} could not be built: {error}") from error
        self._built = True

    def _start_feed(self, stream_arn: str | None) -> TableFeed | None:
        if not stream_arn:
            if not self._streamless:
                log.warning("table %s has no DynamoDB stream: its search index is rebuilt from a scan before "
                            "every search", self.table)
            self._streamless = True
            return None
        self._streamless = False
        feed = TableFeed(self._streams, stream_arn)
        feed.start()
        return feed

    def _scan(self) -> Iterable[dict[str, Any]]:
        kwargs: dict[str, Any] = {"TableName": self.table}
        while True:
            page = self._dynamodb.scan(**kwargs)
            for raw in page.get("Items", []):
                item = from_item(raw)
                if item is not None:
                    yield item
            if not page.get("LastEvaluatedKey"):
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _signature(model: ModelSpec) -> tuple[Any, ...]:
    return tuple(sorted(field_kinds(model).items())), model.primary_key


class SearchService:
    """Every searchable table's ``TableSearch``, created when first needed."""

    def __init__(self, dynamodb: Any, streams: Any) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self._tables: dict[str, TableSearch] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def table(self, model: ModelSpec, table: str) -> TableSearch:
        """The search of ``table`` for this shape of ``model`` (a new one when the shape changed)."""
        with self._lock:
            current = self._tables.get(table)
            if current is None or current.signature != _signature(model):
                current = TableSearch(self._dynamodb, self._streams, table, model)
                self._tables[table] = current
            return current

    def warm_up(self, models: Iterable[ModelSpec], table_name: Callable[[str], str]) -> threading.Thread:
        """Build the indexes of ``models`` in a background thread, so the first search is quick."""
        targets = [(model, table_name(model.name)) for model in models]

        def build() -> None:
            for model, table in targets:
                if self._closed.is_set():
                    return
                try:
                    self.table(model, table).sync()
                except SearchUnavailable as error:
                    log.debug("%s", error)

        thread = threading.Thread(target=build, name="search-warm-up", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._closed.set()
