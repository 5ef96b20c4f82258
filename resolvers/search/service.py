"""The search indexes of the ``@searchable`` tables, kept in step with the tables.

An index is built from a scan of its table, then follows the table's stream (``stream.TableFeed``).
The work comes in small steps (one scan page, one page of stream records), each under the
table's lock, so searches interleave with it:

* before each search the index takes the steps that are due, so a search sees every write that
  finished before it (the cloud's index lags its table by a second or so; this one, normally, by
  nothing, so tests need no waiting). After a bulk load it works for at most ``SEARCH_BUDGET_S``,
  then answers from the index as far as it got, as a lagging OpenSearch index would;
* ``start`` builds the indexes in a background thread, which then keeps following the streams
  (at once while records come, then less and less often: every poll costs the engine a little).

An index belongs to a table and the shape of its model (field types and key): a hot reload that
changes either builds a fresh one. A table without a stream (an external engine without streams)
is scanned again before every search: correct, slower, and said once in the log.

The engine is reached only through the DynamoDB and DynamoDB Streams APIs (boto3).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from emulator.apimodel import ModelSpec
from emulator.resolvers.search.execute import SearchRequest, SearchResponse, run_search
from emulator.resolvers.search.fields import field_kinds
from emulator.resolvers.search.index import Key, SearchIndex
from emulator.resolvers.search.stream import StreamGone, TableFeed
from emulator.resolvers.values import from_item

log = logging.getLogger("appsync_emulator.search")

SEARCH_BUDGET_S = 5.0
STREAM_CHECK_S = 1.0  # how often a search checks that its table still has the stream it follows
SCAN_PAGE = 250
FOLLOW_INTERVAL_S = (0.05, 10.0)  # the background poll: right after activity, and when idle

Phase = Literal["new", "building", "following", "streamless"]


class SearchUnavailable(Exception):
    """The table cannot be read to build its index; the message says why."""


class TableSearch:
    """One table's index and its place in the table (scan cursor, then stream feed)."""

    def __init__(self, dynamodb: Any, streams: Any, table: str, model: ModelSpec) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self.table = table
        self.signature = _signature(model)
        self.index = SearchIndex(field_kinds(model))
        self._lock = threading.Lock()
        self._phase: Phase = "new"
        self._feed: TableFeed | None = None
        self._stream_arn: str | None = None
        self._stream_checked = 0.0
        self._cursor: dict[str, Any] | None = None
        self._key_names: tuple[str, ...] = ()
        self._warned_streamless = False

    def search(self, request: SearchRequest, budget_s: float = SEARCH_BUDGET_S) -> SearchResponse:
        """Catch up with the table (for at most ``budget_s``), then run ``request``."""
        self._check_stream()
        if not self.catch_up(budget_s):
            log.info("search on %s answered while its index is still catching up with the table "
                     "(%d items indexed so far)", self.table, len(self.index))
        with self._lock:
            return run_search(self.index, request)

    def _check_stream(self) -> None:
        """A table deleted and created again has a new stream: the index starts over (checked at
        most every ``STREAM_CHECK_S``: a DescribeTable costs about what a search does)."""
        with self._lock:
            now = time.monotonic()
            if self._phase != "following" or now - self._stream_checked < STREAM_CHECK_S:
                return
            self._stream_checked = now
            try:
                described = self._dynamodb.describe_table(TableName=self.table)["Table"]
            except (ClientError, BotoCoreError) as error:
                self._phase = "new"
                raise SearchUnavailable(f"the search index of {self.table} cannot read its table: {error}") from error
            if described.get("LatestStreamArn") != self._stream_arn:
                log.info("table %s has a new stream (created again?): rebuilding its search index", self.table)
                self._phase = "new"

    def catch_up(self, budget_s: float | None = None) -> bool:
        """Take steps until nothing is due (True) or ``budget_s`` is spent (False)."""
        deadline = None if budget_s is None else time.monotonic() + budget_s
        with self._lock:
            if self._phase == "streamless":
                self._phase = "new"  # no stream to follow: read the whole table again
        while self.step():
            if deadline is not None and time.monotonic() > deadline:
                return False
        return True

    def step(self) -> bool:
        """One page of work under the lock; True when more is due."""
        with self._lock:
            try:
                return self._step()
            except StreamGone as gone:
                log.info("search index of %s: %s; rebuilding it from the table", self.table, gone)
                self._phase = "new"
                return True
            except (ClientError, BotoCoreError) as error:
                self._phase = "new"
                raise SearchUnavailable(f"the search index of {self.table} could not be built: {error}") from error

    def _step(self) -> bool:
        if self._phase == "new":
            self._start()
            return True
        if self._phase == "building":
            return self._scan_page()
        if self._phase == "following" and self._feed is not None:
            records, more = self._feed.read_page()
            for record in records:
                self._apply(record)
            return more
        return False

    def _start(self) -> None:
        described = self._dynamodb.describe_table(TableName=self.table)["Table"]
        self._key_names = tuple(part["AttributeName"] for part in described["KeySchema"])
        stream_arn = described.get("LatestStreamArn")
        self._stream_arn = stream_arn
        self._feed = None
        if stream_arn:
            self._feed = TableFeed(self._streams, stream_arn)
            self._feed.start()  # before the scan: a write during the scan is in the stream
        elif not self._warned_streamless:
            log.warning("table %s has no DynamoDB stream: its search index is rebuilt from a scan before "
                        "every search", self.table)
            self._warned_streamless = True
        self.index.clear()
        self._cursor = None
        self._phase = "building"

    def _scan_page(self) -> bool:
        kwargs: dict[str, Any] = {"TableName": self.table, "Limit": SCAN_PAGE}
        if self._cursor:
            kwargs["ExclusiveStartKey"] = self._cursor
        page = self._dynamodb.scan(**kwargs)
        for raw in page.get("Items", []):
            item = from_item(raw)
            if item is not None:
                self.index.put(self._key(item), item)
        self._cursor = page.get("LastEvaluatedKey") or None
        if self._cursor:
            return True
        self._phase = "following" if self._feed is not None else "streamless"
        return self._feed is not None

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


