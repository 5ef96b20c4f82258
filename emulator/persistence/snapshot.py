"""The snapshot file: the whole engine state at one journal generation, written atomically.

Layout: one JSON header line (format, generation, engine version, payload length and SHA-256),
then the payload bytes. The file is written to a temporary name, synced, and renamed over the old
snapshot, so a crash at any moment leaves either the old snapshot or the new one, never a mix;
the checksum turns a damaged file into a clear error instead of a strange engine state.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from emulator.persistence.files import PersistenceError, sync_directory

FORMAT = "appsync-emulator-tables-snapshot"
VERSION = 2  # 2: plain-data items (``image.py``); 1: the whole engine state pickled, still read
READABLE = (1, 2)


class SnapshotError(PersistenceError):
    """The snapshot is damaged or from an incompatible version; the message names the file."""


@dataclass(frozen=True)
class Snapshot:
    """Engine state after every journal generation below ``generation`` was applied."""

    generation: int
    engine_version: str
    payload: bytes
    format_version: int = VERSION


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Atomically replace ``path`` with ``snapshot`` (temporary file, fsync, rename, fsync dir)."""
    header = {
        "format": FORMAT,
        "version": snapshot.format_version,
        "generation": snapshot.generation,
        "engine": snapshot.engine_version,
        "length": len(snapshot.payload),
        "sha256": hashlib.sha256(snapshot.payload).hexdigest(),
    }
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(json.dumps(header).encode("ascii") + b"\n")
        out.write(snapshot.payload)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    sync_directory(path.parent)


def read_snapshot(path: Path) -> Snapshot:
    """Read and verify a snapshot written by ``write_snapshot``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read the snapshot: {exc.strerror}") from exc
    first, _, payload = data.partition(b"\n")
    try:
        header = json.loads(first)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError("not an appsync-emulator snapshot")
        if header.get("version") not in READABLE:
            raise ValueError(f"snapshot format version {header.get('version')!r}, this emulator reads "
                             f"{' and '.join(map(str, READABLE))}")
        generation, engine = int(header["generation"]), str(header["engine"])
        length, digest = int(header["length"]), str(header["sha256"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{path}: bad snapshot header: {exc}") from exc
    if len(payload) != length or hashlib.sha256(payload).hexdigest() != digest:
        raise SnapshotError(
            f"{path}: the snapshot is damaged (length or checksum mismatch); "
            f"restore it from a backup, or move the folder {path.parent} aside to start with empty tables"
        )
    return Snapshot(generation=generation, engine_version=engine, payload=payload, format_version=header["version"])
