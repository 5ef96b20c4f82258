"""Pub/sub between mutations and subscriptions.

Only mutations executed through the API publish (a write straight to DynamoDB publishes nothing,
as on AppSync). ``publish`` runs on the event loop and never waits: it evaluates each
subscriber's filter and hands matching ones a ``Publication``; what a subscriber does with it
(queue it for its socket) must not block either. Subscribers are registered per mutation field,
so an event only visits the subscriptions its ``@aws_subscribe`` lists name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from emulator.auth.identity import Identity

log = logging.getLogger("appsync_emulator.hub")


@dataclass(frozen=True)
class MutationEvent:
    """A mutation's result for one root field, as the mutation selected it."""

    mutation_field: str
    payload: dict[str, Any] | None
    identity: Identity | None = None


@dataclass
class Publication:
    """One published event on its way to subscribers, with a render cache they share (many
    subscriptions with the same document and variables need the payload shaped only once)."""

    event: MutationEvent
    renders: dict[Any, Any] = field(default_factory=dict)


class Subscriber(Protocol):
    """A registered subscription as the hub sees it."""

    @property
    def mutations(self) -> tuple[str, ...]:
        """The mutation fields whose results may reach this subscriber."""
        ...

    def accepts(self, payload: Mapping[str, Any]) -> bool:
        """The subscription's filter."""
        ...

    def deliver(self, publication: Publication) -> None:
        """Take a matching event; must not block."""
        ...


class Hub:
    """Subscribers by mutation field; publishing fans out to the matching ones."""

    def __init__(self) -> None:
        self._by_mutation: dict[str, dict[Subscriber, None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def subscribe(self, subscriber: Subscriber) -> None:
        """Register (call on the event loop that will publish)."""
        if self._closed:
            raise RuntimeError("the hub is closed")
        self._loop = asyncio.get_running_loop()
        for mutation in subscriber.mutations:
            self._by_mutation.setdefault(mutation, {})[subscriber] = None

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Forget a subscriber; unknown ones are ignored (safe to call twice)."""
        for mutation in subscriber.mutations:
            subscribers = self._by_mutation.get(mutation)
            if subscribers is None:
                continue
            subscribers.pop(subscriber, None)
            if not subscribers:
                del self._by_mutation[mutation]

    def publish(self, event: MutationEvent) -> None:
        """Deliver ``event`` to every subscriber whose filter accepts it; never blocks.

        Meant for the event loop; from another thread the fan-out is handed to the loop.
        A mutation whose result is null published nothing on AppSync, so neither does this.
        """
        if event.payload is None or self._closed:
            return
        loop = self._loop
        if loop is not None and _running_loop() is not loop:
            try:
                loop.call_soon_threadsafe(self._fan_out, event)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                pass
            return
        self._fan_out(event)

    def _fan_out(self, event: MutationEvent) -> None:
        subscribers = self._by_mutation.get(event.mutation_field)
        if not subscribers or event.payload is None:
            return
        publication = Publication(event)
        for subscriber in list(subscribers):
            try:
                if subscriber.accepts(event.payload):
                    subscriber.deliver(publication)
            except Exception:  # one broken subscriber must not starve the others
                log.exception("subscriber failed on %s", event.mutation_field)

    def subscriber_count(self, mutation_field: str | None = None) -> int:
        """Registered subscribers, for one mutation field or in total (distinct subscribers)."""
        if mutation_field is not None:
            return len(self._by_mutation.get(mutation_field, {}))
        return len({subscriber for subscribers in self._by_mutation.values() for subscriber in subscribers})

    async def close(self) -> None:
        """Stop publishing and forget every subscriber (server shutdown)."""
        self._closed = True
        self._by_mutation.clear()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