def _signature(model: ModelSpec) -> tuple[Any, ...]:
    return tuple(sorted(field_kinds(model).items())), model.primary_key


class SearchService:
    """Every searchable table's ``TableSearch``, and the thread that keeps them in step."""

    def __init__(self, dynamodb: Any, streams: Any) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self._tables: dict[str, TableSearch] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._started = False
        self._thread: threading.Thread | None = None

    def table(self, model: ModelSpec, table: str) -> TableSearch:
        """The search of ``table`` for this shape of ``model`` (a new one when the shape changed)."""
        with self._lock:
            current = self._tables.get(table)
            if current is None or current.signature != _signature(model):
                current = TableSearch(self._dynamodb, self._streams, table, model)
                self._tables[table] = current
                if self._started and self._thread is None:
                    self._thread = threading.Thread(target=self._follow, name="search-indexes", daemon=True)
                    self._thread.start()
            return current

    def start(self, models: Iterable[ModelSpec], table_name: Callable[[str], str]) -> None:
        """Build the indexes of ``models``, and follow every index's table, in a background thread
        (started with the first index: an API without ``@searchable`` runs none)."""
        self._started = True
        for model in models:
            self.table(model, table_name(model.name))

    def _follow(self) -> None:
        low, high = FOLLOW_INTERVAL_S
        interval = 0.0
        while not self._closed.wait(interval):
            with self._lock:
                tables = list(self._tables.values())
            busy = False
            for table in tables:
                try:
                    busy |= table.step()
                except SearchUnavailable as error:
                    log.debug("%s", error)
            interval = 0.0 if busy else min(high, max(low, interval * 2))

    def close(self) -> None:
        self._closed.set()
