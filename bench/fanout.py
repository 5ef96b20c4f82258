"""Subscriptions through the real server: mutation → event latency and memory.

The blog example runs in its own process. N real-time connections (1, 100, 1000) each start
``onCreatePost`` the way Amplify does (``header-`` subprotocol, ``connection_init``, ``start``);
then ``createPost`` mutations go over HTTP one at a time. Latency runs from just before the
mutation is sent to each subscriber's ``data`` frame, so it includes the mutation itself (the
DynamoDB write) and the client's own reading of N sockets on the same two cores.

Memory is the server's RSS: idle after start, per idle acknowledged connection (1000 opened,
no subscription), and the peak (``VmHWM``) after the 1000-subscriber run.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
import websockets

from bench.server import rss_mib, start_blog
from bench.stats import Figure, percentile
from emulator.testing import RunningEmulator

SUBSCRIPTION = "subscription OnCreate { onCreatePost { id title } }"
CREATE = "mutation Create($t: String!) { createPost(input: {title: $t}) { id title } }"


@dataclass(frozen=True)
class FanoutFigures:
    subscribers: int
    events: int
    p50: Figure
    p99: Figure


@dataclass(frozen=True)
class MemoryFigures:
    idle_mib: float
    per_connection_kib: float
    per_subscription_kib: float
    peak_mib: float
    after_close_mib: float


async def _connect(server: RunningEmulator) -> Any:
    header = base64.urlsafe_b64encode(json.dumps({"host": server.host, "x-api-key": server.api_key}).encode())
    ws = await websockets.connect(server.realtime_url, subprotocols=["graphql-ws", "header-" + header.decode().rstrip("=")],
                                  proxy=None, open_timeout=60, compression=None, max_queue=None)
    await ws.send(json.dumps({"type": "connection_init"}))
    await _expect(ws, "connection_ack")
    return ws


async def _expect(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if frame["type"] == kind:
            return frame
        if frame["type"] != "ka":
            raise RuntimeError(f"expected {kind}, got {frame}")


async def _subscribe(server: RunningEmulator, ws: Any) -> None:
    authorization = {"host": server.host, "x-api-key": server.api_key}
    data = json.dumps({"query": SUBSCRIPTION, "variables": {}})
    await ws.send(json.dumps({"id": "s", "type": "start", "payload": {"data": data, "extensions": {"authorization": authorization}}}))
    await _expect(ws, "start_ack")


async def _open(server: RunningEmulator, count: int, subscribe: bool) -> list[Any]:
    sockets = []
    for first in range(0, count, 50):  # in batches: a burst of 1000 handshakes is not the point here
        batch = await asyncio.gather(*(_connect(server) for _ in range(first, min(first + 50, count))))
        if subscribe:
            await asyncio.gather(*(_subscribe(server, ws) for ws in batch))
        sockets += batch
    return sockets


async def _close(sockets: list[Any]) -> None:
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def _deliveries(server: RunningEmulator, sockets: list[Any], events: int) -> list[float]:
    """Per (event, subscriber) latency in ms."""
    arrivals: dict[str, list[float]] = {}

    async def reader(ws: Any) -> None:
        async for message in ws:
            frame = json.loads(message)
            if frame["type"] == "data":
                title = frame["payload"]["data"]["onCreatePost"]["title"]
                arrivals.setdefault(title, []).append(time.perf_counter())

    readers = [asyncio.create_task(reader(ws)) for ws in sockets]
    samples: list[float] = []
    headers = {"x-api-key": server.api_key or ""}
    async with httpx.AsyncClient(timeout=30) as client:
        for number in range(events + 3):  # the first three warm up
            title = f"event-{number}"
            started = time.perf_counter()
            response = await client.post(server.graphql_url, json={"query": CREATE, "variables": {"t": title}}, headers=headers)
            response.raise_for_status()
            deadline = time.monotonic() + 30
            while len(arrivals.get(title, ())) < len(sockets) and time.monotonic() < deadline:
                await asyncio.sleep(0.0005)
            if number >= 3:
                samples += [(at - started) * 1000 for at in arrivals.get(title, ())]
                missing = len(sockets) - len(arrivals.get(title, ()))
                if missing:
                    raise RuntimeError(f"{missing} subscribers missed {title}")
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return samples


async def _run(server: RunningEmulator, counts: tuple[int, ...], events: int, rounds: int) -> tuple[list[FanoutFigures], MemoryFigures]:
    pid = server.process.pid
    await asyncio.sleep(1.0)
    idle = rss_mib(pid)
    idle_sockets = await _open(server, 1000, subscribe=False)
    await asyncio.sleep(0.5)
    per_connection = (rss_mib(pid) - idle) * 1024 / 1000
    for ws in idle_sockets:
        await _subscribe(server, ws)
    await asyncio.sleep(0.5)
    per_subscription = (rss_mib(pid) - idle) * 1024 / 1000 - per_connection
    await _close(idle_sockets)
    figures = []
    for count in counts:
        sockets = await _open(server, count, subscribe=True)
        p50s, p99s = [], []
        per_round = max(5, events // max(1, count // 50))
        for _ in range(rounds):
            samples = await _deliveries(server, sockets, per_round)
            p50s.append(percentile(samples, 0.5))
            p99s.append(percentile(samples, 0.99))
        figures.append(FanoutFigures(count, per_round * rounds, Figure.of(p50s), Figure.of(p99s)))
        await _close(sockets)
    await asyncio.sleep(1.0)
    memory = MemoryFigures(idle, per_connection, per_subscription, rss_mib(pid, "VmHWM"), rss_mib(pid))
    return figures, memory


def run(counts: tuple[int, ...] = (1, 100, 1000), events: int = 50, rounds: int = 3) -> tuple[list[FanoutFigures], MemoryFigures]:
    """The client side runs on uvloop when it is there (it comes with ``uvicorn[standard]``):
    with asyncio's own loop, reading 100 sockets in this process costs more than the server's
    whole fan-out and would dominate the figure being measured."""
    server = start_blog()
    try:
        return _event_loop_runner()(_run(server, counts, events, rounds))
    finally:
        server.stop()


def _event_loop_runner() -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run
