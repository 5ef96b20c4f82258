"""Durable-file primitives: the persistence error, directory sync and the data-dir lock."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, one process per data dir is on the user
    fcntl = None  # type: ignore[assignment]


class PersistenceError(Exception):
    """Stored tables cannot be opened; the message names the file and what to do."""


class DataDirInUse(PersistenceError):
    """Another process holds the data dir's tables (a running server, usually)."""

    def __init__(self, folder: Path, holder: str) -> None:
        super().__init__(f"{folder} is in use by another appsync-emulator process (pid {holder}); "
                         "stop it first, or use another --data-dir")
        self.folder = folder
        self.holder = holder


def sync_directory(folder: Path) -> None:
    """Make a created, renamed or deleted directory entry durable (a no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class DirLock:
    """An exclusive lock on a folder, so two processes never append to the same journal.

    An advisory ``flock`` on a lock file: the kernel drops it when the holder dies, even by
    ``kill -9``, so a crashed server never leaves a stale lock behind.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path) -> DirLock:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise DataDirInUse(path.parent, holder) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        return cls(path, fd)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = -1
