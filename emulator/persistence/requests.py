"""DynamoDB requests as the journal records them, and how to run one through a WSGI app.

Which requests are writes is decided by exclusion: every ``DynamoDB_20120810.*`` operation is
journaled except the known read-only families (Describe*, List*, Get*, BatchGet*, Query, Scan,
TransactGet*). A new or rare write operation (PartiQL statements, backups, TTL, tags) is then
kept by default; a read journaled by mistake would only cost replay time.

Failed writes are journaled too: moto may apply part of a request before failing it (a
``BatchWriteItem`` that stops half way), and replaying the same request on the same state
reproduces exactly that.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import InternalServerError

from emulator.persistence.journal import JournalEntry
from emulator.persistence.moto_state import WsgiApp

log = logging.getLogger("appsync_emulator.engine")

_DYNAMODB = "DynamoDB_20120810."
_READ_ONLY_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Query", "Scan", "TransactGet")
# The headers moto routes a request on: the operation, the body type, the account and region
# (from the SigV4 credential scope, or moto's explicit account header).
_RECORDED_HEADERS = {
    "HTTP_X_AMZ_TARGET": "X-Amz-Target",
    "CONTENT_TYPE": "Content-Type",
    "HTTP_AUTHORIZATION": "Authorization",
    "HTTP_X_MOTO_ACCOUNT_ID": "X-Moto-Account-Id",
}
_SIGNATURE = re.compile(r"Signature=[0-9a-fA-F]+")


def is_write(environ: dict[str, Any]) -> bool:
    """Whether this request may change DynamoDB state."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.startswith(_DYNAMODB):
        return False
    return not target[len(_DYNAMODB):].startswith(_READ_ONLY_PREFIXES)


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body and put an unread copy back for the app."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def entry_for(environ: dict[str, Any], body: bytes, status: int) -> JournalEntry:
    """The journal line for a request (request signatures are not kept: moto never checks them)."""
    headers = {name: environ[key] for key, name in _RECORDED_HEADERS.items() if environ.get(key)}
    if "Authorization" in headers:
        headers["Authorization"] = _SIGNATURE.sub("Signature=0", headers["Authorization"])
    return JournalEntry(headers=headers, body=body.decode("utf-8", errors="surrogateescape"), status=status)


def environ_for(entry: JournalEntry) -> dict[str, Any]:
    """A WSGI environ that replays ``entry`` in process, as if it came over HTTP."""
    body = entry.body.encode("utf-8", errors="surrogateescape")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for key, name in _RECORDED_HEADERS.items():
        if name in entry.headers:
            environ[key] = entry.headers[name]
    return environ


@dataclass(frozen=True)
class WsgiResponse:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def status_code(self) -> int:
        return int(self.status.split(" ", 1)[0])


def call_wsgi(app: WsgiApp, environ: dict[str, Any]) -> WsgiResponse:
    """Run a request to completion and collect the whole response.

    An exception escaping the engine (a moto bug) becomes the HTTP 500 its HTTP server answers
    with, on every path alike: in-process calls, the port, and journal replay.
    """
    try:
        return _run(app, environ)
    except Exception as exc:
        log.warning("the DynamoDB engine failed on a %s request (HTTP 500): %s: %s",
                    environ.get("HTTP_X_AMZ_TARGET", "?"), type(exc).__name__, exc)
        log.debug("engine failure", exc_info=True)
        return _run(InternalServerError(), environ)


def _run(app: WsgiApp, environ: dict[str, Any]) -> WsgiResponse:
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return written.append

    chunks = app(environ, start_response)
    try:
        written.extend(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return WsgiResponse(status=started[0], headers=list(started[1]), body=b"".join(written))
