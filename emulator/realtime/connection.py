"""One real-time WebSocket connection: its messages, subscriptions and outgoing frames.

Three tasks share a connection. The reader handles client messages one at a time, in order
(a ``stop`` is never overtaken by the ``start`` before it). The writer is the only task that
sends, draining a per-connection queue, so frames go out in the order they were queued. The
keep-alive task queues a ``ka`` periodically. Publishing only ever adds to the queue; a client
that lets its queue fill up (it does not read its socket) is disconnected with close code 1013
("try again later") instead of buffering without bound or slowing anyone else. Whatever ends a
connection, every subscription it held is removed from the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from starlette.websockets import WebSocket

from emulator.errors import RequestError
from emulator.hub import Publication
from emulator.realtime import messages
from emulator.realtime.carriers import client_ip, connection_request
from emulator.realtime.deps import RealtimeDeps
from emulator.realtime.shape import ShapeSchemas, render_payload
from emulator.realtime.start import StartRejected, SubscriptionPlan, prepare_subscription

log = logging.getLogger("appsync_emulator.realtime")

CLOSE_NORMAL = 1000
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TRY_AGAIN_LATER = 1013  # the client reads too slowly to keep up with its events


class ActiveSubscription:
    """A started subscription: the hub's subscriber for one id on one connection."""

    def __init__(self, subscription_id: str, plan: SubscriptionPlan, connection: Connection) -> None:
        self.subscription_id = subscription_id
        self.plan = plan
        self._connection = connection

    @property
    def mutations(self) -> tuple[str, ...]:
        return self.plan.mutations

    def accepts(self, payload: Any) -> bool:
        return self.plan.accepts(payload)

    def deliver(self, publication: Publication) -> None:
        self._connection.enqueue(_Event(self, publication))


@dataclass(frozen=True)
class _Event:
    """A matched event waiting in the send queue; shaped only when its turn comes."""

    subscription: ActiveSubscription
    publication: Publication


class _Drain:
    """Queue marker: the writer stops after sending what was queued before it."""


_DRAIN = _Drain()
_Outgoing = str | _Event | _Drain


