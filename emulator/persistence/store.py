"""A data dir's tables: restored into the engine at start, journaled while serving, compacted.

On disk (``<data dir>/tables/``): ``snapshot.bin`` (the engine state up to a generation),
``journal-<generation>.jsonl`` (the writes since), and ``LOCK``. Start = load the snapshot, then
replay the journals of its generation and later ones in process, in order.

Compaction bounds restart time. A restart loads the snapshot, then replays the journal, and
replay is the slow part: each journaled request goes through moto's whole request dispatch again
(about 1 ms, plus the items it carries), while loading the snapshot costs a fraction of a
microsecond per byte.
From these measured costs (``bench/restart.py``) the store estimates the replay time of its
journal, and when it exceeds the snapshot's load time (and ``MIN_REPLAY_SECONDS``) a background
thread folds the journal into a new snapshot. A restart after a crash then takes at most about
twice a clean one, and since both grow with the tables, the compaction work per write stays
constant.

Under the write lock compaction only captures the state in memory (milliseconds: a copy of each
table's sorted item list, see ``image.py``) and switches appends to the next generation's journal;
encoding, writing and syncing the file happen while writes continue. The old
journal is deleted only after the new snapshot is durably renamed into place, so a crash at any
step leaves a snapshot plus journals that together hold every acknowledged write, each once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from emulator.persistence import moto_state
from emulator.persistence.files import DirLock, PersistenceError, sync_directory
from emulator.persistence.journal import Journal, JournalEntry, read_journal
from emulator.persistence.moto_state import WsgiApp
from emulator.persistence.requests import call_wsgi, environ_for
from emulator.persistence.snapshot import Snapshot, read_snapshot, write_snapshot

log = logging.getLogger("appsync_emulator.persistence")

# What a restart spends (moto 5.2.5, bench/restart.py); the trigger compares them, so a faster
# or slower machine shifts only MIN_REPLAY_SECONDS's share.
REPLAY_SECONDS_PER_WRITE = 1e-3  # moto's request dispatch, per journaled request
REPLAY_SECONDS_PER_BYTE = 5e-7  # applying the items a journaled request carries
LOAD_SECONDS_PER_BYTE = 1e-7  # unpickling the snapshot
MIN_REPLAY_SECONDS = 0.5  # below this a compaction is not worth the pause it puts on writes
SNAPSHOT_NAME = "snapshot.bin"
_JOURNAL_NAME = re.compile(r"^journal-(\d+)\.jsonl$")


def should_compact(journal_writes: int, journal_bytes: int, snapshot_bytes: int) -> bool:
    """Whether replaying the journal would now take longer than loading the snapshot."""
    replay = journal_writes * REPLAY_SECONDS_PER_WRITE + journal_bytes * REPLAY_SECONDS_PER_BYTE
    return replay >= max(MIN_REPLAY_SECONDS, snapshot_bytes * LOAD_SECONDS_PER_BYTE)


def tables_dir(data_dir: Path) -> Path:
    """Where a data dir keeps its tables."""
    return data_dir / "tables"


def journal_path(folder: Path, generation: int) -> Path:
    return folder / f"journal-{generation:06d}.jsonl"


def journals(folder: Path) -> dict[int, Path]:
    """The journal files in a folder, by generation."""
    found = {}
    for path in folder.iterdir():
        match = _JOURNAL_NAME.match(path.name)
        if match:
            found[int(match[1])] = path
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Recovery:
    """What start-up restored: the snapshot's generation, the one to append to, what was replayed."""

    snapshot_generation: int
    generation: int
    snapshot_size: int
    replayed: int
    seconds: float


def recover(folder: Path, app: WsgiApp) -> Recovery:
    """Rebuild the engine state from the snapshot and journals in ``folder``."""
    started = time.perf_counter()
    base, snapshot_size = _load_snapshot(folder / SNAPSHOT_NAME)
    found = journals(folder)
    newer = {gen: path for gen, path in found.items() if gen >= base}
    if base == 0 and newer and min(newer) > 1:
        raise PersistenceError(
            f"{newer[min(newer)]} continues a snapshot, but {folder / SNAPSHOT_NAME} is missing; "
            "restore the snapshot, or move the folder aside to start with empty tables"
        )
    replayed = sum(_replay_journal(path, app) for path in newer.values())
    for gen, path in found.items():
        if gen < base:  # already inside the snapshot: a compaction was cut short before deleting it
            path.unlink()
    moto_state.settle()
    generation = max([base, 1, *newer])
    return Recovery(base, generation, snapshot_size, replayed, time.perf_counter() - started)


