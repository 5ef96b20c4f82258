"""Subscription delivery: mutation → event latency with 1, 100 and 1000 subscribers, and the
memory an idle real-time connection costs.

The server runs in its own process (this script with ``--serve``): the real-time endpoint on
``/graphql`` plus ``POST /publish``, which publishes its JSON body to the hub exactly as the HTTP
transport does after a mutation (so the figures exclude resolver and DynamoDB time). The client
side opens one WebSocket per subscriber, subscribes with argument and selection like Amplify,
then times each publish from just before the POST to each subscriber's ``data`` frame.

    .venv/bin/python bench/subscriptions.py [--events N] [--subscribers 1,100,1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

API_KEY = "da2-benchkey"
SDL = """
type Message { id: ID! roomId: String! content: String author: String createdAt: AWSDateTime }
type Query { getMessage(id: ID!): Message }
type Mutation { createMessage(roomId: String!, content: String): Message }
type Subscription {
  onCreateMessage(roomId: String): Message @aws_subscribe(mutations: ["createMessage"])
}
"""
SUBSCRIPTION = "subscription OnCreateMessage($roomId: String) { onCreateMessage(roomId: $roomId) { id roomId content } }"


# --- server process ---------------------------------------------------------------------------


def build_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route, WebSocketRoute

    from emulator.apimodel import ApiModel
    from emulator.auth.identity import AuthMode, AuthRequest, Identity
    from emulator.errors import UnauthorizedRequest
    from emulator.hub import Hub, MutationEvent
    from emulator.realtime import RealtimeDeps, RealtimeEndpoint
    from emulator.resolvers.context import AllowAll
    from emulator.sdl import build_appsync_schema

    def authenticate(request: AuthRequest) -> Identity:
        if request.headers.get("x-api-key") != API_KEY:
            raise UnauthorizedRequest()
        return Identity(AuthMode.API_KEY, api_key=API_KEY)

    api = ApiModel(version="v2", sdl=SDL, models={}, root_fields={})
    schema = build_appsync_schema(SDL)
    hub = Hub()
    deps = RealtimeDeps(
        authenticate=authenticate,
        current_api=lambda: api,
        current_schema=lambda: schema,
        policy=AllowAll,
        field_allowed=lambda *_: True,
        hub=hub,
    )

    async def publish(request: Request) -> Response:
        event = MutationEvent("createMessage", json.loads(await request.body()))
        started = time.perf_counter()
        hub.publish(event)  # matching and queueing for every subscriber, synchronously
        return Response(status_code=204, headers={"x-publish-ms": f"{(time.perf_counter() - started) * 1000:.3f}"})

    endpoint = RealtimeEndpoint(deps)
    return Starlette(routes=[WebSocketRoute("/graphql", endpoint), Route("/publish", publish, methods=["POST"])])


def serve(port: int) -> None:
    import uvicorn

    uvicorn.run(build_app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")


# --- client side ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def open_connection(port: int) -> Any:
    ws = await websockets.connect(
        f"ws://127.0.0.1:{port}/graphql?header=" + _b64({"host": f"127.0.0.1:{port}", "x-api-key": API_KEY}) + "&payload=e30=",
        subprotocols=["graphql-ws"], proxy=None, open_timeout=30, compression=None,
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    await expect(ws, "connection_ack")
    return ws


async def subscribe(ws: Any, port: int, room: str) -> None:
    data = json.dumps({"query": SUBSCRIPTION, "variables": {"roomId": room}})
    auth = {"host": f"127.0.0.1:{port}", "x-api-key": API_KEY}
    await ws.send(json.dumps({"id": "1", "type": "start", "payload": {"data": data, "extensions": {"authorization": auth}}}))
    await expect(ws, "start_ack")


async def expect(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if frame["type"] == kind:
            return frame
        if frame["type"] != "ka":
            raise RuntimeError(f"expected {kind}, got {frame}")


def _b64(value: Any) -> str:
    import base64

    return base64.b64encode(json.dumps(value).encode()).decode()


async def measure_latency(port: int, subscribers: list[Any], events: int) -> tuple[list[float], list[float]]:
    """Per (event, subscriber) delivery latency in ms, and the server's ``publish`` time per event."""
    samples: list[float] = []
    publish_ms: list[float] = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for number in range(events):
            payload = {"id": str(number), "roomId": "room", "content": "hello " * 10, "author": "bench"}
            waits = [asyncio.create_task(expect(ws, "data")) for ws in subscribers]
            started = time.perf_counter()
            response = await client.post("/publish", content=json.dumps(payload))
            publish_ms.append(float(response.headers["x-publish-ms"]))
            for finished in asyncio.as_completed(waits):
                await finished
                samples.append((time.perf_counter() - started) * 1000)
    return samples, publish_ms


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure_memory(port: int, server_pid: int, idle: int = 1000) -> None:
    """RSS growth of the fresh server for ``idle`` acknowledged connections, then one subscription each."""
    await asyncio.sleep(0.5)
    before = rss_kib(server_pid)
    sockets = [await open_connection(port) for _ in range(idle)]
    await asyncio.sleep(0.5)
    acked = rss_kib(server_pid)
    for ws in sockets:
        await subscribe(ws, port, "idle")
    await asyncio.sleep(0.5)
    subscribed = rss_kib(server_pid)
    print(f"server RSS {before} KiB; {idle} idle acknowledged connections: +{acked - before} KiB "
          f"({(acked - before) / idle:.1f} KiB each); with one subscription each: +{subscribed - before} KiB "
          f"({(subscribed - before) / idle:.1f} KiB each)")
    for ws in sockets:
        await ws.close()


async def run(port: int, server_pid: int, counts: list[int], events: int) -> None:
    print(f"server pid {server_pid}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs (client and server share them)")
    await measure_memory(port, server_pid)
    print(f"{'subscribers':>11} {'events':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'publish() ms':>13}")
    for count in counts:
        sockets = [await open_connection(port) for _ in range(count)]
        for ws in sockets:
            await subscribe(ws, port, "room")
        rounds = max(10, events // max(1, count // 10)) if count > 1 else events
        await measure_latency(port, sockets, 3)  # warm-up
        samples, publish_ms = await measure_latency(port, sockets, rounds)
        print(f"{count:>11} {rounds:>6} {percentile(samples, 0.5):>8.2f} {percentile(samples, 0.99):>8.2f} "
              f"{max(samples):>8.2f} {statistics.median(publish_ms):>13.3f}")
        for ws in sockets:
            await ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--events", type=int, default=200, help="events for the 1-subscriber run")
    parser.add_argument("--subscribers", default="1,100,1000")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("bench server did not start") from None
                time.sleep(0.05)
        asyncio.run(run(port, server.pid, [int(n) for n in args.subscribers.split(",")], args.events))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
