"""The embedded engine at scale: moto 5.2.5 with sorted indexes, flat transactions, lean memory.

Stock moto answers GetItem in constant time, but its Query and Scan sort every item of the table
on every call, whatever the Limit; TransactWriteItems deep-copies every table it touches; every
model object it ever creates stays referenced; stream records are never dropped. This package
changes moto from inside, below the DynamoDB API (the emulator still reaches the engine only
through boto3), and leaves DynamoDB's semantics to moto's own code:

* ``ordering.py``, ``table_index.py``: per table a ``SortedList`` of its items in moto's own key
  order, and one per GSI/LSI (sparse, in the order moto sorts that index), kept beside moto's
  objects and maintained by every write;
* ``windows.py``, ``reads.py``: Query and Scan bisect to their start and hand moto's unchanged
  loop only the items it would read (O(log n + page)); plus DynamoDB's LastEvaluatedKey when
  Limit ends a page on the last item;
* ``writes.py``: writes keep the indexes in step and never change a stored item in place;
  TransactWriteItems rolls back from an undo log instead of table copies;
* ``streams.py``: stream records trimmed DynamoDB-like, expired shard iterators dropped;
* ``tracking.py``: moto's instance tracking (a leak) switched off.

Why patch moto rather than another store: moto is the only embeddable engine with transactions,
streams, TTL and PartiQL (``dynalite`` has none of them; SQLite would mean re-implementing moto's
expression and paging semantics). Each patch wraps one moto function and calls the original, so
moto's validation, errors and loops stay in force; the differential test
(``tests/test_engine_differential.py``) runs seeded workloads against stock moto and this engine
and requires identical answers. The patches are written against moto 5.2.5 (pinned); with any
other version ``install`` leaves moto stock and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("appsync_emulator.engine")

SUPPORTED_MOTO = "5.2.5"
_installed: list[bool] = []


def installed() -> bool:
    """Whether this process's moto runs with the indexes."""
    return bool(_installed) and _installed[0]


def install() -> bool:
    """Patch moto in this process (once); returns whether the indexed engine is active."""
    if _installed:
        return _installed[0]
    import moto

    if moto.__version__ != SUPPORTED_MOTO:
        log.warning("moto %s is not %s: the embedded engine runs stock moto (Query and Scan read whole "
                    "tables, snapshots hold the write lock)", moto.__version__, SUPPORTED_MOTO)
        _installed.append(False)
        return False
    _patch()
    _installed.append(True)
    return True


def _wrap(owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    stock = getattr(owner, name)
    patched = make(stock)
    patched.__name__ = name
    patched.__doc__ = stock.__doc__
    setattr(owner, name, patched)


def _patch() -> None:
    import copy

    import moto.dynamodb.models as backend_module
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import StreamShard, Table
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    from emulator.indexed_moto import reads, streams, tracking, writes

    tracking.stop_tracking()
    _wrap(Table, "query", reads.make_query)
    _wrap(Table, "scan", reads.make_scan)
    _wrap(Table, "all_items", reads.make_all_items)
    _wrap(Table, "__len__", reads.make_len)
    Table.has_idx_items = reads.has_idx_items
    _wrap(Table, "put_item", writes.make_put_item)
    _wrap(Table, "delete_item", writes.make_delete_item)
    _wrap(DynamoDBBackend, "update_item", writes.make_update_item)
    _wrap(DynamoDBBackend, "update_table", writes.make_update_table)
    _wrap(DynamoDBBackend, "transact_write_items", writes.make_transact_write_items)
    backend_module.copy = writes.TransactionCopy(copy)  # type: ignore[attr-defined]
    _wrap(StreamShard, "add", lambda stock: streams.make_add(stock, writes.transaction_active))
    _wrap(DynamoDBStreamsBackend, "get_shard_iterator", streams.make_get_shard_iterator)
    _wrap(DynamoDBStreamsBackend, "get_records", streams.make_get_records)
