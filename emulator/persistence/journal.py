"""The append-only journal: one JSON line per write request the engine executed.

A line is written with a single ``write`` on an ``O_APPEND`` descriptor and made durable with
``fdatasync`` before the engine's answer leaves, so an acknowledged write is on disk. ``kill -9``
can only cut the last line short (the process dies between or inside writes, never after the
answer), so a torn *last* line is dropped with a warning, while a damaged line anywhere else is
real corruption and stops the start with the file and line named.

Durability uses group commit: appends are ordered by the caller's lock, but the ``fdatasync``
happens outside it, and one sync covers every line appended before it, so concurrent writers
share syncs instead of queueing behind each other's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.persistence.files import PersistenceError, sync_directory

log = logging.getLogger("appsync_emulator.persistence")

_sync_data = getattr(os, "fdatasync", os.fsync)


class JournalError(PersistenceError):
    """A journal file is damaged or unreadable; the message names the file and the line."""


@dataclass(frozen=True)
class JournalEntry:
    """One recorded request: the headers the engine routes on, the body, and the status it got."""

    headers: dict[str, str]
    body: str
    status: int

    def to_line(self) -> bytes:
        record = {"headers": self.headers, "body": self.body, "status": self.status}
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_record(cls, record: Any) -> JournalEntry:
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        headers, body, status = record.get("headers"), record.get("body"), record.get("status")
        if not isinstance(headers, dict) or not isinstance(body, str) or not isinstance(status, int):
            raise ValueError("expected keys headers (object), body (string) and status (integer)")
        return cls(headers={str(k): str(v) for k, v in headers.items()}, body=body, status=status)


@dataclass(frozen=True)
class JournalContents:
    """What a journal file holds: its entries, and how many bytes of it are whole lines."""

    entries: list[JournalEntry]
    valid_length: int
    torn: bool


def read_journal(path: Path) -> JournalContents:
    """Parse a journal file; a damaged last line is reported as torn, a damaged earlier one raises."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JournalError(f"{path}: cannot read the journal: {exc.strerror}") from exc
    lines = data.split(b"\n")
    complete = lines[-1] == b""  # a line without its newline was cut short
    if complete:
        lines.pop()
    entries: list[JournalEntry] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        is_last = number == len(lines)
        try:
            if is_last and not complete:
                raise ValueError("no newline at the end")
            entries.append(JournalEntry.from_record(json.loads(line)))
        except (ValueError, UnicodeDecodeError) as exc:
            if is_last:
                log.warning("%s: ignoring a torn last line (%d bytes), left by an interrupted write", path, len(line))
                return JournalContents(entries, offset, torn=True)
            raise JournalError(
                f"{path}: line {number} is not a valid journal entry ({exc}). The file is damaged; "
                "repair or delete that line, or move the file aside to start without the writes it holds."
            ) from exc
        offset += len(line) + 1
    return JournalContents(entries, offset, torn=False)


class Journal:
    """An open journal file that lines are appended to; ``rotate`` moves on to a new file.

    Callers serialise ``append`` and ``rotate`` with their own lock (the order of lines must be
    the order the engine applied the writes in); ``sync`` may be called without it.
    """

    def __init__(self, path: Path) -> None:
        self._sync_lock = threading.Lock()
        self._appended = 0
        self._synced = 0
        self._fd = -1
        self._size = 0
        self.path = path
        self._open(path)

    def _open(self, path: Path) -> None:
        created = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._size = os.fstat(self._fd).st_size
        self.path = path
        if created:
            sync_directory(path.parent)

    def append(self, entry: JournalEntry) -> int:
        """Write one line (not yet durable); returns a ticket for ``sync``."""
        line = memoryview(entry.to_line())
        start = self._size
        try:
            while line:
                written = os.write(self._fd, line)
                line = line[written:]
                self._size += written
        except OSError:  # e.g. disk full half way: cut the partial line, or the next would follow it
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, start)
                self._size = start
            raise
        self._appended += 1
        return self._appended

    def sync(self, ticket: int) -> None:
        """Return once the line of ``ticket`` (and every earlier one) is on disk."""
        with self._sync_lock:
            if self._synced >= ticket:
                return
            target = self._appended
            _sync_data(self._fd)
            self._synced = target

    @property
    def size(self) -> int:
        """Bytes in the current file: what a restart would replay (the compaction trigger)."""
        return self._size

    def rotate(self, path: Path) -> None:
        """Make the current file durable, close it and continue in ``path``."""
        with self._sync_lock:
            _sync_data(self._fd)
            self._synced = self._appended
            os.close(self._fd)
            self._open(path)

    def close(self) -> None:
        with self._sync_lock:
            if self._fd >= 0:
                _sync_data(self._fd)
                os.close(self._fd)
                self._fd = -1

