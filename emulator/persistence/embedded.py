"""The embedded engine's server: moto's app on a loopback port, in a thread of our process.

It mounts the app the way moto's own ``ThreadedMotoServer`` does, with one difference: when the
tables persist, the app is wrapped in the journaling middleware first, so every write that
reaches the engine is recorded, whoever sent it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from emulator import indexed_moto
from emulator.persistence import moto_state
from emulator.persistence.recorder import JournalingMiddleware
from emulator.persistence.requests import call_wsgi, is_write
from emulator.persistence.store import TableStore, tables_dir


class EmbeddedServer:
    """A running embedded engine; ``stop`` ends serving, then saves and releases the tables."""

    def __init__(self, server: BaseWSGIServer, store: TableStore | None) -> None:
        self._server = server
        self.store = store
        self._thread = threading.Thread(target=server.serve_forever, name="dynamodb-engine", daemon=True)
        self._thread.start()

    @property
    def app(self) -> moto_state.WsgiApp:
        """The served WSGI app (the emulator's own client calls it in process)."""
        return self._server.app

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
        if self.store is not None:
            self.store.close()


class SerializedWrites:
    """Runs writes one at a time. moto applies a conditional write as check-then-set without a
    lock, so two concurrent writes can both pass the same condition and one update is lost
    (optimistic locking breaks). The journaling middleware serializes writes already; this does
    the same for in-memory tables. Reads are not held back."""

    def __init__(self, app: moto_state.WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not is_write(environ):
            return self.app(environ, start_response)
        with self._lock:
            response = call_wsgi(self.app, environ)
        start_response(response.status, response.headers)
        return [response.body]


def start_embedded(data_dir: Path | None) -> EmbeddedServer:
    """Start the engine; with a ``data_dir`` its tables are restored from there and persisted."""
    indexed_moto.install()
    app = moto_state.wsgi_app()
    store = None
    if data_dir is not None:
        store = TableStore.open(tables_dir(data_dir), app)
        app = JournalingMiddleware(app, store)
    else:
        app = SerializedWrites(app)
    try:
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=moto_state.request_handler())
    except BaseException:
        if store is not None:
            store.close()
        raise
    return EmbeddedServer(server, store)
