"""The WSGI middleware that journals every write before the engine's answer goes back.

It wraps moto's app inside the embedded server, so it sees every write whatever its origin: the
API's resolvers and the DynamoDB API proxied on the emulator's port both reach the engine over
HTTP. A write is applied and appended under one lock, so the journal order is the order the
engine applied writes in (moto itself is then never asked to apply two writes at once); the
answer is held back until the line is on disk, so whatever a client saw acknowledged survives
``kill -9``. Reads pass straight through.

When the journal cannot be written (disk full), the client gets a 500 and the write is not
acknowledged; the engine's memory then holds it until the next restart, the disk does not.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from emulator.persistence.journal import JournalEntry
from emulator.persistence.moto_state import WsgiApp
from emulator.persistence.requests import call_wsgi, entry_for, is_write, read_body

log = logging.getLogger("appsync_emulator.persistence")


class JournalSink(Protocol):
    """Where recorded writes go: ``append`` under ``write_lock``, then ``sync`` outside it."""

    write_lock: threading.Lock

    def append(self, entry: JournalEntry) -> int: ...

    def sync(self, ticket: int) -> None: ...


class JournalingMiddleware:
    """Wraps a WSGI app; writes are applied, journaled and synced before they are answered."""

    def __init__(self, app: WsgiApp, sink: JournalSink) -> None:
        self.app = app
        self.sink = sink

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not is_write(environ):
            return self.app(environ, start_response)
        body = read_body(environ)
        try:
            with self.sink.write_lock:
                response = call_wsgi(self.app, environ)
                ticket = self.sink.append(entry_for(environ, body, response.status_code))
            self.sink.sync(ticket)
        except OSError as exc:
            log.error("could not journal a write: %s", exc)
            return _journal_failure(start_response, exc)
        start_response(response.status, response.headers)
        return [response.body]


def _journal_failure(start_response: Callable[..., Any], exc: OSError) -> list[bytes]:
    """A 500 in DynamoDB's error shape: the write is not acknowledged because it is not durable."""
    body = json.dumps({
        "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
        "message": f"The emulator could not save this write to its journal: {exc}",
    }).encode()
    start_response("500 Internal Server Error", [("Content-Type", "application/x-amz-json-1.0"),
                                                 ("Content-Length", str(len(body)))])
    return [body]
