"""The embedded engine's server: moto's app on a loopback port, in a thread of our process.

It mounts the app the way moto's own ``ThreadedMotoServer`` does, with one difference: when the
tables persist, the app is wrapped in the journaling middleware first, so every write that
reaches the engine is recorded, whoever sent it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, make_server

from emulator.persistence import moto_state
from emulator.persistence.recorder import JournalingMiddleware
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


def start_embedded(data_dir: Path | None) -> EmbeddedServer:
    """Start the engine; with a ``data_dir`` its tables are restored from there and persisted."""
    app = moto_state.wsgi_app()
    store = None
    if data_dir is not None:
        store = TableStore.open(tables_dir(data_dir), app)
        app = JournalingMiddleware(app, store)
    try:
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=moto_state.request_handler())
    except BaseException:
        if store is not None:
            store.close()
        raise
    return EmbeddedServer(server, store)
