"""gql (Python) against the emulator: a subscription over the AppSync real-time protocol, then a mutation.

    APPSYNC_URL=http://127.0.0.1:20002/graphql APPSYNC_API_KEY=da2-... python gql_client.py

The real-time URL is the GraphQL URL with ``ws://`` and ``/realtime``: ``ws://127.0.0.1:20002/graphql/realtime``
(with ``--tls``: ``wss://``); gql's AppSync transport does not derive it from an ``http://`` URL.
The auth objects take the GraphQL endpoint's ``host:port``, as AppSync's real-time handshake signs it.
"""

import asyncio
import json
import os
import time
from typing import Any
from urllib.parse import urlsplit

from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

URL = os.environ["APPSYNC_URL"]
REALTIME_URL = URL.replace("http", "ws", 1) + "/realtime"
AUTH = AppSyncApiKeyAuthentication(host=urlsplit(URL).netloc, api_key=os.environ["APPSYNC_API_KEY"])

ON_CREATE = gql("subscription OnCreateMessage { onCreateMessage { id roomId content } }")
CREATE = gql("mutation CreateMessage($input: CreateMessageInput!) { createMessage(input: $input) { id roomId content } }")


class RealtimeTransport(AppSyncWebsocketsTransport):
    """gql's transport, plus an event set on ``start_ack``: AppSync sends events only to subscriptions
    it has acknowledged, and gql reads that message without telling the caller."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subscribed = asyncio.Event()

    def _parse_answer(self, answer: str) -> Any:
        parsed = super()._parse_answer(answer)
        if parsed[0] == "start_ack":
            self.subscribed.set()
        return parsed


async def main() -> None:
    message = {"roomId": f"gql-{time.time_ns()}", "content": "hello from gql"}
    realtime = RealtimeTransport(url=REALTIME_URL, auth=AUTH)
    async with Client(transport=realtime) as listener, Client(transport=AIOHTTPTransport(url=URL, auth=AUTH)) as http:

        async def first_event() -> dict[str, Any]:
            async for result in listener.subscribe(ON_CREATE):
                if result["onCreateMessage"]["roomId"] == message["roomId"]:
                    return result["onCreateMessage"]
            raise RuntimeError("the subscription ended")

        event = asyncio.ensure_future(first_event())
        await asyncio.wait_for(realtime.subscribed.wait(), 20)
        created = await http.execute(CREATE, variable_values={"input": message})
        print(json.dumps({"created": created["createMessage"], "event": await asyncio.wait_for(event, 20)}))


if __name__ == "__main__":
    asyncio.run(main())
