"""Which events reach which subscription, and in what shape (the part ``amplify mock`` gets wrong)."""

from __future__ import annotations

from typing import Any

from tests.realtime_harness import (
    ALICE_TOKEN,
    BOB_TOKEN,
    Harness,
    harness_fixture,
    nothing_within,
    open_acknowledged,
    post,
    receive,
    start,
    wait_until_async,
)

harness = harness_fixture()


async def _subscribed(harness: Harness, query: str, **kwargs: Any) -> Any:
    ws = await open_acknowledged(harness)
    answer = await start(harness, ws, "s", query, **kwargs)
    assert answer == {"type": "start_ack", "id": "s"}, answer
    return ws


async def _next_data(ws: Any) -> dict[str, Any]:
    frame = await receive(ws)
    assert frame["type"] == "data" and frame["id"] == "s", frame
    return frame["payload"]


def _user(harness: Harness, token: str) -> dict[str, str]:
    return {"host": harness.host, "Authorization": token}


# --- payload shape ---------------------------------------------------------------------------


async def test_payload_is_cut_to_the_subscription_selection(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription S { onCreatePost { id rating __typename } }")
    harness.publish("createPost", post())
    assert await _next_data(ws) == {"data": {"onCreatePost": {"id": "p1", "rating": 3, "__typename": "Post"}}}
    await ws.close()


async def test_fields_the_mutation_did_not_select_are_null(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription { onCreatePost { id status author { name } } }")
    harness.publish("createPost", {"id": "p2", "title": "only id and title selected"})
    assert await _next_data(ws) == {"data": {"onCreatePost": {"id": "p2", "status": None, "author": None}}}
    await ws.close()


async def test_missing_non_null_field_is_an_error_in_the_event(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription { onCreatePost { id title } }")
    harness.publish("createPost", {"id": "p3"})
    payload = await _next_data(ws)
    assert payload["data"] == {"onCreatePost": None}
    assert payload["errors"][0]["message"] == (
        "Cannot return null for non-nullable type: 'String' within parent 'Post' (/onCreatePost/title)"
    )
    assert payload["errors"][0]["path"] == ["onCreatePost", "title"]
    await ws.close()


async def test_aliases_nested_objects_and_variables(harness: Harness) -> None:
    query = "subscription S($id: ID) { created: onPostChanged(id: $id) { key: id author { name } } }"
    ws = await _subscribed(harness, query, variables={"id": "p1"})
    harness.publish("createPost", post(author={"name": "Ann", "city": "Oslo"}))
    assert await _next_data(ws) == {"data": {"created": {"key": "p1", "author": {"name": "Ann"}}}}
    await ws.close()


async def test_field_level_protected_fields_are_null(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription { onCreatePost { id secret } }")
    harness.publish("createPost", post())
    assert await _next_data(ws) == {"data": {"onCreatePost": {"id": "p1", "secret": None}}}
    await ws.close()


# --- which mutations -------------------------------------------------------------------------


async def test_only_the_listed_mutations_trigger(harness: Harness) -> None:
    created = await _subscribed(harness, "subscription { onCreatePost { id } }")
    harness.publish("updatePost", post(id="u1"))
    harness.publish("createPost", post(id="c1"))
    assert await _next_data(created) == {"data": {"onCreatePost": {"id": "c1"}}}
    await created.close()


async def test_aws_subscribe_with_several_mutations(harness: Harness) -> None:
    # onPostChanged is not in the API model's root fields: its mutations come from @aws_subscribe
    ws = await _subscribed(harness, "subscription { onPostChanged { id } }")
    harness.publish("createPost", post(id="c"))
    harness.publish("updatePost", post(id="u"))
    assert [await _next_data(ws) for _ in range(2)] == [
        {"data": {"onPostChanged": {"id": "c"}}},
        {"data": {"onPostChanged": {"id": "u"}}},
    ]
    await ws.close()


async def test_null_mutation_result_publishes_nothing(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription { onCreatePost { id } }")
    harness.publish("createPost", None)
    assert await nothing_within(ws)
    await ws.close()


# --- argument filtering (basic) --------------------------------------------------------------


async def test_arguments_filter_on_the_payload(harness: Harness) -> None:
    ws = await _subscribed(harness, 'subscription { onPostChanged(id: "p9", rating: 5) { id } }')
    harness.publish("createPost", post(id="p1", rating=5))
    harness.publish("createPost", post(id="p9", rating=4))
    harness.publish("createPost", post(id="p9", rating=5))
    assert await _next_data(ws) == {"data": {"onPostChanged": {"id": "p9"}}}
    assert await nothing_within(ws)
    await ws.close()


async def test_explicit_null_argument_means_is_null(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription S($s: String) { onPostChanged(status: $s) { id } }", variables={"s": None})
    harness.publish("createPost", post(id="has-status", status="draft"))
    harness.publish("createPost", post(id="no-status", status=None))
    assert await _next_data(ws) == {"data": {"onPostChanged": {"id": "no-status"}}}
    await ws.close()


async def test_omitted_variable_does_not_filter(harness: Harness) -> None:
    ws = await _subscribed(harness, "subscription S($s: String) { onPostChanged(status: $s) { id } }", variables={})
    harness.publish("createPost", post(id="any"))
    assert await _next_data(ws) == {"data": {"onPostChanged": {"id": "any"}}}
    await ws.close()


# --- enhanced filtering: filter input and auth runtime filter ---------------------------------


async def test_filter_argument_with_in_and_or(harness: Harness) -> None:
    query = """subscription S($f: ModelSubscriptionPostFilterInput) { onCreatePost(filter: $f) { id } }"""
    flt = {"or": [{"status": {"in": ["published", "archived"]}}, {"rating": {"gt": 4}}], "title": {"notIn": ["spam"]}}
    ws = await _subscribed(harness, query, variables={"f": flt})
    for values in (
        {"id": "draft", "status": "draft", "rating": 1},
        {"id": "spam", "status": "published", "title": "spam"},
        {"id": "pub", "status": "published"},
        {"id": "five", "status": "draft", "rating": 5},
    ):
        harness.publish("createPost", post(**values))
    assert [await _next_data(ws) for _ in range(2)] == [
        {"data": {"onCreatePost": {"id": "pub"}}},
        {"data": {"onCreatePost": {"id": "five"}}},
    ]
    assert await nothing_within(ws)
    await ws.close()


async def test_invalid_filter_is_rejected_at_start(harness: Harness) -> None:
    ws = await open_acknowledged(harness)
    query = 'subscription { onCreatePost(filter: {status: {in: ["a", "b", "c", "d", "e", "f"]}}) { id } }'
    answer = await start(harness, ws, "f", query)
    assert answer["type"] == "error" and answer["payload"]["errors"][0]["errorType"] == "MappingTemplate"
    await ws.close()


async def test_owner_runtime_filter_for_user_pool_callers(harness: Harness) -> None:
    alice = await _subscribed(harness, "subscription { onCreatePost { id owner } }", authorization=_user(harness, ALICE_TOKEN))
    bob = await _subscribed(harness, "subscription { onCreatePost { id owner } }", authorization=_user(harness, BOB_TOKEN))
    harness.publish("createPost", post(id="a1", owner="alice"))
    harness.publish("createPost", post(id="b1", owner="bob"))
    assert await _next_data(alice) == {"data": {"onCreatePost": {"id": "a1", "owner": "alice"}}}
    assert await _next_data(bob) == {"data": {"onCreatePost": {"id": "b1", "owner": "bob"}}}
    assert await nothing_within(alice) and await nothing_within(bob)
    await alice.close()
    await bob.close()


async def test_auth_filter_is_anded_with_the_filter_argument(harness: Harness) -> None:
    query = 'subscription { onCreatePost(filter: {rating: {ge: 3}}) { id } }'
    ws = await _subscribed(harness, query, authorization=_user(harness, ALICE_TOKEN))
    harness.publish("createPost", post(id="bob-5", owner="bob", rating=5))
    harness.publish("createPost", post(id="alice-1", owner="alice", rating=1))
    harness.publish("createPost", post(id="alice-5", owner="alice", rating=5))
    assert await _next_data(ws) == {"data": {"onCreatePost": {"id": "alice-5"}}}
    assert await nothing_within(ws)
    await ws.close()


async def test_enhanced_filter_replaces_argument_filtering(harness: Harness) -> None:
    # AppSync does not combine basic and enhanced filtering: with filter: set, owner: is not compared
    query = 'subscription { onCreatePost(filter: {rating: {gt: 2}}, owner: "bob") { id } }'
    ws = await _subscribed(harness, query)
    harness.publish("createPost", post(id="alice-3", owner="alice", rating=3))
    assert await _next_data(ws) == {"data": {"onCreatePost": {"id": "alice-3"}}}
    await ws.close()


async def test_subscribers_see_only_their_events_and_counts_return_to_zero(harness: Harness) -> None:
    sockets = [await _subscribed(harness, f'subscription {{ onPostChanged(id: "{n}") {{ id }} }}') for n in range(5)]
    for n in range(5):
        harness.publish("updatePost", post(id=str(n)))
    for n, ws in enumerate(sockets):
        assert await _next_data(ws) == {"data": {"onPostChanged": {"id": str(n)}}}
    for ws in sockets:
        await ws.close()
    await wait_until_async(lambda: harness.hub.subscriber_count() == 0)