def _load_snapshot(path: Path) -> tuple[int, int]:
    """Restore the snapshot when there is one; returns (its generation, its size), (0, 0) if none."""
    if not path.exists():
        moto_state.clear()
        return 0, 0
    snapshot = read_snapshot(path)
    running = moto_state.engine_version()
    if snapshot.engine_version != running:
        raise PersistenceError(
            f"{path} was written by engine moto {snapshot.engine_version}, this emulator runs moto {running}. "
            "Export the tables with the emulator version that wrote them (appsync-emulator export --out "
            "tables.json), move the tables folder aside, then import them here (appsync-emulator import tables.json)."
        )
    try:
        moto_state.restore(snapshot.payload, snapshot.format_version)
    except ValueError as exc:
        raise PersistenceError(
            f"{path}: cannot load the snapshot, written by engine moto {snapshot.engine_version} "
            f"(running {moto_state.engine_version()}): {exc}. Export the tables with the emulator version "
            "that wrote them (appsync-emulator export) and import them here."
        ) from exc
    return snapshot.generation, len(snapshot.payload)


def _replay_journal(path: Path, app: WsgiApp) -> int:
    """Apply a journal's entries in order; cut a torn last line off the file. Returns the count."""
    contents = read_journal(path)
    diverged = 0
    for entry in contents.entries:
        if call_wsgi(app, environ_for(entry)).status_code != entry.status:
            diverged += 1
    if diverged:
        log.warning("%s: %d replayed writes got another status than when first made", path, diverged)
    if contents.torn:
        os.truncate(path, contents.valid_length)
    return len(contents.entries)


@dataclass(frozen=True)
class CompactionTimes:
    """How long the last compaction held writes back, encoded and wrote (seconds), and its size."""

    held: float
    encoded: float
    written: float
    size: int


class TableStore:
    """The open tables folder: appends writes (``JournalSink``) and compacts in the background."""

    def __init__(self, folder: Path, lock: DirLock, recovery: Recovery) -> None:
        self.folder = folder
        self.write_lock = threading.Lock()
        self._lock = lock
        self._generation = recovery.generation
        self._snapshot_generation = recovery.snapshot_generation
        self._snapshot_size = recovery.snapshot_size
        self._journal_writes = recovery.replayed  # an over-estimate when several journals were replayed
        self._journal = Journal(journal_path(folder, self._generation))
        self._compaction_lock = threading.Lock()
        self.last_compaction: CompactionTimes | None = None
        self._wake = threading.Event()
        self._closing = False
        self._compactor = threading.Thread(target=self._compact_when_woken, name="tables-compaction", daemon=True)
        self._compactor.start()
        if recovery.replayed:
            self._wake.set()  # fold the replayed journal in, so the next start is a plain load

    @classmethod
    def open(cls, folder: Path, app: WsgiApp) -> TableStore:
        """Lock ``folder``, restore its tables into the engine behind ``app``, and start recording."""
        folder.mkdir(parents=True, exist_ok=True)
        lock = DirLock.acquire(folder / "LOCK")
        try:
            recovery = recover(folder, app)
            log.info("restored tables from %s in %.2fs (%d journaled writes replayed)",
                     folder, recovery.seconds, recovery.replayed)
            return cls(folder, lock, recovery)
        except BaseException:
            lock.release()
            raise

    # JournalSink -------------------------------------------------------------------------------

    def append(self, entry: JournalEntry) -> int:
        ticket = self._journal.append(entry)
        self._journal_writes += 1
        if should_compact(self._journal_writes, self._journal.size, self._snapshot_size):
            self._wake.set()
        return ticket

    def sync(self, ticket: int) -> None:
        self._journal.sync(ticket)

    # Compaction --------------------------------------------------------------------------------

    def compact(self) -> bool:
        """Fold the journal into a new snapshot; returns False when there was nothing to fold."""
        with self._compaction_lock:
            with self.write_lock:
                started = time.perf_counter()
                if self._journal.size == 0 and self._snapshot_generation == self._generation:
                    return False
                image = moto_state.capture()
                payload = None if image.frozen else moto_state.encode(image)
                self._generation += 1
                self._journal.rotate(journal_path(self.folder, self._generation))
                self._journal_writes = 0
            released = time.perf_counter()
            if payload is None:  # stored items never change: encode while writes go on
                payload = moto_state.encode(image)
            encoded = time.perf_counter()
            snapshot = Snapshot(self._generation, moto_state.engine_version(), payload)
            write_snapshot(self.folder / SNAPSHOT_NAME, snapshot)
            self.last_compaction = CompactionTimes(released - started, encoded - released,
                                                   time.perf_counter() - encoded, len(payload))
            log.info("snapshot of %s: writes held %.1f ms, encoded in %.2f s, %.1f MB written in %.2f s",
                     self.folder, self.last_compaction.held * 1e3, self.last_compaction.encoded,
                     len(payload) / 1e6, self.last_compaction.written)
            self._snapshot_size = len(payload)
            self._snapshot_generation = snapshot.generation
            for generation, path in journals(self.folder).items():
                if generation < snapshot.generation:
                    path.unlink()
            sync_directory(self.folder)
            return True

    def _compact_when_woken(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            try:
                self.compact()
            except Exception:  # the journal still holds every write; try again on the next trigger
                log.exception("compacting %s failed", self.folder)

    def close(self) -> None:
        """Stop compacting, fold what is left into the snapshot, and release the folder."""
        self._closing = True
        self._wake.set()
        self._compactor.join()
        try:
            self.compact()
        finally:
            self._journal.close()
            self._lock.release()
