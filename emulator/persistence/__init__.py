"""Persistence of the embedded engine's tables: a snapshot plus an append-only journal of writes.

Why this design. moto keeps tables in memory and offers no persistence; its request recorder
replays the whole history over HTTP (minutes for a busy day). So the emulator keeps two things in
``<data dir>/tables/``:

* a **journal** (``journal.py``): every write request the engine executes (CreateTable,
  PutItem, UpdateItem, BatchWriteItem, TransactWriteItems, PartiQL, …), appended and synced to
  disk before the engine's answer goes back. The recording is a WSGI middleware around moto's app
  inside the embedded server (``recorder.py``, ``embedded.py``), so it catches writes from the
  API's resolvers and from the DynamoDB API proxied on the emulator's port alike. An acknowledged
  write therefore survives ``kill -9``, and recording a request (rather than the items it
  changed) keeps DynamoDB's semantics (update expressions, conditions, indexes) moto's business.
* a **snapshot** (``snapshot.py``, ``image.py``, ``moto_state.py``): moto's DynamoDB state (table
  definitions pickled, items and stream records as plain data, each index's order), captured
  under the write lock in milliseconds, encoded and written atomically while writes go on;
  restart loads it (indexes included, without sorting) and replays only the journal written
  since, in process, without HTTP. A background compaction (``store.py``) keeps that journal
  short.

With ``--in-memory`` nothing is written; with ``--dynamodb-endpoint`` persistence is the external
engine's business and this package is not used.
"""

from emulator.persistence.embedded import EmbeddedServer, start_embedded
from emulator.persistence.files import DataDirInUse, PersistenceError
from emulator.persistence.store import TableStore, tables_dir

__all__ = ["DataDirInUse", "EmbeddedServer", "PersistenceError", "TableStore", "start_embedded", "tables_dir"]