class Connection:
    """The protocol state of one socket."""

    def __init__(self, websocket: WebSocket, deps: RealtimeDeps, shapes: ShapeSchemas) -> None:
        self._websocket = websocket
        self._deps = deps
        self._limits = deps.limits
        self._shapes = shapes
        self._source_ip = client_ip(websocket.scope)
        self._outbox: asyncio.Queue[_Outgoing] = asyncio.Queue()
        self._subscriptions: dict[str, ActiveSubscription] = {}
        self._acknowledged = False
        self._too_slow = asyncio.Event()
        self._ended = False  # set once cleanup began: nothing may subscribe any more
        self._keep_alive: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Serve the connection until the client leaves, fails, or is too slow."""
        reader = asyncio.create_task(self._read())
        writer = asyncio.create_task(self._write())
        too_slow = asyncio.create_task(self._too_slow.wait())
        close_code: int | None = None
        try:
            await asyncio.wait({reader, writer, too_slow}, return_when=asyncio.FIRST_COMPLETED)
            if too_slow.done():
                close_code = CLOSE_TRY_AGAIN_LATER
            elif reader.done() and reader.exception() is not None:
                log.error("realtime connection failed", exc_info=reader.exception())
                close_code = CLOSE_INTERNAL_ERROR
            elif reader.done():
                close_code = reader.result()
                if close_code is not None:  # the protocol ends the connection: flush first
                    self._outbox.put_nowait(_DRAIN)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(writer), self._limits.close_timeout_s)
        finally:
            self._ended = True
            self._release_subscriptions()
            tasks = [task for task in (reader, writer, too_slow, self._keep_alive) if task is not None]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if close_code is not None:
            await self._close(close_code)

    async def _close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._websocket.close(code), self._limits.close_timeout_s)

    def _release_subscriptions(self) -> None:
        for subscription in self._subscriptions.values():
            self._deps.hub.unsubscribe(subscription)
        self._subscriptions.clear()

    # --- sending -----------------------------------------------------------------------------

    def enqueue(self, item: _Outgoing) -> None:
        """Queue a frame without waiting; a full queue marks the client as too slow."""
        if self._too_slow.is_set():
            return
        if self._outbox.qsize() >= self._limits.send_queue_size:
            log.warning("realtime client %s is not reading its socket; disconnecting it", self._source_ip)
            self._release_subscriptions()
            self._too_slow.set()
            return
        self._outbox.put_nowait(item)

    def _send(self, frame: messages.Frame) -> None:
        self.enqueue(messages.encode(frame))

    async def _write(self) -> None:
        while True:
            item = await self._outbox.get()
            if isinstance(item, _Drain):
                return
            text = item if isinstance(item, str) else self._event_text(item)
            try:
                await self._websocket.send_text(text)
            except Exception:  # the client is gone; the reader sees the disconnect
                return

    def _event_text(self, event: _Event) -> str:
        subscription_id = event.subscription.subscription_id
        try:
            payload = render_payload(event.subscription.plan, event.publication)
        except Exception as exc:
            log.exception("shaping an event for subscription %s failed", subscription_id)
            return messages.encode(messages.error(subscription_id, [messages.internal_failure(exc)]))
        if payload.size > self._limits.max_message_bytes:
            entry = messages.too_large("Subscription payload", payload.size, self._limits.max_message_bytes)
            return messages.encode(messages.error(subscription_id, [entry]))
        return messages.data_text(subscription_id, payload.text)

    async def _send_keep_alives(self) -> None:
        while True:
            await asyncio.sleep(self._limits.keep_alive_interval_s)
            self._send(messages.keep_alive())

    # --- receiving ---------------------------------------------------------------------------

    async def _read(self) -> int | None:
        """Handle client messages in order. Returns a close code when the protocol ends the
        connection, None when the client disconnected."""
        while True:
            try:
                timeout = None if self._acknowledged else self._limits.init_timeout_s
                message = await asyncio.wait_for(self._websocket.receive(), timeout)
            except TimeoutError:
                return CLOSE_NORMAL  # no connection_init in time
            if message["type"] == "websocket.disconnect":
                return None
            close_code = await self._handle(message.get("text"), message.get("bytes"))
            if close_code is not None:
                return close_code

    async def _handle(self, text: str | None, binary: bytes | None) -> int | None:
        frame = _parse(text) if text is not None else None
        if not self._acknowledged:  # AppSync ignores everything before connection_ack
            if frame is not None and frame.get("type") == "connection_init":
                return await self._connection_init()
            return None
        size = len(text.encode("utf-8")) if text is not None else len(binary or b"")
        if size > self._limits.max_message_bytes:
            subscription_id = frame.get("id") if frame is not None else None
            entry = messages.too_large("Message", size, self._limits.max_message_bytes)
            self._send(messages.error(subscription_id if isinstance(subscription_id, str) else None, [entry]))
            return None
        kind = frame.get("type") if frame is not None else None
        if kind == "start":
            await self._start(frame or {})
        elif kind == "stop":
            self._stop(frame or {})
        elif kind != "connection_init":  # a repeated connection_init is harmless
            self._send(messages.error(None, [messages.unsupported_operation()]))
        return None

    async def _connection_init(self) -> int | None:
        try:
            await anyio.to_thread.run_sync(self._deps.authenticate, connection_request(self._websocket.scope))
        except RequestError as failure:
            self._send(messages.connection_error(failure))
            return CLOSE_NORMAL
        except Exception as exc:
            log.exception("authenticating a realtime connection failed")
            self._send(messages.connection_error(RequestError(500, "InternalFailure", messages.internal_failure(exc)["message"])))
            return CLOSE_NORMAL
        self._acknowledged = True
        self._send(messages.connection_ack(self._limits.connection_timeout_ms))
        self._send(messages.keep_alive())
        self._keep_alive = asyncio.create_task(self._send_keep_alives())
        return None

    async def _start(self, frame: dict[str, Any]) -> None:
        subscription_id = frame.get("id")
        payload = frame.get("payload")
        if not isinstance(subscription_id, str) or not subscription_id:
            self._send(messages.error(None, [messages.bad_request("A start message needs an id.")]))
            return
        if subscription_id in self._subscriptions:
            self._send(messages.error(subscription_id, [messages.duplicated_operation(subscription_id)]))
            return
        if len(self._subscriptions) >= self._limits.max_subscriptions:
            self._send(messages.max_subscriptions_reached(subscription_id, self._limits.max_subscriptions))
            return
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), str):
            self._send(messages.error(subscription_id, [messages.bad_request("A start payload needs a data string.")]))
            return
        extensions = payload.get("extensions")
        authorization = extensions.get("authorization") if isinstance(extensions, dict) else None
        try:
            plan = await anyio.to_thread.run_sync(
                prepare_subscription, self._deps, self._shapes, payload["data"], authorization, self._source_ip
            )
        except StartRejected as rejected:
            self._send(messages.error(subscription_id, rejected.errors))
            return
        except Exception as exc:
            log.exception("starting subscription %s failed", subscription_id)
            self._send(messages.error(subscription_id, [messages.internal_failure(exc)]))
            return
        if self._ended or self._too_slow.is_set():
            return
        subscription = ActiveSubscription(subscription_id, plan, self)
        self._send(messages.start_ack(subscription_id))
        self._subscriptions[subscription_id] = subscription
        self._deps.hub.subscribe(subscription)

    def _stop(self, frame: dict[str, Any]) -> None:
        subscription_id = frame.get("id")
        if not isinstance(subscription_id, str):
            self._send(messages.error(None, [messages.bad_request("A stop message needs an id.")]))
            return
        subscription = self._subscriptions.pop(subscription_id, None)
        if subscription is not None:
            self._deps.hub.unsubscribe(subscription)
        self._send(messages.complete(subscription_id))


def _parse(text: str) -> dict[str, Any] | None:
    """A client frame as a JSON object with a string ``type``; None for anything else."""
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested past Python's stack
        return None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return None
    return frame
