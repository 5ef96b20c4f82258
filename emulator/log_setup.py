"""Logging for ``serve``: the emulator's own lines at the chosen level, libraries only when they matter.

Two libraries log at INFO what is an implementation detail here: httpx logs every call the
emulator makes to its embedded engine (``HTTP Request: POST http://127.0.0.1:<internal port>/``, a
port the user never configured and cannot use), and watchfiles logs each batch of file changes
that hot reload then reports itself. Below ``debug`` they log warnings and errors only.
"""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_BELOW_DEBUG = ("httpx", "httpcore", "watchfiles")


def configure_logging(level: str) -> None:
    """Root logging at ``level`` (``debug``, ``info``, ``warning``, ``error``), library chatter muted."""
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT)
    quiet = level.lower() != "debug"
    for name in QUIET_BELOW_DEBUG:
        logging.getLogger(name).setLevel(logging.WARNING if quiet else logging.NOTSET)
