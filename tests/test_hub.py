"""The hub: routing by mutation field, filters, isolation, thread hand-off, counts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from emulator.hub import Hub, MutationEvent, Publication


@dataclass(eq=False)
class Recorder:
    """A subscriber that keeps what it was given."""

    mutations: tuple[str, ...]
    wanted: Any = None  # only payloads with this id, when set
    received: list[Publication] = field(default_factory=list)
    fail: bool = False

    def accepts(self, payload: Mapping[str, Any]) -> bool:
        return self.wanted is None or payload.get("id") == self.wanted

    def deliver(self, publication: Publication) -> None:
        if self.fail:
            raise RuntimeError("broken subscriber")
        self.received.append(publication)


def event(mutation: str = "createPost", **payload: Any) -> MutationEvent:
    return MutationEvent(mutation_field=mutation, payload=payload or {"id": "1"})


async def test_routes_by_mutation_field_and_filter() -> None:
    hub = Hub()
    created, updated, only_two = Recorder(("createPost",)), Recorder(("updatePost",)), Recorder(("createPost",), "2")
    for subscriber in (created, updated, only_two):
        hub.subscribe(subscriber)
    hub.publish(event(id="1"))
    hub.publish(event(id="2"))
    hub.publish(event("deletePost", id="3"))
    assert [p.event.payload for p in created.received] == [{"id": "1"}, {"id": "2"}]
    assert updated.received == []
    assert [p.event.payload for p in only_two.received] == [{"id": "2"}]


async def test_one_publication_shared_by_all_subscribers() -> None:
    hub = Hub()
    first, second = Recorder(("createPost",)), Recorder(("createPost",))
    hub.subscribe(first)
    hub.subscribe(second)
    hub.publish(event())
    assert first.received[0] is second.received[0]  # one render cache for the event


async def test_null_payload_publishes_nothing() -> None:
    hub = Hub()
    recorder = Recorder(("createPost",))
    hub.subscribe(recorder)
    hub.publish(MutationEvent("createPost", None))
    assert recorder.received == []


async def test_broken_subscriber_does_not_starve_others(caplog: pytest.LogCaptureFixture) -> None:
    hub = Hub()
    broken, healthy = Recorder(("createPost",), fail=True), Recorder(("createPost",))
    hub.subscribe(broken)
    hub.subscribe(healthy)
    hub.publish(event())
    assert len(healthy.received) == 1
    assert "subscriber failed" in caplog.text


async def test_counts_and_unsubscribe() -> None:
    hub = Hub()
    both = Recorder(("createPost", "updatePost"))
    single = Recorder(("createPost",))
    hub.subscribe(both)
    hub.subscribe(single)
    assert (hub.subscriber_count(), hub.subscriber_count("createPost"), hub.subscriber_count("updatePost")) == (2, 2, 1)
    hub.unsubscribe(both)
    hub.unsubscribe(both)  # twice is harmless
    assert (hub.subscriber_count(), hub.subscriber_count("updatePost")) == (1, 0)
    hub.unsubscribe(single)
    assert hub.subscriber_count() == 0
    hub.publish(event())
    assert both.received == [] and single.received == []


async def test_unsubscribing_during_fan_out_is_safe() -> None:
    hub = Hub()

    class LeavesOnFirstEvent(Recorder):
        def deliver(self, publication: Publication) -> None:
            super().deliver(publication)
            hub.unsubscribe(self)

    leaving, staying = LeavesOnFirstEvent(("createPost",)), Recorder(("createPost",))
    hub.subscribe(leaving)
    hub.subscribe(staying)
    hub.publish(event())
    hub.publish(event())
    assert (len(leaving.received), len(staying.received)) == (1, 2)


async def test_publish_from_another_thread_runs_on_the_loop() -> None:
    hub = Hub()
    loop_thread = threading.get_ident()
    seen_on: list[int] = []

    class ThreadRecorder(Recorder):
        def deliver(self, publication: Publication) -> None:
            seen_on.append(threading.get_ident())
            super().deliver(publication)

    recorder = ThreadRecorder(("createPost",))
    hub.subscribe(recorder)
    await asyncio.to_thread(hub.publish, event())
    for _ in range(100):
        if recorder.received:
            break
        await asyncio.sleep(0.01)
    assert seen_on == [loop_thread]


async def test_close_forgets_everyone_and_refuses_new_subscribers() -> None:
    hub = Hub()
    recorder = Recorder(("createPost",))
    hub.subscribe(recorder)
    await hub.close()
    hub.publish(event())
    assert recorder.received == [] and hub.subscriber_count() == 0
    with pytest.raises(RuntimeError):
        hub.subscribe(Recorder(("createPost",)))
