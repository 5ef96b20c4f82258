"""Stream records kept as long as a reader needs them, DynamoDB-like, instead of forever.

moto appends a record to a table's stream shard on every write and never drops one (at 100k items
the records were half the snapshot). DynamoDB keeps records 24 hours; shard iterators expire 15
minutes after they are issued. Here a shard keeps:

* at most ``MAX_RECORDS_PER_SHARD`` records (the newest), and never any older than
  ``RETENTION_SECONDS``;
* beyond that bound, every record a reader has not read yet: the position of each shard iterator
  issued in the last ``ITERATOR_SECONDS`` and not yet used (GetRecords hands out the next one) is
  kept, so a reader polling with its NextShardIterator gets every record written after it started,
  however many there were.

Trimming moves the shard's starting sequence number forward, so sequence numbers stay what they
were; TRIM_HORIZON starts at the oldest record kept. An iterator older than ``ITERATOR_SECONDS`` is
dropped (GetRecords answers ExpiredIteratorException), one pointing before the oldest record kept
answers TrimmedDataAccessException (moto failed both with HTTP 500).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow
from moto.dynamodb.models.table import StreamShard

from emulator.indexed_moto.table_index import ENGINE_LOCK

MAX_RECORDS_PER_SHARD = 1000
RETENTION_SECONDS = 24 * 3600
ITERATOR_SECONDS = 15 * 60
_PRUNE_EVERY_SECONDS = 10.0


@dataclass
class _Issued:
    """A shard iterator handed out: where it reads from, when, and whether it was used."""

    backend: Any
    shard: weakref.ReferenceType[StreamShard]
    position: int
    at: float
    used: bool = False


class _Iterators:
    """Every iterator issued (by its ARN), so expired ones can be dropped and unread records kept."""

    def __init__(self) -> None:
        self.issued: dict[str, _Issued] = {}
        self._pruned_at = time.monotonic()

    def add(self, backend: Any, arn: str) -> None:
        iterator = backend.shard_iterators.get(arn)
        if iterator is not None:
            self.issued[arn] = _Issued(backend, weakref.ref(iterator.stream_shard), iterator.sequence_number,
                                       time.monotonic())
        self.prune()

    def prune(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._pruned_at < _PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        for arn, issued in list(self.issued.items()):
            if now - issued.at > ITERATOR_SECONDS:
                del self.issued[arn]
                issued.backend.shard_iterators.pop(arn, None)

    def oldest_unread(self, shard: StreamShard) -> int | None:
        now = time.monotonic()
        positions = [issued.position for issued in self.issued.values()
                     if not issued.used and issued.shard() is shard and now - issued.at <= ITERATOR_SECONDS]
        return min(positions, default=None)


ITERATORS = _Iterators()


def trim(shard: StreamShard) -> None:
    """Drop the records no reader needs any more (see the module docstring)."""
    records = shard.items
    cut = 0
    cutoff = utcnow() - timedelta(seconds=RETENTION_SECONDS)
    while cut < len(records) and records[cut].record["dynamodb"]["ApproximateCreationDateTime"] < cutoff:
        cut += 1
    surplus = len(records) - MAX_RECORDS_PER_SHARD
    if surplus > cut:
        oldest = ITERATORS.oldest_unread(shard)
        if oldest is not None:
            surplus = min(surplus, oldest - shard.starting_sequence_number)
        cut = max(cut, surplus)
    if cut > 0:
        del records[:cut]
        shard.starting_sequence_number += cut


def make_add(stock: Callable[..., Any], in_transaction: Callable[[], bool]) -> Callable[..., Any]:
    def add(self: StreamShard, old: Any, new: Any) -> None:
        stock(self, old, new)
        if not in_transaction():  # a transaction trims once it is over (its undo cuts by length)
            trim(self)

    return add


def make_get_shard_iterator(stock: Callable[..., Any]) -> Callable[..., Any]:
    def get_shard_iterator(self: Any, arn: str, shard_id: str, shard_iterator_type: str,
                           sequence_number: str | None = None) -> Any:
        with ENGINE_LOCK:
            iterator = stock(self, arn, shard_id, shard_iterator_type, sequence_number)
            ITERATORS.add(self, iterator.arn)
            return iterator

    return get_shard_iterator


def make_get_records(stock: Callable[..., Any]) -> Callable[..., Any]:
    def get_records(self: Any, iterator_arn: str, limit: int) -> Any:
        with ENGINE_LOCK:
            iterator = self.shard_iterators.get(iterator_arn)
            if iterator is None:
                raise JsonRESTError("ExpiredIteratorException",
                                    "The shard iterator has expired or is not known; get a new one with GetShardIterator")
            if iterator.sequence_number < iterator.stream_shard.starting_sequence_number:
                raise JsonRESTError("TrimmedDataAccessException",
                                    "The records this iterator points at were trimmed from the stream "
                                    "(older than the retention period, or beyond the records kept per shard)")
            result = stock(self, iterator_arn, limit)
            used = ITERATORS.issued.get(iterator_arn)
            if used is not None:
                used.used = True
            ITERATORS.add(self, result["NextShardIterator"])
            return result

    return get_records
