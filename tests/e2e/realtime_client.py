"""A subscription over the AppSync real-time protocol, as Amplify clients open it (e2e support).

    async with Subscription(server, "subscription { onAudit { day } }") as subscription:
        ...  # mutations over HTTP
        event = await subscription.next_event()   # the next "data" frame
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

import websockets

from emulator.testing import RunningEmulator


class Subscription:
    """One ``start`` on its own socket, authorized with the server's API key."""

    def __init__(self, server: RunningEmulator, query: str, variables: dict[str, Any] | None = None) -> None:
        self.server = server
        self.query = query
        self.variables = variables or {}
        self.ws: Any = None

    async def __aenter__(self) -> Subscription:
        auth = {"host": self.server.host, "x-api-key": self.server.api_key}
        header = "header-" + base64.urlsafe_b64encode(json.dumps(auth).encode()).decode().rstrip("=")
        self.ws = await websockets.connect(self.server.realtime_url, subprotocols=["graphql-ws", header], proxy=None,
                                           open_timeout=10)
        await self.ws.send(json.dumps({"type": "connection_init"}))
        assert (await self.frame())["type"] == "connection_ack"
        data = json.dumps({"query": self.query, "variables": self.variables})
        await self.ws.send(json.dumps({"id": "1", "type": "start",
                                       "payload": {"data": data, "extensions": {"authorization": auth}}}))
        started = await self.frame()
        assert started["type"] == "start_ack", started
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def frame(self, timeout: float = 10) -> dict[str, Any]:
        """The next frame that is not a keep-alive."""
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic())))
            if frame["type"] != "ka":
                return frame

    async def next_event(self, timeout: float = 10) -> dict[str, Any]:
        frame = await self.frame(timeout)
        assert frame["type"] == "data", frame
        return frame
