"""The ASGI endpoint for the AppSync real-time protocol (mounted at ``/graphql`` and
``/graphql/realtime``)."""

from __future__ import annotations

import logging

from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from emulator.realtime.carriers import accepted_subprotocol
from emulator.realtime.connection import Connection
from emulator.realtime.deps import RealtimeDeps
from emulator.realtime.shape import ShapeSchemas

log = logging.getLogger("appsync_emulator.realtime")


class RealtimeEndpoint:
    """Accepts the upgrade with exactly the ``graphql-ws`` subprotocol (never echoing the
    ``header-…`` entry, which Amplify and the Apollo link would reject) and serves the
    connection. Credentials are checked on ``connection_init``, so a bad key gets AppSync's
    ``connection_error`` frame rather than a failed handshake."""

    def __init__(self, deps: RealtimeDeps) -> None:
        self._deps = deps
        self._shapes = ShapeSchemas()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await PlainTextResponse("This endpoint speaks the AppSync real-time WebSocket protocol.", 426)(
                scope, receive, send
            )
            return
        websocket = WebSocket(scope, receive, send)
        await websocket.accept(subprotocol=accepted_subprotocol(scope))
        log.debug("realtime connection from %s on %s", scope.get("client"), scope.get("path"))
        await Connection(websocket, self._deps, self._shapes).run()
