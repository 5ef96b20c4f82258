"""botocore's HTTP layer replaced by a direct call into the embedded engine's WSGI app.

The embedded engine is moto's WSGI app served on a loopback port. Over that port every resolver
call pays for a TCP connection (the engine's server speaks HTTP/1.0), a server thread and two
HTTP codecs, all in this same process: about half the cost of a GetItem. The emulator's own
boto3 client therefore hands the request it signed to the very same app object in process
(journaling middleware included, so persistence sees every write as before). The request bytes,
the response bytes and botocore's parsing are unchanged; the port stays open for the DynamoDB
proxy and for outside clients.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import EndpointConnectionError

from emulator.persistence.requests import call_wsgi

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


class _Body:
    """The ``raw`` a botocore ``AWSResponse`` reads its content from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


class WsgiSession:
    """Stands in for botocore's ``URLLib3Session``: ``send(request) -> AWSResponse``."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self.closed = False

    def send(self, request: AWSPreparedRequest) -> AWSResponse:
        if self.closed:  # the engine was stopped: the same failure a closed port gives
            raise EndpointConnectionError(endpoint_url=request.url)
        response = call_wsgi(self._app, environ_for(request))
        return AWSResponse(request.url, response.status_code, dict(response.headers), _Body(response.body))

    def close(self) -> None:
        self.closed = True


def environ_for(request: AWSPreparedRequest) -> dict[str, Any]:
    """The WSGI environ an HTTP server would have built from this request."""
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes | bytearray):
        body = body.read()
    url = urlsplit(request.url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": url.path or "/",
        "QUERY_STRING": url.query,
        "SERVER_NAME": url.hostname or "127.0.0.1",
        "SERVER_PORT": str(url.port or 80),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": url.netloc,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = text
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = text
    return environ
