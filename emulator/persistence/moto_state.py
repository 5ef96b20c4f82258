"""The embedded engine's internals: moto's WSGI app and its DynamoDB state, in and out.

With ``image.py`` this is the only code that touches moto beyond its public server: the snapshot
holds moto's DynamoDB backends (tables, items, indexes, streams, backups), the fastest faithful
copy available (moto has no persistence of its own, and its request recorder replays history at a
few hundred requests a second). Its table definitions are pickled moto objects, tied to moto's
classes, so the snapshot header carries the moto version and a start on another version stops
with the way forward (export, then import). Snapshots are private to a data dir; tables are shared
as JSON with ``appsync-emulator export``.

moto keeps its backends in module globals: one embedded engine with persistence per process.
"""

from __future__ import annotations

import contextlib
import gc
import pickle
from collections.abc import Callable, Iterator
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def engine_version() -> str:
    import moto

    return str(moto.__version__)


def wsgi_app() -> WsgiApp:
    """moto's request dispatcher, as its own server mounts it."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def request_handler() -> type:
    """moto's werkzeug request handler (keeps header spellings moto relies on), minus access logs.

    The engine is internal: a log line per engine call would only bury the emulator's own.
    """
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    return QuietRequestHandler


def _backends() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """(Un)pickling creates millions of objects; cyclic GC passes over them double the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def capture() -> Any:
    """An ``image.EngineImage`` of every account's and region's DynamoDB backend (call with
    writes held back; encode its ``payload()`` after releasing them when it is ``frozen``)."""
    from emulator.persistence import image

    with _collector_paused():
        return image.capture()


def encode(image: Any) -> bytes:
    """An image's snapshot payload. The collector is paused meanwhile: encoding allocates a
    million short-lived objects, whose collections would promote the live ones into full
    collections of the whole heap (0.3 s at 100k items, every request waiting on them)."""
    with _collector_paused():
        return image.payload()


def settle() -> None:
    """After the tables are loaded: exempt them from the cyclic garbage collector's full passes.

    Items never form reference cycles, so they need no cycle detection, yet every full collection
    walked all of them (about 12 objects per item). ``gc.freeze`` moves everything alive now out
    of its reach; items replaced later are still freed by reference counting."""
    gc.freeze()


def clear() -> None:
    """Forget every DynamoDB table of this process."""
    _backends().clear()


def restore(payload: bytes, format_version: int) -> None:
    """Replace the DynamoDB state with a snapshot payload: format 2 (``image.py``) or format 1
    (the whole state pickled, as earlier versions wrote it); raises ``ValueError`` when it cannot
    be read."""
    from emulator.persistence import image

    try:
        with _collector_paused():
            state = image.load(payload) if format_version >= 2 else pickle.loads(payload)
    except Exception as exc:  # unpickling can raise nearly anything on a foreign payload
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(state, dict):
        raise ValueError("unexpected snapshot content")
    backends = _backends()
    backends.clear()
    for (account, region), backend in state.items():
        backends[account][region] = backend
